using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Authorization
{
    /// <summary>
    /// Graph's side of a request: the bearer token is validated (signature with the tenant's key, audience, issuer, lifetime)
    /// and becomes the caller. Failures are Graph's 401 InvalidAuthenticationToken with its messages as seen from the service.
    /// </summary>
    internal sealed class GraphAuthenticator
    {
        private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly RuntimeSettings _settings;

        public GraphAuthenticator(ITenantStore store, TenantClock clock, RuntimeSettings settings)
        {
            _store = store; _clock = clock; _settings = settings;
        }

        public Caller Authenticate(GraphRequest request)
        {
            string? header = request.Header("Authorization");
            if (string.IsNullOrWhiteSpace(header))
            {
                if (_settings.RequireAuthentication) throw Unauthenticated("Access token is empty.");
                return Caller.BuiltInAdmin(_store.AdministratorId);
            }
            string token = header!.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header.Substring(7).Trim() : "";
            if (token.Length == 0) throw Unauthenticated("Access token is empty.");
            // Anyone can build this one from the tenant id, so it stands for "no token": accepted only where no token is needed.
            if (!_settings.RequireAuthentication && IsLegacyAdminToken(token)) return Caller.BuiltInAdmin(_store.AdministratorId);

            if (!Jwt.TryParse(token, out var jwt)) throw Unauthenticated("CompactToken parsing failed with error code: 80049217");
            var key = _store.SigningKey;
            if (jwt.HeaderString("alg") != "RS256" || jwt.HeaderString("kid") != key.KeyId || !key.Verify(jwt.SigningInput, jwt.Signature))
                throw Unauthenticated("Signature is invalid.");
            if (ScopeRequest.GraphAudience(jwt.Claim("aud") ?? "", request.Uri.GetLeftPart(UriPartial.Authority)) == null) throw Unauthenticated("Access token validation failure. Invalid audience.");
            if (jwt.Claim("iss") != TokenIssuer.StsIssuerOf(_store.TenantId) || jwt.Claim("tid") != _store.TenantId)
                throw Unauthenticated("Access token validation failure. Invalid issuer.");
            var now = _clock.Now;
            if (!(jwt.Time("exp") > now)) throw Unauthenticated("Lifetime validation failed, the token is expired.");
            if (jwt.Time("nbf") is DateTimeOffset nbf && nbf > now + ClockSkew) throw Unauthenticated("Lifetime validation failed, the token is not yet valid.");

            string oid = jwt.Claim("oid") ?? throw Unauthenticated("Access token validation failure.");
            if (jwt.Claim("idtyp") == "user" || jwt.Claim("scp") != null)
            {
                var wids = jwt.Payload["wids"] is JsonArray w ? w.Select(r => Entity.TextOf(r)).Where(r => r != null).Select(r => r!) : Enumerable.Empty<string>();
                return Caller.User(oid, (jwt.Claim("scp") ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries), wids);
            }
            var roles = jwt.Payload["roles"] is JsonArray list ? list.Select(r => (string?)r).Where(r => r != null).Select(r => r!) : Enumerable.Empty<string>();
            return Caller.App(oid, roles);
        }

        /// <summary>
        /// What earlier releases' in-process admin credential sent (today it sends a token the tenant issued): "localtenant-admin.{tenant id}",
        /// or ".local" when it did not know the tenant. It is the built-in administrator where no token is needed, and no credential anywhere else.
        /// </summary>
        private bool IsLegacyAdminToken(string token) =>
            token == "localtenant-admin." + _store.TenantId || token == "localtenant-admin.local";

        /// <summary>Graph's 401 with the challenge it sends, naming the authority and Graph's appId.</summary>
        private static GraphException Unauthenticated(string message)
        {
            var e = new GraphException(401, "InvalidAuthenticationToken", message);
            e.Headers["WWW-Authenticate"] = $"Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"{PermissionCatalog.MicrosoftGraphAppId}\"";
            return e;
        }
    }
}
