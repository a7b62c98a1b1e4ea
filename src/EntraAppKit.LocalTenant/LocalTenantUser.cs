using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant
{
    /// <summary>A user to seed: its userPrincipalName, password and directory roles (names such as "ApplicationDeveloper", or template ids).</summary>
    public sealed class LocalTenantUser
    {
        public LocalTenantUser(string userPrincipalName, string password, params string[] roles)
        {
            UserPrincipalName = userPrincipalName ?? throw new ArgumentNullException(nameof(userPrincipalName));
            Password = password ?? throw new ArgumentNullException(nameof(password));
            Roles = roles ?? Array.Empty<string>();
        }

        public string UserPrincipalName { get; }

        public string Password { get; }

        public IReadOnlyList<string> Roles { get; }
    }
}
