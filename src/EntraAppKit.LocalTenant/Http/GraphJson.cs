using System;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>How the tenant writes JSON (like Graph, ' and non-ASCII letters are not \u-escaped) and reads a client's.</summary>
    internal static class GraphJson
    {
        public static readonly JsonSerializerOptions Options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static readonly JsonDocumentOptions Strict = new JsonDocumentOptions { MaxDepth = RequestLimits.MaxJsonDepth, AllowDuplicateProperties = false };

        /// <summary>
        /// Parses client JSON completely, so nothing malformed surfaces later as an unexpected exception: duplicate keys, nesting
        /// deeper than <see cref="RequestLimits.MaxJsonDepth"/>, invalid UTF-8 and lone surrogates are all a <see cref="JsonException"/> here.
        /// </summary>
        public static JsonNode? ParseClient(byte[] utf8)
        {
            JsonNode? node;
            try { node = JsonNode.Parse(utf8, null, Strict); }
            catch (ArgumentException e) { throw new JsonException(e.Message, e); } // invalid UTF-8 outside strings
            CheckStrings(node);
            return node;
        }

        /// <summary>
        /// Reads every string once: System.Text.Json otherwise defers the UTF-8/UTF-16 validity check to the first read. Enumerating
        /// each object and array also materialises it (JsonNode.Parse builds children on first access, which is not safe for
        /// concurrent readers): what the store takes from a client is fully built, so reads may share the tenant (TenantLock).
        /// </summary>
        private static void CheckStrings(JsonNode? node)
        {
            try
            {
                switch (node)
                {
                    case JsonObject o:
                        foreach (var kv in o) CheckStrings(kv.Value);
                        break;
                    case JsonArray a:
                        foreach (var item in a) CheckStrings(item);
                        break;
                    case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                        _ = v.GetValue<string>();
                        break;
                }
            }
            catch (InvalidOperationException e) { throw new JsonException(e.Message, e); }
            catch (ArgumentException e) { throw new JsonException(e.Message, e); }
        }
    }
}
