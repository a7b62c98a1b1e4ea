using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant
{
    // The tokens the tenant issues. Graph access tokens are v1.0 tokens whatever the endpoint, because Graph asks for v1
    // (learn.microsoft.com/entra/identity-platform/access-token-claims-reference): iss https://sts.windows.net/{tid}/, appid,
    // idtyp, oid, roles (app-only) or scp (delegated), tid, ver "1.0". All are RS256 JWTs signed with the tenant's key. Each
    // answer reads the clock once and passes the instant in, so its expires_on and its tokens' exp agree.
    public sealed partial class LocalTenantEngine
    {
        private static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);

        /// <summary>Entra's refresh tokens last 90 days (configurable-token-lifetimes "Refresh and session token lifetime").</summary>
        private static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(90);

        /// <summary>The default member-user role template id, which Entra puts in every member's wids beside their admin roles.</summary>
        private const string MemberUserRoleId = "b79fbf4d-3ef9-4689-8143-76b194e85509";

        private const string RefreshTokenType = "rt+jwt";

        private const string GraphAudience = "https://graph.microsoft.com";

        private string StsIssuer => $"https://sts.windows.net/{_state.TenantId}/";

        private string Sign(JsonObject payload, string type = "JWT")
        {
            var header = new JsonObject { ["typ"] = type, ["alg"] = "RS256", ["kid"] = _state.SigningKey.KeyId };
            return Jwt.Create(header, payload, _state.SigningKey.Sign);
        }

        /// <summary>The registered claims every access token starts with.</summary>
        private JsonObject Envelope(string audience, string issuer, DateTimeOffset now, TimeSpan lifetime) => new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = issuer,
            ["iat"] = Jwt.Seconds(now),
            ["nbf"] = Jwt.Seconds(now),
            ["exp"] = Jwt.Seconds(now + lifetime),
        };

        /// <summary>
        /// An app-only token for <paramref name="sp"/>: roles are the values of the app role assignments it holds on Microsoft Graph
        /// right now (a snapshot, as in Entra). appidacr is "1" for a secret, "2" for a certificate or a managed identity.
        /// </summary>
        private string MintAppToken(JsonObject sp, string audience, string appIdAcr, bool v2, string? managedIdentityResourceId, DateTimeOffset now)
        {
            string appId = (string)sp["appId"]!;
            var payload = Envelope(audience, StsIssuer, now, AccessTokenLifetime);
            payload["app_displayname"] = (string?)sp["displayName"];
            payload["appid"] = appId;
            payload["appidacr"] = appIdAcr;
            if (v2) { payload["azp"] = appId; payload["azpacr"] = appIdAcr; }
            payload["idp"] = StsIssuer;
            payload["idtyp"] = "app";
            payload["oid"] = (string)sp["id"]!;
            var roles = GraphRolesOf((string)sp["id"]!);
            if (roles.Count > 0) payload["roles"] = new JsonArray(roles.Select(r => (JsonNode?)r).ToArray());
            payload["sub"] = (string)sp["id"]!;
            payload["tid"] = _state.TenantId;
            payload["uti"] = NewTokenId();
            payload["ver"] = "1.0";
            if (managedIdentityResourceId != null) payload["xms_mirid"] = managedIdentityResourceId;
            return Sign(payload);
        }

        /// <summary>A delegated token for the built-in administrator through <paramref name="clientAppId"/>; appidacr "0": a public client.</summary>
        private string MintUserToken(string clientAppId, string clientName, IEnumerable<string> scopes, string audience, bool v2, DateTimeOffset now, TimeSpan lifetime)
        {
            var payload = Envelope(audience, StsIssuer, now, lifetime);
            payload["acct"] = 0;
            payload["acr"] = "1";
            payload["amr"] = new JsonArray("pwd");
            payload["app_displayname"] = clientName;
            payload["appid"] = clientAppId;
            payload["appidacr"] = "0";
            if (v2) { payload["azp"] = clientAppId; payload["azpacr"] = "0"; }
            payload["idtyp"] = "user";
            payload["name"] = "Administrator";
            payload["oid"] = _state.AdministratorId;
            payload["scp"] = string.Join(" ", scopes);
            payload["sub"] = PairwiseSubject(clientAppId);
            payload["tid"] = _state.TenantId;
            payload["unique_name"] = AdministratorUserPrincipalName;
            payload["upn"] = AdministratorUserPrincipalName;
            payload["uti"] = NewTokenId();
            payload["ver"] = "1.0";
            payload["wids"] = new JsonArray(GlobalAdministratorRoleId, MemberUserRoleId);
            return Sign(payload);
        }

        /// <summary>The v2.0 ID token of a user sign-in (id-token-claims-reference); its issuer is the authority that served it.</summary>
        private string MintIdToken(string clientAppId, string authority, DateTimeOffset now)
        {
            var payload = Envelope(clientAppId, $"{authority}/{_state.TenantId}/v2.0", now, AccessTokenLifetime);
            payload["name"] = "Administrator";
            payload["oid"] = _state.AdministratorId;
            payload["preferred_username"] = AdministratorUserPrincipalName;
            payload["sub"] = PairwiseSubject(clientAppId);
            payload["tid"] = _state.TenantId;
            payload["uti"] = NewTokenId();
            payload["ver"] = "2.0";
            return Sign(payload);
        }

        /// <summary>
        /// A refresh token. Entra's are opaque; this one is a signed JWT (its own typ, audience the client) so it needs no server
        /// state and survives a reopen, and Graph refuses it as an access token (wrong audience).
        /// </summary>
        private string MintRefreshToken(string clientAppId, string scope, DateTimeOffset now)
        {
            var payload = Envelope(clientAppId, StsIssuer, now, RefreshTokenLifetime);
            payload["scope"] = scope;
            payload["sub"] = _state.AdministratorId;
            payload["tid"] = _state.TenantId;
            payload["uti"] = NewTokenId();
            return Sign(payload, RefreshTokenType);
        }

        /// <summary>MSAL's client_info (client_info=1): the account's uid and utid, base64url JSON.</summary>
        private string ClientInfo() =>
            Base64Url.Encode(new JsonObject { ["uid"] = _state.AdministratorId, ["utid"] = _state.TenantId }.ToJsonString());

        /// <summary>A user's sub is pairwise: stable per user and client, different across clients.</summary>
        private string PairwiseSubject(string clientAppId)
        {
            using var sha = SHA256.Create();
            return Base64Url.Encode(sha.ComputeHash(Encoding.UTF8.GetBytes(_state.AdministratorId + "|" + clientAppId.ToLowerInvariant())));
        }

        private static string NewTokenId()
        {
            var bytes = new byte[16];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return Base64Url.Encode(bytes);
        }

        /// <summary>The values of the Microsoft Graph app roles assigned to <paramref name="servicePrincipalId"/> (graph-ground-truth §0.8).</summary>
        private List<string> GraphRolesOf(string servicePrincipalId)
        {
            var graphSp = _state.ServicePrincipals.Find(_state.MicrosoftGraphServicePrincipalId)!;
            var byId = graphSp["appRoles"]!.AsArray().ToDictionary(r => ((string)r!["id"]!).ToLowerInvariant(), r => (string)r!["value"]!);
            return _state.Assignments.All
                .Where(a => Eq(a["principalId"], servicePrincipalId) && Eq(a["resourceId"], _state.MicrosoftGraphServicePrincipalId))
                .Select(a => byId.TryGetValue(((string)a["appRoleId"]!).ToLowerInvariant(), out var value) ? value : null)
                .Where(v => v != null).Select(v => v!).Distinct().ToList();
        }

        /// <summary>
        /// The Microsoft Graph scopes <paramref name="clientServicePrincipalId"/> holds for the built-in administrator: its
        /// AllPrincipals grants and the administrator's own Principal grants (graph-ground-truth §0.9).
        /// </summary>
        private List<string> GraphScopesGrantedTo(string clientServicePrincipalId)
        {
            var scopes = new List<string>();
            foreach (var g in _state.Grants.All)
            {
                if (!Eq(g["clientId"], clientServicePrincipalId) || !Eq(g["resourceId"], _state.MicrosoftGraphServicePrincipalId)) continue;
                if ((string?)g["consentType"] != "AllPrincipals" && !Eq(g["principalId"], _state.AdministratorId)) continue;
                foreach (var s in ((string?)g["scope"] ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                    if (!scopes.Contains(s, StringComparer.OrdinalIgnoreCase)) scopes.Add(s);
            }
            return scopes;
        }

        /// <summary>Graph's spelling of a delegated permission, or null when Graph has none by that name.</summary>
        private string? GraphScopeValue(string name)
        {
            var graphSp = _state.ServicePrincipals.Find(_state.MicrosoftGraphServicePrincipalId)!;
            var scope = graphSp["oauth2PermissionScopes"]!.AsArray().FirstOrDefault(s => Eq(s!["value"], name) && (bool?)s["isEnabled"] != false);
            return (string?)scope?["value"];
        }
    }
}
