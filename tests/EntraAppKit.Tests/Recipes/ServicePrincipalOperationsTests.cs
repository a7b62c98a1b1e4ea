using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.LocalTenant;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// Issue 13 §1, service principals (enterprise applications), through the core API against a local cloud of two tenants:
    /// the MSP's ("contoso", where the apps are registered) and a customer's ("northwind"). Graph's rules followed:
    /// learn.microsoft.com/graph/api/resources/serviceprincipal (appOwnerOrganizationId, tags HideApp and
    /// WindowsAzureActiveDirectoryIntegratedApp), serviceprincipal-post-serviceprincipals (a multi-tenant app of another
    /// tenant is provisioned by its appId; 400 NoBackingApplicationObject otherwise), serviceprincipal-update and
    /// serviceprincipal-delete (the application stays). Round trips are counted by each tenant's request log.
    /// </summary>
    public sealed class ServicePrincipalOperationsTests : IDisposable
    {
        private readonly LocalTenantEngine _msp = LocalTenantEngine.Create(new LocalTenantOptions { Name = "contoso" });
        private readonly LocalTenantEngine _customer = LocalTenantEngine.Create(new LocalTenantOptions { Name = "northwind" });
        private readonly LocalCloud _cloud;
        private readonly GraphSession _mspSession;
        private readonly GraphSession _customerSession;
        private readonly LagRetryPolicy _retry = new LagRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100), Budget = TimeSpan.FromSeconds(5) };

        public ServicePrincipalOperationsTests()
        {
            _cloud = LocalCloud.Of(_msp, _customer);
            _mspSession = GraphSession.Create(LocalTenantAdapter.For(_msp, _cloud));
            _customerSession = GraphSession.Create(LocalTenantAdapter.For(_customer, _cloud));
        }

        public void Dispose() { _mspSession.Dispose(); _customerSession.Dispose(); }

        private ServicePrincipalOperations Msp => new ServicePrincipalOperations(_mspSession, _retry);
        private ServicePrincipalOperations Customer => new ServicePrincipalOperations(_customerSession, _retry);

        private async Task<string> RewstAsync(string name, bool multiTenant) =>
            (await new RecipeEngine(_mspSession, _retry).RunAsync(new Rewst { MultiTenant = multiTenant }.For(name))).ClientId;

        /// <summary>POST /applications in the MSP's tenant with no service principal (learn.microsoft.com/graph/api/application-post-applications).</summary>
        private async Task<string> BareAppAsync(string name, string audience = "AzureADMyOrg")
        {
            using var http = new HttpClient(_cloud.CreateHandler());
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _msp.IssueAdminToken());
            var body = new JsonObject { ["displayName"] = name, ["signInAudience"] = audience }.ToJsonString();
            var answer = await http.PostAsync("https://graph.microsoft.com/v1.0/applications", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(201, (int)answer.StatusCode);
            return (string)JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["appId"]!;
        }

        [Fact]
        public async Task A_recipe_apps_service_principal_is_home_with_its_app_registration_in_3_round_trips()
        {
            string clientId = await RewstAsync("Rewst Integration", multiTenant: false);
            _msp.RequestLog.Clear();
            var sp = Assert.Single(await Msp.FindAsync(clientId: clientId));
            Assert.Equal(3, _msp.RequestLog.RoundTrips); // GET /organization, GET /servicePrincipals(appId=…), GET /applications?$filter=appId eq …
            Assert.Equal(0, _msp.RequestLog.SuccessfulWrites);
            Assert.Equal(("Rewst Integration", clientId, _msp.TenantId, _msp.TenantId), (sp.DisplayName, sp.ClientId, sp.HomeTenantId, sp.TenantId));
            Assert.False(sp.IsForeign);
            Assert.True(sp.HasAppRegistration);
            Assert.True(sp.AccountEnabled);
            Assert.False(sp.AppRoleAssignmentRequired);
            Assert.False(sp.HiddenFromMyApps);
            Assert.Equal("Application", sp.ServicePrincipalType);
            Assert.Equal("AzureADMyOrg", sp.SignInAudience);
        }

        [Fact]
        public async Task Listing_every_service_principal_reads_the_list_once_and_app_registrations_once()
        {
            await RewstAsync("Rewst Integration", multiTenant: false);
            await RewstAsync("Rewst CSP", multiTenant: true);
            _msp.RequestLog.Clear();
            var all = await Msp.FindAsync();
            Assert.Equal(3, _msp.RequestLog.RoundTrips); // organization, one page of service principals, one GET of applications for the home ones
            var graph = Assert.Single(all, s => s.DisplayName == "Microsoft Graph");
            Assert.True(graph.IsForeign); // Microsoft's own app: registered in Microsoft's tenant
            Assert.False(graph.HasAppRegistration);
            Assert.Equal(new[] { "Rewst CSP", "Rewst Integration" }, all.Where(s => !s.IsForeign).Select(s => s.DisplayName).OrderBy(n => n));
            Assert.All(all.Where(s => !s.IsForeign), s => Assert.True(s.HasAppRegistration));

            _msp.RequestLog.Clear();
            Assert.Equal(new[] { "Rewst CSP", "Rewst Integration" }, (await Msp.FindAsync(displayName: "rewst*", owner: ServicePrincipalOwner.Home)).Select(s => s.DisplayName));
            Assert.Equal(3, _msp.RequestLog.RoundTrips); // $filter=startswith(displayName,'rewst') and appOwnerOrganizationId eq {tenant}
            Assert.Contains(_msp.RequestLog.Entries, e => e.Path.Contains("appOwnerOrganizationId", StringComparison.Ordinal));
            Assert.DoesNotContain(await Msp.FindAsync(owner: ServicePrincipalOwner.Foreign), s => s.DisplayName.StartsWith("Rewst", StringComparison.Ordinal));
            Assert.Empty(await Msp.FindAsync(displayName: "Rewst*", owner: ServicePrincipalOwner.Foreign));
        }

        [Fact]
        public async Task A_multi_tenant_app_is_provisioned_in_the_customer_tenant_as_foreign_and_a_rerun_writes_nothing()
        {
            // serviceprincipal-post-serviceprincipals: an administrator provisions another tenant's multi-tenant app by its appId.
            string clientId = await RewstAsync("Rewst CSP", multiTenant: true);
            _customer.RequestLog.Clear();
            var plan = await Customer.PlanNewAsync(clientId);
            Assert.Equal($"Create the service principal (enterprise application) of client id {clientId} in northwind.onmicrosoft.com", Assert.Single(plan.Changes).Description);
            var sp = await Customer.ApplyNewAsync(plan);
            Assert.Equal((3, 1), (_customer.RequestLog.RoundTrips, _customer.RequestLog.SuccessfulWrites)); // organization, SP by appId (404), POST
            Assert.True(sp.IsForeign);
            Assert.Equal(_msp.TenantId, sp.HomeTenantId);
            Assert.Equal(_customer.TenantId, sp.TenantId);
            Assert.False(sp.HasAppRegistration);
            Assert.Equal("AzureADMultipleOrgs", sp.SignInAudience);
            Assert.Equal(plan.Changes.Select(c => c.Description), sp.Changes);

            _customer.RequestLog.Clear();
            var again = await Customer.PlanNewAsync(clientId);
            Assert.Empty(again.Changes);
            var same = await Customer.ApplyNewAsync(again);
            Assert.Equal((2, 0), (_customer.RequestLog.RoundTrips, _customer.RequestLog.SuccessfulWrites)); // a foreign app's registration is not looked for here
            Assert.Equal(sp.ObjectId, same.ObjectId);
            Assert.Empty(same.Changes);

            var foreign = await Customer.FindAsync(owner: ServicePrincipalOwner.Foreign);
            Assert.Contains(foreign, s => s.ClientId == clientId);
            Assert.DoesNotContain(await Customer.FindAsync(owner: ServicePrincipalOwner.Home), s => s.ClientId == clientId);
            Assert.DoesNotContain(await Msp.FindAsync(owner: ServicePrincipalOwner.Foreign), s => s.ClientId == clientId);
        }

        [Fact]
        public async Task A_single_tenant_app_of_another_tenant_fails_with_NoBackingApplication_and_nothing_is_written()
        {
            // serviceprincipal-post-serviceprincipals: Graph answers 400 NoBackingApplicationObject; not retried as replication lag
            // (this session did not create the app), so it fails at once.
            string clientId = await RewstAsync("Rewst Integration", multiTenant: false);
            var plan = await Customer.PlanNewAsync(clientId);
            _customer.RequestLog.Clear();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => Customer.ApplyNewAsync(plan));
            Assert.Equal(ErrorIds.NoBackingApplication, e.ErrorId);
            Assert.Equal(EntraErrorCategory.ObjectNotFound, e.Category);
            Assert.Contains("NoBackingApplicationObject", e.Message);
            Assert.NotNull(e.RequestId);
            Assert.Equal((1, 0), (_customer.RequestLog.RoundTrips, _customer.RequestLog.SuccessfulWrites));
            Assert.Empty(await Customer.FindAsync(clientId: clientId));
        }

        [Fact]
        public async Task New_provisions_the_home_tenant_service_principal_of_an_app_that_has_none()
        {
            string clientId = await BareAppAsync("Bare App");
            Assert.Empty(await Msp.FindAsync(clientId: clientId));
            var registration = Assert.Single(await new AppRegistrationOperations(_mspSession, _retry).FindAsync(clientId: clientId));
            Assert.Null(registration.ServicePrincipalId);
            Assert.Null(registration.ServicePrincipalEnabled);

            var sp = await Msp.ApplyNewAsync(await Msp.PlanNewAsync(clientId));
            Assert.False(sp.IsForeign);
            Assert.True(sp.HasAppRegistration);
            registration = Assert.Single(await new AppRegistrationOperations(_mspSession, _retry).FindAsync(clientId: clientId));
            Assert.Equal(sp.ObjectId, registration.ServicePrincipalId);
            Assert.True(registration.ServicePrincipalEnabled);
        }

        [Fact]
        public async Task Set_plans_only_what_differs_writes_one_PATCH_and_keeps_other_tags()
        {
            // serviceprincipal-update: accountEnabled, appRoleAssignmentRequired and tags (HideApp) by PATCH.
            string clientId = await RewstAsync("Rewst Integration", multiTenant: false);
            var objectId = Assert.Single(await Msp.FindAsync(clientId: clientId)).ObjectId;
            using (var http = new HttpClient(_cloud.CreateHandler()))
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _msp.IssueAdminToken());
                var body = new JsonObject { ["tags"] = new JsonArray("WindowsAzureActiveDirectoryIntegratedApp", "Custom") }.ToJsonString();
                var answer = await http.PatchAsync($"https://graph.microsoft.com/v1.0/servicePrincipals/{objectId}", new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.Equal(204, (int)answer.StatusCode);
            }

            _msp.RequestLog.Clear();
            var plan = await Msp.PlanSetAsync(clientId, accountEnabled: true, appRoleAssignmentRequired: true, hideFromMyApps: null);
            Assert.Equal(new[] { "Require assignment" }, plan.Changes.Select(c => c.Action)); // accountEnabled is already true
            var sp = await Msp.ApplySetAsync(plan);
            Assert.Equal((4, 1), (_msp.RequestLog.RoundTrips, _msp.RequestLog.SuccessfulWrites)); // organization, SP; PATCH; app registration
            Assert.True(sp.AppRoleAssignmentRequired);

            _msp.RequestLog.Clear();
            plan = await Msp.PlanSetAsync(clientId, accountEnabled: false, hideFromMyApps: true);
            Assert.Equal(new[] { "Disable", "Hide" }, plan.Changes.Select(c => c.Action));
            Assert.Contains("add the tag HideApp", plan.Changes[1].Description);
            sp = await Msp.ApplySetAsync(plan);
            // organization, SP; a tag change is read again, PATCHed and verified (tags is replaced whole); app registration
            Assert.Equal((6, 1), (_msp.RequestLog.RoundTrips, _msp.RequestLog.SuccessfulWrites));
            Assert.False(sp.AccountEnabled);
            Assert.True(sp.HiddenFromMyApps);
            Assert.True(sp.IsIntegratedApp);
            Assert.Equal(new[] { "WindowsAzureActiveDirectoryIntegratedApp", "Custom", "HideApp" }, sp.Tags);

            _msp.RequestLog.Clear();
            plan = await Msp.PlanSetAsync(clientId, accountEnabled: false, appRoleAssignmentRequired: true, hideFromMyApps: true);
            Assert.Empty(plan.Changes);
            await Msp.ApplySetAsync(plan);
            Assert.Equal(0, _msp.RequestLog.SuccessfulWrites);

            sp = await Msp.ApplySetAsync(await Msp.PlanSetAsync(clientId, accountEnabled: true, hideFromMyApps: false));
            Assert.True(sp.AccountEnabled);
            Assert.Equal(new[] { "WindowsAzureActiveDirectoryIntegratedApp", "Custom" }, sp.Tags);
        }

        [Fact]
        public async Task Set_and_Remove_of_an_unknown_client_id_fail_with_ServicePrincipalNotFound()
        {
            string clientId = Guid.NewGuid().ToString();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => Msp.PlanSetAsync(clientId, accountEnabled: false));
            Assert.Equal((ErrorIds.ServicePrincipalNotFound, EntraErrorCategory.ObjectNotFound), (e.ErrorId, e.Category));
            e = await Assert.ThrowsAsync<EntraAppKitException>(() => Msp.PlanRemoveAsync(clientId));
            Assert.Equal(ErrorIds.ServicePrincipalNotFound, e.ErrorId);
        }

        [Fact]
        public async Task Remove_deletes_only_the_service_principal_and_the_app_registration_stays()
        {
            // serviceprincipal-delete: the application object is not deleted with its service principal.
            string clientId = await RewstAsync("Rewst Integration", multiTenant: false);
            var plan = await Msp.PlanRemoveAsync(clientId);
            Assert.EndsWith("its app registration, if any, stays (Remove-EntraAppRegistration removes it)", Assert.Single(plan.Changes).Description);
            _msp.RequestLog.Clear();
            await Msp.ApplyRemoveAsync(plan);
            Assert.Equal((1, 1), (_msp.RequestLog.RoundTrips, _msp.RequestLog.SuccessfulWrites));
            Assert.Empty(await Msp.FindAsync(clientId: clientId));
            var registration = Assert.Single(await new AppRegistrationOperations(_mspSession, _retry).FindAsync(clientId: clientId));
            Assert.Null(registration.ServicePrincipalId);

            string multi = await RewstAsync("Rewst CSP", multiTenant: true);
            await Customer.ApplyNewAsync(await Customer.PlanNewAsync(multi));
            var foreignPlan = await Customer.PlanRemoveAsync(multi);
            Assert.EndsWith($"the app registration stays in its home tenant {_msp.TenantId}", Assert.Single(foreignPlan.Changes).Description);
        }

        [Fact]
        public async Task Get_EntraAppRegistration_shows_each_apps_service_principal_in_one_more_round_trip_and_filters_by_audience()
        {
            await RewstAsync("Rewst Integration", multiTenant: false);
            await RewstAsync("Rewst CSP", multiTenant: true);
            await BareAppAsync("Bare App", "AzureADMultipleOrgs");
            var ops = new AppRegistrationOperations(_mspSession, _retry);
            _msp.RequestLog.Clear();
            var all = await ops.FindAsync();
            Assert.Equal(3, _msp.RequestLog.RoundTrips); // organization, applications, service principals (appId eq … or …)
            Assert.All(all.Where(a => a.DisplayName.StartsWith("Rewst", StringComparison.Ordinal)), a => { Assert.NotNull(a.ServicePrincipalId); Assert.True(a.ServicePrincipalEnabled); });
            Assert.Null(Assert.Single(all, a => a.DisplayName == "Bare App").ServicePrincipalId);

            _msp.RequestLog.Clear();
            var multi = await ops.FindAsync(signInAudience: "AzureADMultipleOrgs");
            Assert.Equal(new[] { "Bare App", "Rewst CSP" }, multi.Select(a => a.DisplayName).OrderBy(n => n));
            Assert.Contains(_msp.RequestLog.Entries, e => e.Path.Contains("signInAudience", StringComparison.Ordinal));
            Assert.Equal(3, _msp.RequestLog.RoundTrips);
            Assert.Equal(new[] { "Rewst Integration" }, (await ops.FindAsync(displayName: "Rewst*", signInAudience: "AzureADMyOrg")).Select(a => a.DisplayName));
            Assert.Empty(await ops.FindAsync(displayName: "Bare App", signInAudience: "AzureADMyOrg"));
        }

        [Fact]
        public async Task More_than_15_apps_read_their_service_principals_by_list_not_by_filter()
        {
            for (int i = 0; i < ServicePrincipalLookup.FilterBatch + 1; i++) await BareAppAsync($"Bulk {i:00}");
            var ops = new AppRegistrationOperations(_mspSession, _retry);
            _msp.RequestLog.Clear();
            Assert.Equal(16, (await ops.FindAsync(displayName: "Bulk*")).Count);
            Assert.Equal(3, _msp.RequestLog.RoundTrips);
            Assert.Contains(_msp.RequestLog.Entries, e => e.Path.Contains("appOwnerOrganizationId", StringComparison.Ordinal));
        }
    }
}
