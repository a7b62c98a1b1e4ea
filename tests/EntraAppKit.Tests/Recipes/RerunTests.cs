using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>Re-runs respect the administrator: what the recipe does not set stays (and the run says so) unless -Exclusive.</summary>
    public class RerunTests : IDisposable
    {
        private const string Graph = "00000003-0000-0000-c000-000000000000";
        private const string MailRead = "570282fd-fa5c-430d-a7fd-fc8dc98a9dca"; // Mail.Read, delegated (learn.microsoft.com/graph/permissions-reference)
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly RecipeEngine _engine;
        private readonly HttpClient _http;

        public RerunTests()
        {
            _session = _tenant.Session();
            _engine = new RecipeEngine(_session, new LagRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400) });
            _http = new HttpClient(_tenant.CreateHandler());
        }

        public void Dispose()
        {
            _session.Dispose();
            _http.Dispose();
        }

        private async Task<JsonObject> GetAsync(string path) =>
            JsonNode.Parse(await _http.GetStringAsync("https://graph.microsoft.com/v1.0" + path))!.AsObject();

        private async Task PatchAsync(string path, JsonObject body)
        {
            var response = await _http.PatchAsync("https://graph.microsoft.com/v1.0" + path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        /// <summary>What an administrator does in the portal: adds delegated Mail.Read (and consents to it) and a redirect URI.</summary>
        private async Task AdministratorAddsAsync(AppRegistrationResult app, bool consent)
        {
            var current = await GetAsync($"/applications/{app.ObjectId}");
            var rra = (JsonArray)current["requiredResourceAccess"]!.DeepClone();
            var graph = rra.FirstOrDefault(r => (string?)r!["resourceAppId"] == Graph)?.AsObject();
            if (graph == null) rra.Add(graph = new JsonObject { ["resourceAppId"] = Graph, ["resourceAccess"] = new JsonArray() });
            graph["resourceAccess"]!.AsArray().Add(new JsonObject { ["id"] = MailRead, ["type"] = "Scope" });
            var web = (JsonObject)current["web"]!.DeepClone();
            web["redirectUris"]!.AsArray().Add("https://admin.contoso.com/added");
            await PatchAsync($"/applications/{app.ObjectId}", new JsonObject { ["requiredResourceAccess"] = rra, ["web"] = web });
            if (!consent) return;
            var grants = (await GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{app.ServicePrincipalId}'"))["value"]!.AsArray();
            var graphSp = (string)(await GetAsync($"/servicePrincipals(appId='{Graph}')?$select=id"))["id"]!;
            var grant = grants.FirstOrDefault(g => (string?)g!["resourceId"] == graphSp);
            if (grant != null) await PatchAsync($"/oauth2PermissionGrants/{(string)grant["id"]!}", new JsonObject { ["scope"] = (string)grant["scope"]! + " Mail.Read" });
            else (await _http.PostAsync("https://graph.microsoft.com/v1.0/oauth2PermissionGrants", new StringContent(new JsonObject
            {
                ["clientId"] = app.ServicePrincipalId, ["consentType"] = "AllPrincipals", ["resourceId"] = graphSp, ["scope"] = "Mail.Read",
            }.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        private async Task<string[]> RequiredIdsAsync(string objectId) =>
            (await GetAsync($"/applications/{objectId}"))["requiredResourceAccess"]!.AsArray()
                .SelectMany(r => r!["resourceAccess"]!.AsArray().Select(a => (string)a!["id"]!)).OrderBy(x => x, StringComparer.Ordinal).ToArray();

        [Fact]
        public async Task A_rerun_keeps_a_permission_and_a_redirect_uri_an_administrator_added_and_says_so()
        {
            var first = await _engine.RunAsync(new Rewst().For("Rewst Kept"));
            await AdministratorAddsAsync(first, consent: false);
            _tenant.RequestLog.Clear();

            var again = await _engine.RunAsync(new Rewst().For("Rewst Kept"));

            Assert.Empty(again.Changes);
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
            var kept = Assert.Single(again.Warnings, w => w.StartsWith("Kept what 'Rewst Kept' has", StringComparison.Ordinal));
            Assert.Contains("permission Microsoft Graph Mail.Read (Delegated)", kept);
            Assert.Contains("web redirect URI https://admin.contoso.com/added", kept);
            Assert.Contains("-Exclusive", kept);
            Assert.Contains(MailRead, await RequiredIdsAsync(first.ObjectId));
        }

        [Fact]
        public async Task Exclusive_removes_what_the_recipe_does_not_set()
        {
            var first = await _engine.RunAsync(new Rewst().For("Rewst Exclusive"));
            await AdministratorAddsAsync(first, consent: false);

            var again = await _engine.RunAsync(new Rewst().For("Rewst Exclusive", exclusive: true));

            Assert.Contains("Remove required permission Microsoft Graph Mail.Read (Delegated) from 'Rewst Exclusive'", again.Changes);
            Assert.Contains("Remove web redirect URI https://admin.contoso.com/added from 'Rewst Exclusive'", again.Changes);
            Assert.DoesNotContain(MailRead, await RequiredIdsAsync(first.ObjectId));
            Assert.Equal(new[] { Rewst.RedirectUri }, (await GetAsync($"/applications/{first.ObjectId}"))["web"]!["redirectUris"]!.AsArray().Select(u => (string)u!));
        }

        [Fact]
        public async Task Least_privilege_still_removes_the_recipes_own_broad_permissions_but_keeps_an_administrators_and_its_consent()
        {
            var first = await _engine.RunAsync(new KonnectDcr().For(KonnectDcr.DefaultName));
            await AdministratorAddsAsync(first, consent: true);

            var least = await _engine.RunAsync(new KonnectDcr { LeastPrivilege = true }.For(KonnectDcr.DefaultName));

            Assert.Contains("Remove required permission Microsoft Graph Application.ReadWrite.All (Application) from 'Konnect DCR'", least.Changes);
            Assert.Contains("Revoke admin consent for Microsoft Graph Application.ReadWrite.All (Application)", least.Changes);
            Assert.DoesNotContain(least.Changes, c => c.Contains("Mail.Read"));
            Assert.Contains(MailRead, await RequiredIdsAsync(first.ObjectId));
            var grant = Assert.Single((await GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{first.ServicePrincipalId}'"))["value"]!.AsArray())!;
            Assert.Equal(new[] { "Mail.Read", "User.Read" }, ((string)grant["scope"]!).Split(' ').OrderBy(s => s, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Creating_beside_an_app_of_the_same_name_warns_and_names_the_app_to_adopt()
        {
            var made = JsonNode.Parse(await (await _http.PostAsync("https://graph.microsoft.com/v1.0/applications",
                new StringContent("{\"displayName\":\"WriteBackExtreme\",\"signInAudience\":\"AzureADMyOrg\"}", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())!;

            var plan = await _engine.PlanAsync(new WriteBack().For("WriteBackExtreme"));

            var warning = Assert.Single(plan.Warnings, w => w.Contains("already exists in this tenant"));
            Assert.Contains((string)made["appId"]!, warning);
            Assert.Contains($"-ClientId {(string)made["appId"]!}", warning);
            Assert.Equal(1, _tenant.RequestLog.SuccessfulWrites); // the portal's create; planning writes nothing
        }

        [Fact]
        public async Task Secrets_are_named_by_recipe_and_date_and_never_twice()
        {
            var first = await _engine.RunAsync(new WriteBack().For("WBE Names"));
            await _engine.RunAsync(new WriteBack().For("WBE Names", newSecret: true));
            var again = await _engine.RunAsync(new WriteBack().For("WBE Names"));

            string day = $"{DateTimeOffset.UtcNow:yyyy-MM-dd}";
            var names = (await GetAsync($"/applications/{first.ObjectId}"))["passwordCredentials"]!.AsArray().Select(p => (string)p!["displayName"]!).ToList();
            Assert.Equal(new[] { $"WriteBackExtreme {day}", $"WriteBackExtreme {day} #2" }, names.OrderBy(n => n, StringComparer.Ordinal));
            // A re-run without -NewSecret says which secrets exist and how to get a new one.
            var warning = Assert.Single(again.Warnings, w => w.Contains("already has 2 client secrets"));
            Assert.Contains($"'WriteBackExtreme {day}'", warning);
            Assert.Contains("-NewSecret", warning);
        }
    }
}
