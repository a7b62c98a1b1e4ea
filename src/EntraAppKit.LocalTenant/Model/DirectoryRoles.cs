using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// The built-in Microsoft Entra roles the local tenant knows, with their template ids as
    /// learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference lists them. A built-in role's
    /// roleDefinitionId is its template id.
    /// </summary>
    internal static class DirectoryRoles
    {
        public const string GlobalAdministrator = BuiltInAdministrator.GlobalAdministratorRoleId;
        public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
        public const string ApplicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
        public const string CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";
        public const string ApplicationDeveloper = "cf1c38e5-3621-4004-a7cb-879624dced7c";
        public const string UserAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1";

        public sealed class Role
        {
            public Role(string id, string displayName, string description) { Id = id; DisplayName = displayName; Description = description; }
            public string Id { get; }
            public string DisplayName { get; }
            public string Description { get; }

            /// <summary>The display name without spaces (GlobalAdministrator), as the server's --user option takes it.</summary>
            public string Name => DisplayName.Replace(" ", "");
        }

        /// <summary>Descriptions as the permissions reference's table gives them.</summary>
        public static IReadOnlyList<Role> All { get; } = new[]
        {
            new Role(ApplicationAdministrator, "Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps."),
            new Role(ApplicationDeveloper, "Application Developer", "Can create application registrations independent of the 'Users can register applications' setting."),
            new Role(CloudApplicationAdministrator, "Cloud Application Administrator", "Can create and manage all aspects of app registrations and enterprise apps except App Proxy."),
            new Role(GlobalAdministrator, "Global Administrator", "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities."),
            new Role(PrivilegedRoleAdministrator, "Privileged Role Administrator", "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management."),
            new Role(UserAdministrator, "User Administrator", "Can manage all aspects of users and groups, including resetting passwords for limited admins."),
        };

        /// <summary>
        /// Whether a user holding <paramref name="roleIds"/> may consent for the whole organization, as
        /// learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent lists who may: Global Administrator or
        /// Privileged Role Administrator "for apps requesting any permission, for any API"; Cloud Application Administrator or
        /// Application Administrator "for apps requesting any permission for any API, except Microsoft Graph app roles
        /// (application permissions)". <paramref name="graphAppRole"/> is true for an application permission of Microsoft Graph.
        /// </summary>
        public static bool MayConsentForOrganization(IEnumerable<string> roleIds, bool graphAppRole)
        {
            var held = new HashSet<string>(roleIds, StringComparer.OrdinalIgnoreCase);
            return held.Contains(GlobalAdministrator) || held.Contains(PrivilegedRoleAdministrator)
                || (!graphAppRole && (held.Contains(CloudApplicationAdministrator) || held.Contains(ApplicationAdministrator)));
        }

        public static Role? Find(string id) => All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));

        /// <summary>A role by template id, display name, or display name without spaces (any case).</summary>
        public static Role? Parse(string text)
        {
            string t = text.Trim();
            return All.FirstOrDefault(r => string.Equals(r.Id, t, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(r.Name, t.Replace(" ", ""), StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// The id Graph gives a tenant-wide assignment of a built-in role: the role's and the principal's GUID bytes,
        /// base64url (a Global Administrator assignment starts "lAPpYvVpN0KRkAEhdxReE…"). One per role and principal.
        /// </summary>
        public static string AssignmentId(string roleId, string principalId) =>
            Base64Url.Encode(Guid.Parse(roleId).ToByteArray().Concat(Guid.Parse(principalId).ToByteArray()).ToArray());
    }
}
