using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Device code sign-in (v2-oauth2-device-code) through the real DeviceCodeCredential and raw requests: the local tenant
    /// signs its built-in administrator in on the first poll after the interval (1 s here); scp comes from the client's real
    /// oauth2PermissionGrants, which the administrator's consent at sign-in creates when needed; refresh tokens.
    /// </summary>
    public sealed class DeviceCodeTests : IDisposable
    {
        private const string GraphCommandLineTools = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

        private readonly IdentityKit _kit = new IdentityKit();
        private readonly List<string> _requests = new List<string>();

        public void Dispose() => _kit.Dispose();

        /// <summary>Records each identity request's grant type (or path) on its way to the tenant.</summary>
        private sealed class Recorder : DelegatingHandler
        {
            private readonly List<string> _log;

            public Recorder(HttpMessageHandler inner, List<string> log) : base(inner) { _log = log; }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                string body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
                var grant = body.Split('&').FirstOrDefault(p => p.StartsWith("grant_type=", StringComparison.Ordinal));
                lock (_log) _log.Add(grant ?? request.RequestUri!.AbsolutePath);
                return await base.SendAsync(request, cancellationToken);
            }
        }

        private DeviceCodeCredential Credential(string clientId, string tenant, List<string>? messages = null) =>
            new DeviceCodeCredential(new DeviceCodeCredentialOptions
            {
                TenantId = tenant,
                ClientId = clientId,
                DisableInstanceDiscovery = true,
                AuthorityHost = new Uri("https://login.microsoftonline.com/"),
                Transport = new HttpClientTransport(new HttpClient(new Recorder(_kit.Tenant.CreateHandler(), _requests))),
                DeviceCodeCallback = (info, ct) =>
                {
                    messages?.Add(info.Message);
                    return Task.CompletedTask;
                },
            });

        private async Task<string> GraphSpIdAsync() => await _kit.GraphSpIdAsync();

        private async Task<List<JsonObject>> GrantsOfAsync(string clientSpId) =>
            Items(Ok(await _kit.Admin.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{clientSpId}'")));

        [Fact]
        public async Task DeviceCodeCredential_signs_in_the_built_in_admin_after_the_interval()
        {
            var messages = new List<string>();
            var watch = Stopwatch.StartNew();
            string token = await IdentityKit.TokenAsync(Credential(GraphCommandLineTools, "organizations", messages));
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"signed in after {watch.Elapsed}, before the 1 s interval");

            string message = Assert.Single(messages);
            Assert.StartsWith("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ", message);
            // MSAL asks for a code, polls at once, is told to wait, and gets the token on a poll after the interval.
            Assert.Equal("/organizations/oauth2/v2.0/devicecode", _requests[0]);
            Assert.True(_requests.Count >= 3, string.Join(", ", _requests));
            Assert.All(_requests.Skip(1), r => Assert.Equal("grant_type=device_code", r));

            var claims = IdentityKit.Claims(token);
            Assert.Equal("user", (string?)claims["idtyp"]);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)claims["oid"]);
            Assert.Equal("admin@contoso.onmicrosoft.com", (string?)claims["upn"]);
            Assert.Equal(_kit.Tenant.TenantId, (string?)claims["tid"]);
            Assert.Equal(GraphCommandLineTools, (string?)claims["appid"]);
            Assert.Equal("0", (string?)claims["appidacr"]); // a public client
            Assert.Contains(Tenant.GlobalAdministratorRoleId, Strings(claims["wids"]));
            Assert.Null(claims["roles"]);
            Assert.Equal(Tenant.AdminScopes, IdentityKit.Scopes(token));
            Assert.True(await _kit.SignatureVerifiesAsync(token));

            // The consent is real: Microsoft Graph Command Line Tools now has a service principal and a Principal grant for the admin.
            var sp = Ok(await _kit.Admin.GetAsync($"/servicePrincipals(appId='{GraphCommandLineTools}')"));
            Assert.Equal("Microsoft Graph Command Line Tools", (string?)sp["displayName"]);
            IdentityKit.Conforms("servicePrincipal", sp);
            var grant = Assert.Single(await GrantsOfAsync((string)sp["id"]!));
            IdentityKit.Conforms("oAuth2PermissionGrant", grant);
            Assert.Equal("Principal", (string?)grant["consentType"]);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)grant["principalId"]);
            Assert.Equal(await GraphSpIdAsync(), (string?)grant["resourceId"]);
            Assert.Equal(string.Join(" ", Tenant.AdminScopes), (string?)grant["scope"]);

            // With those scopes the admin manages app registrations through Graph.
            Ok(await _kit.GraphAsync("POST", "/applications", token, new { displayName = "made-by-device-code", signInAudience = "AzureADMyOrg" }), 201);
        }

        [Fact]
        public async Task Scp_is_what_the_client_has_been_granted()
        {
            // A public client registered in the tenant, consented by the admin for two Graph scopes (learn.microsoft.com/graph/api/oauth2permissiongrant-post).
            var app = await _kit.CreateAppAsync(extra: new JsonObject { ["isFallbackPublicClient"] = true });
            var sp = await _kit.CreateSpAsync((string)app["appId"]!);
            Ok(await _kit.Admin.PostAsync("/oauth2PermissionGrants", new
            {
                clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = await GraphSpIdAsync(), scope = "User.Read Application.Read.All",
            }), 201);

            string token = await IdentityKit.TokenAsync(Credential((string)app["appId"]!, _kit.Tenant.TenantId));
            Assert.Equal(new[] { "User.Read", "Application.Read.All" }, IdentityKit.Scopes(token));
            Assert.Single(await GrantsOfAsync((string)sp["id"]!)); // nothing new to consent to

            Ok(await _kit.GraphAsync("GET", "/applications", token));
            Error(await _kit.GraphAsync("POST", "/applications", token, new { displayName = "no", signInAudience = "AzureADMyOrg" }), 403, "Authorization_RequestDenied");
        }

        [Fact]
        public async Task Named_scopes_are_consented_at_sign_in_and_default_means_the_static_permissions()
        {
            // requiredResourceAccess asks for User.Read statically (learn.microsoft.com/graph/permissions-reference: e1fe6dd8-…).
            var app = await _kit.CreateAppAsync(extra: new JsonObject
            {
                ["isFallbackPublicClient"] = true,
                ["requiredResourceAccess"] = new JsonArray(new JsonObject
                {
                    ["resourceAppId"] = FrontDoor.MicrosoftGraphAppId,
                    ["resourceAccess"] = new JsonArray(new JsonObject { ["id"] = "e1fe6dd8-ba31-4d61-89e7-88639da4683d", ["type"] = "Scope" }),
                }),
            });
            string appId = (string)app["appId"]!;
            string first = await IdentityKit.TokenAsync(Credential(appId, _kit.Tenant.TenantId));
            Assert.Equal(new[] { "User.Read" }, IdentityKit.Scopes(first));

            string second = await IdentityKit.TokenAsync(Credential(appId, _kit.Tenant.TenantId), "https://graph.microsoft.com/Application.Read.All");
            Assert.Equal(new[] { "User.Read", "Application.Read.All" }, IdentityKit.Scopes(second));

            // Consent created the app's service principal and one Principal grant holding both.
            var sp = Ok(await _kit.Admin.GetAsync($"/servicePrincipals(appId='{appId}')"));
            var grant = Assert.Single(await GrantsOfAsync((string)sp["id"]!));
            Assert.Equal("User.Read Application.Read.All", (string?)grant["scope"]);
        }

        [Fact]
        public async Task MSAL_reuses_the_cached_token_and_redeems_the_refresh_token_when_it_must()
        {
            var credential = Credential(GraphCommandLineTools, _kit.Tenant.TenantId);
            string first = await IdentityKit.TokenAsync(credential);
            int afterSignIn = _requests.Count;
            Assert.Equal(first, await IdentityKit.TokenAsync(credential)); // the answer's scope lets MSAL find it in its cache
            Assert.Equal(afterSignIn, _requests.Count);

            // A claims challenge makes MSAL skip its cached access token and use the refresh token (no new sign-in).
            var refreshed = await credential.GetTokenAsync(new TokenRequestContext(new[] { IdentityKit.GraphScope },
                claims: "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1\"}}}"), default);
            Assert.Equal("grant_type=refresh_token", _requests.Last());
            Assert.NotEqual(first, refreshed.Token);
            Assert.Equal(IdentityKit.Scopes(first), IdentityKit.Scopes(refreshed.Token));
        }

        // ----- The protocol, request by request -----

        private string Root => $"/{_kit.Tenant.TenantId}/oauth2/v2.0";

        private async Task<JsonObject> StartAsync(string clientId, string scope = "https://graph.microsoft.com/.default offline_access openid profile")
        {
            var (status, json, _) = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", clientId), ("scope", scope));
            Assert.True(status == 200, json.ToJsonString());
            return json;
        }

        private Task<(int Status, JsonObject Json, HttpResponseMessage Response)> PollAsync(string clientId, string deviceCode) =>
            _kit.PostFormAsync(Root + "/token", ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", clientId),
                ("device_code", deviceCode), ("client_info", "1"));

        [Fact]
        public async Task The_device_authorization_answer_and_the_pending_poll_have_Entra_shape()
        {
            var start = await StartAsync(GraphCommandLineTools);
            Assert.Equal(new[] { "user_code", "device_code", "verification_uri", "expires_in", "interval", "message" }, start.Select(kv => kv.Key));
            Assert.Matches("^[A-Z0-9]{9}$", (string?)start["user_code"]);
            Assert.Equal("https://microsoft.com/devicelogin", (string?)start["verification_uri"]);
            Assert.Equal(900, (int)start["expires_in"]!);
            Assert.Equal(1, (int)start["interval"]!);
            Assert.Contains((string)start["user_code"]!, (string)start["message"]!);

            var pending = await PollAsync(GraphCommandLineTools, (string)start["device_code"]!);
            Assert.Equal(400, pending.Status);
            Assert.Equal("authorization_pending", (string?)pending.Json["error"]);
            Assert.Equal(70016, (int)pending.Json["error_codes"]![0]!);
            Assert.StartsWith("AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.", (string?)pending.Json["error_description"]);
        }

        [Fact]
        public async Task With_authentication_required_only_the_administrators_approval_signs_a_device_code_in()
        {
            // Otherwise anyone on the machine would get a Global Administrator token with no credential: a well-known public
            // client's code would sign the built-in administrator in by itself.
            _kit.Tenant.RequireAuthentication = true;
            var start = await StartAsync(GraphCommandLineTools);
            string userCode = (string)start["user_code"]!, deviceCode = (string)start["device_code"]!;
            Assert.Contains("/_localtenant/devicecode", (string)start["message"]!);
            Assert.Contains(userCode, (string)start["message"]!);

            _kit.Clock.Advance(TimeSpan.FromMinutes(5)); // long after the interval
            Assert.Equal("authorization_pending", (string?)(await PollAsync(GraphCommandLineTools, deviceCode)).Json["error"]);
            Assert.False(_kit.Tenant.ApproveDeviceCode("ABCDEFGHJ"));
            Assert.False(_kit.Tenant.ApproveDeviceCode(""));
            Assert.Equal("authorization_pending", (string?)(await PollAsync(GraphCommandLineTools, deviceCode)).Json["error"]);

            // The code as a person types it: lower case, with a hyphen.
            Assert.True(_kit.Tenant.ApproveDeviceCode(userCode.Substring(0, 4).ToLowerInvariant() + "-" + userCode.Substring(4)));
            var signedIn = await PollAsync(GraphCommandLineTools, deviceCode);
            Assert.Equal(200, signedIn.Status);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)IdentityKit.Claims((string)signedIn.Json["access_token"]!)["oid"]);
            Assert.Equal("invalid_grant", (string?)(await PollAsync(GraphCommandLineTools, deviceCode)).Json["error"]); // spent

            // An expired code cannot be approved.
            var late = await StartAsync(GraphCommandLineTools);
            _kit.Clock.Advance(TimeSpan.FromMinutes(16));
            Assert.False(_kit.Tenant.ApproveDeviceCode((string)late["user_code"]!));
        }

        [Fact]
        public async Task The_sign_in_answer_carries_refresh_and_id_tokens_and_the_refresh_token_works()
        {
            var start = await StartAsync(GraphCommandLineTools);
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            var (status, answer, _) = await PollAsync(GraphCommandLineTools, (string)start["device_code"]!);
            Assert.Equal(200, status);
            Assert.Equal(new[] { "token_type", "scope", "expires_in", "ext_expires_in", "access_token", "refresh_token", "id_token", "client_info" }, answer.Select(kv => kv.Key));
            Assert.Equal("https://graph.microsoft.com/.default " + string.Join(" ", Tenant.AdminScopes.Select(s => "https://graph.microsoft.com/" + s)) + " openid profile",
                (string?)answer["scope"]);

            var id = IdentityKit.Claims((string)answer["id_token"]!);
            Assert.Equal(GraphCommandLineTools, (string?)id["aud"]);
            Assert.Equal($"https://login.microsoftonline.com/{_kit.Tenant.TenantId}/v2.0", (string?)id["iss"]);
            Assert.Equal("admin@contoso.onmicrosoft.com", (string?)id["preferred_username"]);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)id["oid"]);
            Assert.Equal("2.0", (string?)id["ver"]);
            Assert.True(await _kit.SignatureVerifiesAsync((string)answer["id_token"]!));
            string info = (string)answer["client_info"]!;
            var clientInfo = IdentityKit.Base64UrlJson(info);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)clientInfo["uid"]);
            Assert.Equal(_kit.Tenant.TenantId, (string?)clientInfo["utid"]);

            // A device code is spent once.
            Assert.Equal("invalid_grant", (string?)(await PollAsync(GraphCommandLineTools, (string)start["device_code"]!)).Json["error"]);

            string refreshToken = (string)answer["refresh_token"]!;
            var refreshed = await _kit.PostFormAsync(Root + "/token", ("grant_type", "refresh_token"), ("client_id", GraphCommandLineTools),
                ("refresh_token", refreshToken), ("scope", "https://graph.microsoft.com/.default offline_access"));
            Assert.Equal(200, refreshed.Status);
            string access = (string)refreshed.Json["access_token"]!;
            Assert.NotEqual((string)answer["access_token"]!, access);
            Assert.Equal(Tenant.AdminScopes, IdentityKit.Scopes(access));
            Assert.NotNull(refreshed.Json["refresh_token"]);
            Ok(await _kit.GraphAsync("GET", "/organization", access));

            // It is the client's: another client cannot redeem it, nor can it add consent (that needs the user).
            var other = await _kit.PostFormAsync(Root + "/token", ("grant_type", "refresh_token"), ("client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"),
                ("refresh_token", refreshToken), ("scope", IdentityKit.GraphScope));
            Assert.Equal(400, other.Status);
            Assert.Equal("invalid_grant", (string?)other.Json["error"]);
            var more = await _kit.PostFormAsync(Root + "/token", ("grant_type", "refresh_token"), ("client_id", GraphCommandLineTools),
                ("refresh_token", refreshToken), ("scope", "https://graph.microsoft.com/Mail.Read"));
            Assert.Equal(400, more.Status);
            Assert.Equal("invalid_grant", (string?)more.Json["error"]);
            Assert.Equal("consent_required", (string?)more.Json["suberror"]);
            Assert.StartsWith("AADSTS65001: ", (string?)more.Json["error_description"]);

            // And Graph refuses a refresh token as an access token.
            Error(await _kit.GraphAsync("GET", "/organization", refreshToken), 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");

            // v1 refreshes by resource.
            var v1 = await _kit.PostFormAsync($"/{_kit.Tenant.TenantId}/oauth2/token", ("grant_type", "refresh_token"), ("client_id", GraphCommandLineTools),
                ("refresh_token", refreshToken), ("resource", "https://graph.microsoft.com"));
            Assert.Equal(200, v1.Status);
            Assert.Equal("3599", (string?)v1.Json["expires_in"]);
            Assert.NotNull(v1.Json["refresh_token"]);
        }

        [Fact]
        public async Task Az_signs_in_for_Resource_Manager_and_redeems_the_same_refresh_token_for_Graph()
        {
            // az login --use-device-code (azure/cli/core/auth/identity.py) asks for its cloud's active_directory_resource_id,
            // "https://management.core.windows.net//.default", then gets Graph tokens with the refresh token it was given.
            const string azureCli = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
            var start = await StartAsync(azureCli, "https://management.core.windows.net//.default offline_access openid profile");
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            var (status, answer, _) = await PollAsync(azureCli, (string)start["device_code"]!);
            Assert.Equal(200, status);
            // Resource Manager's one delegated permission, spelled on the resource as the request named it.
            Assert.Equal("https://management.core.windows.net//.default https://management.core.windows.net//user_impersonation openid profile", (string?)answer["scope"]);
            var arm = IdentityKit.Claims((string)answer["access_token"]!);
            Assert.Equal("https://management.core.windows.net/", (string?)arm["aud"]);
            Assert.Equal("user_impersonation", (string?)arm["scp"]);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)arm["oid"]);
            // Graph does not take it.
            Error(await _kit.GraphAsync("GET", "/me", (string)answer["access_token"]!), 401, "InvalidAuthenticationToken");

            var graph = await _kit.PostFormAsync(Root + "/token", ("grant_type", "refresh_token"), ("client_id", azureCli),
                ("refresh_token", (string)answer["refresh_token"]!), ("scope", "https://graph.microsoft.com/.default offline_access openid profile"));
            Assert.Equal(200, graph.Status);
            Assert.Equal("admin@contoso.onmicrosoft.com", (string?)Ok(await _kit.GraphAsync("GET", "/me", (string)graph.Json["access_token"]!))["userPrincipalName"]);

            // Resource Manager has no other delegated permission, and a request names one resource.
            var other = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", azureCli), ("scope", "https://management.azure.com/Subscriptions.Read"));
            Assert.Equal("invalid_scope", (string?)other.Json["error"]);
            var two = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", azureCli), ("scope", "https://management.azure.com/user_impersonation User.Read"));
            Assert.Equal(400, two.Status);
            Assert.Equal(28000, (int)two.Json["error_codes"]![0]!);
        }

        [Fact]
        public async Task A_device_code_expires_after_fifteen_minutes()
        {
            var start = await StartAsync(GraphCommandLineTools);
            _kit.Clock.Advance(TimeSpan.FromMinutes(16));
            var expired = await PollAsync(GraphCommandLineTools, (string)start["device_code"]!);
            Assert.Equal(400, expired.Status);
            Assert.Equal("expired_token", (string?)expired.Json["error"]);
            Assert.Equal(70020, (int)expired.Json["error_codes"]![0]!);
            Assert.Equal("invalid_grant", (string?)(await PollAsync(GraphCommandLineTools, "no-such-code")).Json["error"]);
        }

        [Fact]
        public async Task Only_public_clients_use_device_code_and_single_tenant_apps_need_the_tenant()
        {
            var confidential = await _kit.CreateAppAsync(); // "Allow public client flows" off
            string appId = (string)confidential["appId"]!;
            var start = await StartAsync(appId);
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            var refused = await PollAsync(appId, (string)start["device_code"]!);
            Assert.Equal(401, refused.Status);
            Assert.Equal("invalid_client", (string?)refused.Json["error"]);
            Assert.StartsWith("AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", (string?)refused.Json["error_description"]);

            var singleTenant = await _kit.CreateAppAsync(extra: new JsonObject { ["isFallbackPublicClient"] = true });
            var viaOrganizations = await _kit.PostFormAsync("/organizations/oauth2/v2.0/devicecode", ("client_id", (string)singleTenant["appId"]!), ("scope", IdentityKit.GraphScope));
            Assert.Equal(400, viaOrganizations.Status);
            Assert.StartsWith("AADSTS50194: ", (string?)viaOrganizations.Json["error_description"]);

            var unknown = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", Guid.NewGuid().ToString()), ("scope", IdentityKit.GraphScope));
            Assert.Equal(400, unknown.Status);
            Assert.Equal(700016, (int)unknown.Json["error_codes"]![0]!);

            var badScope = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", GraphCommandLineTools), ("scope", "https://graph.microsoft.com/No.Such.Permission"));
            Assert.Equal(400, badScope.Status);
            Assert.Equal("invalid_scope", (string?)badScope.Json["error"]);
        }
    }
}
