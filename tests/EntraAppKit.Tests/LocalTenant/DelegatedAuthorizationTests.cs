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
    /// A delegated token acts as its user: "the app can act only as the signed-in user ... effective permissions are the
    /// intersection" of its scopes and what the user may do (learn.microsoft.com/graph/permissions-overview). The user's
    /// directory roles (its tokens' wids) decide what its scopes reach, through both front doors.
    /// </summary>
    public abstract class DelegatedAuthorizationTests : DoorTests
    {
        private static readonly string[] AppScopes = { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All" };

        protected DelegatedAuthorizationTests(FrontDoor door) : base(door) { door.Tenant.RequireAuthentication = false; }

        public sealed class InProcess : DelegatedAuthorizationTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : DelegatedAuthorizationTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        /// <summary>A new user with <paramref name="roles"/> and a token with <see cref="AppScopes"/>.</summary>
        private string TokenOf(out string userId, params string[] roles)
        {
            string upn = Unique("u") + "@" + FrontDoor.CustomDomain;
            userId = Tenant.AddUser(new LocalTenantUser(upn, "Delegated-Passw0rd", roles));
            return Tenant.IssueUserToken(upn, AppScopes);
        }

        private Task<GraphCall> As(string token, string method, string path, object? body = null) => IdentityKit.Bearer(Door, method, path, token, body);

        [Fact]
        public async Task A_member_registers_applications_it_then_owns_and_changes_only_those()
        {
            string token = TokenOf(out string userId);
            // A new tenant lets users register applications (defaultUserRolePermissions.allowedToCreateApps: true).
            var mine = Ok(await As(token, "POST", "/applications", new { displayName = Unique("mine") }), 201);
            string mineId = (string)mine["id"]!;
            Assert.Equal(userId, (string?)Assert.Single(Items(Ok(await Door.GetAsync($"/applications/{mineId}/owners"))))["id"]);
            NoContent(await As(token, "PATCH", "/applications/" + mineId, new { notes = "mine" }));

            // Another's application: 403 whatever the scope (permissions-reference: only the application administrator roles
            // "manage all aspects of app registrations").
            var others = await CreateAppAsync();
            string othersId = (string)others["id"]!;
            Rejected(await As(token, "PATCH", "/applications/" + othersId, new { notes = "not mine" }), 403, "Authorization_RequestDenied", Denied);
            Rejected(await As(token, "DELETE", "/applications/" + othersId), 403, "Authorization_RequestDenied", Denied);
            Rejected(await As(token, "POST", $"/applications/{othersId}/addPassword", new { passwordCredential = new { displayName = "x" } }), 403, "Authorization_RequestDenied", Denied);
            Assert.Null((string?)Ok(await Door.GetAsync($"/applications/{othersId}?$select=notes"))["notes"]);
            NoContent(await As(token, "DELETE", "/applications/" + mineId));
        }

        [Theory]
        [InlineData("CloudApplicationAdministrator")]
        [InlineData("ApplicationAdministrator")]
        [InlineData("GlobalAdministrator")]
        public async Task Application_administrators_change_every_application(string role)
        {
            string token = TokenOf(out _, role);
            string othersId = (string)(await CreateAppAsync())["id"]!;
            NoContent(await As(token, "PATCH", "/applications/" + othersId, new { notes = role }));
            Assert.Equal(role, (string?)Ok(await Door.GetAsync($"/applications/{othersId}?$select=notes"))["notes"]);
            NoContent(await As(token, "DELETE", "/applications/" + othersId));
        }

        [Theory]
        [MemberData(nameof(FrontDoor.Kinds), MemberType = typeof(FrontDoor))]
        public async Task When_users_may_not_register_applications_only_developers_and_administrators_do(string kind)
        {
            var options = new LocalTenantOptions { Name = "locked", UsersCanRegisterApplications = false };
            options.VerifiedDomains.Add(FrontDoor.CustomDomain);
            var tenant = Tenant.Create(options);
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                string Token(string role)
                {
                    string upn = Guid.NewGuid().ToString("N").Substring(0, 10) + "@" + FrontDoor.CustomDomain;
                    tenant.AddUser(new LocalTenantUser(upn, "Locked-Passw0rd", role.Length == 0 ? Array.Empty<string>() : new[] { role }));
                    return tenant.IssueUserToken(upn, AppScopes);
                }
                // permissions-reference, Application Developer: "Can create application registrations independent of the
                // 'Users can register applications' setting."
                GraphAssert.Error(await IdentityKit.Bearer(door, "POST", "/applications", Token(""), new { displayName = "no" }), 403, "Authorization_RequestDenied", Denied);
                Ok(await IdentityKit.Bearer(door, "POST", "/applications", Token("ApplicationDeveloper"), new { displayName = "dev" }), 201);
                Ok(await IdentityKit.Bearer(door, "POST", "/applications", Token("CloudApplicationAdministrator"), new { displayName = "cloud" }), 201);
                // App-only callers keep their rules: the administrator without a token, or an app with its role, is not a user.
                Ok(await door.PostAsync("/applications", new { displayName = "admin" }), 201);
            }
            finally { await door.DisposeAsync(); }
        }

        /// <summary>
        /// learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent: Global Administrator or Privileged Role
        /// Administrator "for granting consent for apps requesting any permission, for any API"; Cloud Application
        /// Administrator or Application Administrator "for apps requesting any permission for any API, except Microsoft Graph
        /// app roles (application permissions)".
        /// </summary>
        [Fact]
        public async Task Tenant_wide_consent_needs_the_roles_grant_admin_consent_names()
        {
            var (_, client) = await CreateAppWithSpAsync();
            string graphSp = await GraphSpIdAsync();
            object AllPrincipals(string scope) => new { clientId = (string)client["id"]!, consentType = "AllPrincipals", resourceId = graphSp, scope };

            string member = TokenOf(out _);
            Rejected(await As(member, "POST", "/oauth2PermissionGrants", AllPrincipals("User.Read")), 403, "Authorization_RequestDenied", Denied);
            string developer = TokenOf(out _, "ApplicationDeveloper");
            Rejected(await As(developer, "POST", "/oauth2PermissionGrants", AllPrincipals("User.Read")), 403, "Authorization_RequestDenied", Denied);
            // Delegated permissions of any API, Microsoft Graph's included: the application administrators may.
            string cloudAdmin = TokenOf(out _, "CloudApplicationAdministrator");
            var grant = Ok(await As(cloudAdmin, "POST", "/oauth2PermissionGrants", AllPrincipals("User.Read")), 201);
            Rejected(await As(member, "DELETE", "/oauth2PermissionGrants/" + (string)grant["id"]!), 403, "Authorization_RequestDenied", Denied);
            NoContent(await As(cloudAdmin, "DELETE", "/oauth2PermissionGrants/" + (string)grant["id"]!));

            // Microsoft Graph's app roles: not the application administrators; Privileged Role and Global Administrators.
            object GraphRole = new { principalId = (string)client["id"]!, resourceId = graphSp, appRoleId = IdentityKit.ApplicationReadAll };
            Rejected(await As(cloudAdmin, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", GraphRole), 403, "Authorization_RequestDenied", Denied);
            string appAdmin = TokenOf(out _, "ApplicationAdministrator");
            Rejected(await As(appAdmin, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", GraphRole), 403, "Authorization_RequestDenied", Denied);
            string pra = TokenOf(out _, "PrivilegedRoleAdministrator");
            var assignment = Ok(await As(pra, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", GraphRole), 201);
            Rejected(await As(cloudAdmin, "DELETE", $"/servicePrincipals/{graphSp}/appRoleAssignedTo/{(string)assignment["id"]!}"), 403, "Authorization_RequestDenied", Denied);
            string ga = TokenOf(out _, "GlobalAdministrator");
            NoContent(await As(ga, "DELETE", $"/servicePrincipals/{graphSp}/appRoleAssignedTo/{(string)assignment["id"]!}"));

            // Another API's app roles: the application administrators may.
            string roleId = Guid.NewGuid().ToString();
            var api = await CreateAppAsync(new JsonObject
            {
                ["appRoles"] = new JsonArray(new JsonObject
                {
                    ["id"] = roleId, ["allowedMemberTypes"] = new JsonArray("Application"), ["displayName"] = "Read", ["description"] = "Read",
                    ["value"] = "Data.Read", ["isEnabled"] = true,
                }),
            });
            string apiSp = (string)(await CreateSpAsync((string)api["appId"]!))["id"]!;
            Ok(await As(cloudAdmin, "POST", $"/servicePrincipals/{apiSp}/appRoleAssignedTo",
                new { principalId = (string)client["id"]!, resourceId = apiSp, appRoleId = roleId }), 201);
            Rejected(await As(member, "POST", $"/servicePrincipals/{apiSp}/appRoleAssignedTo",
                new { principalId = (string)client["id"]!, resourceId = apiSp, appRoleId = roleId }), 403, "Authorization_RequestDenied", Denied);
        }
    
        /// <summary>
        /// oauth2permissiongrant-post (its rbac include): in delegated scenarios "the signed-in user must be assigned a supported
        /// Microsoft Entra role": Application Administrator, Application Developer, Cloud Application Administrator, Directory
        /// Writers, Privileged Role Administrator, User Administrator. A grant for one user needs one of them, not tenant-wide
        /// consent's roles.
        /// </summary>
        [Fact]
        public async Task A_grant_for_one_user_needs_one_of_the_roles_oauth2permissiongrant_post_supports()
        {
            var (_, client) = await CreateAppWithSpAsync();
            string graphSp = await GraphSpIdAsync();
            string member = TokenOf(out string memberId);
            object ForMember(string scope) => new { clientId = (string)client["id"]!, consentType = "Principal", principalId = memberId, resourceId = graphSp, scope };
            Rejected(await As(member, "POST", "/oauth2PermissionGrants", ForMember("User.Read")), 403, "Authorization_RequestDenied", Denied);
            string developer = TokenOf(out _, "ApplicationDeveloper");
            var grant = Ok(await As(developer, "POST", "/oauth2PermissionGrants", ForMember("User.Read")), 201);
            Assert.Equal(memberId, (string?)grant["principalId"]);
            Rejected(await As(member, "PATCH", "/oauth2PermissionGrants/" + (string)grant["id"]!, new { scope = "User.Read Mail.Read" }), 403, "Authorization_RequestDenied", Denied);
            string userAdmin = TokenOf(out _, "UserAdministrator");
            NoContent(await As(userAdmin, "PATCH", "/oauth2PermissionGrants/" + (string)grant["id"]!, new { scope = "User.Read Mail.Read" }));
            Assert.Equal("User.Read Mail.Read", (string?)Ok(await Door.GetAsync("/oauth2PermissionGrants/" + (string)grant["id"]!))["scope"]);
            NoContent(await As(developer, "DELETE", "/oauth2PermissionGrants/" + (string)grant["id"]!));
        }

        /// <summary>
        /// serviceprincipal-post-approleassignedto (its rbac include): Privileged Role Administrator is "the least privileged role
        /// supported for Microsoft Graph ... app roles"; User, Application and Cloud Application Administrators assign other
        /// APIs' roles; "The roles listed above are not required when the signed-in user is a native member of the tenant
        /// (member user) and is an owner of the resource application."
        /// </summary>
        [Fact]
        public async Task The_owner_of_an_api_assigns_its_app_roles_and_a_User_Administrator_any_but_Microsoft_Graphs()
        {
            var (_, client) = await CreateAppWithSpAsync();
            string roleId = Guid.NewGuid().ToString();
            var appRoles = new JsonArray(new JsonObject
            {
                ["id"] = roleId, ["allowedMemberTypes"] = new JsonArray("Application"), ["displayName"] = "Write", ["description"] = "Write",
                ["value"] = "Data.Write", ["isEnabled"] = true,
            });
            string owner = TokenOf(out _);
            var api = Ok(await As(owner, "POST", "/applications", new JsonObject { ["displayName"] = Unique("api"), ["signInAudience"] = "AzureADMyOrg", ["appRoles"] = appRoles }), 201);
            string apiSp = (string)Ok(await As(owner, "POST", "/servicePrincipals", new { appId = (string)api["appId"]! }), 201)["id"]!;
            object Assignment(string resource, string role) => new { principalId = (string)client["id"]!, resourceId = resource, appRoleId = role };
            var made = Ok(await As(owner, "POST", $"/servicePrincipals/{apiSp}/appRoleAssignedTo", Assignment(apiSp, roleId)), 201);
            NoContent(await As(owner, "DELETE", $"/servicePrincipals/{apiSp}/appRoleAssignedTo/{(string)made["id"]!}"));
            string stranger = TokenOf(out _);
            Rejected(await As(stranger, "POST", $"/servicePrincipals/{apiSp}/appRoleAssignedTo", Assignment(apiSp, roleId)), 403, "Authorization_RequestDenied", Denied);
            string userAdmin = TokenOf(out _, "UserAdministrator");
            Ok(await As(userAdmin, "POST", $"/servicePrincipals/{apiSp}/appRoleAssignedTo", Assignment(apiSp, roleId)), 201);
            string graphSp = await GraphSpIdAsync();
            Rejected(await As(userAdmin, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", Assignment(graphSp, IdentityKit.ApplicationReadAll)),
                403, "Authorization_RequestDenied", Denied);
        }
    }
}
