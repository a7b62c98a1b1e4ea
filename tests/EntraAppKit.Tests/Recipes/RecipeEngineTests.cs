using System;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>The engine's promises: plans before writing, fails before any write on bad input, survives lag and throttling.</summary>
    public class RecipeEngineTests
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();

        private RecipeEngine Engine(GraphSession session) => new RecipeEngine(session, new LagRetryPolicy
        {
            InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400), Budget = TimeSpan.FromSeconds(20),
        });

        [Fact]
        public async Task Plan_lists_every_change_and_writes_nothing()
        {
            using var session = _tenant.Session();
            var plan = await Engine(session).PlanAsync(new Rewst { PreConsent = true }.For("Rewst WhatIf"));
            Assert.Equal(new[]
            {
                "Create application 'Rewst WhatIf' (uniqueName entraappkit-rewst-rewst-whatif; single tenant; web redirect URI " + Rewst.RedirectUri +
                    "; ID token issuance on; requires Microsoft Graph User.Read (Delegated))",
                $"Create the service principal of 'Rewst WhatIf' in tenant {_tenant.InitialDomain}",
                "Grant admin consent for Microsoft Graph User.Read (Delegated)",
                // Last, so that no later failure can leave a secret nobody holds; named by recipe and date, so secrets tell apart.
                $"Add client secret 'Rewst {DateTimeOffset.UtcNow:yyyy-MM-dd}' to 'Rewst WhatIf', expiring in 12 months",
            }, plan.Changes.Select(c => c.Description));
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(e => e.IsWrite));
        }

        [Fact]
        public async Task Unknown_permission_fails_before_any_write_and_suggests_real_names()
        {
            using var session = _tenant.Session();
            var rewst = new Rewst();
            rewst.DelegatedPermissions.Add("User.Raed");
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => Engine(session).RunAsync(rewst.For("Rewst Typo")));
            Assert.Equal(ErrorIds.UnknownPermission, e.ErrorId);
            Assert.Contains("Did you mean: User.Read", e.Message);
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(x => x.IsWrite));
        }

        /// <summary>
        /// Microsoft Graph's names resolve from the shipped catalog: the plan never downloads Graph's service principal, and an
        /// unknown name fails exactly as it did against the tenant's copy (same text, same suggestions).
        /// </summary>
        [Theory]
        [InlineData("User.Raed", false)]
        [InlineData("Application.ReadWrite.OwnedBy", false)]
        [InlineData("Directory.Raed.All", true)]
        [InlineData("User.Read", true)]
        public async Task Graph_names_resolve_from_the_catalog_with_the_tenants_own_error(string name, bool application)
        {
            using var session = _tenant.Session();
            var recipe = new General();
            (application ? recipe.ApplicationPermissions : recipe.DelegatedPermissions).Add(name);
            var type = application ? EntraAppKit.Core.Permissions.PermissionType.Application : EntraAppKit.Core.Permissions.PermissionType.Delegated;
            var graph = await session.Client.ServicePrincipalsWithAppId(EntraAppKit.Core.Permissions.MicrosoftGraph.AppId).GetAsync();
            var expected = Record.Exception(() => EntraAppKit.Core.Permissions.PermissionResolver.Resolve(new EntraAppKit.Core.Permissions.PermissionRequest(name, type), graph!));
            _tenant.RequestLog.Clear();

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => Engine(session).PlanAsync(recipe.For("Catalog Names")));
            Assert.Equal(expected!.Message, e.Message);
            Assert.Equal(ErrorIds.UnknownPermission, e.ErrorId);
            Assert.DoesNotContain(_tenant.RequestLog.Entries, x => x.Path.Contains(EntraAppKit.Core.Permissions.MicrosoftGraph.AppId));
        }

        [Fact]
        public async Task Application_only_permission_requested_as_delegated_says_so()
        {
            using var session = _tenant.Session();
            var rewst = new Rewst();
            rewst.DelegatedPermissions.Add("Application.ReadWrite.OwnedBy"); // application only (learn.microsoft.com/graph/permissions-reference)
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => Engine(session).RunAsync(rewst.For("Rewst Wrong Kind")));
            Assert.Contains("exists only as an application permission", e.Message);
        }

        [Fact]
        public async Task Permissions_by_guid_or_in_any_case_are_the_same_permission_shown_as_Graph_spells_it()
        {
            using var session = _tenant.Session();
            var general = new General { GrantAdminConsent = true };
            general.DelegatedPermissions.Add("user.read");
            general.DelegatedPermissions.Add("e1fe6dd8-ba31-4d61-89e7-88639da4683d"); // User.Read's id (learn.microsoft.com/graph/permissions-reference)
            general.ApplicationPermissions.Add("Microsoft Graph/df021288-bdef-4463-88db-98f22de89214"); // User.Read.All
            var result = await Engine(session).RunAsync(general.For("By Guid", secretLifetimeMonths: null));
            Assert.Contains(result.Changes, c => c.Contains("requires Microsoft Graph User.Read (Delegated); requires Microsoft Graph User.Read.All (Application)"));
            Assert.Contains("Grant admin consent for Microsoft Graph User.Read (Delegated)", result.Changes);
            Assert.DoesNotContain(result.Changes, c => c.Contains("user.read") || c.Contains("e1fe6dd8"));
            using var http = new System.Net.Http.HttpClient(_tenant.CreateHandler());
            var app = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"https://graph.microsoft.com/v1.0/applications/{result.ObjectId}"))!;
            Assert.Equal(2, app["requiredResourceAccess"]![0]!["resourceAccess"]!.AsArray().Count); // named twice, required once
        }

        [Fact]
        public async Task A_misspelt_API_name_gets_a_suggestion()
        {
            using var session = _tenant.Session();
            var general = new General();
            general.DelegatedPermissions.Add("Microsoft Grph/User.Read");
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => Engine(session).PlanAsync(general.For("Typo API")));
            Assert.Equal(ErrorIds.UnknownResource, e.ErrorId);
            Assert.Contains("Did you mean: Microsoft Graph?", e.Message);
        }

        [Fact]
        public async Task PreConsent_grants_all_delegated_scopes_in_one_AllPrincipals_grant_and_merges_later_ones()
        {
            using var session = _tenant.Session();
            var rewst = new Rewst { PreConsent = true };
            rewst.DelegatedPermissions.Add("Mail.Send");
            var result = await Engine(session).RunAsync(rewst.For("Rewst Consent"));

            rewst.DelegatedPermissions.Add("Calendars.Read");
            var second = await Engine(session).RunAsync(rewst.For("Rewst Consent"));
            Assert.Contains("Grant admin consent for Microsoft Graph Calendars.Read (Delegated)", second.Changes);
            Assert.Contains("Require Microsoft Graph Calendars.Read (Delegated) on 'Rewst Consent'", second.Changes);

            using var http = new System.Net.Http.HttpClient(_tenant.CreateHandler());
            var grants = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(
                $"https://graph.microsoft.com/v1.0/oauth2PermissionGrants?$filter=clientId eq '{result.ServicePrincipalId}'"))!["value"]!.AsArray();
            var grant = Assert.Single(grants);
            Assert.Equal("AllPrincipals", (string?)grant!["consentType"]);
            Assert.Equal(new[] { "Calendars.Read", "Mail.Send", "User.Read" }, ((string)grant["scope"]!).Split(' ').OrderBy(s => s, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Survives_replication_lag_and_shows_the_retries_in_the_request_log()
        {
            // New objects are invisible for a while (learn.microsoft.com/graph/errors, github.com/Azure/azure-cli/issues/21674); the engine retries with small capped backoff.
            _tenant.Faults.ReplicationLag = TimeSpan.FromMilliseconds(600);
            using var session = _tenant.Session();
            var result = await Engine(session).RunAsync(new Rewst { PreConsent = true }.For("Rewst Lag"));

            Assert.NotNull(result.ServicePrincipalId);
            Assert.NotNull(result.ClientSecret);
            var log = _tenant.RequestLog.Entries;
            Assert.Contains(log, e => e.Method == "POST" && e.Path == "/servicePrincipals" && e.Status == 400); // NoBackingApplicationObject
            Assert.Contains(log, e => e.Method == "POST" && e.Path == "/servicePrincipals" && e.Status == 201);
            // The grant that answered 404 had applied; the engine looked before posting again, so there is exactly one grant.
            Assert.Single(log, e => e.Method == "POST" && e.Path == "/oauth2PermissionGrants" && e.Status == 201 || e.Method == "POST" && e.Path == "/oauth2PermissionGrants" && e.Status == 404);
        }

        [Fact]
        public async Task Cancellation_interrupts_the_replication_lag_backoff()
        {
            // Ctrl+C becomes this token: a wait for replication must end with it, not run out its delay.
            _tenant.Faults.ReplicationLag = TimeSpan.FromMinutes(5);
            using var session = _tenant.Session();
            var engine = new RecipeEngine(session, new LagRetryPolicy { InitialDelay = TimeSpan.FromSeconds(60), MaxDelay = TimeSpan.FromSeconds(60), Budget = TimeSpan.FromMinutes(5) });
            var plan = await engine.PlanAsync(new WriteBack().For("WriteBack Cancelled"));
            using var cancel = new System.Threading.CancellationTokenSource();
            var apply = engine.ApplyAsync(plan, cancel.Token);
            // Cancel once the engine waits: the service principal's creation has met the lag.
            while (!_tenant.RequestLog.Entries.Any(e => e.Method == "POST" && e.Path == "/servicePrincipals" && e.Status == 400)) await Task.Delay(20);
            cancel.Cancel();
            var finished = await Task.WhenAny(apply, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Same(apply, finished);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => apply);
        }

        [Fact]
        public async Task Cancellation_interrupts_the_backoff_of_the_create_too()
        {
            // Another run creates the same uniqueName between our plan and our create; it is not replicated yet, so our upsert
            // meets Graph's 404 and waits: Ctrl+C must end that wait as well.
            using var session = _tenant.Session();
            var engine = new RecipeEngine(session, new LagRetryPolicy { InitialDelay = TimeSpan.FromSeconds(60), MaxDelay = TimeSpan.FromSeconds(60), Budget = TimeSpan.FromMinutes(5) });
            var plan = await engine.PlanAsync(new WriteBack().For("WriteBack Raced"));
            _tenant.Faults.ReplicationLag = TimeSpan.FromMinutes(5);
            using (var http = new System.Net.Http.HttpClient(_tenant.CreateHandler()))
            {
                var request = new System.Net.Http.HttpRequestMessage(new System.Net.Http.HttpMethod("PATCH"), $"https://graph.microsoft.com/v1.0/applications(uniqueName='{plan.UniqueName}')")
                {
                    Content = new System.Net.Http.StringContent("{\"displayName\":\"WriteBack Raced\",\"signInAudience\":\"AzureADMyOrg\"}", System.Text.Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Prefer", "create-if-missing");
                Assert.Equal(201, (int)(await http.SendAsync(request)).StatusCode);
            }
            _tenant.RequestLog.Clear();
            using var cancel = new System.Threading.CancellationTokenSource();
            var apply = engine.ApplyAsync(plan, cancel.Token);
            while (!_tenant.RequestLog.Entries.Any(e => e.Method == "PATCH" && e.Status == 404)) await Task.Delay(20);
            cancel.Cancel();
            var finished = await Task.WhenAny(apply, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Same(apply, finished);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => apply);
        }

        [Fact]
        public async Task Honours_fractional_429_Retry_After()
        {
            _tenant.Faults.Throttle(2, TimeSpan.FromSeconds(0.2), "POST", "/addPassword");
            using var session = _tenant.Session();
            var result = await Engine(session).RunAsync(new Rewst().For("Rewst Throttled"));
            Assert.NotNull(result.ClientSecret);
            var addPassword = _tenant.RequestLog.Entries.Where(e => e.Path.EndsWith("/addPassword", StringComparison.Ordinal)).Select(e => e.Status).ToList();
            Assert.Equal(new[] { 429, 429, 200 }, addPassword);
        }

        [Fact]
        public async Task Trace_lines_carry_method_path_status_request_id_and_never_the_secret()
        {
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var session = _tenant.Session(new GraphSessionOptions { Trace = lines.Enqueue });
            var result = await Engine(session).RunAsync(new Rewst().For("Rewst Trace"));
            string secret = (string)SecretText.Present(result.ClientSecret, true)!;
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l,
                @"^Graph POST /v1\.0/applications/[0-9a-f-]{36}/addPassword -> 200 \(request-id [0-9a-f-]{36}, \d+ ms\)$"));
            Assert.DoesNotContain(lines, l => l.Contains(secret));
        }

        [Fact]
        public async Task Changed_input_updates_only_what_changed()
        {
            using var session = _tenant.Session();
            await Engine(session).RunAsync(new Rewst().For("Rewst Change"));
            _tenant.RequestLog.Clear();
            var result = await Engine(session).RunAsync(new Rewst { MultiTenant = true }.For("Rewst Change", uniqueName: "entraappkit-rewst-rewst-change"));
            Assert.Equal(new[] { "Change 'Rewst Change' from single tenant to multitenant" }, result.Changes);
            Assert.Equal(new[] { "PATCH" }, _tenant.RequestLog.Entries.Where(e => e.IsWrite).Select(e => e.Method));
        }
    }
}
