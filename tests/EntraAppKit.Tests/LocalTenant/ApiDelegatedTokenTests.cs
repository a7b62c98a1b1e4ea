using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 12, section 3: delegated tokens for an API registered in the tenant, through device code and refresh tokens
    /// (v2-oauth2-device-code). scp is "the set of scopes exposed by the application for which the client application has
    /// requested (and received) consent" (learn.microsoft.com/entra/identity-platform/access-token-claims-reference): the
    /// client's oauth2PermissionGrants on the API's service principal, and the API's pre-authorised clients, for which "Users
    /// aren't required to consent … (for the permissions specified)" (learn.microsoft.com/graph/api/resources/preauthorizedapplication).
    /// </summary>
    public sealed class ApiDelegatedTokenTests : IDisposable
    {
        private readonly IdentityKit _kit = new IdentityKit();

        public void Dispose() => _kit.Dispose();

        private string TenantId => _kit.Tenant.TenantId;

        private string Root => $"/{TenantId}/oauth2/v2.0";

        private async Task<JsonObject> StartAsync(string clientId, string scope)
        {
            var (status, json, _) = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", clientId), ("scope", scope));
            Assert.True(status == 200, json.ToJsonString());
            return json;
        }

        /// <summary>A device code sign-in by the built-in administrator: the code, one interval, the poll that gets the tokens.</summary>
        private async Task<JsonObject> SignInAsync(string clientId, string scope)
        {
            var start = await StartAsync(clientId, scope);
            _kit.Clock.Advance(TimeSpan.FromSeconds(2));
            var (status, json, _) = await _kit.PostFormAsync(Root + "/token", ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", clientId), ("device_code", (string)start["device_code"]!));
            Assert.True(status == 200, json.ToJsonString());
            return json;
        }

        private Task<(int Status, JsonObject Json, HttpResponseMessage Response)> RefreshAsync(string clientId, string refreshToken, string scope) =>
            _kit.PostFormAsync(Root + "/token", ("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refreshToken), ("scope", scope));

        private async Task<List<JsonObject>> GrantsOnAsync(string resourceSpId) =>
            Items(Ok(await _kit.Admin.GetAsync("/oauth2PermissionGrants"))).Where(g => (string?)g["resourceId"] == resourceSpId).ToList();

        private static readonly string ReadScope = Guid.NewGuid().ToString(), WriteScope = Guid.NewGuid().ToString();

        private static JsonObject Scope(string id, string value) => new JsonObject
        {
            ["id"] = id,
            ["value"] = value,
            ["type"] = "User",
            ["adminConsentDisplayName"] = value,
            ["adminConsentDescription"] = "Lets the app " + value,
            ["userConsentDisplayName"] = value,
            ["userConsentDescription"] = "Lets the app " + value,
            ["isEnabled"] = true,
        };

        /// <summary>An API exposing Widgets.Read and Widgets.Write at api://{appId}, with a service principal; <paramref name="api"/> adds to its api settings.</summary>
        private async Task<(string Id, string AppId, string SpId)> ApiAsync(JsonObject? api = null)
        {
            var app = await _kit.CreateAppAsync();
            string appId = (string)app["appId"]!;
            api ??= new JsonObject();
            api["oauth2PermissionScopes"] = new JsonArray(Scope(ReadScope, "Widgets.Read"), Scope(WriteScope, "Widgets.Write"));
            NoContent(await _kit.Admin.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["identifierUris"] = new JsonArray($"api://{appId}"), ["api"] = api }));
            var sp = await _kit.CreateSpAsync(appId);
            return ((string)app["id"]!, appId, (string)sp["id"]!);
        }

        private async Task<string> PublicClientAsync(JsonObject? extra = null)
        {
            extra ??= new JsonObject();
            extra["isFallbackPublicClient"] = true;
            return (string)(await _kit.CreateAppAsync(extra: extra))["appId"]!;
        }

        /// <summary>
        /// Configuration Manager's cloud management gateway (learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps,
        /// /work/shared/seeds/001): the server app exposes user_impersonation at api://{tenantId}/CMG-ServerApp, the native
        /// client app requires it with admin consent; the client signs a user in for it and the CMG checks aud and scp.
        /// The apps are made by the module's own recipes (New-CmgServerApp, New-CmgClientApp).
        /// </summary>
        [Fact]
        public async Task A_CMG_client_signs_a_user_in_for_the_server_apps_user_impersonation()
        {
            using var session = _kit.Tenant.Session();
            var engine = new RecipeEngine(session);
            var server = await engine.RunAsync(new CmgServer().For(CmgServer.DefaultName));
            var client = await engine.RunAsync(new CmgClient { ServerClientId = server.ClientId }.For(CmgClient.DefaultName));
            string appIdUri = $"api://{TenantId}/CMG-ServerApp";
            Assert.Equal(new[] { appIdUri }, server.IdentifierUris);
            int grantsBefore = (await GrantsOnAsync(server.ServicePrincipalId!)).Count;

            var answer = await SignInAsync(client.ClientId, $"{appIdUri}/user_impersonation offline_access openid profile");
            Assert.Equal($"{appIdUri}/user_impersonation openid profile", (string?)answer["scope"]);
            var claims = IdentityKit.Claims((string)answer["access_token"]!);
            Assert.Equal(appIdUri, (string?)claims["aud"]);
            Assert.Equal("user_impersonation", (string?)claims["scp"]);
            Assert.Equal($"https://sts.windows.net/{TenantId}/", (string?)claims["iss"]);
            Assert.Equal("1.0", (string?)claims["ver"]);
            Assert.Equal(client.ClientId, (string?)claims["appid"]);
            Assert.Equal("0", (string?)claims["appidacr"]);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)claims["oid"]);
            Assert.Equal("admin@contoso.onmicrosoft.com", (string?)claims["upn"]);
            Assert.Null(claims["roles"]);
            Assert.True(await _kit.SignatureVerifiesAsync((string)answer["access_token"]!));
            // The recipe's admin consent covered it: the sign-in consented to nothing new.
            Assert.Equal(grantsBefore, (await GrantsOnAsync(server.ServicePrincipalId!)).Count);
            // Graph does not take a token for the CMG.
            Error(await _kit.GraphAsync("GET", "/organization", (string)answer["access_token"]!), 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");

            // ".default" of the server app: the client's static permission on it (requiredResourceAccess), by refresh.
            var refreshed = await RefreshAsync(client.ClientId, (string)answer["refresh_token"]!, $"{appIdUri}/.default");
            Assert.Equal(200, refreshed.Status);
            Assert.Equal($"{appIdUri}/.default {appIdUri}/user_impersonation", (string?)refreshed.Json["scope"]);
            var again = IdentityKit.Claims((string)refreshed.Json["access_token"]!);
            Assert.Equal(appIdUri, (string?)again["aud"]);
            Assert.Equal("user_impersonation", (string?)again["scp"]);
        }

        [Fact]
        public async Task Sign_in_consents_to_an_APIs_scope_with_a_grant_on_its_service_principal()
        {
            var api = await ApiAsync();
            string clientId = await PublicClientAsync();
            var answer = await SignInAsync(clientId, $"api://{api.AppId}/Widgets.Read offline_access");
            var claims = IdentityKit.Claims((string)answer["access_token"]!);
            Assert.Equal($"api://{api.AppId}", (string?)claims["aud"]);
            Assert.Equal("Widgets.Read", (string?)claims["scp"]);
            // idtyp and wids are the API's to ask for (optionalClaims, groupMembershipClaims); this one does not.
            Assert.Null(claims["idtyp"]);
            Assert.Null(claims["wids"]);

            var grant = Assert.Single(await GrantsOnAsync(api.SpId));
            IdentityKit.Conforms("oAuth2PermissionGrant", grant);
            Assert.Equal("Principal", (string?)grant["consentType"]);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)grant["principalId"]);
            Assert.Equal("Widgets.Read", (string?)grant["scope"]);
            Assert.Equal((string?)Ok(await _kit.Admin.GetAsync($"/servicePrincipals(appId='{clientId}')"))["id"], (string?)grant["clientId"]);

            // A refresh cannot add consent (AADSTS65001); a scope the API does not expose is AADSTS70011.
            var more = await RefreshAsync(clientId, (string)answer["refresh_token"]!, $"api://{api.AppId}/Widgets.Write");
            Assert.Equal(400, more.Status);
            Assert.Equal("consent_required", (string?)more.Json["suberror"]);
            Assert.StartsWith($"AADSTS65001: The user or administrator has not consented to use the application with ID '{clientId}' named ", (string?)more.Json["error_description"]);
            var unknown = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", clientId), ("scope", $"api://{api.AppId}/Widgets.Delete"));
            Assert.Equal(400, unknown.Status);
            Assert.Equal("invalid_scope", (string?)unknown.Json["error"]);
            Assert.StartsWith($"AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope api://{api.AppId}/Widgets.Delete is not valid. ",
                (string?)unknown.Json["error_description"]);
            // One resource per request.
            var two = await _kit.PostFormAsync(Root + "/devicecode", ("client_id", clientId), ("scope", $"api://{api.AppId}/Widgets.Read User.Read"));
            Assert.Equal(28000, (int)two.Json["error_codes"]![0]!);

            // The same refresh token gets what was granted, by name or by the API's appId.
            var read = await RefreshAsync(clientId, (string)answer["refresh_token"]!, $"{api.AppId}/Widgets.Read");
            Assert.Equal(200, read.Status);
            Assert.Equal(api.AppId, (string?)IdentityKit.Claims((string)read.Json["access_token"]!)["aud"]);
        }

        [Fact]
        public async Task A_pre_authorised_client_gets_its_scopes_without_a_grant()
        {
            string clientId = await PublicClientAsync();
            var api = await ApiAsync(new JsonObject
            {
                ["preAuthorizedApplications"] = new JsonArray(new JsonObject { ["appId"] = clientId, ["delegatedPermissionIds"] = new JsonArray(ReadScope) }),
            });
            var answer = await SignInAsync(clientId, $"api://{api.AppId}/Widgets.Read offline_access");
            Assert.Equal("Widgets.Read", (string?)IdentityKit.Claims((string)answer["access_token"]!)["scp"]);
            Assert.Empty(await GrantsOnAsync(api.SpId));

            // A refresh needs no consent for it either; a scope it is not pre-authorised for still does.
            var refreshed = await RefreshAsync(clientId, (string)answer["refresh_token"]!, $"api://{api.AppId}/Widgets.Read");
            Assert.Equal(200, refreshed.Status);
            Assert.Equal("Widgets.Read", (string?)IdentityKit.Claims((string)refreshed.Json["access_token"]!)["scp"]);
            Assert.Equal("consent_required", (string?)(await RefreshAsync(clientId, (string)answer["refresh_token"]!, $"api://{api.AppId}/Widgets.Write")).Json["suberror"]);

            // Signing in for it consents to that one only.
            var write = await SignInAsync(clientId, $"api://{api.AppId}/Widgets.Write");
            Assert.Equal("Widgets.Write Widgets.Read", (string?)IdentityKit.Claims((string)write["access_token"]!)["scp"]);
            Assert.Equal("Widgets.Write", (string?)Assert.Single(await GrantsOnAsync(api.SpId))["scope"]);

            // Another client is not pre-authorised: its sign-in consents with a grant of its own.
            string other = await PublicClientAsync();
            await SignInAsync(other, $"api://{api.AppId}/Widgets.Read");
            Assert.Equal(new[] { "Widgets.Read", "Widgets.Write" }, (await GrantsOnAsync(api.SpId)).Select(g => (string)g["scope"]!).OrderBy(s => s));
        }

        [Fact]
        public async Task A_v2_API_gets_v2_user_tokens_and_default_means_the_static_permissions()
        {
            var api = await ApiAsync(new JsonObject { ["requestedAccessTokenVersion"] = 2 });
            // The client asks statically for Widgets.Write on the API (requiredResourceAccess, type Scope).
            string clientId = await PublicClientAsync(new JsonObject
            {
                ["requiredResourceAccess"] = new JsonArray(new JsonObject
                {
                    ["resourceAppId"] = api.AppId,
                    ["resourceAccess"] = new JsonArray(new JsonObject { ["id"] = WriteScope, ["type"] = "Scope" }),
                }),
            });
            var answer = await SignInAsync(clientId, $"api://{api.AppId}/.default openid");
            Assert.Equal($"api://{api.AppId}/.default api://{api.AppId}/Widgets.Write openid", (string?)answer["scope"]);
            var claims = IdentityKit.Claims((string)answer["access_token"]!);
            Assert.Equal(api.AppId, (string?)claims["aud"]);
            Assert.Equal($"https://login.microsoftonline.com/{TenantId}/v2.0", (string?)claims["iss"]);
            Assert.Equal("2.0", (string?)claims["ver"]);
            Assert.Equal(clientId, (string?)claims["azp"]);
            Assert.Equal("0", (string?)claims["azpacr"]);
            Assert.Equal("admin@contoso.onmicrosoft.com", (string?)claims["preferred_username"]);
            Assert.Equal("Widgets.Write", (string?)claims["scp"]);
            Assert.Equal(_kit.Tenant.AdministratorId, (string?)claims["oid"]);
            foreach (var v1Only in new[] { "appid", "appidacr", "acr", "amr", "unique_name" }) Assert.Null(claims[v1Only]);
            Assert.Equal("Widgets.Write", (string?)Assert.Single(await GrantsOnAsync(api.SpId))["scope"]);
        }
    }
}
