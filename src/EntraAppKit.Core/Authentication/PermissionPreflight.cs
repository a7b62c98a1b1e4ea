using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Recipes;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>
    /// Checks, before any write, that the caller's token carries the permissions a plan's writes need
    /// (graph-ground-truth §0.3–§0.9 and §9), and names what is missing and how to get it.
    /// </summary>
    public static class PermissionPreflight
    {
        private const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
        private const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";

        /// <summary>What a plan needs, each with any of the permissions that allow it.</summary>
        internal static IEnumerable<(string Purpose, string[] AnyOf)> Needs(RecipePlan plan)
        {
            bool writesApp = plan.CreatesApplication || plan.UpdatesApplication || plan.AddsSecret || plan.ExistingServicePrincipal == null;
            if (writesApp) yield return ("to create and update the app registration", new[] { "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.ReadWrite.All" });
            if (plan.AppRolesToAssign.Count > 0 || plan.AssignmentsToRevoke.Count > 0)
                yield return ("to grant application permissions (app role assignments)", new[] { "AppRoleAssignment.ReadWrite.All" });
            if (plan.DelegatedConsentToApply.Count > 0)
                yield return ("to grant delegated permissions (oauth2PermissionGrants)", new[] { "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All" });
        }

        /// <summary>Throws <see cref="ErrorIds.InsufficientPermissions"/> when the token lacks something the plan needs.</summary>
        public static void Check(TokenClaims claims, RecipePlan plan)
        {
            var held = new HashSet<string>(claims.IsAppOnly ? claims.Roles : claims.Scopes, StringComparer.OrdinalIgnoreCase);
            var missing = Needs(plan).Where(n => !n.AnyOf.Any(held.Contains)).ToList();
            var problems = missing.Select(m => $"{m.AnyOf[0]} {m.Purpose}").ToList();

            // §0.8: granting Microsoft Graph application permissions as a user needs Global or Privileged Role Administrator;
            // Application Administrator and Cloud Application Administrator cannot.
            bool grantsGraphRoles = plan.AppRolesToAssign.Any(r => string.Equals(r.ResourceAppId, MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase));
            if (!claims.IsAppOnly && grantsGraphRoles && claims.DirectoryRoles.Count > 0 &&
                !claims.DirectoryRoles.Any(w => string.Equals(w, GlobalAdministrator, StringComparison.OrdinalIgnoreCase) || string.Equals(w, PrivilegedRoleAdministrator, StringComparison.OrdinalIgnoreCase)))
                problems.Add("the Global Administrator or Privileged Role Administrator directory role to grant Microsoft Graph application permissions (Application and Cloud Application Administrators cannot)");

            if (problems.Count == 0) return;
            string how = claims.IsAppOnly
                ? $"Grant the application permission(s) to the app or managed identity you connect as (appId {claims.AppId}) with admin consent, then connect again."
                : "Consent the delegated permission(s) for the app you sign in with (or sign in as an administrator who has the role), then connect again.";
            throw new EntraAppKitException(ErrorIds.InsufficientPermissions, EntraErrorCategory.PermissionDenied,
                $"Nothing was changed: the connection lacks {string.Join("; and ", problems)}. {how}");
        }
    }
}
