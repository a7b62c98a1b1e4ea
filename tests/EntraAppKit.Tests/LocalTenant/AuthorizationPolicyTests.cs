using System;
using System.IO;
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
    /// /policies/authorizationPolicy through both front doors (learn.microsoft.com/graph/api/authorizationpolicy-get,
    /// authorizationpolicy-update): its defaultUserRolePermissions.allowedToCreateApps decides whether members register
    /// applications.
    /// </summary>
    public abstract class AuthorizationPolicyTests : DoorTests, IDisposable
    {
        private const string Policy = "/policies/authorizationPolicy";
        private readonly IdentityKit _kit;

        protected AuthorizationPolicyTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose()
        {
            // The fixture's tenant is shared by the class: leave it as a new tenant is.
            Door.PatchAsync(Policy, new { defaultUserRolePermissions = new { allowedToCreateApps = true } }).GetAwaiter().GetResult();
            _kit.Dispose();
        }

        public sealed class InProcess : AuthorizationPolicyTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : AuthorizationPolicyTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private string TokenOf(string? role, params string[] scopes)
        {
            string upn = Unique("p") + "@" + FrontDoor.CustomDomain;
            Tenant.AddUser(new LocalTenantUser(upn, "Policy-Passw0rd", role == null ? Array.Empty<string>() : new[] { role }));
            return Tenant.IssueUserToken(upn, scopes);
        }

        [Fact]
        public async Task The_policy_reads_as_authorizationpolicy_get_shows_it()
        {
            var policy = Ok(await Door.GetAsync(Policy));
            Assert.Equal(Root + "/$metadata#policies/authorizationPolicy/$entity", (string?)policy["@odata.context"]);
            Assert.Equal("authorizationPolicy", (string?)policy["id"]);
            Assert.Equal("Authorization Policy", (string?)policy["displayName"]);
            Assert.Equal("Used to manage authorization related settings across the company.", (string?)policy["description"]);
            Assert.Equal("everyone", (string?)policy["allowInvitesFrom"]);
            Assert.False((bool)policy["allowUserConsentForRiskyApps"]!);
            var defaults = policy["defaultUserRolePermissions"]!.AsObject();
            Assert.True((bool)defaults["allowedToCreateApps"]!);
            Assert.True((bool)defaults["allowedToReadOtherUsers"]!);
            IdentityKit.Conforms("authorizationPolicy", policy);
            var selected = Ok(await Door.GetAsync(Policy + "?$select=defaultUserRolePermissions"));
            Assert.Equal(new[] { "@odata.context", "defaultUserRolePermissions" }, selected.Select(kv => kv.Key));
            Assert.Equal(Root + "/$metadata#policies", (string?)Ok(await Door.GetAsync("/policies"))["@odata.context"]);
            Rejected(await Door.GetAsync("/policies/tokenLifetimePolicies"), 400, "BadRequest", "Resource not found for the segment 'tokenLifetimePolicies'.");
        }

        [Fact]
        public async Task Turning_off_allowedToCreateApps_stops_members_but_not_Application_Developers()
        {
            var scopes = new[] { "Application.ReadWrite.All" };
            string member = TokenOf(null, scopes);
            Ok(await IdentityKit.Bearer(Door, "POST", "/applications", member, new { displayName = Unique("before") }), 201);
            // authorizationpolicy-update, example 3: "Disable default user role's permission to create applications".
            NoContent(await Door.PatchAsync(Policy, new { defaultUserRolePermissions = new { allowedToCreateApps = false } }));
            var policy = Ok(await Door.GetAsync(Policy));
            Assert.False((bool)policy["defaultUserRolePermissions"]!["allowedToCreateApps"]!);
            // The members the body left out keep their values.
            Assert.True((bool)policy["defaultUserRolePermissions"]!["allowedToReadOtherUsers"]!);
            Rejected(await IdentityKit.Bearer(Door, "POST", "/applications", member, new { displayName = Unique("after") }), 403, "Authorization_RequestDenied", Denied);
            Ok(await IdentityKit.Bearer(Door, "POST", "/applications", TokenOf("ApplicationDeveloper", scopes), new { displayName = Unique("dev") }), 201);
            NoContent(await Door.PatchAsync(Policy, new { defaultUserRolePermissions = new { allowedToCreateApps = true } }));
            Ok(await IdentityKit.Bearer(Door, "POST", "/applications", member, new { displayName = Unique("again") }), 201);
        }

        [Fact]
        public async Task Bad_updates_are_refused_and_only_a_Privileged_Role_Administrator_changes_it_as_itself()
        {
            Rejected(await Door.PatchAsync(Policy, new { allowInvitesFrom = "anyone" }), 400, "Request_BadRequest",
                "Invalid value specified for property 'allowInvitesFrom' of resource 'AuthorizationPolicy'.");
            Rejected(await Door.PatchAsync(Policy, new { defaultUserRolePermissions = new { allowedToCreateApps = "no" } }), 400, "Request_BadRequest",
                "Invalid value specified for property 'allowedToCreateApps' of resource 'AuthorizationPolicy'.");
            Rejected(await Door.PatchAsync(Policy, new { id = "other" }), 400, "Request_BadRequest", "Property 'id' is read-only and cannot be set.");
            var scopes = new[] { "Policy.ReadWrite.Authorization" };
            // authorizationpolicy-update: "When calling on behalf of a user, the user needs to have the Privileged Role Administrator" role.
            Rejected(await IdentityKit.Bearer(Door, "PATCH", Policy, TokenOf("CloudApplicationAdministrator", scopes), new { allowedToUseSSPR = false }),
                403, "Authorization_RequestDenied", Denied);
            NoContent(await IdentityKit.Bearer(Door, "PATCH", Policy, TokenOf("PrivilegedRoleAdministrator", scopes), new { allowedToUseSSPR = false }));
            Assert.False((bool)Ok(await Door.GetAsync(Policy))["allowedToUseSSPR"]!);
            NoContent(await Door.PatchAsync(Policy, new { allowedToUseSSPR = true }));
            // App-only: Policy.Read.All (246dd0d5-5bd0-4def-940b-0421030a5b68) reads and does not write.
            var reader = await _kit.CreateClientAsync("246dd0d5-5bd0-4def-940b-0421030a5b68");
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(reader.AppId, reader.Secret));
            Ok(await IdentityKit.Bearer(Door, "GET", Policy, token));
            Rejected(await IdentityKit.Bearer(Door, "PATCH", Policy, token, new { allowedToUseSSPR = false }), 403, "Authorization_RequestDenied", Denied);
        }
    }
}
