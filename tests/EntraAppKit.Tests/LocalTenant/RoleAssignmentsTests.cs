using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using static EntraAppKit.Tests.LocalTenantTests.UsersTests;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// /roleManagement/directory/roleAssignments through both front doors (learn.microsoft.com/graph/api/rbacapplication-post-roleassignments,
    /// rbacapplication-list-roleassignments, unifiedroleassignment-get, unifiedroleassignment-delete) and the role
    /// definitions; the roles reach the user's tokens as wids.
    /// </summary>
    public abstract class RoleAssignmentsTests : DoorTests, IDisposable
    {
        private const string Assignments = "/roleManagement/directory/roleAssignments";
        private readonly IdentityKit _kit;

        protected RoleAssignmentsTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : RoleAssignmentsTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : RoleAssignmentsTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private async Task<string> NewUserIdAsync() => (string)Ok(await Door.PostAsync("/users", NewUser(Unique("role"))), 201)["id"]!;

        [Fact]
        public async Task A_role_is_assigned_read_listed_by_principal_and_by_role_and_removed()
        {
            string userId = await NewUserIdAsync();
            var created = Ok(await Door.PostAsync(Assignments, new { principalId = userId, roleDefinitionId = ApplicationDeveloper, directoryScopeId = "/" }), 201);
            Assert.Equal(Root + "/$metadata#roleManagement/directory/roleAssignments/$entity", (string?)created["@odata.context"]);
            Assert.Equal(userId, (string?)created["principalId"]);
            Assert.Equal(ApplicationDeveloper, (string?)created["roleDefinitionId"]);
            Assert.Equal("/", (string?)created["directoryScopeId"]);
            string id = (string)created["id"]!;
            IdentityKit.Conforms("unifiedRoleAssignment", created);

            Assert.Equal(created.ToJsonString(), Ok(await Door.GetAsync(Assignments + "/" + id)).ToJsonString());
            var byPrincipal = Ok(await Door.GetAsync($"{Assignments}?$filter=principalId eq '{userId}'"));
            Assert.Equal(Root + "/$metadata#roleManagement/directory/roleAssignments", (string?)byPrincipal["@odata.context"]);
            Assert.Equal(id, (string?)Assert.Single(Items(byPrincipal))["id"]);
            var byRole = Items(Ok(await Door.GetAsync($"{Assignments}?$filter=roleDefinitionId eq '{ApplicationDeveloper}'")));
            Assert.Contains(byRole, a => (string?)a["id"] == id);
            Assert.All(byRole, a => Assert.Equal(ApplicationDeveloper, (string?)a["roleDefinitionId"]));

            // The user's next token carries the role in wids, beside the member-user role.
            string upn = (string)Ok(await Door.GetAsync("/users/" + userId))["userPrincipalName"]!;
            Assert.Equal(new[] { ApplicationDeveloper, "b79fbf4d-3ef9-4689-8143-76b194e85509" },
                Strings(IdentityKit.Claims(Tenant.IssueUserToken(upn, new[] { "User.Read" }))["wids"]));

            NoContent(await Door.DeleteAsync(Assignments + "/" + id));
            Rejected(await Door.GetAsync(Assignments + "/" + id), 404, "Request_ResourceNotFound",
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
            Assert.Empty(Items(Ok(await Door.GetAsync($"{Assignments}?$filter=principalId eq '{userId}'"))));
            Assert.Equal(new[] { "b79fbf4d-3ef9-4689-8143-76b194e85509" }, Strings(IdentityKit.Claims(Tenant.IssueUserToken(upn, new[] { "User.Read" }))["wids"]));
        }

        [Fact]
        public async Task The_built_in_administrator_holds_Global_Administrator()
        {
            var mine = Items(Ok(await Door.GetAsync($"{Assignments}?$filter=principalId eq '{Tenant.AdministratorId}'")));
            var ga = Assert.Single(mine);
            Assert.Equal(GlobalAdministrator, (string?)ga["roleDefinitionId"]);
            Assert.Equal("/", (string?)ga["directoryScopeId"]);
            // Graph's id of a built-in role assignment: the role's and the principal's GUID bytes, base64url ("lAPpYvVpN0KRkAEhdxReE…" for this role).
            Assert.StartsWith("lAPpYvVpN0KRkAEhdxReE", (string?)ga["id"]);
            Assert.Equal(new[] { GlobalAdministrator, "b79fbf4d-3ef9-4689-8143-76b194e85509" }, Strings(IdentityKit.Claims(Tenant.IssueAdminToken())["wids"]));
        }

        [Fact]
        public async Task Bad_assignments_are_refused()
        {
            string userId = await NewUserIdAsync();
            Ok(await Door.PostAsync(Assignments, new { principalId = userId, roleDefinitionId = CloudApplicationAdministrator, directoryScopeId = "/" }), 201);
            Rejected(await Door.PostAsync(Assignments, new { principalId = userId, roleDefinitionId = CloudApplicationAdministrator, directoryScopeId = "/" }), 400,
                "Request_BadRequest", "A conflicting object with one or more of the specified property values is present in the directory.");
            string unknownRole = Guid.NewGuid().ToString();
            Rejected(await Door.PostAsync(Assignments, new { principalId = userId, roleDefinitionId = unknownRole, directoryScopeId = "/" }), 404,
                "Request_ResourceNotFound", $"Resource '{unknownRole}' does not exist or one of its queried reference-property objects are not present.");
            string nobody = Guid.NewGuid().ToString();
            Rejected(await Door.PostAsync(Assignments, new { principalId = nobody, roleDefinitionId = ApplicationDeveloper, directoryScopeId = "/" }), 404,
                "Request_ResourceNotFound", $"Resource '{nobody}' does not exist or one of its queried reference-property objects are not present.");
            Rejected(await Door.PostAsync(Assignments, new { principalId = userId, roleDefinitionId = ApplicationDeveloper }), 400,
                "Request_BadRequest", "Invalid value specified for property 'directoryScopeId' of resource 'UnifiedRoleAssignment'.");
            Rejected(await Door.PostAsync(Assignments, new { roleDefinitionId = ApplicationDeveloper, directoryScopeId = "/" }), 400,
                "Request_BadRequest", "Invalid value specified for property 'principalId' of resource 'UnifiedRoleAssignment'.");
            Rejected(await Door.GetAsync("/roleManagement/entitlementManagement/roleAssignments"), 400, "BadRequest", "Resource not found for the segment 'entitlementManagement'.");
        }

        [Fact]
        public async Task A_service_principal_can_hold_a_directory_role()
        {
            var (_, sp) = await CreateAppWithSpAsync();
            var created = Ok(await Door.PostAsync(Assignments, new { principalId = (string)sp["id"]!, roleDefinitionId = ApplicationAdministrator, directoryScopeId = "/" }), 201);
            NoContent(await Door.DeleteAsync("/servicePrincipals/" + (string)sp["id"]!));
            // Deleting the principal removes what it held.
            Rejected(await Door.GetAsync(Assignments + "/" + (string)created["id"]!), 404, "Request_ResourceNotFound");
        }

        [Fact]
        public async Task Role_definitions_list_the_built_in_roles_the_tenant_knows()
        {
            var list = Ok(await Door.GetAsync("/roleManagement/directory/roleDefinitions"));
            Assert.Equal(Root + "/$metadata#roleManagement/directory/roleDefinitions", (string?)list["@odata.context"]);
            var byName = Items(list).ToDictionary(d => (string)d["displayName"]!, d => d);
            // permissions-reference's template ids.
            Assert.Equal(GlobalAdministrator, (string?)byName["Global Administrator"]["templateId"]);
            Assert.Equal(PrivilegedRoleAdministrator, (string?)byName["Privileged Role Administrator"]["id"]);
            Assert.Equal(ApplicationAdministrator, (string?)byName["Application Administrator"]["id"]);
            Assert.Equal(CloudApplicationAdministrator, (string?)byName["Cloud Application Administrator"]["id"]);
            Assert.Equal(ApplicationDeveloper, (string?)byName["Application Developer"]["id"]);
            Assert.All(byName.Values, d => { Assert.True((bool)d["isBuiltIn"]!); IdentityKit.Conforms("unifiedRoleDefinition", d); });
            Assert.Equal("Application Developer", (string?)Ok(await Door.GetAsync("/roleManagement/directory/roleDefinitions/" + ApplicationDeveloper))["displayName"]);
            var filtered = Ok(await Door.GetAsync("/roleManagement/directory/roleDefinitions?$filter=displayName eq 'Global Administrator'&$select=id"));
            Assert.Equal(GlobalAdministrator, (string?)Assert.Single(Items(filtered))["id"]);
        }

        [Fact]
        public async Task Only_Global_and_Privileged_Role_Administrators_assign_roles_as_themselves()
        {
            // rbacapplication-post-roleassignments: RoleManagement.ReadWrite.Directory, and the signed-in user must be allowed to
            // manage role assignments: Privileged Role Administrator ("Can manage role assignments", permissions-reference) or Global Administrator.
            string target = await NewUserIdAsync();
            var scopes = new[] { "RoleManagement.ReadWrite.Directory" };
            string appAdmin = Unique("appadmin") + "@" + FrontDoor.CustomDomain;
            Tenant.AddUser(new LocalTenantUser(appAdmin, "Role-Passw0rd", "ApplicationAdministrator"));
            Rejected(await IdentityKit.Bearer(Door, "POST", Assignments, Tenant.IssueUserToken(appAdmin, scopes),
                new { principalId = target, roleDefinitionId = ApplicationDeveloper, directoryScopeId = "/" }), 403, "Authorization_RequestDenied", Denied);
            string pra = Unique("pra") + "@" + FrontDoor.CustomDomain;
            Tenant.AddUser(new LocalTenantUser(pra, "Role-Passw0rd", "PrivilegedRoleAdministrator"));
            var made = Ok(await IdentityKit.Bearer(Door, "POST", Assignments, Tenant.IssueUserToken(pra, scopes),
                new { principalId = target, roleDefinitionId = ApplicationDeveloper, directoryScopeId = "/" }), 201);
            // The scope is needed too: a Privileged Role Administrator's token without it is refused.
            Rejected(await IdentityKit.Bearer(Door, "DELETE", Assignments + "/" + (string)made["id"]!, Tenant.IssueUserToken(pra, new[] { "Directory.Read.All" })),
                403, "Authorization_RequestDenied", Denied);
            NoContent(await IdentityKit.Bearer(Door, "DELETE", Assignments + "/" + (string)made["id"]!, 
                Tenant.IssueUserToken(Tenant.AdministratorUserPrincipalName, scopes)));
            // App-only: the application permission alone (9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8, RoleManagement.ReadWrite.Directory).
            var client = await _kit.CreateClientAsync("9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8");
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            Ok(await IdentityKit.Bearer(Door, "POST", Assignments, token, new { principalId = target, roleDefinitionId = ApplicationDeveloper, directoryScopeId = "/" }), 201);
        }
    }
}
