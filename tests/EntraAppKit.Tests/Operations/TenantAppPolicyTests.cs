using System;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.LocalTenant;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Operations
{
    /// <summary>
    /// Get-/Set-EntraTenantAppPolicy's operation against the local tenant: the plan holds only what differs, each change "from X
    /// to Y"; apply writes one PATCH of the authorization policy and one PUT of the admin consent request policy at most; a
    /// re-run writes nothing; the permission pre-flight refuses before any write (authorizationpolicy-update,
    /// adminconsentrequestpolicy-update: their least privileged permissions).
    /// </summary>
    public class TenantAppPolicyTests : IDisposable
    {
        private readonly LocalTenantEngine _tenant = LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly TenantAppPolicyOperation _operation;

        public TenantAppPolicyTests()
        {
            _session = _tenant.Session();
            _operation = new TenantAppPolicyOperation(_session);
        }

        public void Dispose() => _session.Dispose();

        private string Admin => "admin@" + _tenant.InitialDomain;

        [Fact]
        public async Task A_new_tenant_reads_as_the_admin_center_shows_one()
        {
            var policy = await _operation.GetAsync();
            Assert.Equal(_tenant.TenantId, policy.TenantId);
            Assert.True(policy.UsersCanRegisterApps);
            Assert.Equal("AllowAll", policy.UserConsent);
            Assert.Equal(new[] { "ManagePermissionGrantsForSelf.microsoft-user-default-legacy" }, policy.UserConsentPolicies);
            Assert.True(policy.UsersCanCreateTenants);
            Assert.True(policy.UsersCanCreateSecurityGroups);
            Assert.False(policy.AdminConsentWorkflow);
            Assert.Empty(policy.AdminConsentReviewers);
        }

        [Fact]
        public async Task The_plan_lists_only_what_differs_and_a_rerun_writes_nothing()
        {
            var settings = new TenantAppPolicySettings
            {
                UsersCanRegisterApps = false, UserConsent = "LowImpact", UsersCanCreateSecurityGroups = true,
                AdminConsentWorkflow = true, AdminConsentReviewers = new[] { Admin }, AdminConsentNotifyReviewers = true,
            };
            var plan = await _operation.PlanAsync(settings);
            string domain = _tenant.InitialDomain;
            Assert.Equal(new[]
            {
                $"Change UsersCanRegisterApps of tenant {domain} from True to False",
                $"Change UserConsent of tenant {domain} from AllowAll to LowImpact",
                $"Change AdminConsentWorkflow of tenant {domain} from False to True",
                $"Change AdminConsentReviewers of tenant {domain} from (none) to {Admin}",
                $"Change AdminConsentNotifyReviewers of tenant {domain} from False to True",
                // The admin center's default for a workflow turned on for the first time.
                $"Change AdminConsentRequestDurationDays of tenant {domain} from 0 to 30",
            }, plan.Changes.Select(c => c.Description));
            _tenant.RequestLog.Clear();
            var after = await _operation.ApplyAsync(plan);
            Assert.Equal(2, _tenant.RequestLog.SuccessfulWrites);
            Assert.False(after.UsersCanRegisterApps);
            Assert.Equal("LowImpact", after.UserConsent);
            Assert.True(after.AdminConsentWorkflow);
            Assert.Equal(new[] { Admin }, after.AdminConsentReviewers);
            Assert.Equal(30, after.AdminConsentRequestDurationDays);
            // What Graph holds: the reviewer as Graph's query, the policy assigned (configure-user-consent's Graph form).
            var stored = _tenant.Store.AdminConsentRequestPolicy["reviewers"]![0]!;
            Assert.Equal("/users/" + _tenant.AdministratorId, (string?)stored["query"]);
            Assert.Equal("MicrosoftGraph", (string?)stored["queryType"]);

            var rerun = await _operation.PlanAsync(settings);
            Assert.Empty(rerun.Changes);
            _tenant.RequestLog.Clear();
            await _operation.ApplyAsync(rerun);
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
        }

        [Fact]
        public async Task User_consent_replaces_only_the_users_own_consent_policies()
        {
            // configure-user-consent: keep the other (ManagePermissionGrantsForOwnedResource.*) entries when updating the collection.
            const string Teams = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
            _tenant.Store.AuthorizationPolicy["defaultUserRolePermissions"]!["permissionGrantPoliciesAssigned"] =
                new System.Text.Json.Nodes.JsonArray(Teams, "ManagePermissionGrantsForSelf.microsoft-user-default-legacy");
            await _operation.ApplyAsync(await _operation.PlanAsync(new TenantAppPolicySettings { UserConsent = "DoNotAllow" }));
            var assigned = _tenant.Store.AuthorizationPolicy["defaultUserRolePermissions"]!["permissionGrantPoliciesAssigned"]!.AsArray().Select(a => (string?)a);
            Assert.Equal(new[] { Teams }, assigned);
            Assert.Equal("DoNotAllow", (await _operation.GetAsync()).UserConsent);
            await _operation.ApplyAsync(await _operation.PlanAsync(new TenantAppPolicySettings { UserConsent = "AllowAll" }));
            assigned = _tenant.Store.AuthorizationPolicy["defaultUserRolePermissions"]!["permissionGrantPoliciesAssigned"]!.AsArray().Select(a => (string?)a);
            Assert.Equal(new[] { Teams, "ManagePermissionGrantsForSelf.microsoft-user-default-legacy" }, assigned);
        }

        [Fact]
        public async Task Mistakes_fail_in_the_plan_with_stable_ids()
        {
            var noReviewer = await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.PlanAsync(new TenantAppPolicySettings { AdminConsentWorkflow = true }));
            Assert.Equal(ErrorIds.InvalidTenantAppPolicy, noReviewer.ErrorId);
            var unknown = await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.PlanAsync(new TenantAppPolicySettings { AdminConsentWorkflow = true, AdminConsentReviewers = new[] { "nobody@" + _tenant.InitialDomain } }));
            Assert.Equal(ErrorIds.ReviewerNotFound, unknown.ErrorId);
            var consent = await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.PlanAsync(new TenantAppPolicySettings { UserConsent = "Sometimes" }));
            Assert.Equal(ErrorIds.InvalidTenantAppPolicy, consent.ErrorId);
            var days = await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.PlanAsync(new TenantAppPolicySettings { AdminConsentRequestDurationDays = 31 }));
            Assert.Equal(ErrorIds.InvalidTenantAppPolicy, days.ErrorId);
        }

        [Fact]
        public async Task A_connection_without_the_least_privileged_permission_is_refused_before_any_write()
        {
            // A Privileged Role Administrator signed in with Policy.ReadWrite.Authorization only: the authorization policy yes,
            // the admin consent request policy (Policy.ReadWrite.ConsentRequest) no, so nothing is written.
            string upn = "pra@" + _tenant.InitialDomain;
            _tenant.AddUser(new LocalTenantUser(upn, "Policy-Passw0rd", new[] { "PrivilegedRoleAdministrator" }));
            string token = _tenant.IssueUserToken(upn, new[] { "Policy.Read.All", "Policy.ReadWrite.Authorization", "User.Read.All" });
            using var session = _tenant.Session(credential: new StaticTokenCredential(token));
            var operation = new TenantAppPolicyOperation(session);
            var plan = await operation.PlanAsync(new TenantAppPolicySettings { UsersCanRegisterApps = false, AdminConsentWorkflow = true, AdminConsentReviewers = new[] { Admin } });
            _tenant.RequestLog.Clear();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => operation.ApplyAsync(plan));
            Assert.Equal(ErrorIds.InsufficientPermissions, e.ErrorId);
            Assert.Contains("Policy.ReadWrite.ConsentRequest", e.Message);
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
            Assert.True((await _operation.GetAsync()).UsersCanRegisterApps);
            // With the authorization policy alone it goes through.
            var policy = await operation.ApplyAsync(await operation.PlanAsync(new TenantAppPolicySettings { UsersCanRegisterApps = false }));
            Assert.False(policy.UsersCanRegisterApps);
        }
    }
}
