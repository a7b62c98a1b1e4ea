using System;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// Graph round trips per recipe, first run and re-run, counted by the local tenant's request log, in a connection as the
    /// cmdlets run them: Connect-EntraAppKit has read the organization, and Microsoft Graph's permissions come from the shipped
    /// catalog (its service principal's id is read once per connection, when consent needs it). These numbers are the README's
    /// "Graph round trips per recipe" table: a change here must update it. A first run reads once more than it writes to look
    /// for an app of the same name made outside the recipe (it warns before making a second one).
    /// </summary>
    public class RoundTripTests
    {
        [Theory]
        [InlineData("Rewst", 3, 3, 2)]
        [InlineData("CmgServer", 3, 3, 3)]
        [InlineData("CmgServerUserDiscovery", 4, 4, 3)]
        [InlineData("CmgClient", 4, 5, 3)]
        [InlineData("WriteBack", 3, 3, 2)]
        [InlineData("KonnectDcr", 4, 7, 3)]
        [InlineData("KonnectDcrLeastPrivilege", 4, 5, 3)]
        public async Task First_run_and_rerun(string recipe, int firstRoundTrips, int firstWrites, int rerunRoundTrips)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var connection = await EntraAppKitConnection.ConnectAsync(new ConnectOptions { Target = LocalTenantAdapter.For(tenant), Method = SignInMethod.BuiltInAdministrator });
            var engine = new RecipeEngine(connection.Session);
            string? serverClientId = null;
            if (recipe == "CmgClient") serverClientId = (await engine.RunAsync(new CmgServer().For(CmgServer.DefaultName))).ClientId;
            AppRecipe Build() => recipe switch
            {
                "Rewst" => new Rewst().For(Rewst.DefaultName),
                "CmgServer" => new CmgServer().For(CmgServer.DefaultName),
                "CmgServerUserDiscovery" => new CmgServer { EnableUserDiscovery = true }.For(CmgServer.DefaultName),
                "CmgClient" => new CmgClient { ServerClientId = serverClientId! }.For(CmgClient.DefaultName),
                "WriteBack" => new WriteBack().For(WriteBack.DefaultName),
                "KonnectDcr" => new KonnectDcr().For(KonnectDcr.DefaultName),
                "KonnectDcrLeastPrivilege" => new KonnectDcr { LeastPrivilege = true }.For(KonnectDcr.DefaultName),
                _ => throw new ArgumentOutOfRangeException(nameof(recipe)),
            };

            tenant.RequestLog.Clear();
            await engine.RunAsync(Build());
            Assert.Equal((firstRoundTrips, firstWrites), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites));

            tenant.RequestLog.Clear();
            await engine.RunAsync(Build());
            Assert.Equal((rerunRoundTrips, 0), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites));
        }

        /// <summary>
        /// Grant-AdminConsent: the tenant, the app and its service principal (the client id is the appId) in one $batch; the APIs
        /// and what the service principal holds in another; the grants and assignments in a third. The README's table says so.
        /// </summary>
        [Fact]
        public async Task Grant_admin_consent_reads_in_two_round_trips_and_grants_in_one()
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var connection = await EntraAppKitConnection.ConnectAsync(new ConnectOptions { Target = LocalTenantAdapter.For(tenant), Method = SignInMethod.BuiltInAdministrator });
            var app = await new RecipeEngine(connection.Session).RunAsync(new Rewst().For(Rewst.DefaultName));
            var consent = new EntraAppKit.Core.Operations.AdminConsentOperation(connection.Session);

            tenant.RequestLog.Clear();
            await consent.ApplyAsync(await consent.PlanAsync(app.ClientId));
            Assert.Equal((3, 1), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites));
            // Microsoft Graph's permissions come from the shipped catalog: of its service principal, the tenant's largest object,
            // only the id is read.
            Assert.All(tenant.RequestLog.Entries.Where(e => e.Path.Contains("00000003-0000-0000-c000-000000000000", StringComparison.OrdinalIgnoreCase)),
                e => Assert.EndsWith("?$select=id", e.Path, StringComparison.Ordinal));

            tenant.RequestLog.Clear();
            await consent.ApplyAsync(await consent.PlanAsync(app.ClientId));
            Assert.Equal((2, 0), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites));
        }

        /// <summary>
        /// A write on an existing app reads it again just before and once after (ConvergingWrite: collections are replaced whole and
        /// a concurrent writer's values must not be lost), so it costs two reads more than its PATCH: the README's table says so.
        /// </summary>
        [Fact]
        public async Task An_update_reads_the_app_before_and_after_its_one_write()
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var engine = new RecipeEngine(session);
            var app = await engine.RunAsync(new WriteBack().For(WriteBack.DefaultName));

            tenant.RequestLog.Clear();
            var ops = new EntraAppKit.Core.Operations.AppRegistrationOperations(session);
            await ops.ApplyAddWebRedirectUrisAsync(await ops.PlanAddWebRedirectUrisAsync(app.ClientId, new[] { "https://wbe.contoso.com/cb" }));
            Assert.Equal((5, 1), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites)); // organization, app; app, PATCH, app

            tenant.RequestLog.Clear();
            await engine.RunAsync(new WriteBack { MultiTenant = true }.For(WriteBack.DefaultName));
            Assert.Equal((5, 1), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites)); // the re-run's 2 reads; app, PATCH, app
        }
    }
}
