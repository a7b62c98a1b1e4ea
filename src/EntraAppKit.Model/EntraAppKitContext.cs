using System;

namespace EntraAppKit.Model
{
    /// <summary>Who is connected, to which tenant and cloud, how, with which permissions (Get-EntraAppKitContext).</summary>
    public sealed class EntraAppKitContext
    {
        /// <summary>The signed-in user's UPN, or the app id of an app-only sign-in.</summary>
        public string? Account { get; set; }

        public string TenantId { get; set; } = "";
        public string TenantName { get; set; } = "";
        public string TenantDisplayName { get; set; } = "";
        public string Environment { get; set; } = "";
        public string AuthenticationMethod { get; set; } = "";

        /// <summary>
        /// Where the connection signs in: the environment's login authority, or -AuthorityHost; null for the methods that get
        /// their tokens elsewhere (managed identity, Azure CLI, Az PowerShell, -AccessToken, a local tenant's built-in administrator).
        /// </summary>
        public string? AuthorityHost { get; set; }

        public string GraphEndpoint { get; set; } = "";

        /// <summary>The signed-in user's directory roles (wids), by name where Entra's built-in roles are known, else by template id.</summary>
        public string[] DirectoryRoles { get; set; } = Array.Empty<string>();

        /// <summary>Delegated permissions in the token (scp).</summary>
        public string[] Scopes { get; set; } = Array.Empty<string>();

        /// <summary>Application permissions in the token (roles).</summary>
        public string[] Roles { get; set; } = Array.Empty<string>();

        public DateTimeOffset? TokenExpiresOn { get; set; }

        /// <summary>The local tenant's state file, when connected to a persisted local tenant.</summary>
        public string? LocalTenantPath { get; set; }
    }
}
