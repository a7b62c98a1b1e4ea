using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.LocalTenant.Authorization;

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

        /// <summary>Whether the Prefer header (a comma-separated list, RFC 7240) names <paramref name="preference"/>, e.g. create-if-missing.</summary>
        public bool Prefers(string preference) =>
            (Header("Prefer") ?? "").Split(',').Any(p => string.Equals(p.Trim(), preference, StringComparison.OrdinalIgnoreCase));

        /// <summary>Whether this request came from inside a $batch (logged, not counted as a round trip).</summary>
        public bool InBatch { get; set; }

        /// <summary>
        /// The sign-in name and password a user gave at /common or /organizations, when the local cloud hands the sign-in to
        /// the user's home tenant (<see cref="LocalCloud"/>): that tenant starts the request anew and signs the user in with them.
        /// Never set from the wire.
        /// </summary>
        internal (string Login, string Password)? SignInHandOff { get; set; }

        /// <summary>Who is calling, once the engine has authenticated the request.</summary>
        internal Caller? Caller { get; set; }

        /// <summary>The service root the request was made against (https://graph.microsoft.com/v1.0 or the server's).</summary>
        internal string ServiceRoot => Uri.GetLeftPart(UriPartial.Authority) + "/v1.0";
    }
}
