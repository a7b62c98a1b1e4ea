using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant
{
    // The token endpoints /{tenant}/oauth2/v2.0/token and /{tenant}/oauth2/token (v1: resource= instead of scope=) and the
    // device authorization endpoint. Grants: client_credentials with a secret or a certificate assertion
    // (v2-oauth2-client-creds-grant-flow), device_code (v2-oauth2-device-code) with the built-in administrator as the user
    // who signs in, and refresh_token (v2-oauth2-auth-code-flow "Refresh the access token").
    public sealed partial class LocalTenantEngine
    {
        private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

        /// <summary>How much earlier than the interval a poll may come and still count as after it (timer and clock granularity).</summary>
        private static readonly TimeSpan PollTimerSlack = TimeSpan.FromMilliseconds(100);

        /// <summary>Entra's device codes live 15 minutes (expires_in 900).</summary>
        private static readonly TimeSpan DeviceCodeLifetime = TimeSpan.FromMinutes(15);

        /// <summary>expires_in: Entra reports one second less than the token's lifetime.</summary>
        private static int ExpiresIn => (int)AccessTokenLifetime.TotalSeconds - 1;

        /// <summary>Device authorizations waiting to be redeemed, by device_code. Short-lived, so kept in memory only.</summary>
        private readonly Dictionary<string, PendingDeviceCode> _deviceCodes = new Dictionary<string, PendingDeviceCode>(StringComparer.Ordinal);

        private sealed class PendingDeviceCode
        {
            public PendingDeviceCode(string clientId, ScopeRequest scopes, DateTimeOffset issued, int interval)
            {
                ClientId = clientId; Scopes = scopes; Issued = issued; Interval = interval;
            }

            public string ClientId { get; }
            public ScopeRequest Scopes { get; }
            public DateTimeOffset Issued { get; }
            public int Interval { get; }
            public DateTimeOffset Expires => Issued + DeviceCodeLifetime;

            /// <summary>
            /// When the simulated administrator has signed in: one interval after the code was issued, so the poll a client makes
            /// after waiting the interval succeeds. Its timer may end a little before the tenant's clock agrees, hence the slack.
            /// </summary>
            public DateTimeOffset SignedIn => Issued + TimeSpan.FromSeconds(Interval) - PollTimerSlack;
        }

        /// <summary>The client of a user flow: an application registered here, or a Microsoft first-party public client.</summary>
        private sealed class UserClient
        {
            public UserClient(string appId, string displayName, JsonObject? application, bool isPublic)
            {
                AppId = appId; DisplayName = displayName; Application = application; IsPublic = isPublic;
            }

            public string AppId { get; }
            public string DisplayName { get; }
            public JsonObject? Application { get; }

            /// <summary>Device code and refresh need a public client: "Allow public client flows" (isFallbackPublicClient) on the app.</summary>
            public bool IsPublic { get; }
        }

        private GraphResponse Token(GraphRequest request, IdentityRoute route)
        {
            if (request.Method != "POST") throw AadstsException.PostOnly(request.Method);
            var tenant = ResolveTenant(route.Tenant);
            var form = ReadForm(request);
            string grantType = Param(form, "grant_type") ?? throw AadstsException.MissingParameter("grant_type");
            switch (grantType)
            {
                case "client_credentials": return ClientCredentials(route, tenant, form, request);
                case "device_code":
                case DeviceCodeGrant: return RedeemDeviceCode(request, route, tenant, form);
                case "refresh_token": return Refresh(request, route, tenant, form);
                default: throw AadstsException.UnsupportedGrant(grantType);
            }
        }

        // ----- Client credentials -----

        private GraphResponse ClientCredentials(IdentityRoute route, TenantPath tenant, Dictionary<string, string> form, GraphRequest request)
        {
            if (tenant != TenantPath.Tenant) throw AadstsException.NoTenant();
            var basic = BasicCredentials(request);
            string clientId = basic?.Id ?? Param(form, "client_id") ?? throw AadstsException.MissingParameter("client_id");
            var scopes = route.IsV1
                ? ScopeRequest.FromResource(Param(form, "resource") ?? throw AadstsException.MissingParameter("resource"), _state.DisplayName)
                : ScopeRequest.ForClientCredentials(Param(form, "scope") ?? throw AadstsException.MissingParameter("scope"), _state.DisplayName);
            var app = VisibleApplication(clientId) ?? throw AadstsException.UnknownClient(clientId, _state.DisplayName);

            string appIdAcr;
            string? secret = basic?.Secret ?? Param(form, "client_secret");
            string? assertion = Param(form, "client_assertion");
            if (secret != null)
            {
                CheckClientSecret(app, secret);
                appIdAcr = "1";
            }
            else if (assertion != null)
            {
                if (Param(form, "client_assertion_type") != ClientAssertion.AssertionType) throw AadstsException.MissingParameter("client_assertion_type");
                ClientAssertion.Validate(assertion, (string)app["appId"]!, app, IsOwnTokenEndpoint, Now);
                appIdAcr = "2";
            }
            else throw AadstsException.MissingCredential();

            // An application signs in to a tenant through its service principal there (app-objects-and-service-principals).
            var sp = _state.ServicePrincipals.Visible(Now).FirstOrDefault(s => Eq(s["appId"], clientId))
                ?? throw AadstsException.MissingServicePrincipal(clientId, _state.TenantId);
            if ((bool?)sp["accountEnabled"] == false) throw AadstsException.DisabledApplication(clientId, (string?)sp["displayName"] ?? "");

            var now = Now;
            string accessToken = MintAppToken(sp, scopes.Audience, appIdAcr, !route.IsV1, null, now);
            return route.IsV1
                ? OAuthJson(200, V1Body(accessToken, Param(form, "resource")!, null, now))
                : OAuthJson(200, new JsonObject
                {
                    ["token_type"] = "Bearer",
                    ["scope"] = scopes.Raw,
                    ["expires_in"] = ExpiresIn,
                    ["ext_expires_in"] = ExpiresIn,
                    ["access_token"] = accessToken,
                });
        }

        /// <summary>v1 answers numbers as strings and adds expires_on, not_before and resource (v1-oauth2-client-creds-grant-flow).</summary>
        private JsonObject V1Body(string accessToken, string resource, string? scope, DateTimeOffset now)
        {
            var body = new JsonObject { ["token_type"] = "Bearer" };
            if (scope != null) body["scope"] = scope;
            body["expires_in"] = ExpiresIn.ToString(CultureInfo.InvariantCulture);
            body["ext_expires_in"] = ExpiresIn.ToString(CultureInfo.InvariantCulture);
            body["expires_on"] = Jwt.Seconds(now + AccessTokenLifetime).ToString(CultureInfo.InvariantCulture);
            body["not_before"] = Jwt.Seconds(now).ToString(CultureInfo.InvariantCulture);
            body["resource"] = resource;
            body["access_token"] = accessToken;
            return body;
        }

        private JsonObject? VisibleApplication(string appId) => _state.Applications.Visible(Now).FirstOrDefault(a => Eq(a["appId"], appId));

        /// <summary>client_secret_basic (RFC 6749 §2.3.1): Authorization: Basic base64(urlencode(id) ":" urlencode(secret)).</summary>
        private static (string Id, string Secret)? BasicCredentials(GraphRequest request)
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

        private enum SecretCheck { Valid, Expired, Invalid }

        /// <summary>Compares against the stored salted hashes; a secret that matches only an expired credential is expired, not wrong.</summary>
        private SecretCheck CheckSecret(JsonObject app, string secret)
        {
            var now = Now;
            bool expired = false;
            foreach (var cred in app["passwordCredentials"]!.AsArray())
            {
                if (!_state.Secrets.TryGetValue((string)cred!["keyId"]!, out var stored) || !stored.Matches(secret)) continue;
                var start = DateTimeOffset.Parse((string)cred["startDateTime"]!, CultureInfo.InvariantCulture);
                var end = DateTimeOffset.Parse((string)cred["endDateTime"]!, CultureInfo.InvariantCulture);
                if (now >= end) expired = true;
                else if (now >= start) return SecretCheck.Valid;
            }
            return expired ? SecretCheck.Expired : SecretCheck.Invalid;
        }

        private void CheckClientSecret(JsonObject app, string secret)
        {
            switch (CheckSecret(app, secret))
            {
                case SecretCheck.Valid: return;
                case SecretCheck.Expired: throw AadstsException.ExpiredSecret((string)app["appId"]!);
                default: throw AadstsException.InvalidSecret((string)app["appId"]!);
            }
        }

        /// <summary>A client assertion's aud: this tenant's token endpoint (v2 or v1) or issuer, by tenant id or domain, on any host.</summary>
        private bool IsOwnTokenEndpoint(string audience)
        {
            if (!Uri.TryCreate(audience, UriKind.Absolute, out var uri)) return false;
            var segments = uri.AbsolutePath.Trim('/').Split('/');
            if (segments.Length == 0 || !IsThisTenant(segments[0])) return false;
            string rest = string.Join("/", segments.Skip(1));
            return rest == "oauth2/v2.0/token" || rest == "oauth2/token" || rest == "v2.0" || rest.Length == 0;
        }

        private bool IsThisTenant(string segment)
        {
            try { return ResolveTenant(segment) == TenantPath.Tenant; }
            catch (AadstsException) { return false; }
        }

        // ----- Device code (v2-oauth2-device-code) -----

        private GraphResponse DeviceCode(GraphRequest request, IdentityRoute route)
        {
            if (request.Method != "POST") throw AadstsException.PostOnly(request.Method);
            var tenant = ResolveTenant(route.Tenant);
            var form = ReadForm(request);
            string clientId = Param(form, "client_id") ?? throw AadstsException.MissingParameter("client_id");
            string scope = Param(form, "scope") ?? throw AadstsException.MissingParameter("scope");
            UserClientOf(clientId, tenant);
            var scopes = ScopeRequest.ForUser(scope, GraphScopeValue, _state.DisplayName);

            foreach (var stale in _deviceCodes.Where(kv => Now >= kv.Value.Expires).Select(kv => kv.Key).ToList()) _deviceCodes.Remove(stale);
            string deviceCode = NewOpaqueId();
            string userCode = NewUserCode();
            _deviceCodes[deviceCode] = new PendingDeviceCode(clientId, scopes, Now, DeviceCodeIntervalSeconds);
            const string verificationUri = "https://microsoft.com/devicelogin";
            return OAuthJson(200, new JsonObject
            {
                ["user_code"] = userCode,
                ["device_code"] = deviceCode,
                ["verification_uri"] = verificationUri,
                ["expires_in"] = (int)DeviceCodeLifetime.TotalSeconds,
                ["interval"] = DeviceCodeIntervalSeconds,
                ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {userCode} to authenticate." +
                    $" (Local tenant: the built-in administrator {AdministratorUserPrincipalName} signs in by itself; there is nothing to enter.)",
            });
        }

        /// <summary>Entra's user codes: 9 letters and digits, without look-alikes.</summary>
        private static string NewUserCode()
        {
            const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            var bytes = new byte[9];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return new string(bytes.Select(b => alphabet[b % alphabet.Length]).ToArray());
        }

        /// <summary>
        /// Polling: authorization_pending until the interval has passed since the code was issued, then the built-in
        /// administrator is signed in (and consents, see <see cref="ConsentedScopes"/>) and the code is spent.
        /// </summary>
        private GraphResponse RedeemDeviceCode(GraphRequest request, IdentityRoute route, TenantPath tenant, Dictionary<string, string> form)
        {
            string clientId = Param(form, "client_id") ?? throw AadstsException.MissingParameter("client_id");
            string code = Param(form, "device_code") ?? Param(form, "code") ?? throw AadstsException.MissingParameter("device_code");
            if (!_deviceCodes.TryGetValue(code, out var pending) || !string.Equals(pending.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
                throw AadstsException.InvalidGrant();
            if (Now >= pending.Expires)
            {
                _deviceCodes.Remove(code);
                throw AadstsException.DeviceCodeExpired();
            }
            var client = UserClientOf(clientId, tenant);
            if (!client.IsPublic) throw AadstsException.MissingCredential();
            if (Now < pending.SignedIn) throw AadstsException.AuthorizationPending();
            _deviceCodes.Remove(code);
            var granted = ConsentedScopes(client, pending.Scopes, consent: true);
            return UserTokenResponse(request, route, client, pending.Scopes, granted, form);
        }

        // ----- Refresh -----

        private GraphResponse Refresh(GraphRequest request, IdentityRoute route, TenantPath tenant, Dictionary<string, string> form)
        {
            string clientId = Param(form, "client_id") ?? throw AadstsException.MissingParameter("client_id");
            string token = Param(form, "refresh_token") ?? throw AadstsException.MissingParameter("refresh_token");
            var key = _state.SigningKey;
            if (!Jwt.TryParse(token, out var rt) || rt.HeaderString("typ") != RefreshTokenType || rt.HeaderString("kid") != key.KeyId ||
                !key.Verify(rt.SigningInput, rt.Signature) || rt.Claim("tid") != _state.TenantId || rt.Claim("sub") != _state.AdministratorId ||
                !string.Equals(rt.Claim("aud"), clientId, StringComparison.OrdinalIgnoreCase))
                throw AadstsException.InvalidGrant();
            if (!(rt.Time("exp") > Now)) throw AadstsException.RefreshTokenExpired(rt.Time("iat") ?? Now);
            var client = UserClientOf(clientId, tenant);
            if (!client.IsPublic) throw AadstsException.MissingCredential();
            var scopes = route.IsV1
                ? ScopeRequest.FromResource(Param(form, "resource") ?? throw AadstsException.MissingParameter("resource"), _state.DisplayName)
                : ScopeRequest.ForUser(Param(form, "scope") ?? rt.Claim("scope") ?? throw AadstsException.MissingParameter("scope"), GraphScopeValue, _state.DisplayName);
            // A refresh reflects today's consent, and cannot add to it: that needs the user.
            var granted = ConsentedScopes(client, scopes, consent: false);
            return UserTokenResponse(request, route, client, scopes, granted, form);
        }

        // ----- The signed-in user's client and consent -----

        private UserClient UserClientOf(string clientId, TenantPath tenant)
        {
            var app = VisibleApplication(clientId);
            if (app != null)
            {
                string name = (string?)app["displayName"] ?? "";
                // Single-tenant apps cannot use the multi-tenant aliases (Entra's AADSTS50194).
                if (tenant != TenantPath.Tenant && (string?)app["signInAudience"] == "AzureADMyOrg") throw AadstsException.NotMultiTenant(clientId, name);
                return new UserClient(clientId, name, app, (bool?)app["isFallbackPublicClient"] == true);
            }
            string firstParty = WellKnownClients.DisplayName(clientId) ?? throw AadstsException.UnknownClient(clientId, _state.DisplayName);
            return new UserClient(clientId, firstParty, null, true);
        }

        /// <summary>
        /// The Graph scopes the token carries: every scope the client holds for the administrator (AllPrincipals grants and the
        /// administrator's Principal grant). At sign-in (<paramref name="consent"/>) the administrator, a Global Administrator,
        /// consents to what is asked and not yet granted, as a real admin accepting the consent prompt would: named scopes; for
        /// ".default" the app's static Graph permissions (requiredResourceAccess); for a Microsoft first-party tool with nothing
        /// granted yet, <see cref="AdminScopes"/> (what a first Connect-MgGraph -Scopes would ask for). Consent creates the client's
        /// service principal if needed and a Principal oauth2PermissionGrant, both real objects of the tenant.
        /// </summary>
        private List<string> ConsentedScopes(UserClient client, ScopeRequest scopes, bool consent)
        {
            var sp = _state.ServicePrincipals.All.FirstOrDefault(s => Eq(s["appId"], client.AppId));
            if (sp != null && (bool?)sp["accountEnabled"] == false) throw AadstsException.DisabledApplication(client.AppId, client.DisplayName);
            var granted = sp == null ? new List<string>() : GraphScopesGrantedTo((string)sp["id"]!);
            List<string> wanted;
            if (!scopes.IsDefault) wanted = scopes.Permissions.ToList();
            else if (client.Application != null) wanted = StaticGraphScopes(client.Application);
            else wanted = granted.Count == 0 ? AdminScopes.ToList() : new List<string>();
            var missing = wanted.Where(w => !granted.Contains(w, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                if (!consent) throw AadstsException.ConsentRequired(client.AppId, client.DisplayName);
                sp ??= ServicePrincipalForConsent(client);
                GrantToAdministrator((string)sp["id"]!, missing);
                granted.AddRange(missing);
                Persist();
            }
            if (granted.Count == 0) throw AadstsException.ConsentRequired(client.AppId, client.DisplayName);
            return granted;
        }

        /// <summary>The delegated Graph permissions an app asks for statically (requiredResourceAccess, type Scope), by value.</summary>
        private List<string> StaticGraphScopes(JsonObject app)
        {
            var graphSp = _state.ServicePrincipals.Find(_state.MicrosoftGraphServicePrincipalId)!;
            var values = new List<string>();
            foreach (var rra in app["requiredResourceAccess"]!.AsArray())
            {
                if (!Eq(rra!["resourceAppId"], PermissionCatalog.MicrosoftGraphAppId)) continue;
                foreach (var access in rra["resourceAccess"]!.AsArray())
                {
                    if ((string?)access!["type"] != "Scope") continue;
                    var scope = graphSp["oauth2PermissionScopes"]!.AsArray().FirstOrDefault(s => Eq(s!["id"], (string)access["id"]!));
                    if (scope != null && !values.Contains((string)scope["value"]!)) values.Add((string)scope["value"]!);
                }
            }
            return values;
        }

        /// <summary>Consent gives the client a service principal in the tenant when it has none (app-objects-and-service-principals).</summary>
        private JsonObject ServicePrincipalForConsent(UserClient client)
        {
            if (client.Application != null)
                return CreateServicePrincipal(new JsonObject { ["appId"] = client.AppId }, null, Caller.BuiltInAdmin(_state.AdministratorId));
            var sp = ServicePrincipalDefaults.New(Schema);
            sp["id"] = Guid.NewGuid().ToString();
            sp["appDisplayName"] = client.DisplayName;
            sp["appId"] = client.AppId;
            sp["appOwnerOrganizationId"] = PermissionCatalog.MicrosoftServicesTenantId;
            sp["displayName"] = client.DisplayName;
            sp["servicePrincipalNames"] = new JsonArray(client.AppId);
            sp["servicePrincipalType"] = "Application";
            sp["signInAudience"] = "AzureADMultipleOrgs";
            _state.ServicePrincipals.Add(sp, DateTimeOffset.MinValue);
            return sp;
        }

        /// <summary>Adds scopes to the administrator's Principal grant for the client on Graph, creating it if needed (graph-ground-truth §0.9).</summary>
        private void GrantToAdministrator(string clientServicePrincipalId, IEnumerable<string> scopes)
        {
            var grant = _state.Grants.All.FirstOrDefault(g => Eq(g["clientId"], clientServicePrincipalId) &&
                Eq(g["resourceId"], _state.MicrosoftGraphServicePrincipalId) && (string?)g["consentType"] == "Principal" && Eq(g["principalId"], _state.AdministratorId));
            if (grant != null)
            {
                var existing = ((string?)grant["scope"] ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                grant["scope"] = string.Join(" ", existing.Concat(scopes.Where(s => !existing.Contains(s, StringComparer.OrdinalIgnoreCase))));
                return;
            }
            _state.Grants.Add(new JsonObject
            {
                ["clientId"] = clientServicePrincipalId,
                ["consentType"] = "Principal",
                ["id"] = NewOpaqueId(),
                ["principalId"] = _state.AdministratorId,
                ["resourceId"] = _state.MicrosoftGraphServicePrincipalId,
                ["scope"] = string.Join(" ", scopes),
            }, DateTimeOffset.MinValue);
        }

        /// <summary>
        /// A user flow's answer: the access token, the granted scopes, a refresh token (offline_access, and always on v1), an ID
        /// token (openid) and client_info when MSAL asks for it (client_info=1).
        /// </summary>
        private GraphResponse UserTokenResponse(GraphRequest request, IdentityRoute route, UserClient client, ScopeRequest scopes, List<string> granted, Dictionary<string, string> form)
        {
            var now = Now;
            string accessToken = MintUserToken(client.AppId, client.DisplayName, granted, scopes.Audience, !route.IsV1, now, AccessTokenLifetime);
            JsonObject body;
            if (route.IsV1) body = V1Body(accessToken, Param(form, "resource") ?? scopes.Audience, string.Join(" ", granted), now);
            else
            {
                body = new JsonObject
                {
                    ["token_type"] = "Bearer",
                    ["scope"] = scopes.Answer(granted),
                    ["expires_in"] = ExpiresIn,
                    ["ext_expires_in"] = ExpiresIn,
                    ["access_token"] = accessToken,
                };
            }
            if (route.IsV1 || scopes.Oidc.Contains("offline_access")) body["refresh_token"] = MintRefreshToken(client.AppId, scopes.Raw, now);
            if (!route.IsV1 && scopes.Oidc.Contains("openid")) body["id_token"] = MintIdToken(client.AppId, Authority(request), now);
            if (Param(form, "client_info") == "1") body["client_info"] = ClientInfo();
            return OAuthJson(200, body);
        }
    }
}
