using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Applications;
using EntraAppKit.Core.Consent;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Recipes;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>
    /// Checks, before any write, that the caller's token carries the permissions a plan's writes need (the "Permissions" table
    /// of each Graph API page: application-post-applications, serviceprincipal-post-approleassignedto, oauth2permissiongrant-post),
    /// and names what is missing and how to get it.
    /// </summary>
    public static class PermissionPreflight
    {
        private const string GlobalAdministrator = DirectoryRoleNames.GlobalAdministrator;
        private const string PrivilegedRoleAdministrator = DirectoryRoleNames.PrivilegedRoleAdministrator;

        /// <summary>Throws <see cref="ErrorIds.InsufficientPermissions"/> when the token lacks something the recipe's plan needs.</summary>
        public static void Check(TokenClaims claims, RecipePlan plan) => Check(claims, plan.Application, plan.Consent);

        /// <summary>The same check for a plan that writes no application (Grant-AdminConsent).</summary>
        internal static void Check(TokenClaims claims, ApplicationPlan? application, ConsentPlan consent)
        {
            var held = new HashSet<string>(claims.IsAppOnly ? claims.Roles : claims.Scopes, StringComparer.OrdinalIgnoreCase);
            var missing = Needs(application, consent).Where(n => !n.AnyOf.Any(held.Contains)).ToList();
            var problems = missing.Select(m => $"{m.AnyOf[0]} {m.Purpose}").ToList();

            // Granting Microsoft Graph application permissions as a user needs Global or Privileged Role Administrator; Application
            // Administrator and Cloud Application Administrator cannot ("Microsoft Entra built-in roles",
            // learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
            bool grantsGraphRoles = consent.AppRolesToAssign.Any(r => string.Equals(r.ResourceAppId, MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase));
            if (!claims.IsAppOnly && grantsGraphRoles && claims.DirectoryRoles.Count > 0 &&
                !claims.DirectoryRoles.Any(w => string.Equals(w, GlobalAdministrator, StringComparison.OrdinalIgnoreCase) || string.Equals(w, PrivilegedRoleAdministrator, StringComparison.OrdinalIgnoreCase)))
                problems.Add("the Global Administrator or Privileged Role Administrator directory role to grant Microsoft Graph application permissions (Application and Cloud Application Administrators cannot)");

            Fail(claims, problems);
        }

        /// <summary>
        /// The check for an operation that names its own needs (Set-EntraTenantAppPolicy): for each purpose, any of the
        /// permissions that allow it, and the directory roles a signed-in user needs for it (a token without wids is not judged by role).
        /// Throws <see cref="ErrorIds.InsufficientPermissions"/> naming everything missing.
        /// </summary>
        internal static void Check(TokenClaims claims, IEnumerable<(string Purpose, string[] AnyOf, string[] Roles)> needs)
        {
            var held = new HashSet<string>(claims.IsAppOnly ? claims.Roles : claims.Scopes, StringComparer.OrdinalIgnoreCase);
            var problems = new List<string>();
            foreach (var (purpose, anyOf, roles) in needs)
            {
                if (!anyOf.Any(held.Contains)) problems.Add($"{anyOf[0]} {purpose}");
                if (!claims.IsAppOnly && roles.Length > 0 && claims.DirectoryRoles.Count > 0 &&
                    !claims.DirectoryRoles.Any(w => roles.Contains(w, StringComparer.OrdinalIgnoreCase)))
                    problems.Add($"the {string.Join(" or ", roles.Select(DirectoryRoleNames.NameOf))} directory role {purpose}");
            }
            Fail(claims, problems);
        }

        private static void Fail(TokenClaims claims, List<string> problems)
        {
            if (problems.Count == 0) return;
            string how = claims.IsAppOnly
                ? $"Grant the application permission(s) to the app or managed identity you connect as (appId {claims.AppId}) with admin consent, then connect again."
                : "Consent the delegated permission(s) for the app you sign in with (or sign in as an administrator who has the role), then connect again.";
            throw new EntraAppKitException(ErrorIds.InsufficientPermissions, EntraErrorCategory.PermissionDenied,
                $"Nothing was changed: the connection lacks {string.Join("; and ", problems)}. {how}");
        }

        /// <summary>What the writes need, each with any of the permissions that allow it.</summary>
        private static IEnumerable<(string Purpose, string[] AnyOf)> Needs(ApplicationPlan? application, ConsentPlan consent)
        {
            bool writesApp = application != null && (application.Creates || application.Updates || application.AddsSecret);
            if (writesApp || consent.ExistingServicePrincipal == null)
                yield return ("to create and update the app registration", new[] { "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.ReadWrite.All" });
            if (consent.AppRolesToAssign.Count > 0 || consent.AssignmentsToRevoke.Count > 0)
                yield return ("to grant application permissions (app role assignments)", new[] { "AppRoleAssignment.ReadWrite.All" });
            if (consent.DelegatedConsentToApply.Count > 0)
                yield return ("to grant delegated permissions (oauth2PermissionGrants)", new[] { "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All" });
        }
    }
}
