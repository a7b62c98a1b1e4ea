using System;
using System.Collections.Generic;
using System.Text;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>A token request's parameters: an application/x-www-form-urlencoded body, and client_secret_basic credentials.</summary>
    internal sealed class OAuthForm
    {
        private readonly Dictionary<string, string> _fields = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The first of repeated names wins.</summary>
        public OAuthForm(GraphRequest request) : this(QueryString.Parse(Encoding.UTF8.GetString(request.Body))) { }

        /// <summary>Parameters from anywhere (the authorization endpoint reads the query string too); the first of repeated names wins.</summary>
        public OAuthForm(IEnumerable<KeyValuePair<string, string>> fields)
        {
            foreach (var kv in fields)
                if (!_fields.ContainsKey(kv.Key)) _fields[kv.Key] = kv.Value;
        }

        /// <summary>Every parameter, as sent.</summary>
        public IEnumerable<KeyValuePair<string, string>> Pairs => _fields;

        /// <summary>A parameter's value, or null when it is missing or empty.</summary>
        public string? this[string name] => _fields.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        /// <summary>A parameter the request must have (AADSTS900144 otherwise).</summary>
        public string Required(string name) => this[name] ?? throw AadstsException.MissingParameter(name);

        /// <summary>client_secret_basic (RFC 6749 section 2.3.1): Authorization: Basic base64(urlencode(id) ":" urlencode(secret)).</summary>
        public static (string Id, string Secret)? BasicCredentials(GraphRequest request)
        {
            string? header = request.Header("Authorization");
            if (header == null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
            try
            {
                string pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6).Trim()));
                int colon = pair.IndexOf(':');
                if (colon < 0) return null;
                return (Uri.UnescapeDataString(pair.Substring(0, colon).Replace('+', ' ')), Uri.UnescapeDataString(pair.Substring(colon + 1).Replace('+', ' ')));
            }
            catch (FormatException) { return null; }
        }
    }
}
