using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using static EntraAppKit.Tests.LocalTenantTests.UsersTests;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 13, section 3, through both front doors: /policies/adminConsentRequestPolicy (learn.microsoft.com/graph/api/adminconsentrequestpolicy-get,
    /// adminconsentrequestpolicy-update), /policies/permissionGrantPolicies (permissiongrantpolicy-list, permissiongrantpolicy-get),
    /// and the user consent setting of the authorization policy (defaultUserRolePermissions.permissionGrantPoliciesAssigned,
    /// learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent).
    /// </summary>
    public abstract class ConsentPoliciesTests : DoorTests, IDisposable
    {
        private const string RequestPolicy = "/policies/adminConsentRequestPolicy";
        private const string GrantPolicies = "/policies/permissionGrantPolicies";
        private readonly IdentityKit _kit;

        protected ConsentPoliciesTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose()
        {
            Door.SendAsync("PUT", RequestPolicy, Off).GetAwaiter().GetResult();
            Door.PatchAsync("/policies/authorizationPolicy", new { defaultUserRolePermissions = new { permissionGrantPoliciesAssigned = new[] { "ManagePermissionGrantsForSelf.microsoft-user-default-legacy" } } }).GetAwaiter().GetResult();
            _kit.Dispose();
        }

        public sealed class InProcess : ConsentPoliciesTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : ConsentPoliciesTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static readonly object Off = new { isEnabled = false, notifyReviewers = false, remindersEnabled = false, requestDurationInDays = 0, reviewers = Array.Empty<object>() };

        private string TokenOf(string? role, params string[] scopes)
        {
            string upn = Unique("c") + "@" + FrontDoor.CustomDomain;
            Tenant.AddUser(new LocalTenantUser(upn, "Policy-Passw0rd", role == null ? Array.Empty<string>() : new[] { role }));
            return Tenant.IssueUserToken(upn, scopes);
        }

        private async Task<string> UserIdAsync() => (string)Ok(await Door.PostAsync("/users", NewUser(Unique("rev"))), 201)["id"]!;

        [Fact]
        public async Task A_new_tenant_has_the_workflow_off_and_the_legacy_user_consent_policy()
        {
            // adminconsentrequestpolicy-get's response shape (no id member).
            var policy = Ok(await Door.GetAsync(RequestPolicy));
            Assert.Equal(Root + "/$metadata#policies/adminConsentRequestPolicy/$entity", (string?)policy["@odata.context"]);
            Assert.Equal(new[] { "@odata.context", "isEnabled", "notifyReviewers", "remindersEnabled", "requestDurationInDays", "version", "reviewers" }, policy.Select(kv => kv.Key));
            Assert.False((bool)policy["isEnabled"]!);
            IdentityKit.Conforms("adminConsentRequestPolicy", policy);
            // authorizationPolicy v1.0 (defaultUserRolePermissions): the portal's "Allow user consent for apps" of an older tenant.
            var assigned = Ok(await Door.GetAsync("/policies/authorizationPolicy"))["defaultUserRolePermissions"]!["permissionGrantPoliciesAssigned"]!.AsArray();
            Assert.Equal(new[] { "ManagePermissionGrantsForSelf.microsoft-user-default-legacy" }, assigned.Select(a => (string?)a));
        }

        [Fact]
        public async Task PUT_replaces_the_admin_consent_request_policy_and_bumps_its_version()
        {
            string reviewer = await UserIdAsync();
            int before = (int)Ok(await Door.GetAsync(RequestPolicy))["version"]!;
            // adminconsentrequestpolicy-update's example body.
            NoContent(await Door.SendAsync("PUT", RequestPolicy, new
            {
                isEnabled = true, notifyReviewers = true, remindersEnabled = true, requestDurationInDays = 5,
                reviewers = new[] { new { query = "/users/" + reviewer, queryType = "MicrosoftGraph" } },
            }));
            var policy = Ok(await Door.GetAsync(RequestPolicy));
            Assert.True((bool)policy["isEnabled"]!);
            Assert.Equal(5, (int)policy["requestDurationInDays"]!);
            Assert.Equal(before + 1, (int)policy["version"]!);
            var r = Assert.Single(policy["reviewers"]!.AsArray())!;
            Assert.Equal("/users/" + reviewer, (string?)r["query"]);
            Assert.Equal("MicrosoftGraph", (string?)r["queryType"]);
            // PATCH (what Microsoft's Graph SDKs send, Update-MgPolicyAdminConsentRequestPolicy) changes the members it names.
            NoContent(await Door.PatchAsync(RequestPolicy, new { remindersEnabled = false }));
            policy = Ok(await Door.GetAsync(RequestPolicy));
            Assert.False((bool)policy["remindersEnabled"]!);
            Assert.True((bool)policy["notifyReviewers"]!);
            // $select, as adminconsentrequestpolicy-get supports it.
            Assert.Equal(new[] { "@odata.context", "isEnabled" }, Ok(await Door.GetAsync(RequestPolicy + "?$select=isEnabled")).Select(kv => kv.Key));
        }

        [Fact]
        public async Task Bad_admin_consent_request_policies_are_refused_and_only_application_administrators_write_it()
        {
            Rejected(await Door.SendAsync("PUT", RequestPolicy, new { isEnabled = "yes", notifyReviewers = false, remindersEnabled = false, requestDurationInDays = 0, reviewers = Array.Empty<object>() }),
                400, "Request_BadRequest", "Invalid value specified for property 'isEnabled' of resource 'AdminConsentRequestPolicy'.");
            Rejected(await Door.SendAsync("PUT", RequestPolicy, new { isEnabled = false }), 400, "Request_BadRequest", "The property 'notifyReviewers' is required.");
            Rejected(await Door.SendAsync("PUT", RequestPolicy, new { isEnabled = true, notifyReviewers = false, remindersEnabled = false, requestDurationInDays = 5, reviewers = new[] { new { query = "/users/" + Guid.NewGuid(), queryType = "MicrosoftGraph" } } }),
                400, "Request_BadRequest", "Invalid value specified for property 'reviewers' of resource 'AdminConsentRequestPolicy'.");
            // adminconsentrequestpolicy-update: Policy.ReadWrite.ConsentRequest; as a user, Cloud Application Administrator or Application Administrator.
            var scopes = new[] { "Policy.ReadWrite.ConsentRequest" };
            Rejected(await IdentityKit.Bearer(Door, "PUT", RequestPolicy, TokenOf(null, scopes), Off), 403, "Authorization_RequestDenied", Denied);
            NoContent(await IdentityKit.Bearer(Door, "PUT", RequestPolicy, TokenOf("CloudApplicationAdministrator", scopes), Off));
            // Policy.ReadWrite.Authorization writes the authorization policy, not this one; Policy.Read.All reads it.
            Rejected(await IdentityKit.Bearer(Door, "PUT", RequestPolicy, TokenOf("GlobalAdministrator", "Policy.ReadWrite.Authorization"), Off), 403, "Authorization_RequestDenied", Denied);
            Ok(await IdentityKit.Bearer(Door, "GET", RequestPolicy, TokenOf(null, "Policy.Read.All")));
            Rejected(await IdentityKit.Bearer(Door, "GET", RequestPolicy, TokenOf(null, "Policy.Read.PermissionGrant")), 403, "Authorization_RequestDenied", Denied);
        }

        [Fact]
        public async Task The_built_in_permission_grant_policies_read_as_Graph_shows_them_and_are_read_only()
        {
            var list = Items(Ok(await Door.GetAsync(GrantPolicies)));
            var ids = list.Select(p => (string)p["id"]!).ToList();
            Assert.Contains("microsoft-user-default-low", ids);
            Assert.Contains("microsoft-user-default-legacy", ids);
            Assert.Contains("microsoft-all-application-permissions", ids);
            Assert.Contains("microsoft-company-admin", ids);
            // permissiongrantpolicy-get's example: the low policy, its two condition sets (this tenant's apps; verified publishers').
            var low = Ok(await Door.GetAsync(GrantPolicies + "/microsoft-user-default-low"));
            Assert.Equal("Default User Low Risk Policy", (string?)low["displayName"]);
            Assert.Equal("All low risk permissions are consentable by member type users by default.", (string?)low["description"]);
            var includes = low["includes"]!.AsArray().Select(i => i!.AsObject()).ToList();
            Assert.Equal(2, includes.Count);
            Assert.All(includes, i => Assert.Equal("low", (string?)i["permissionClassification"]));
            Assert.Equal(Tenant.TenantId, (string?)includes[0]["clientApplicationTenantIds"]![0]);
            Assert.True((bool)includes[1]["clientApplicationsFromVerifiedPublisherOnly"]!);
            Rejected(await Door.GetAsync(GrantPolicies + "/no-such-policy"), 404, "Request_ResourceNotFound", null);
            // The local tenant keeps no custom policies: writes are 405.
            Assert.Equal(405, (await Door.PostAsync(GrantPolicies, new { id = "mine", displayName = "Mine" })).Status);
            Assert.Equal(405, (await Door.PatchAsync(GrantPolicies + "/microsoft-user-default-low", new { displayName = "x" })).Status);
            Assert.Equal(405, (await Door.SendAsync("DELETE", GrantPolicies + "/microsoft-user-default-low", null)).Status);
            // permissiongrantpolicy-list: Policy.Read.PermissionGrant.
            Ok(await IdentityKit.Bearer(Door, "GET", GrantPolicies, TokenOf(null, "Policy.Read.PermissionGrant")));
            Rejected(await IdentityKit.Bearer(Door, "GET", GrantPolicies, TokenOf(null, "Policy.ReadWrite.ConsentRequest")), 403, "Authorization_RequestDenied", Denied);
        }

        [Fact]
        public async Task The_user_consent_setting_is_written_as_configure_user_consent_shows()
        {
            // configure-user-consent (Microsoft Graph): PATCH defaultUserRolePermissions.permissionGrantPoliciesAssigned.
            NoContent(await Door.PatchAsync("/policies/authorizationPolicy", new { defaultUserRolePermissions = new { permissionGrantPoliciesAssigned = new[] { "ManagePermissionGrantsForSelf.microsoft-user-default-low" } } }));
            var defaults = Ok(await Door.GetAsync("/policies/authorizationPolicy"))["defaultUserRolePermissions"]!;
            Assert.Equal("ManagePermissionGrantsForSelf.microsoft-user-default-low", (string?)defaults["permissionGrantPoliciesAssigned"]![0]);
            Assert.True((bool)defaults["allowedToCreateApps"]!);
            // The beta property (permissionGrantPolicyIdsAssignedToDefaultUserRole) is not v1.0's.
            Rejected(await Door.PatchAsync("/policies/authorizationPolicy", new { permissionGrantPolicyIdsAssignedToDefaultUserRole = Array.Empty<string>() }), 400, "Request_BadRequest", null);
        }
    }
}
