using System;
using System.Text;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Authentication
{
    /// <summary>A recipe fails before any write when the caller's token lacks what its writes need (the "Permissions" tables of learn.microsoft.com/graph/api/application-post-applications, serviceprincipal-post-approleassignedto and oauth2permissiongrant-post).</summary>
    public class PermissionPreflightTests
    {
        private static TokenClaims Claims(string payload) =>
            TokenClaims.Read("eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".x")!;

        private static async Task<RecipePlan> PlanAsync(AppRecipe recipe)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            return await new RecipeEngine(session).PlanAsync(recipe);
        }

        [Fact]
        public async Task App_with_only_OwnedBy_cannot_consent_and_is_told_what_to_add()
        {
            var plan = await PlanAsync(new KonnectDcr().For(KonnectDcr.DefaultName));
            var e = Assert.Throws<EntraAppKitException>(() => PermissionPreflight.Check(Claims("{\"appid\":\"a1\",\"roles\":[\"Application.ReadWrite.OwnedBy\"]}"), plan));
            Assert.Equal(ErrorIds.InsufficientPermissions, e.ErrorId);
            Assert.StartsWith("Nothing was changed", e.Message);
            Assert.Contains("AppRoleAssignment.ReadWrite.All to grant application permissions", e.Message);
            Assert.Contains("DelegatedPermissionGrant.ReadWrite.All to grant delegated permissions", e.Message);
            Assert.Contains("appId a1", e.Message);
            Assert.DoesNotContain("Application.ReadWrite.All to create", e.Message);

            PermissionPreflight.Check(Claims("{\"appid\":\"a1\",\"roles\":[\"Application.ReadWrite.OwnedBy\",\"AppRoleAssignment.ReadWrite.All\",\"DelegatedPermissionGrant.ReadWrite.All\"]}"), plan);
        }

        [Fact]
        public async Task A_recipe_without_consent_needs_only_app_write()
        {
            var plan = await PlanAsync(new WriteBack().For(WriteBack.DefaultName));
            PermissionPreflight.Check(Claims("{\"appid\":\"a1\",\"roles\":[\"Application.ReadWrite.OwnedBy\"]}"), plan);
            var e = Assert.Throws<EntraAppKitException>(() => PermissionPreflight.Check(Claims("{\"appid\":\"a1\",\"roles\":[\"Application.Read.All\"]}"), plan));
            Assert.Contains("Application.ReadWrite.All to create and update the app registration", e.Message);
        }

        [Fact]
        public async Task Application_administrators_cannot_grant_Graph_application_permissions()
        {
            var plan = await PlanAsync(new CmgServer { EnableUserDiscovery = true }.For(CmgServer.DefaultName));
            const string scopes = "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All";
            var e = Assert.Throws<EntraAppKitException>(() => PermissionPreflight.Check(
                Claims($"{{\"upn\":\"appadmin@contoso.com\",\"scp\":\"{scopes}\",\"wids\":[\"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3\"]}}"), plan));
            Assert.Contains("Global Administrator or Privileged Role Administrator", e.Message);
            PermissionPreflight.Check(Claims($"{{\"upn\":\"ga@contoso.com\",\"scp\":\"{scopes}\",\"wids\":[\"62e90394-69f5-4237-9190-012177145e10\"]}}"), plan);
        }
    }
}
