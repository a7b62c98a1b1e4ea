using System;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>Every recipe completes under replication lag and throttling (learn.microsoft.com/graph/throttling; replication lag: learn.microsoft.com/graph/errors), and planning (-WhatIf) writes nothing.</summary>
    public class ResilienceTests
    {
        public static TheoryData<string> Recipes => new TheoryData<string> { "Rewst", "CmgServer", "CmgClient", "WriteBack", "KonnectDcr", "General" };

        private static async Task<AppRecipe> BuildAsync(string recipe, RecipeEngine engine)
        {
            switch (recipe)
            {
                case "Rewst": return new Rewst { PreConsent = true }.For(Rewst.DefaultName);
                case "CmgServer": return new CmgServer { EnableUserDiscovery = true }.For(CmgServer.DefaultName);
                case "CmgClient":
                    var server = await engine.RunAsync(new CmgServer().For(CmgServer.DefaultName));
                    return new CmgClient { ServerClientId = server.ClientId }.For(CmgClient.DefaultName);
                case "WriteBack": return new WriteBack().For(WriteBack.DefaultName);
                case "KonnectDcr": return new KonnectDcr().For(KonnectDcr.DefaultName);
                default:
                    var o = new General { GrantAdminConsent = true };
                    o.IdentifierUris.Add("api://{appId}");
                    o.DelegatedPermissions.Add("User.Read");
                    o.ApplicationPermissions.Add("User.Read.All");
                    return o.For("General");
            }
        }

        private static RecipeEngine Engine(GraphSession session) => new RecipeEngine(session, new LagRetryPolicy
        {
            InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(300), Budget = TimeSpan.FromSeconds(30), ResourceBudget = TimeSpan.FromSeconds(10),
        });

        [Theory]
        [MemberData(nameof(Recipes))]
        public async Task Completes_under_replication_lag_and_throttling(string recipe)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var engine = Engine(session);
            var built = await BuildAsync(recipe, engine);
            tenant.RequestLog.Clear();
            tenant.Faults.ReplicationLag = TimeSpan.FromMilliseconds(400);
            tenant.Faults.Throttle(1, TimeSpan.FromSeconds(0.1), "POST");
            tenant.Faults.Throttle(1, TimeSpan.FromSeconds(0.1), "GET");
            tenant.Faults.Fail(1, 503, TimeSpan.FromSeconds(0.1), "PATCH");

            var result = await engine.RunAsync(built);

            Assert.NotNull(result.ServicePrincipalId);
            var log = tenant.RequestLog.Entries;
            Assert.Contains(log, e => e.Status == 429);
            Assert.Contains(log, e => e.Status == 503);
            Assert.Contains(log, e => e.Status == 404 || (e.Status == 400 && e.Path == "/servicePrincipals")); // lag met and retried

            // And the result is what a calm run produces: a re-run (after the lag) changes nothing.
            await Task.Delay(450);
            tenant.RequestLog.Clear();
            var again = await engine.RunAsync(built);
            Assert.True(again.Changes.Count == 0, string.Join(" | ", again.Changes));
            Assert.Equal(0, tenant.RequestLog.SuccessfulWrites);
        }

        [Theory]
        [MemberData(nameof(Recipes))]
        public async Task Planning_lists_changes_and_writes_nothing(string recipe)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var engine = Engine(session);
            var built = await BuildAsync(recipe, engine);
            tenant.RequestLog.Clear();
            var plan = await engine.PlanAsync(built);
            Assert.NotEmpty(plan.Changes);
            Assert.StartsWith("Create application", plan.Changes[0].Description);
            Assert.Equal(0, tenant.RequestLog.Entries.Count(e => e.IsWrite));
        }
    }
}
