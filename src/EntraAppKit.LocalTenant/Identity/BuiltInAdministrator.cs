using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>The tenant's one user, admin@{initial domain}: a Global Administrator who signs in by itself (device code) and consents.</summary>
    internal static class BuiltInAdministrator
    {
        /// <summary>The Global Administrator directory role template id, carried in the administrator's wids claim.</summary>
        public const string GlobalAdministratorRoleId = "62e90394-69f5-4237-9190-012177145e10";

        /// <summary>The default member-user role template id, which Entra puts in every member's wids beside their admin roles.</summary>
        public const string MemberUserRoleId = "b79fbf4d-3ef9-4689-8143-76b194e85509";

        public const string DisplayName = "Administrator";

        /// <summary>
        /// The delegated permissions the administrator's own tokens carry, and what a first-party tool is consented to first:
        /// what EntraAppKit needs (learn.microsoft.com/graph/permissions-reference).
        /// </summary>
        public static IReadOnlyList<string> Scopes { get; } = new[]
        {
            "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "User.Read",
            // Get-/Set-EntraTenantAppPolicy: authorizationpolicy-update, adminconsentrequestpolicy-get and -update.
            "Policy.Read.All", "Policy.ReadWrite.Authorization", "Policy.ReadWrite.ConsentRequest",
        };

        public static string UserPrincipalName(string initialDomain) => "admin@" + initialDomain;
    }
}
