using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>The claims of an Entra access token that say who is calling and with what permissions. Read, not validated.</summary>
    public sealed class TokenClaims
    {
        public string? TenantId { get; private set; }
        public string? ObjectId { get; private set; }

        /// <summary>appid (v1) or azp (v2): the client application.</summary>
        public string? AppId { get; private set; }

        /// <summary>upn or preferred_username for a user; null for an app-only token.</summary>
        public string? UserPrincipalName { get; private set; }

        /// <summary>Delegated permissions (scp).</summary>
        public IReadOnlyList<string> Scopes { get; private set; } = Array.Empty<string>();

        /// <summary>Application permissions (roles).</summary>
        public IReadOnlyList<string> Roles { get; private set; } = Array.Empty<string>();

        /// <summary>Directory role template ids (wids) of a signed-in user.</summary>
        public IReadOnlyList<string> DirectoryRoles { get; private set; } = Array.Empty<string>();

        public DateTimeOffset? ExpiresOn { get; private set; }

        public bool IsAppOnly => Scopes.Count == 0 && UserPrincipalName == null;

        /// <summary>Reads a JWT's payload; null when the text is not a JWT (an opaque token).</summary>
        public static TokenClaims? Read(string token)
        {
            var parts = token.Split('.');
            if (parts.Length != 3) return null;
            JsonObject payload;
            try
            {
                string b64 = parts[1].Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
                payload = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64))) as JsonObject ?? throw new FormatException();
            }
            catch (Exception e) when (e is FormatException || e is System.Text.Json.JsonException)
            {
                return null;
            }
            return Of(payload);
        }

        /// <summary>
        /// The claims a target grants without a token (a local tenant's description of its built-in administrator's, a JWT
        /// payload as JSON), read as a token's would be.
        /// </summary>
        public static TokenClaims FromPayload(string json) =>
            Of(JsonNode.Parse(json) as JsonObject ?? throw new FormatException("Token claims are a JSON object."));

        private static TokenClaims Of(JsonObject payload)
        {
            string? S(string name) => payload[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            IReadOnlyList<string> Array(string name) => payload[name] is JsonArray a ? a.Select(x => (string)x!).ToList() : (IReadOnlyList<string>)new string[0];
            return new TokenClaims
            {
                TenantId = S("tid"),
                ObjectId = S("oid"),
                AppId = S("appid") ?? S("azp"),
                UserPrincipalName = S("upn") ?? S("preferred_username") ?? S("unique_name"),
                Scopes = (S("scp") ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries),
                Roles = Array("roles"),
                DirectoryRoles = Array("wids"),
                ExpiresOn = payload["exp"] is JsonValue exp && exp.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null,
            };
        }
    }
}
