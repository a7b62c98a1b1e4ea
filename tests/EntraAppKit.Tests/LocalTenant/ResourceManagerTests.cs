using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Diagnostics;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 11, point 3: Azure Resource Manager tokens and the two ARM calls az login makes (azure/cli/core/_profile.py,
    /// SubscriptionFinder: client.tenants.list(), then subscriptions; credential_scopes from the cloud's
    /// active_directory_resource_id, https://management.core.windows.net/ → "https://management.core.windows.net//.default").
    /// Shapes from learn.microsoft.com/rest/api/resources/tenants/list and subscriptions/list; tokens per
    /// learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow.
    /// </summary>
    public abstract class ResourceManagerTests : DoorTests
    {
        protected ResourceManagerTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : ResourceManagerTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : ResourceManagerTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private string Origin => new Uri(Root).GetLeftPart(UriPartial.Authority);

        /// <summary>A confidential client holding Application.Read.All on Graph, so a Graph token of it carries a role.</summary>
        private async Task<(string AppId, string Secret)> ClientAsync()
        {
            var app = Ok(await Door.PostAsync("/applications", new { displayName = Unique("arm"), signInAudience = "AzureADMyOrg" }), 201);
            string secret = (string)Ok(await Door.PostAsync($"/applications/{app["id"]}/addPassword", new { passwordCredential = new { displayName = "s" } }))["secretText"]!;
            var sp = Ok(await Door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]! }), 201);
            string graphSp = (string)Items(Ok(await Door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'")))[0]["id"]!;
            Ok(await Door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = IdentityKit.ApplicationReadAll }), 201);
            return ((string)app["appId"]!, secret);
        }

        private async Task<GraphCall> TokenAsync(string appId, string secret, string scope, bool v1 = false)
        {
            string form = $"grant_type=client_credentials&client_id={appId}&client_secret={Uri.EscapeDataString(secret)}&" +
                (v1 ? "resource=" : "scope=") + Uri.EscapeDataString(scope);
            return await Door.SendAsync("POST", $"{Origin}/{Tenant.TenantId}/oauth2{(v1 ? "" : "/v2.0")}/token", form, ("Content-Type", "application/x-www-form-urlencoded"));
        }

        private async Task<string> AccessTokenAsync(string appId, string secret, string scope, bool v1 = false)
        {
            var call = await TokenAsync(appId, secret, scope, v1);
            Assert.True(call.Status == 200, call.ToString());
            return (string)call.Json["access_token"]!;
        }

        [Theory]
        [InlineData("https://management.core.windows.net//.default", "https://management.core.windows.net/", false)]
        [InlineData("https://management.core.windows.net/.default", "https://management.core.windows.net", false)]
        [InlineData("https://management.azure.com/.default", "https://management.azure.com", false)]
        [InlineData("https://management.azure.com//.default", "https://management.azure.com/", false)]
        [InlineData("https://management.core.windows.net/", "https://management.core.windows.net/", true)]
        [InlineData("https://management.azure.com/", "https://management.azure.com/", true)]
        public async Task Resource_Manager_tokens_carry_its_audience_as_named_and_no_Graph_roles(string scope, string audience, bool v1)
        {
            var (appId, secret) = await ClientAsync();
            var claims = IdentityKit.Claims(await AccessTokenAsync(appId, secret, scope, v1));
            Assert.Equal(audience, (string?)claims["aud"]);
            Assert.Equal($"https://sts.windows.net/{Tenant.TenantId}/", (string?)claims["iss"]);
            Assert.Null(claims["roles"]);
            // The same client's Graph token does carry its Graph role: the difference is the audience's.
            Assert.Contains("Application.Read.All", Strings(IdentityKit.Claims(await AccessTokenAsync(appId, secret, IdentityKit.GraphScope))["roles"]));
        }

        [Fact]
        public async Task Graph_refuses_a_Resource_Manager_token_and_ARM_refuses_a_Graph_token()
        {
            var (appId, secret) = await ClientAsync();
            string arm = await AccessTokenAsync(appId, secret, "https://management.core.windows.net//.default");
            Error(await Door.GetAsync("/applications", ("Authorization", "Bearer " + arm)), 401, "InvalidAuthenticationToken");

            string graph = await AccessTokenAsync(appId, secret, IdentityKit.GraphScope);
            var refused = await Door.GetAsync($"{Origin}/subscriptions?api-version=2022-12-01", ("Authorization", "Bearer " + graph));
            Assert.Equal(401, refused.Status);
            Assert.Equal("InvalidAuthenticationTokenAudience", (string?)refused.Json["error"]!["code"]);
            Assert.Contains("'https://graph.microsoft.com'", (string?)refused.Json["error"]!["message"]);
        }

        [Fact]
        public async Task Subscriptions_are_an_empty_list_and_tenants_list_this_tenant()
        {
            var (appId, secret) = await ClientAsync();
            string arm = await AccessTokenAsync(appId, secret, "https://management.core.windows.net//.default");

            var subscriptions = await Door.GetAsync($"{Origin}/subscriptions?api-version=2022-12-01", ("Authorization", "Bearer " + arm));
            Assert.Equal(200, subscriptions.Status);
            Assert.Equal("{\"value\":[]}", subscriptions.Text);

            var tenants = await Door.GetAsync($"{Origin}/tenants?api-version=2022-12-01", ("Authorization", "Bearer " + arm));
            Assert.Equal(200, tenants.Status);
            var only = Assert.Single(tenants.Json["value"]!.AsArray())!.AsObject();
            Assert.Equal("/tenants/" + Tenant.TenantId, (string?)only["id"]);
            Assert.Equal(Tenant.TenantId, (string?)only["tenantId"]);
            Assert.Equal(Tenant.DisplayName, (string?)only["displayName"]);
            Assert.Equal(Tenant.InitialDomain, (string?)only["defaultDomain"]);
            Assert.Equal(Tenant.VerifiedDomains, Strings(only["domains"]));
            Assert.Equal("Home", (string?)only["tenantCategory"]);
        }

        [Fact]
        public async Task Without_a_token_ARM_answers_its_own_401_not_Graphs()
        {
            foreach (var path in new[] { "/subscriptions?api-version=2022-12-01", "/tenants?api-version=2022-12-01" })
            {
                var call = await Door.GetAsync(Origin + path);
                Assert.Equal(401, call.Status);
                Assert.Equal("AuthenticationFailed", (string?)call.Json["error"]!["code"]);
                Assert.Equal("Authentication failed. The 'Authorization' header is missing.", (string?)call.Json["error"]!["message"]);
                Assert.StartsWith($"Bearer authorization_uri=\"https://login.windows.net/{Tenant.TenantId}\"", call.Header("WWW-Authenticate"));
            }
            var forged = await Door.GetAsync(Origin + "/tenants?api-version=2022-12-01", ("Authorization", "Bearer not.a.token"));
            Assert.Equal("InvalidAuthenticationToken", (string?)forged.Json["error"]!["code"]);
        }

        [Fact]
        public async Task An_ARM_call_without_api_version_is_refused_as_ARM_refuses_it()
        {
            var (appId, secret) = await ClientAsync();
            string arm = await AccessTokenAsync(appId, secret, "https://management.azure.com/.default");
            var call = await Door.GetAsync(Origin + "/subscriptions", ("Authorization", "Bearer " + arm));
            Assert.Equal(400, call.Status);
            Assert.Equal("MissingApiVersionParameter", (string?)call.Json["error"]!["code"]);
        }

        [Fact]
        public async Task ARM_calls_are_logged_as_Resource_Manager_requests_not_Graph_round_trips()
        {
            Tenant.RequestLog.Clear();
            await Door.GetAsync(Origin + "/subscriptions?api-version=2022-12-01");
            var entry = Assert.Single(Tenant.RequestLog.AllEntries);
            Assert.Equal((RequestKind.ResourceManager, "/subscriptions", 401), (entry.Kind, entry.Path, entry.Status));
            Assert.Equal(0, Tenant.RequestLog.RoundTrips);
        }

        [Theory]
        [InlineData("")]
        [InlineData("/")]
        public async Task The_servers_own_base_URL_is_a_Graph_audience(string slash)
        {
            // A client told Graph lives at the local tenant (az's custom cloud endpoint_microsoft_graph_resource_id) asks for a token for it.
            var (appId, secret) = await ClientAsync();
            string resource = Origin + slash;
            string token = await AccessTokenAsync(appId, secret, resource + "/.default");
            Assert.Equal(resource, (string?)IdentityKit.Claims(token)["aud"]);
            Ok(await Door.GetAsync("/applications?$top=1", ("Authorization", "Bearer " + token)));
            string v1 = await AccessTokenAsync(appId, secret, resource, v1: true);
            Ok(await Door.GetAsync("/applications?$top=1", ("Authorization", "Bearer " + v1)));
        }

        [Fact]
        public async Task Another_hosts_base_URL_is_an_unknown_resource()
        {
            var (appId, secret) = await ClientAsync();
            var call = await TokenAsync(appId, secret, "https://elsewhere.example/.default");
            Assert.Equal(400, call.Status);
            Assert.StartsWith("AADSTS500011:", (string?)call.Json["error_description"]);
        }
    }
}
