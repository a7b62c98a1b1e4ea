using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>A transport-neutral Graph request: what both front doors (in-process handler, HTTP server) hand the engine.</summary>
    public sealed class GraphRequest
    {
        public GraphRequest(string method, Uri uri, IDictionary<string, string>? headers = null, byte[]? body = null)
        {
            Method = method.ToUpperInvariant();
            Uri = uri ?? throw new ArgumentNullException(nameof(uri));
            Headers = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
            Body = body ?? Array.Empty<byte>();
        }

        public string Method { get; }

        /// <summary>The absolute request URI, e.g. https://graph.microsoft.com/v1.0/applications?$top=5.</summary>
        public Uri Uri { get; }

        public IDictionary<string, string> Headers { get; }

        public byte[] Body { get; }

        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

        /// <summary>Whether this request came from inside a $batch (logged, not counted as a round trip).</summary>
        public bool InBatch { get; set; }

        /// <summary>Who is calling, once the engine has authenticated the request.</summary>
        internal Identity.Caller? Caller { get; set; }
    }

    /// <summary>A transport-neutral Graph response.</summary>
    public sealed class GraphResponse
    {
        public GraphResponse(int status, string? body = null, string contentType = "application/json")
        {
            Status = status;
            Body = body;
            if (body != null) Headers["Content-Type"] = contentType == "application/json"
                ? "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
                : contentType;
        }

        public int Status { get; }

        public string? Body { get; }

        public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public override string ToString() => $"{Status} {Body}";
    }

    internal static class QueryString
    {
        /// <summary>Parses a query string, keeping '$' option names and decoding values once.</summary>
        public static List<KeyValuePair<string, string>> Parse(string query)
        {
            var list = new List<KeyValuePair<string, string>>();
            if (string.IsNullOrEmpty(query)) return list;
            foreach (var part in query.TrimStart('?').Split('&'))
            {
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                string k = eq < 0 ? part : part.Substring(0, eq);
                string v = eq < 0 ? "" : part.Substring(eq + 1);
                list.Add(new KeyValuePair<string, string>(Uri.UnescapeDataString(k.Replace('+', ' ')), Uri.UnescapeDataString(v.Replace('+', ' '))));
            }
            return list;
        }

        public static string Build(IEnumerable<KeyValuePair<string, string>> pairs) =>
            string.Join("&", pairs.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value)));
    }
}
