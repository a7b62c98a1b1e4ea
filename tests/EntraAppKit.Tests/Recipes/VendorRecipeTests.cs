using System;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// The CMG apps (learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps), WriteBackExtreme's OAuth app
    /// (docs.infotopics.com …/oauth-setup/microsoft-entra) and Kong Konnect DCR (developer.konghq.com/how-to/azure-ad-dcr/) as their pages describe them.
    /// </summary>
    public class VendorRecipeTests
    {
        private const string Graph = "00000003-0000-0000-c000-000000000000";
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create(new LocalTenant.LocalTenantOptions { Name = "contoso" });

        private RecipeEngine Engine(GraphSession session) => new RecipeEngine(session, new LagRetryPolicy
        {
            InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400), Budget = TimeSpan.FromSeconds(20), ResourceBudget = TimeSpan.FromSeconds(5),
        });

        private async Task<AppRegistrationResult> RunAsync(AppRecipe recipe)
        {
            using var session = _tenant.Session();
            return await Engine(session).RunAsync(recipe);
        }

        private async Task<JsonObject> GetAsync(string path)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            return JsonNode.Parse(await http.GetStringAsync("https://graph.microsoft.com/v1.0" + path))!.AsObject();
        }

        private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!).ToArray();

        [Fact]
        public async Task Cmg_server_app_matches_the_Configuration_Manager_page()
        {
            var cmg = new CmgServer();
            var result = await RunAsync(cmg.For("CMG-ServerApp"));
            var output = cmg.Shape(result);

            // The page's step 3 (the server app)
            var app = await GetAsync($"/applications/{result.ObjectId}");
            Assert.Equal("AzureADMyOrg", (string?)app["signInAudience"]);
            Assert.Equal(new[] { $"api://{_tenant.TenantId}/CMG-ServerApp" }, Strings(app["identifierUris"]));
            Assert.Equal(new[] { "http://localhost" }, Strings(app["publicClient"]!["redirectUris"])); // the page: Public client/native
            Assert.Empty(Strings(app["web"]!["redirectUris"]));
            Assert.True((bool)app["web"]!["implicitGrantSettings"]!["enableIdTokenIssuance"]!);
            Assert.Null(app["api"]!["requestedAccessTokenVersion"]); // v1
            var scope = Assert.Single(app["api"]!["oauth2PermissionScopes"]!.AsArray())!;
            Assert.Equal("user_impersonation", (string?)scope["value"]);
            Assert.Equal("User", (string?)scope["type"]);
            Assert.True((bool)scope["isEnabled"]!);
            Assert.Equal("Access CMG-ServerApp", (string?)scope["adminConsentDisplayName"]);
            Assert.Equal("Allow the application to access CMG-ServerApp on behalf of the signed-in user.", (string?)scope["adminConsentDescription"]);
            Assert.Equal("Access CMG-ServerApp", (string?)scope["userConsentDisplayName"]);
            Assert.Equal("Allow the application to access CMG-ServerApp on your behalf.", (string?)scope["userConsentDescription"]);
            var rra = Assert.Single(app["requiredResourceAccess"]!.AsArray())!;
            Assert.Equal("e1fe6dd8-ba31-4d61-89e7-88639da4683d", (string?)rra["resourceAccess"]![0]!["id"]); // User.Read

            // The values ConfigMgr's import takes, with its types.
            Assert.Equal("contoso.onmicrosoft.com", output.TenantName);
            Assert.Equal(_tenant.TenantId, output.TenantId);
            Assert.Equal("CMG-ServerApp", output.AppName);
            Assert.IsType<SecureString>(output.SecretKey);
            Assert.Equal(DateTimeKind.Utc, output.SecretKeyExpiry!.Value.Kind);
            Assert.InRange(output.SecretKeyExpiry.Value, DateTime.UtcNow.AddMonths(12).AddMinutes(-5), DateTime.UtcNow.AddMonths(12).AddMinutes(5));
            Assert.Equal(new Uri($"api://{_tenant.TenantId}/CMG-ServerApp"), output.AppIdUri);
            var splat = output.ToImportParameters();
            Assert.Equal(new[] { "AppIdUri", "AppName", "ClientId", "SecretKey", "SecretKeyExpiry", "TenantId", "TenantName" },
                splat.Keys.Cast<string>().OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Cmg_server_web_platform_24_months_and_user_discovery()
        {
            var cmg = new CmgServer { RedirectPlatform = CmgRedirectPlatform.Web, EnableUserDiscovery = true };
            var result = await RunAsync(cmg.For("CMG-Server2", secretLifetimeMonths: 24));
            var app = await GetAsync($"/applications/{result.ObjectId}");
            Assert.Equal(new[] { "http://localhost" }, Strings(app["web"]!["redirectUris"]));
            var access = app["requiredResourceAccess"]![0]!["resourceAccess"]!.AsArray();
            var single = Assert.Single(access)!;
            Assert.Equal("7ab1d382-f21e-4acd-a863-ba3e13f7da61", (string?)single["id"]); // Directory.Read.All, Role (learn.microsoft.com/graph/permissions-reference)
            Assert.Equal("Role", (string?)single["type"]);
            var assignments = await GetAsync($"/servicePrincipals/{result.ServicePrincipalId}/appRoleAssignments");
            Assert.Equal("7ab1d382-f21e-4acd-a863-ba3e13f7da61", (string?)Assert.Single(assignments["value"]!.AsArray())!["appRoleId"]);
            Assert.InRange(result.SecretExpires!.Value, DateTimeOffset.UtcNow.AddMonths(24).AddMinutes(-5), DateTimeOffset.UtcNow.AddMonths(24).AddMinutes(5));
        }

        [Fact]
        public async Task Cmg_server_turning_user_discovery_off_revokes_Directory_Read_All()
        {
            await RunAsync(new CmgServer { EnableUserDiscovery = true }.For(CmgServer.DefaultName));
            var result = await RunAsync(new CmgServer().For(CmgServer.DefaultName));
            Assert.Contains("Revoke admin consent for Microsoft Graph Directory.Read.All (Application)", result.Changes);
            Assert.Contains("Require Microsoft Graph User.Read (Delegated) on 'CMG-ServerApp'", result.Changes);
            Assert.Empty((await GetAsync($"/servicePrincipals/{result.ServicePrincipalId}/appRoleAssignments"))["value"]!.AsArray());
        }

        [Fact]
        public async Task Cmg_server_app_id_uri_path_can_be_chosen_as_in_the_pages_example()
        {
            var cmg = new CmgServer { AppIdUriPath = "ConfigMgrService" };
            var result = await RunAsync(cmg.For("CMG Named"));
            Assert.Equal(new Uri($"api://{_tenant.TenantId}/ConfigMgrService"), cmg.Shape(result).AppIdUri);
            Assert.Equal(new[] { $"api://{_tenant.TenantId}/ConfigMgrService" }, Strings((await GetAsync($"/applications/{result.ObjectId}"))["identifierUris"]));
        }

        [Fact]
        public async Task Cmg_server_https_app_id_uri_needs_a_verified_domain_checked_before_any_write()
        {
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => RunAsync(new CmgServer { AppIdUriDomain = "fabrikam.com" }.For(CmgServer.DefaultName)));
            Assert.Equal(ErrorIds.InvalidRecipeInput, e.ErrorId);
            Assert.Contains("contoso.onmicrosoft.com", e.Message);
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(x => x.IsWrite));

            var ok = await RunAsync(new CmgServer { AppIdUriDomain = "contoso.onmicrosoft.com" }.For(CmgServer.DefaultName));
            var app = await GetAsync($"/applications/{ok.ObjectId}");
            Assert.Equal(new[] { "https://contoso.onmicrosoft.com/CMG-ServerApp" }, Strings(app["identifierUris"]));
        }

        [Fact]
        public async Task Cmg_client_app_matches_the_Configuration_Manager_page_and_consents_both_permissions()
        {
            var server = await RunAsync(new CmgServer().For(CmgServer.DefaultName));
            var result = await RunAsync(new CmgClient { ServerClientId = server.ClientId }.For(CmgClient.DefaultName));
            var output = new CmgClient { ServerClientId = server.ClientId }.Shape(result);

            // The page's steps for the client app
            var app = await GetAsync($"/applications/{result.ObjectId}");
            Assert.True((bool)app["isFallbackPublicClient"]!);
            Assert.Equal(new[] { $"ms-appx-web://Microsoft.AAD.BrokerPlugin/{result.ClientId}" }, Strings(app["publicClient"]!["redirectUris"]));
            Assert.True((bool)app["web"]!["implicitGrantSettings"]!["enableIdTokenIssuance"]!);
            var rra = app["requiredResourceAccess"]!.AsArray();
            Assert.Equal(2, rra.Count);
            var serverScopeId = (string?)(await GetAsync($"/applications/{server.ObjectId}"))["api"]!["oauth2PermissionScopes"]![0]!["id"];
            Assert.Contains(rra, r => (string?)r!["resourceAppId"] == server.ClientId && (string?)r["resourceAccess"]![0]!["id"] == serverScopeId && (string?)r["resourceAccess"]![0]!["type"] == "Scope");
            Assert.Contains(rra, r => (string?)r!["resourceAppId"] == Graph && (string?)r["resourceAccess"]![0]!["id"] == "e1fe6dd8-ba31-4d61-89e7-88639da4683d");

            var grants = (await GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{result.ServicePrincipalId}'"))["value"]!.AsArray();
            Assert.Equal(2, grants.Count);
            Assert.All(grants, g => Assert.Equal("AllPrincipals", (string?)g!["consentType"]));
            Assert.Contains(grants, g => (string?)g!["resourceId"] == server.ServicePrincipalId && (string?)g["scope"] == "user_impersonation");
            Assert.Contains(grants, g => (string?)g!["scope"] == "User.Read");

            Assert.Equal("CMG-ClientApp", output.AppName);
            Assert.Equal(server.ClientId, output.ServerClientId);
            Assert.Equal("contoso.onmicrosoft.com", output.TenantName);
        }

        [Fact]
        public async Task Cmg_pair_survives_replication_lag_and_reruns_without_writes()
        {
            _tenant.Faults.ReplicationLag = TimeSpan.FromMilliseconds(500);
            // One connection, as New-CmgServerApp | New-CmgClientApp: the client waits for the server this session just made.
            using var connection = _tenant.Session();
            var server = await Engine(connection).RunAsync(new CmgServer().For(CmgServer.DefaultName));
            var client = await Engine(connection).RunAsync(new CmgClient { ServerClientId = server.ClientId }.For(CmgClient.DefaultName));
            Assert.NotNull(client.ServicePrincipalId);
            Assert.Contains(_tenant.RequestLog.Entries, e => e.Status == 404 || e.Status == 400); // the lag was met and retried

            await Task.Delay(600);
            _tenant.RequestLog.Clear();
            await RunAsync(new CmgServer().For(CmgServer.DefaultName));
            var again = await RunAsync(new CmgClient { ServerClientId = server.ClientId }.For(CmgClient.DefaultName));
            Assert.True(again.Changes.Count == 0, string.Join(" | ", again.Changes));
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(e => e.IsWrite));
        }

        [Fact]
        public async Task WriteBack_has_no_redirect_and_warns_that_expiry_is_not_notified()
        {
            var result = await RunAsync(new WriteBack().For("WriteBackExtreme"));
            var output = new WriteBack().Shape(result, asPlainText: true);
            var app = await GetAsync($"/applications/{result.ObjectId}");
            Assert.Equal("AzureADMyOrg", (string?)app["signInAudience"]);
            Assert.Empty(Strings(app["web"]!["redirectUris"]));
            Assert.IsType<string>(output.ClientSecret);
            Assert.True(_tenant.VerifyClientSecret(output.ClientId, (string)output.ClientSecret!));
            Assert.Contains(output.Warnings, w => w.Contains("does not warn before its client secret expires"));

            var multi = await RunAsync(new WriteBack { MultiTenant = true }.For("WriteBack Multi"));
            Assert.Equal("AzureADMultipleOrgs", (string?)(await GetAsync($"/applications/{multi.ObjectId}"))["signInAudience"]);
        }

        [Fact]
        public async Task Konnect_dcr_requests_and_consents_the_permissions_Kong_lists()
        {
            var result = await RunAsync(new KonnectDcr().For(KonnectDcr.DefaultName));
            var output = new KonnectDcr().Shape(result, asPlainText: false);

            // The permissions Kong's original page lists
            var access = (await GetAsync($"/applications/{result.ObjectId}"))["requiredResourceAccess"]![0]!["resourceAccess"]!.AsArray()
                .Select(a => ((string)a!["id"]!, (string)a["type"]!)).OrderBy(x => x.Item1).ToArray();
            Assert.Equal(new[]
            {
                ("18a4783c-866b-4cc7-a460-3d5e5662c884", "Role"),
                ("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "Role"),
                ("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Role"),
                ("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Scope"),
            }, access);
            var assignments = (await GetAsync($"/servicePrincipals/{result.ServicePrincipalId}/appRoleAssignments"))["value"]!.AsArray();
            Assert.Equal(3, assignments.Count);
            var grant = Assert.Single((await GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{result.ServicePrincipalId}'"))["value"]!.AsArray())!;
            Assert.Equal("User.Read", (string?)grant["scope"]);

            Assert.Equal($"https://sts.windows.net/{_tenant.TenantId}", output.IssuerUrl);
            Assert.Equal("appid", output.ConsumerClaim);
            Assert.Equal(result.ClientId, output.InitialClientId);
            Assert.IsType<SecureString>(output.InitialClientSecret);
            Assert.Contains(output.Warnings, w => w.Contains("Application.ReadWrite.All") && w.Contains("-LeastPrivilege"));
        }

        [Fact]
        public async Task Konnect_least_privilege_and_switching_to_it_removes_the_broad_permissions()
        {
            await RunAsync(new KonnectDcr().For(KonnectDcr.DefaultName));
            var result = await RunAsync(new KonnectDcr { LeastPrivilege = true }.For(KonnectDcr.DefaultName));
            Assert.Contains("Remove required permission Microsoft Graph Application.ReadWrite.All (Application) from 'Konnect DCR'", result.Changes);
            var access = (await GetAsync($"/applications/{result.ObjectId}"))["requiredResourceAccess"]![0]!["resourceAccess"]!.AsArray();
            Assert.Equal(new[] { "18a4783c-866b-4cc7-a460-3d5e5662c884", "e1fe6dd8-ba31-4d61-89e7-88639da4683d" }, access.Select(a => (string)a!["id"]!).OrderBy(x => x));
            Assert.DoesNotContain(result.Warnings, w => w.Contains("Application.ReadWrite.All"));
            // Least privilege is real only if the consent goes too.
            Assert.Contains("Revoke admin consent for Microsoft Graph Application.ReadWrite.All (Application)", result.Changes);
            Assert.Contains("Revoke admin consent for Microsoft Graph Application.Read.All (Application)", result.Changes);
            var assignments = (await GetAsync($"/servicePrincipals/{result.ServicePrincipalId}/appRoleAssignments"))["value"]!.AsArray();
            Assert.Equal("18a4783c-866b-4cc7-a460-3d5e5662c884", (string?)Assert.Single(assignments)!["appRoleId"]);
        }

        [Fact]
        public async Task Adopting_an_existing_app_by_client_id_sets_its_uniqueName()
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            var created = JsonNode.Parse(await (await http.PostAsync("https://graph.microsoft.com/v1.0/applications",
                new StringContent("{\"displayName\":\"WBE by hand\",\"signInAudience\":\"AzureADMyOrg\"}", System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
            var result = await RunAsync(new WriteBack().For("WBE by hand", adoptClientId: (string)created["appId"]!));
            Assert.Equal((string?)created["id"], result.ObjectId);
            Assert.Contains("Set uniqueName entraappkit-writeback-wbe-by-hand on 'WBE by hand' so later runs find it", result.Changes);
            Assert.Equal("entraappkit-writeback-wbe-by-hand", (string?)(await GetAsync($"/applications/{result.ObjectId}"))["uniqueName"]);
        }
    }
}
