using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// Runs that race on one tenant: "already exists" from Graph is success for a desired-state engine (the run re-reads and
    /// continues), and a read-modify-write (Add-WriteBackRedirectUri) never loses another writer's values silently.
    /// </summary>
    public class ConcurrencyTests
    {
        public static TheoryData<string> Recipes => new TheoryData<string> { "Rewst", "CmgServer", "CmgClient", "WriteBack", "KonnectDcr", "General" };

        private static LagRetryPolicy Fast() => new LagRetryPolicy
        {
            InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200), Budget = TimeSpan.FromSeconds(20), ResourceBudget = TimeSpan.FromSeconds(5),
        };

        private static AppRecipe Build(string recipe, string? serverClientId) => recipe switch
        {
            "Rewst" => new Rewst { PreConsent = true }.For(Rewst.DefaultName),
            "CmgServer" => new CmgServer { EnableUserDiscovery = true }.For(CmgServer.DefaultName),
            "CmgClient" => new CmgClient { ServerClientId = serverClientId! }.For(CmgClient.DefaultName),
            "WriteBack" => new WriteBack().For(WriteBack.DefaultName),
            "KonnectDcr" => new KonnectDcr().For(KonnectDcr.DefaultName),
            _ => General(),
        };

        private static AppRecipe General()
        {
            var o = new General { GrantAdminConsent = true };
            o.IdentifierUris.Add("api://{appId}");
            o.DelegatedPermissions.Add("User.Read");
            o.DelegatedPermissions.Add("offline_access");
            o.ApplicationPermissions.Add("User.Read.All");
            o.ApplicationPermissions.Add("Group.Read.All");
            return o.For("General Race");
        }

        private static async Task<string?> ServerFor(string recipe, LocalTenant.LocalTenantEngine tenant)
        {
            if (recipe != "CmgClient") return null;
            using var session = tenant.Session();
            return (await new RecipeEngine(session, Fast()).RunAsync(new CmgServer().For(CmgServer.DefaultName))).ClientId;
        }

        private static async Task<JsonObject> GetAsync(LocalTenant.LocalTenantEngine tenant, string path)
        {
            using var http = new HttpClient(tenant.CreateHandler());
            return JsonNode.Parse(await http.GetStringAsync("https://graph.microsoft.com/v1.0" + path))!.AsObject();
        }

        /// <summary>What the tenant holds for the app: how many applications and service principals by its name, and its consent.</summary>
        private static async Task<(int Apps, int ServicePrincipals, int Grants, int Assignments, string Scopes)> StateAsync(LocalTenant.LocalTenantEngine tenant, string displayName, string appId)
        {
            string name = Uri.EscapeDataString(displayName.Replace("'", "''"));
            int apps = (await GetAsync(tenant, $"/applications?$filter=displayName eq '{name}'"))["value"]!.AsArray().Count;
            var sps = (await GetAsync(tenant, $"/servicePrincipals?$filter=appId eq '{appId}'"))["value"]!.AsArray();
            if (sps.Count == 0) return (apps, 0, 0, 0, "");
            string spId = (string)sps[0]!["id"]!;
            var grants = (await GetAsync(tenant, $"/oauth2PermissionGrants?$filter=clientId eq '{spId}'"))["value"]!.AsArray();
            var assignments = (await GetAsync(tenant, $"/servicePrincipals/{spId}/appRoleAssignments"))["value"]!.AsArray();
            string scopes = string.Join(" | ", grants.Select(g => string.Join(" ", ((string)g!["scope"]!).Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderBy(x => x))).OrderBy(x => x));
            return (apps, sps.Count, grants.Count, assignments.Count, scopes);
        }

        /// <summary>
        /// The deterministic interleaving behind the 409s: two runs plan against the same empty tenant, then apply one after the
        /// other. The second meets every create already made (the app by its uniqueName, the service principal's 409, the grants'
        /// and assignments' duplicates) and must converge on the first one's objects.
        /// </summary>
        [Theory]
        [MemberData(nameof(Recipes))]
        public async Task A_run_whose_creates_were_made_by_another_run_since_its_plan_succeeds_on_the_same_objects(string recipe)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            string? server = await ServerFor(recipe, tenant);
            using var a = tenant.Session();
            using var b = tenant.Session();
            var engineA = new RecipeEngine(a, Fast());
            var engineB = new RecipeEngine(b, Fast());
            var planA = await engineA.PlanAsync(Build(recipe, server));
            var planB = await engineB.PlanAsync(Build(recipe, server));

            var first = await engineA.ApplyAsync(planA);
            var second = await engineB.ApplyAsync(planB);

            Assert.Equal(first.ClientId, second.ClientId);
            Assert.Equal(first.ServicePrincipalId, second.ServicePrincipalId);
            var solo = LocalTenant.LocalTenantEngine.Create();
            string? soloServer = await ServerFor(recipe, solo);
            using (var s = solo.Session())
            {
                var alone = await new RecipeEngine(s, Fast()).RunAsync(Build(recipe, soloServer));
                var expected = await StateAsync(solo, alone.DisplayName, alone.ClientId);
                Assert.Equal(expected, await StateAsync(tenant, first.DisplayName, first.ClientId));
            }
            Assert.Contains(tenant.RequestLog.Entries, e => e.Method == "POST" && e.Path == "/servicePrincipals" && e.Status == 409);
        }

        /// <summary>Real concurrency: several runs of one recipe at once, each in its own session, make one app and one service principal, and all succeed.</summary>
        [Theory]
        [MemberData(nameof(Recipes))]
        public async Task Parallel_runs_of_one_recipe_all_succeed_with_one_app_and_one_service_principal(string recipe)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            string? server = await ServerFor(recipe, tenant);
            var sessions = Enumerable.Range(0, 6).Select(_ => tenant.Session()).ToList();
            try
            {
                var results = await Task.WhenAll(sessions.Select(s => Task.Run(() => new RecipeEngine(s, Fast()).RunAsync(Build(recipe, server)))));
                Assert.Single(results.Select(r => r.ClientId).Distinct());
                Assert.Single(results.Select(r => r.ServicePrincipalId).Distinct());
                var state = await StateAsync(tenant, results[0].DisplayName, results[0].ClientId);
                Assert.Equal((1, 1), (state.Apps, state.ServicePrincipals));
                // And the app is the recipe's: a calm re-run changes nothing.
                using var again = tenant.Session();
                var rerun = await new RecipeEngine(again, Fast()).RunAsync(Build(recipe, server));
                Assert.True(rerun.Changes.Count == 0, string.Join(" | ", rerun.Changes));
            }
            finally
            {
                foreach (var s in sessions) s.Dispose();
            }
        }

        private static async Task<(LocalTenant.LocalTenantEngine Tenant, string ClientId)> WriteBackAppAsync(params string[] existing)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var app = await new RecipeEngine(session, Fast()).RunAsync(new WriteBack().For(WriteBack.DefaultName, secretLifetimeMonths: null));
            if (existing.Length > 0)
            {
                var ops = new AppRegistrationOperations(session, Fast());
                await ops.ApplyAddWebRedirectUrisAsync(await ops.PlanAddWebRedirectUrisAsync(app.ClientId, existing));
            }
            return (tenant, app.ClientId);
        }

        private static async Task<List<string>> RedirectUrisAsync(LocalTenant.LocalTenantEngine tenant, string clientId) =>
            (await GetAsync(tenant, $"/applications(appId='{clientId}')"))["web"]!["redirectUris"]!.AsArray().Select(u => (string)u!).ToList();

        /// <summary>
        /// The lost update, deterministically: both writers read the same list (their plans), then write one after the other.
        /// Before the fix the second PATCH replaced the list with its own read plus its URIs, dropping the first one's.
        /// </summary>
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(3)]
        public async Task Two_writers_that_planned_on_the_same_list_keep_both_sets_of_uris(int existingCount)
        {
            var existing = Enumerable.Range(1, existingCount).Select(i => $"https://wbe.contoso.com/existing/{i}").ToArray();
            var (tenant, clientId) = await WriteBackAppAsync(existing);
            using var a = tenant.Session();
            using var b = tenant.Session();
            var opsA = new AppRegistrationOperations(a, Fast());
            var opsB = new AppRegistrationOperations(b, Fast());
            var planA = await opsA.PlanAddWebRedirectUrisAsync(clientId, new[] { "https://wbe.contoso.com/a/1", "https://wbe.contoso.com/a/2" });
            var planB = await opsB.PlanAddWebRedirectUrisAsync(clientId, new[] { "https://wbe.contoso.com/b/1" });

            await opsA.ApplyAddWebRedirectUrisAsync(planA);
            var output = await opsB.ApplyAddWebRedirectUrisAsync(planB);

            var expected = existing.Concat(new[] { "https://wbe.contoso.com/a/1", "https://wbe.contoso.com/a/2", "https://wbe.contoso.com/b/1" }).ToList();
            Assert.Equal(expected, await RedirectUrisAsync(tenant, clientId));
            Assert.Equal(expected, output.WebRedirectUris);
        }

        /// <summary>Real concurrency: writers in parallel, each with its own URIs; every URI a writer reported as added is there at the end.</summary>
        [Theory]
        [InlineData(2)]
        [InlineData(4)]
        [InlineData(8)]
        public async Task Parallel_writers_with_different_uris_lose_none(int writers)
        {
            var (tenant, clientId) = await WriteBackAppAsync("https://wbe.contoso.com/existing");
            var sessions = Enumerable.Range(0, writers).Select(_ => tenant.Session()).ToList();
            try
            {
                var outcomes = await Task.WhenAll(sessions.Select((s, i) => Task.Run(async () =>
                {
                    var ops = new AppRegistrationOperations(s, Fast());
                    var mine = new[] { $"https://wbe.contoso.com/w{i}/callback", $"https://wbe.contoso.com/w{i}/return" };
                    try
                    {
                        await ops.ApplyAddWebRedirectUrisAsync(await ops.PlanAddWebRedirectUrisAsync(clientId, mine));
                        return (Uris: mine, Error: (EntraAppKitException?)null);
                    }
                    catch (EntraAppKitException e) { return (Uris: mine, Error: e); }
                })));
                var final = await RedirectUrisAsync(tenant, clientId);
                Assert.Contains("https://wbe.contoso.com/existing", final);
                foreach (var (uris, error) in outcomes)
                {
                    // Never silent: a writer either has all of its URIs in the app, or was told which did not stay.
                    if (error == null) Assert.All(uris, u => Assert.Contains(u, final));
                    else Assert.Equal(ErrorIds.ConcurrentUpdate, error.ErrorId);
                }
                Assert.Contains(outcomes, o => o.Error == null);
            }
            finally
            {
                foreach (var s in sessions) s.Dispose();
            }
        }

        private static AppRecipe GeneralWith(params string[] webUris)
        {
            var g = new General();
            foreach (var u in webUris) g.WebRedirectUris.Add(u);
            return g.For("Recipe Rerun Race", secretLifetimeMonths: null);
        }

        /// <summary>
        /// A recipe re-run that updates the app, planned before another writer added a URI (a -Confirm prompt is minutes long):
        /// its PATCH, which replaces the whole redirectUris collection, must not drop the other writer's URI.
        /// </summary>
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(4)]
        public async Task A_recipe_update_planned_before_another_writer_keeps_that_writers_uris(int others)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var engine = new RecipeEngine(session, Fast());
            var app = await engine.RunAsync(GeneralWith("https://app.contoso.com/one"));
            var plan = await engine.PlanAsync(GeneralWith("https://app.contoso.com/one", "https://app.contoso.com/two"));

            var ops = new AppRegistrationOperations(session, Fast());
            var theirs = Enumerable.Range(1, others).Select(i => $"https://admin.contoso.com/{i}").ToArray();
            await ops.ApplyAddWebRedirectUrisAsync(await ops.PlanAddWebRedirectUrisAsync(app.ClientId, theirs));
            await engine.ApplyAsync(plan);

            var final = await RedirectUrisAsync(tenant, app.ClientId);
            Assert.All(theirs.Concat(new[] { "https://app.contoso.com/one", "https://app.contoso.com/two" }), u => Assert.Contains(u, final));
        }

        /// <summary>Real concurrency: recipe re-runs that add URIs and Add-WriteBackRedirectUri writers at once; no one's URI is lost silently.</summary>
        [Theory]
        [InlineData(2)]
        [InlineData(6)]
        public async Task Recipe_updates_and_uri_writers_in_parallel_lose_nothing(int writers)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            string clientId;
            using (var setup = tenant.Session()) clientId = (await new RecipeEngine(setup, Fast()).RunAsync(GeneralWith("https://app.contoso.com/one"))).ClientId;
            var sessions = Enumerable.Range(0, writers + 1).Select(_ => tenant.Session()).ToList();
            try
            {
                var recipeUris = new[] { "https://app.contoso.com/one", "https://app.contoso.com/two", "https://app.contoso.com/three" };
                var tasks = sessions.Take(writers).Select((s, i) => Task.Run(async () =>
                {
                    var ops = new AppRegistrationOperations(s, Fast());
                    var mine = new[] { $"https://admin.contoso.com/w{i}" };
                    try { await ops.ApplyAddWebRedirectUrisAsync(await ops.PlanAddWebRedirectUrisAsync(clientId, mine)); return (mine, (EntraAppKitException?)null); }
                    catch (EntraAppKitException e) { return (mine, e); }
                })).Append(Task.Run(async () =>
                {
                    try { await new RecipeEngine(sessions[writers], Fast()).RunAsync(GeneralWith(recipeUris)); return (recipeUris, (EntraAppKitException?)null); }
                    catch (EntraAppKitException e) { return (recipeUris, e); }
                })).ToList();
                var outcomes = await Task.WhenAll(tasks);
                var final = await RedirectUrisAsync(tenant, clientId);
                foreach (var (uris, error) in outcomes)
                {
                    if (error == null) Assert.All(uris, u => Assert.Contains(u, final));
                    else Assert.Equal(ErrorIds.ConcurrentUpdate, error.ErrorId);
                }
            }
            finally
            {
                foreach (var s in sessions) s.Dispose();
            }
        }

        /// <summary>Grant-AdminConsent twice at once on an app without a service principal: both plan its creation and every grant; the second converges on the first's.</summary>
        [Theory]
        [InlineData("User.Read")]
        [InlineData("User.Read", "User.Read.All")]
        [InlineData("User.Read", "offline_access", "Group.Read.All", "User.Read.All")]
        public async Task Grant_admin_consent_planned_twice_on_the_same_app_grants_once(params string[] permissions)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var a = tenant.Session();
            using var b = tenant.Session();
            var g = new General();
            foreach (var p in permissions)
                (p.EndsWith(".All", StringComparison.Ordinal) ? g.ApplicationPermissions : g.DelegatedPermissions).Add(p);
            var app = await new RecipeEngine(a, Fast()).RunAsync(g.For("Consent Race", secretLifetimeMonths: null));
            // Remove the service principal the recipe made: Grant-AdminConsent must create it, as for an app made elsewhere.
            using (var http = new HttpClient(tenant.CreateHandler()))
                Assert.True((await http.DeleteAsync($"https://graph.microsoft.com/v1.0/servicePrincipals/{app.ServicePrincipalId}")).IsSuccessStatusCode);
            var opsA = new AdminConsentOperation(a, Fast());
            var opsB = new AdminConsentOperation(b, Fast());
            var planA = await opsA.PlanAsync(app.ClientId);
            var planB = await opsB.PlanAsync(app.ClientId);

            await opsA.ApplyAsync(planA);
            await opsB.ApplyAsync(planB);

            var state = await StateAsync(tenant, "Consent Race", app.ClientId);
            int delegated = permissions.Count(p => !p.EndsWith(".All", StringComparison.Ordinal));
            Assert.Equal((1, 1, delegated > 0 ? 1 : 0, permissions.Length - delegated), (state.Apps, state.ServicePrincipals, state.Grants, state.Assignments));
            Assert.Equal(string.Join(" ", permissions.Where(p => !p.EndsWith(".All", StringComparison.Ordinal)).OrderBy(x => x)), state.Scopes);
        }
    }
}
