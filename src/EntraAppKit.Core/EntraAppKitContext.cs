using System;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Authentication;

namespace EntraAppKit.Core
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
        public string GraphEndpoint { get; set; } = "";

        /// <summary>Delegated permissions in the token (scp).</summary>
        public string[] Scopes { get; set; } = Array.Empty<string>();

        /// <summary>Application permissions in the token (roles).</summary>
        public string[] Roles { get; set; } = Array.Empty<string>();

        public DateTimeOffset? TokenExpiresOn { get; set; }

        /// <summary>The local tenant's state file, when connected to a persisted local tenant.</summary>
        public string? LocalTenantPath { get; set; }

        public static async Task<EntraAppKitContext> FromAsync(EntraAppKitConnection connection, CancellationToken cancellationToken = default)
        {
            var claims = await connection.GetTokenClaimsAsync(cancellationToken).ConfigureAwait(false);
            bool local = connection.Method == ConnectMethod.LocalTenant;
            return new EntraAppKitContext
            {
                Account = local ? "admin@" + connection.Tenant.InitialDomain : claims?.UserPrincipalName ?? claims?.AppId,
                TenantId = connection.Tenant.TenantId,
                TenantName = connection.Tenant.InitialDomain,
                TenantDisplayName = connection.Tenant.DisplayName,
                Environment = local ? "LocalTenant" : connection.Environment.Name,
                AuthenticationMethod = connection.AuthenticationMethod,
                GraphEndpoint = connection.Session.GraphEndpoint,
                Scopes = System.Linq.Enumerable.ToArray(claims?.Scopes ?? Array.Empty<string>()),
                Roles = System.Linq.Enumerable.ToArray(claims?.Roles ?? Array.Empty<string>()),
                TokenExpiresOn = claims?.ExpiresOn,
                LocalTenantPath = connection.Session.LocalTenant?.Path,
            };
        }
    }
}
