using System;
using System.Collections.Generic;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>
    /// Names of Entra's built-in directory roles by template id, as a token's wids claim carries them ("Microsoft Entra built-in
    /// roles", learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference): the roles app registration needs.
    /// </summary>
    public static class DirectoryRoleNames
    {
        /// <summary>The role every member user holds; not worth showing.</summary>
        public const string MemberUser = "b79fbf4d-3ef9-4689-8143-76b194e85509";

        public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
        public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
        public const string ApplicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
        public const string CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";

        private static readonly Dictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [GlobalAdministrator] = "Global Administrator",
            [PrivilegedRoleAdministrator] = "Privileged Role Administrator",
            [ApplicationAdministrator] = "Application Administrator",
            [CloudApplicationAdministrator] = "Cloud Application Administrator",
            ["cf1c38e5-3621-4004-a7cb-879624dced7c"] = "Application Developer",
            ["f2ef992c-3afb-46b9-b7cf-a126ee74c451"] = "Global Reader",
        };

        /// <summary>The role's name, or its template id when it is not one of the roles above.</summary>
        public static string NameOf(string templateId) => Names.TryGetValue(templateId, out var name) ? name : templateId;
    }
}
