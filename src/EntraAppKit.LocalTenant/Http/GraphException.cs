using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>
    /// An error the engine answers in Graph's form
    /// <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c> (learn.microsoft.com/graph/errors).
    /// </summary>
    public sealed class GraphException : Exception
    {
        public GraphException(int status, string code, string message, IEnumerable<(string Code, string Message, string Target)>? details = null)
            : base(message)
        {
            Status = status;
            Code = code;
            Details = details == null ? new List<(string, string, string)>() : new List<(string, string, string)>(details);
        }

        public int Status { get; }

        public string Code { get; }

        public IReadOnlyList<(string Code, string Message, string Target)> Details { get; }

        /// <summary>Headers to send with the error (Retry-After for 429/503).</summary>
        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public JsonObject ToJson(string requestId, string? clientRequestId, DateTimeOffset now)
        {
            var error = new JsonObject { ["code"] = Code, ["message"] = Message };
            if (Details.Count > 0)
            {
                var arr = new JsonArray();
                foreach (var d in Details) arr.Add(new JsonObject { ["code"] = d.Code, ["message"] = d.Message, ["target"] = d.Target });
                error["details"] = arr;
            }
            error["innerError"] = new JsonObject
            {
                ["date"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), // ':' is culture-specific otherwise
                ["request-id"] = requestId,
                ["client-request-id"] = clientRequestId ?? requestId,
            };
            return new JsonObject { ["error"] = error };
        }

        // The errors below are Graph's own wording, as the service returns them (learn.microsoft.com/graph/errors).

        /// <summary>404 for an unknown id, or an object not yet replicated (github.com/Azure/azure-cli/issues/21674).</summary>
        public static GraphException NotFound(string id) => new GraphException(404, "Request_ResourceNotFound",
            $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

        public static GraphException BadRequest(string message) => new GraphException(400, "Request_BadRequest", message);

        /// <summary>Graph's answer to an object reference (an appId key) that is not a GUID.</summary>
        public static GraphException InvalidReference(string property) =>
            BadRequest($"Invalid value specified for object reference property '{property}'. Please ensure that this value has an appropriate syntax and length.");

        /// <summary>Directory's wording for a write that sets a value the type does not accept.</summary>
        public static GraphException InvalidValue(string property, string resource) =>
            BadRequest($"Invalid value specified for property '{property}' of resource '{resource}'.");

        public static GraphException UnknownProperty(string property) =>
            BadRequest($"Property '{property}' does not exist as a declared property or extension property.");

        public static GraphException ReadOnly(string property) =>
            BadRequest($"Property '{property}' is read-only and cannot be set.");

        public static GraphException UnsupportedQuery(string message) => new GraphException(400, "Request_UnsupportedQuery", message);

        public static GraphException MethodNotAllowed() => new GraphException(405, "Request_BadRequest",
            "The HTTP method is not supported for this resource.");

        /// <summary>
        /// Graph's 500 for a failure nobody anticipated (learn.microsoft.com/graph/errors, code table: generalException,
        /// "An unspecified error has occurred."). It names nothing of the cause, which may hold the client's input.
        /// </summary>
        public static GraphException Unexpected() => new GraphException(500, "generalException", "An unspecified error has occurred.");

        public static GraphException NoRoute(string path) => new GraphException(400, "BadRequest",
            $"Resource not found for the segment '{path}'.");
    }
}
