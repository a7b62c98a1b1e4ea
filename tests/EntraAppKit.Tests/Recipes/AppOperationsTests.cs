using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>Get, Add-WriteBackRedirectUri, Grant-AdminConsent, Remove and the general recipe (any vendor's instructions), through the core API.</summary>
    public class AppOperationsTests : IDisposable
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly AppRegistrationOperations _ops;
        private readonly AdminConsentOperation _consent;
        private readonly RecipeEngine _engine;

        public AppOperationsTests()
        {
            _session = _tenant.Session();
            var retry = new LagRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400), Budget = TimeSpan.FromSeconds(20) };
            _ops = new AppRegistrationOperations(_session, retry);
            _consent = new AdminConsentOperation(_session, retry);
            _engine = new RecipeEngine(_session, retry);
        }

        public void Dispose() => _session.Dispose();

        private async Task<JsonObject> GetAsync(string path)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            return JsonNode.Parse(await http.GetStringAsync("https://graph.microsoft.com/v1.0" + path))!.AsObject();
        }

        [Fact]
        public async Task Add_redirect_uris_keeps_existing_ones_ignores_duplicates_and_requires_https()
        {
            var wbe = await _engine.RunAsync(new WriteBack().For(WriteBack.DefaultName));
            var plan = await _ops.PlanAddWebRedirectUrisAsync(wbe.ClientId, new[] { "https://wbe.contoso.com/backend/oauth/callback", "https://wbe.contoso.com/oauth/return" });
            Assert.Equal(2, plan.Changes.Count);
            var app = await _ops.ApplyAddWebRedirectUrisAsync(plan);
            Assert.Equal(new[] { "https://wbe.contoso.com/backend/oauth/callback", "https://wbe.contoso.com/oauth/return" }, app.WebRedirectUris);

            _tenant.RequestLog.Clear();
            var again = await _ops.PlanAddWebRedirectUrisAsync(wbe.ClientId, new[] { "https://wbe.contoso.com/oauth/return", "http://localhost:8080/cb" });
            Assert.Equal(new[] { "Add web redirect URI http://localhost:8080/cb to 'WriteBackExtreme'" }, again.Changes.Select(c => c.Description));
            await _ops.ApplyAddWebRedirectUrisAsync(again);
            var stored = await GetAsync($"/applications/{wbe.ObjectId}");
            Assert.Equal(3, stored["web"]!["redirectUris"]!.AsArray().Count);
            Assert.Single(_tenant.RequestLog.Entries, e => e.IsWrite);

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _ops.PlanAddWebRedirectUrisAsync(wbe.ClientId, new[] { "http://wbe.contoso.com/cb" }));
            Assert.Equal(ErrorIds.InvalidRecipeInput, e.ErrorId);
        }

        [Fact]
        public async Task Grant_admin_consent_grants_what_the_app_requires_and_is_idempotent()
        {
            var general = new General();
            general.DelegatedPermissions.Add("User.Read");
            general.DelegatedPermissions.Add("Microsoft Graph/Mail.Send");
            general.ApplicationPermissions.Add("User.Read.All");
            var app = await _engine.RunAsync(general.For("Vendor App"));

            var plan = await _consent.PlanAsync(app.ClientId);
            var rows = await _consent.ApplyAsync(plan);
            Assert.Equal(new[] { ("Mail.Send", "Delegated", "Granted"), ("User.Read", "Delegated", "Granted"), ("User.Read.All", "Application", "Granted") },
                rows.Select(r => (r.Permission, r.Type, r.Status)).OrderBy(r => r.Permission));
            Assert.All(rows, r => Assert.Equal("Microsoft Graph", r.Resource));

            _tenant.RequestLog.Clear();
            var again = await _consent.ApplyAsync(await _consent.PlanAsync(app.ClientId));
            Assert.All(again, r => Assert.Equal("AlreadyGranted", r.Status));
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(x => x.IsWrite));
            var grant = Assert.Single((await GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{app.ServicePrincipalId}'"))["value"]!.AsArray())!;
            Assert.Equal("User.Read Mail.Send", (string?)grant["scope"]);
        }

        [Fact]
        public async Task Grant_admin_consent_restricted_by_permission_and_creates_a_missing_service_principal()
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            string body = "{\"displayName\":\"Hand made\",\"signInAudience\":\"AzureADMyOrg\",\"requiredResourceAccess\":[{\"resourceAppId\":\"00000003-0000-0000-c000-000000000000\",\"resourceAccess\":[" +
                "{\"id\":\"e1fe6dd8-ba31-4d61-89e7-88639da4683d\",\"type\":\"Scope\"},{\"id\":\"7ab1d382-f21e-4acd-a863-ba3e13f7da61\",\"type\":\"Role\"}]}]}";
            var created = JsonNode.Parse(await (await http.PostAsync("https://graph.microsoft.com/v1.0/applications", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
            string clientId = (string)created["appId"]!;

            var plan = await _consent.PlanAsync(clientId, new[] { "Directory.Read.All" });
            Assert.Contains(plan.Changes, c => c.Description.StartsWith("Create the service principal", StringComparison.Ordinal));
            var rows = await _consent.ApplyAsync(plan);
            var row = Assert.Single(rows);
            Assert.Equal(("Directory.Read.All", "Application", "Granted"), (row.Permission, row.Type, row.Status));
            Assert.Null((string?)(await GetAsync($"/applications/{(string)created["id"]!}"))["uniqueName"]); // consent does not claim the app

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _consent.PlanAsync(clientId, new[] { "Mail.Send" }));
            Assert.Equal(ErrorIds.UnknownPermission, e.ErrorId);
            Assert.Contains("does not require 'Mail.Send'", e.Message);
        }

        [Fact]
        public async Task Grant_admin_consent_never_writes_the_application()
        {
            // An app made by hand, unlike anything a recipe makes: no uniqueName, personal accounts too, a web redirect, ID tokens off.
            using var http = new HttpClient(_tenant.CreateHandler());
            string body = "{\"displayName\":\"By hand\",\"signInAudience\":\"AzureADandPersonalMicrosoftAccount\",\"web\":{\"redirectUris\":[\"https://app.contoso.com/cb\"]}," +
                "\"requiredResourceAccess\":[{\"resourceAppId\":\"00000003-0000-0000-c000-000000000000\",\"resourceAccess\":[" +
                "{\"id\":\"e1fe6dd8-ba31-4d61-89e7-88639da4683d\",\"type\":\"Scope\"},{\"id\":\"df021288-bdef-4463-88db-98f22de89214\",\"type\":\"Role\"}]}]}";
            var created = JsonNode.Parse(await (await http.PostAsync("https://graph.microsoft.com/v1.0/applications", new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;
            string before = (await GetAsync($"/applications/{(string)created["id"]!}")).ToJsonString();
            // Any write to an application would fail loudly.
            foreach (var method in new[] { "PATCH", "POST", "DELETE" }) _tenant.Faults.Fail(100, 500, method: method, pathContains: "/applications");
            _tenant.RequestLog.Clear();

            var rows = await _consent.ApplyAsync(await _consent.PlanAsync((string)created["appId"]!));

            Assert.Equal(new[] { ("User.Read", "Granted"), ("User.Read.All", "Granted") }, rows.Select(r => (r.Permission, r.Status)).OrderBy(r => r.Permission));
            Assert.DoesNotContain(_tenant.RequestLog.Entries, e => e.IsWrite && e.Path.StartsWith("/applications", StringComparison.Ordinal));
            _tenant.Faults.Clear();
            Assert.Equal(before, (await GetAsync($"/applications/{(string)created["id"]!}")).ToJsonString());
        }

        [Fact]
        public async Task Find_by_client_id_unique_name_and_wildcards_and_report_the_next_secret_expiry()
        {
            var a = await _engine.RunAsync(new WriteBack().For("WBE Prod"));
            await _engine.RunAsync(new WriteBack().For("WBE Test"));
            await _engine.RunAsync(new Rewst().For("Rewst"));

            var byId = Assert.Single(await _ops.FindAsync(clientId: a.ClientId));
            Assert.Equal("WBE Prod", byId.DisplayName);
            Assert.Equal(a.SecretExpires, byId.NextSecretExpiry);
            Assert.Equal(1, byId.SecretCount);
            Assert.Equal("WBE Prod", Assert.Single(await _ops.FindAsync(uniqueName: a.UniqueName)).DisplayName);
            Assert.Equal(new[] { "WBE Prod", "WBE Test" }, (await _ops.FindAsync(displayName: "WBE*")).Select(x => x.DisplayName).OrderBy(x => x));
            Assert.Equal(new[] { "WBE Test" }, (await _ops.FindAsync(displayName: "*Test")).Select(x => x.DisplayName));
            Assert.Equal(3, (await _ops.FindAsync()).Count);
            Assert.Empty(await _ops.FindAsync(clientId: Guid.NewGuid().ToString()));
        }

        [Fact]
        public async Task Remove_deletes_the_app_and_its_service_principal()
        {
            var app = await _engine.RunAsync(new KonnectDcr().For(KonnectDcr.DefaultName));
            var plan = await _ops.PlanRemoveAsync(app.ClientId);
            Assert.StartsWith("Remove application 'Konnect DCR'", Assert.Single(plan.Changes).Description);
            await _ops.ApplyRemoveAsync(plan);
            Assert.Empty(await _ops.FindAsync(clientId: app.ClientId));
            Assert.Empty((await GetAsync($"/servicePrincipals?$filter=appId eq '{app.ClientId}'"))["value"]!.AsArray());
        }

        [Fact]
        public async Task General_recipe_builds_any_vendor_registration()
        {
            var o = new General
            {
                SignInAudience = "AzureADMultipleOrgs", AllowPublicClientFlows = true, EnableIdTokenIssuance = true, GrantAdminConsent = true,
            };
            o.WebRedirectUris.Add("https://app.contoso.com/signin-oidc");
            o.SpaRedirectUris.Add("https://spa.contoso.com");
            o.PublicClientRedirectUris.Add("ms-appx-web://Microsoft.AAD.BrokerPlugin/{appId}");
            o.IdentifierUris.Add("api://{appId}");
            o.Scopes.Add(new ExposedScope("access_as_user"));
            o.AppRoles.Add(new AppRoleDefinition("Reader"));
            o.DelegatedPermissions.Add("User.Read");
            var result = await _engine.RunAsync(o.For("Contoso API"));

            var app = await GetAsync($"/applications/{result.ObjectId}");
            Assert.Equal($"api://{result.ClientId}", (string?)app["identifierUris"]![0]);
            Assert.Equal($"ms-appx-web://Microsoft.AAD.BrokerPlugin/{result.ClientId}", (string?)app["publicClient"]!["redirectUris"]![0]);
            Assert.Equal("https://spa.contoso.com", (string?)app["spa"]!["redirectUris"]![0]);
            Assert.Equal("access_as_user", (string?)app["api"]!["oauth2PermissionScopes"]![0]!["value"]);
            Assert.Equal("Access Contoso API", (string?)app["api"]!["oauth2PermissionScopes"]![0]!["adminConsentDisplayName"]);
            Assert.Equal(new[] { "User", "Application" }, app["appRoles"]![0]!["allowedMemberTypes"]!.AsArray().Select(t => (string)t!));
            Assert.True((bool)app["isFallbackPublicClient"]!);
            Assert.Contains("Set Application ID URI api://{appId} on 'Contoso API' once its appId exists", result.Changes);

            _tenant.RequestLog.Clear();
            var again = await _engine.RunAsync(o.For("Contoso API"));
            Assert.Empty(again.Changes);
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(e => e.IsWrite));
        }

        [Fact]
        public async Task Permission_on_an_api_named_by_display_name()
        {
            var server = await _engine.RunAsync(new CmgServer().For("CMG-ServerApp"));
            var o = new General();
            o.DelegatedPermissions.Add("CMG-ServerApp/user_impersonation");
            var result = await _engine.RunAsync(o.For("Custom client", secretLifetimeMonths: null));
            var rra = (await GetAsync($"/applications/{result.ObjectId}"))["requiredResourceAccess"]!.AsArray();
            Assert.Equal(server.ClientId, (string?)Assert.Single(rra)!["resourceAppId"]);

            var bad = new General();
            bad.DelegatedPermissions.Add("No Such API/read");
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.RunAsync(bad.For("Bad")));
            Assert.Equal(ErrorIds.UnknownResource, e.ErrorId);
        }
    }
}
