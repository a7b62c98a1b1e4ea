using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The tokens the tenant issues. Graph access tokens are v1.0 tokens whatever the endpoint, because Graph asks for v1
    /// (learn.microsoft.com/entra/identity-platform/access-token-claims-reference): iss https://sts.windows.net/{tid}/, appid,
    /// idtyp, oid, roles (app-only) or scp (delegated), tid, ver "1.0". An API registered in the tenant gets the version its
    /// api.requestedAccessTokenVersion asks for (<see cref="TokenResource"/>): v2.0 tokens have iss {authority}/{tid}/v2.0,
    /// azp and ver "2.0". All are RS256 JWTs signed with the tenant's key. Each
    /// answer reads the clock once and passes the instant in, so its expires_on and its tokens' exp agree.
    /// </summary>
    internal sealed class TokenIssuer
    {
        public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);

        /// <summary>Entra's refresh tokens last 90 days (configurable-token-lifetimes "Refresh and session token lifetime").</summary>
        public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(90);

        public const string RefreshTokenType = "rt+jwt";

        public const string GraphAudience = "https://graph.microsoft.com";

        private readonly ITenantStore _store;

        public TokenIssuer(ITenantStore store) { _store = store; }

        /// <summary>The issuer of v1.0 tokens, which Graph checks.</summary>
        public static string StsIssuerOf(string tenantId) => $"https://sts.windows.net/{tenantId}/";

        private string StsIssuer => StsIssuerOf(_store.TenantId);

        private string AdministratorUserPrincipalName => BuiltInAdministrator.UserPrincipalName(_store.InitialDomain);

        public string Sign(JsonObject payload, string type = "JWT")
        {
            var header = new JsonObject { ["typ"] = type, ["alg"] = "RS256", ["kid"] = _store.SigningKey.KeyId };
            return Jwt.Create(header, payload, _store.SigningKey.Sign);
        }

        /// <summary>The registered claims every access token starts with.</summary>
        private static JsonObject Envelope(string audience, string issuer, DateTimeOffset now, TimeSpan lifetime) => new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = issuer,
            ["iat"] = Jwt.Seconds(now),
            ["nbf"] = Jwt.Seconds(now),
            ["exp"] = Jwt.Seconds(now + lifetime),
        };

        /// <summary>The issuer of v2.0 tokens: the authority that served the request, then the tenant (access-token-claims-reference, iss).</summary>
        private string V2Issuer(string authority) => $"{authority.TrimEnd('/')}/{_store.TenantId}/v2.0";

        /// <summary>
        /// An app-only token for <paramref name="sp"/>. roles are the values of the app roles (allowedMemberTypes "Application")
        /// it holds on the resource right now through app role assignments (a snapshot, as in Entra); none for Resource Manager.
        /// appidacr is "1" for a secret, "2" for a certificate or a managed identity. A v2.0 token (an API that asks for them)
        /// carries azp/azpacr instead of the v1.0-only appid/appidacr (access-token-claims-reference); Graph's v1.0 tokens also
        /// carry azp/azpacr when asked for at the v2.0 endpoint (<paramref name="v2Endpoint"/>), as before.
        /// </summary>
        public string MintAppToken(ServicePrincipalEntity sp, TokenResource resource, string appIdAcr, bool v2Endpoint, string? managedIdentityResourceId, DateTimeOffset now,
            string authority)
        {
            string appId = sp.AppId;
            bool v2 = resource.V2Token;
            var payload = Envelope(resource.Audience, v2 ? V2Issuer(authority) : StsIssuer, now, AccessTokenLifetime);
            payload["app_displayname"] = (string?)sp.Json["displayName"];
            if (!v2) { payload["appid"] = appId; payload["appidacr"] = appIdAcr; }
            if (v2 || v2Endpoint) { payload["azp"] = appId; payload["azpacr"] = appIdAcr; }
            if (!v2) payload["idp"] = StsIssuer;
            // idtyp is an optional claim an API asks for (optional-claims); Graph's and Resource Manager's tokens carry it.
            if (resource.Kind != TokenResourceKind.TenantApi || resource.WantsOptionalClaim("idtyp")) payload["idtyp"] = "app";
            payload["oid"] = sp.Id;
            var roles = resource.ServicePrincipal == null ? new List<string>() : RolesOf(sp.Id, resource.ServicePrincipal);
            if (roles.Count > 0) payload["roles"] = new JsonArray(roles.Select(r => (JsonNode?)r).ToArray());
            payload["sub"] = sp.Id;
            payload["tid"] = _store.TenantId;
            payload["uti"] = NewTokenId();
            payload["ver"] = v2 ? "2.0" : "1.0";
            if (managedIdentityResourceId != null) payload["xms_mirid"] = managedIdentityResourceId;
            return Sign(payload);
        }

        /// <summary>
        /// A delegated token for a user (the built-in administrator unless <paramref name="userId"/> names another) through
        /// <paramref name="clientAppId"/>; appidacr (azpacr) "0" for a public client, "1" when the client authenticated with a
        /// secret, "2" with a certificate. A v2.0 token leaves out the v1.0-only claims (acr, amr, appid, appidacr, unique_name)
        /// and names the user by preferred_username; wids lists the user's directory role template ids with the member-user
        /// role, as Entra writes it (access-token-claims-reference).
        /// </summary>
        public string MintUserToken(string clientAppId, string clientName, IEnumerable<string> scopes, TokenResource resource, bool v2Endpoint, DateTimeOffset now, TimeSpan lifetime,
            string authority, string? userId = null, string appIdAcr = "0") =>
            Sign(UserTokenClaims(clientAppId, clientName, scopes, resource, v2Endpoint, now, lifetime, authority, userId, appIdAcr));

        /// <summary>
        /// The payload <see cref="MintUserToken"/> signs. Alone it is what the tenant grants the user, said without a token
        /// (<see cref="LocalTenantEngine.AdminTokenClaims"/>), so no signing key is made for it.
        /// </summary>
        public JsonObject UserTokenClaims(string clientAppId, string clientName, IEnumerable<string> scopes, TokenResource resource, bool v2Endpoint, DateTimeOffset now, TimeSpan lifetime,
            string authority, string? userId = null, string appIdAcr = "0")
        {
            var user = _store.FindUser(userId ?? _store.AdministratorId);
            string oid = user?.Id ?? _store.AdministratorId;
            string upn = user?.UserPrincipalName ?? AdministratorUserPrincipalName;
            bool v2 = resource.V2Token;
            var payload = Envelope(resource.Audience, v2 ? V2Issuer(authority) : StsIssuer, now, lifetime);
            if (!v2)
            {
                payload["acct"] = 0;
                payload["acr"] = "1";
                payload["amr"] = new JsonArray("pwd");
            }
            payload["app_displayname"] = clientName;
            if (!v2) { payload["appid"] = clientAppId; payload["appidacr"] = appIdAcr; }
            if (v2 || v2Endpoint) { payload["azp"] = clientAppId; payload["azpacr"] = appIdAcr; }
            if (resource.Kind != TokenResourceKind.TenantApi || resource.WantsOptionalClaim("idtyp")) payload["idtyp"] = "user";
            payload["name"] = user?.DisplayName ?? BuiltInAdministrator.DisplayName;
            payload["oid"] = oid;
            if (v2) payload["preferred_username"] = upn;
            // An API's app roles assigned to the user (access-token-claims-reference, roles: "The set of permissions exposed by
            // the application that the requesting application or user has been given permission to call").
            var roles = UserRoles(oid, resource);
            if (roles.Count > 0) payload["roles"] = new JsonArray(roles.Select(r => (JsonNode?)r).ToArray());
            payload["scp"] = string.Join(" ", scopes);
            payload["sub"] = PairwiseSubject(clientAppId, oid);
            payload["tid"] = _store.TenantId;
            if (!v2)
            {
                payload["unique_name"] = upn;
                payload["upn"] = upn;
            }
            payload["uti"] = NewTokenId();
            payload["ver"] = v2 ? "2.0" : "1.0";
            if (resource.CarriesDirectoryRoles)
            {
                var wids = _store.RoleAssignmentsOf(oid).Select(r => r.RoleDefinitionId!.ToLowerInvariant()).Distinct().ToList();
                wids.Add(BuiltInAdministrator.MemberUserRoleId);
                payload["wids"] = new JsonArray(wids.Select(w => (JsonNode?)w).ToArray());
            }
            return payload;
        }

        /// <summary>The values of the resource's app roles the user is assigned to (not the default access role, which has no value).</summary>
        private List<string> UserRoles(string userId, TokenResource resource)
        {
            var sp = resource.ServicePrincipal;
            if (resource.Kind != TokenResourceKind.TenantApi || sp == null) return new List<string>();
            return _store.AssignmentsOf(userId).Where(a => Entity.SameKey(a.ResourceId, sp.Id))
                .Select(a => (string?)sp.AppRoles.FirstOrDefault(r => Entity.SameKey(Entity.TextOf(r?["id"]), a.AppRoleId))?["value"])
                .Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// The v2.0 ID token of a user sign-in (id-token-claims-reference); its issuer is the authority that served it. It carries
        /// the authorization request's <paramref name="nonce"/> ("nonce … The original nonce parameter from the request", for the
        /// client to check against replay) and, when it comes with a code from the authorization endpoint, c_hash (OpenID
        /// Connect Core 3.3.2.11: base64url of the left half of the code's SHA-256).
        /// </summary>
        public string MintIdToken(string clientAppId, string authority, DateTimeOffset now, string? nonce = null, string? code = null, string? userId = null)
        {
            var user = _store.FindUser(userId ?? _store.AdministratorId);
            string oid = user?.Id ?? _store.AdministratorId;
            var payload = Envelope(clientAppId, $"{authority}/{_store.TenantId}/v2.0", now, AccessTokenLifetime);
            if (code != null) payload["c_hash"] = LeftHalfHash(code);
            payload["name"] = user?.DisplayName ?? BuiltInAdministrator.DisplayName;
            if (nonce != null) payload["nonce"] = nonce;
            payload["oid"] = oid;
            payload["preferred_username"] = user?.UserPrincipalName ?? AdministratorUserPrincipalName;
            payload["sub"] = PairwiseSubject(clientAppId, oid);
            payload["tid"] = _store.TenantId;
            payload["uti"] = NewTokenId();
            payload["ver"] = "2.0";
            return Sign(payload);
        }

        /// <summary>
        /// A refresh token. Entra's are opaque; this one is a signed JWT (its own typ, audience the client) so it needs no server
        /// state and survives a reopen, and Graph refuses it as an access token (wrong audience).
        /// </summary>
        public string MintRefreshToken(string clientAppId, string scope, DateTimeOffset now, string? userId = null, string appIdAcr = "0")
        {
            var payload = Envelope(clientAppId, StsIssuer, now, RefreshTokenLifetime);
            payload["scope"] = scope;
            // How the client authenticated when the token was issued: "0", a public client, refreshes without a credential.
            payload["appidacr"] = appIdAcr;
            payload["sub"] = userId ?? _store.AdministratorId;
            payload["tid"] = _store.TenantId;
            payload["uti"] = NewTokenId();
            return Sign(payload, RefreshTokenType);
        }

        /// <summary>Whether <paramref name="token"/> is a refresh token this tenant issued to <paramref name="clientAppId"/> for one of its users (sub) who still exists.</summary>
        public bool IsOwnRefreshToken(string token, string clientAppId, out Jwt refreshToken)
        {
            var key = _store.SigningKey;
            return Jwt.TryParse(token, out refreshToken) && refreshToken.HeaderString("typ") == RefreshTokenType && refreshToken.HeaderString("kid") == key.KeyId &&
                key.Verify(refreshToken.SigningInput, refreshToken.Signature) && refreshToken.Claim("tid") == _store.TenantId &&
                _store.FindUser(refreshToken.Claim("sub") ?? "") != null && string.Equals(refreshToken.Claim("aud"), clientAppId, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// Whether <paramref name="token"/> is an access token this tenant signed for one of its users (a delegated token:
        /// it carries scp), not a refresh token; its lifetime is the caller's to check.
        /// </summary>
        public bool IsOwnUserAccessToken(string token, out Jwt accessToken)
        {
            var key = _store.SigningKey;
            return Jwt.TryParse(token, out accessToken) && accessToken.HeaderString("typ") != RefreshTokenType && accessToken.HeaderString("kid") == key.KeyId &&
                key.Verify(accessToken.SigningInput, accessToken.Signature) && accessToken.Claim("tid") == _store.TenantId && accessToken.Claim("scp") != null;
        }

        /// <summary>MSAL's client_info (client_info=1): the account's uid and utid, base64url JSON.</summary>
        public string ClientInfo(string? userId = null) =>
            Base64Url.Encode(new JsonObject { ["uid"] = userId ?? _store.AdministratorId, ["utid"] = _store.TenantId }.ToJsonString());

        /// <summary>A user's sub is pairwise: stable per user and client, different across clients.</summary>
        private string PairwiseSubject(string clientAppId, string? userId = null) =>
            Base64Url.Encode(Hashes.Sha256((userId ?? _store.AdministratorId) + "|" + clientAppId.ToLowerInvariant(), Encoding.UTF8));

        private static string LeftHalfHash(string value)
        {
            var hash = Hashes.Sha256(value, Encoding.ASCII);
            return Base64Url.Encode(hash.Take(hash.Length / 2).ToArray());
        }

        private static string NewTokenId()
        {
            var bytes = new byte[16];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return Base64Url.Encode(bytes);
        }

        /// <summary>
        /// The values of the resource's app roles for applications (allowedMemberTypes "Application") assigned to
        /// <paramref name="servicePrincipalId"/> (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto).
        /// </summary>
        private List<string> RolesOf(string servicePrincipalId, ServicePrincipalEntity resource)
        {
            var byId = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var r in resource.AppRoles)
            {
                if (r == null || (bool?)r["isEnabled"] == false || Entity.TextOf(r["value"]) is not string value) continue;
                if (!(r["allowedMemberTypes"]?.AsArray() ?? new JsonArray()).Any(t => Entity.TextOf(t) == "Application")) continue;
                byId[(string)r["id"]!] = value;
            }
            return _store.AssignmentsOf(servicePrincipalId)
                .Where(a => Entity.SameKey(a.ResourceId, resource.Id))
                .Select(a => a.AppRoleId != null && byId.TryGetValue(a.AppRoleId, out var value) ? value : null)
                .Where(v => v != null).Select(v => v!).Distinct().ToList();
        }
    }
}
