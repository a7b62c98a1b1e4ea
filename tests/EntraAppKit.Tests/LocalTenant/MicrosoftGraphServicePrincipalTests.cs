using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Model;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The Microsoft Graph service principal every new tenant has, read through both front doors: appId, the real permission
    /// GUIDs of learn.microsoft.com/graph/permissions-reference and the full catalog of app roles and delegated scopes
    /// (learn.microsoft.com/graph/permissions-grant-via-msgraph).
    /// </summary>
    public abstract class MicrosoftGraphServicePrincipalTests : DoorTests
    {
        protected MicrosoftGraphServicePrincipalTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : MicrosoftGraphServicePrincipalTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : MicrosoftGraphServicePrincipalTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        /// <summary>learn.microsoft.com/graph/permissions-reference, row by row: permission, delegated GUID (or null), application GUID (or null).</summary>
        public static IEnumerable<object?[]> PermissionTable => new[]
        {
            new object?[] { "Directory.Read.All", "06da0dbc-49e2-44d2-8312-53f166ab848a", "7ab1d382-f21e-4acd-a863-ba3e13f7da61" },
            new object?[] { "User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", null },
            new object?[] { "Application.Read.All", "c79f8feb-a9db-4090-85f9-90d820caa0eb", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30" },
            new object?[] { "Application.ReadWrite.All", "bdfbf15f-ee85-4955-8675-146e8e5296b5", "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9" },
            new object?[] { "Application.ReadWrite.OwnedBy", null, "18a4783c-866b-4cc7-a460-3d5e5662c884" },
            new object?[] { "AppRoleAssignment.ReadWrite.All", "84bccea3-f856-4a8a-967b-dbe0a3d53a64", "06b708a9-e830-4db3-a914-8e69da51d44f" },
            new object?[] { "DelegatedPermissionGrant.ReadWrite.All", "41ce6ca6-6826-4807-84f1-1c82854f7ee5", "8e8e4742-1d95-4f68-9d56-6ee75648c72a" },
            new object?[] { "Directory.ReadWrite.All", "c5366453-9fb0-48a5-a156-24f0c49a4b84", "19dbc75e-c2e2-444c-a770-ec69d8559fc7" },
            new object?[] { "User.Read.All", "a154be20-db9c-4678-8ab7-66f6cc099a59", "df021288-bdef-4463-88db-98f22de89214" },
            new object?[] { "Organization.Read.All", "4908d5b9-3fb2-4b1e-9336-1888b7937185", "498476ce-e0fe-48b0-b801-37ba7e2685c6" },
            new object?[] { "Domain.Read.All", "2f9ee017-59c1-4f1d-9472-bd5529a7b311", "dbb9058a-0e50-45d7-ae91-66909b5d4664" },
            new object?[] { "openid", "37f7f235-527c-4136-accd-4a02d197296e", null },
            new object?[] { "profile", "14dad69e-099b-42c9-810b-d002981feec1", null },
            new object?[] { "offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", null },
            new object?[] { "email", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", null },
        };

        private async Task<JsonObject> GraphSpAsync() =>
            Ok(await Door.GetAsync($"/servicePrincipals(appId='{FrontDoor.MicrosoftGraphAppId}')"));

        [Fact]
        public async Task Is_found_by_appId_filter_with_select_as_the_recipes_do()
        {
            // learn.microsoft.com/graph/permissions-grant-via-msgraph
            var list = Ok(await Door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'&$select=id,appId,displayName,appRoles,oauth2PermissionScopes"));
            Assert.Equal(Root + "/$metadata#servicePrincipals(id,appId,displayName,appRoles,oauth2PermissionScopes)", (string?)list["@odata.context"]);
            var sp = Assert.Single(Items(list));
            Assert.Equal(new[] { "id", "appId", "displayName", "appRoles", "oauth2PermissionScopes" }, sp.Select(kv => kv.Key));
            Assert.Equal(FrontDoor.MicrosoftGraphAppId, (string?)sp["appId"]);
            Assert.Equal("Microsoft Graph", (string?)sp["displayName"]);
            GuidOf(sp["id"]);
            Assert.Equal((string?)sp["id"], (string?)(await GraphSpAsync())["id"]);
        }

        [Fact]
        public async Task Holds_the_whole_permission_catalog()
        {
            // learn.microsoft.com/graph/permissions-reference: hundreds of application and delegated permissions
            var sp = await GraphSpAsync();
            var roles = sp["appRoles"]!.AsArray();
            var scopes = sp["oauth2PermissionScopes"]!.AsArray();
            Assert.Equal(PermissionCatalog.AppRoleCount, roles.Count);
            Assert.Equal(PermissionCatalog.ScopeCount, scopes.Count);
            Assert.True(roles.Count > 500, $"only {roles.Count} app roles");
            Assert.True(scopes.Count > 500, $"only {scopes.Count} scopes");
            Assert.Equal(roles.Count, roles.Select(r => (string)r!["id"]!).Distinct().Count());
            Assert.Equal(scopes.Count, scopes.Select(s => (string)s!["id"]!).Distinct().Count());
            Assert.All(roles, r => Assert.Equal(new[] { "Application" }, Strings(r!["allowedMemberTypes"])));
            Assert.All(scopes, s => Assert.Contains((string?)s!["type"], new[] { "User", "Admin" }));
            Assert.Equal(FrontDoor.MicrosoftGraphAppId, (string?)sp["appId"]);
            Assert.Contains("https://graph.microsoft.com", Strings(sp["servicePrincipalNames"]));
        }

        [Theory]
        [MemberData(nameof(PermissionTable))]
        public async Task Carries_the_real_GUIDs_of_the_ground_truth_table(string permission, string? delegatedId, string? applicationId)
        {
            // learn.microsoft.com/graph/permissions-reference (table)
            var sp = await GraphSpAsync();
            var scopes = sp["oauth2PermissionScopes"]!.AsArray().Where(s => (string?)s!["value"] == permission).ToList();
            var roles = sp["appRoles"]!.AsArray().Where(r => (string?)r!["value"] == permission).ToList();
            if (delegatedId == null) Assert.Empty(scopes);
            else
            {
                var scope = Assert.Single(scopes)!;
                Assert.Equal(delegatedId, (string?)scope["id"]);
                Assert.True((bool)scope["isEnabled"]!);
            }
            if (applicationId == null) Assert.Empty(roles);
            else
            {
                var role = Assert.Single(roles)!;
                Assert.Equal(applicationId, (string?)role["id"]);
                Assert.Equal(new[] { "Application" }, Strings(role["allowedMemberTypes"]));
                Assert.True((bool)role["isEnabled"]!);
            }
        }

        [Fact]
        public async Task Does_not_carry_the_wrong_GUIDs_public_scripts_use()
        {
            // learn.microsoft.com/graph/permissions-reference: "some public scripts carry wrong openid/offline_access GUIDs"
            var sp = await GraphSpAsync();
            var ids = sp["oauth2PermissionScopes"]!.AsArray().Select(s => (string)s!["id"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("37f7f235-527c-4136-accd-4a02d197975b", ids);
            Assert.DoesNotContain("7427e0e9-2fdb-4417-809c-591378161370", ids);
        }
    }
}
