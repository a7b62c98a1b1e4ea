using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using EntraAppKit.Core.Connections;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>Input to <see cref="AppCredentialTester"/>.</summary>
    public sealed class AppCredentialTestOptions
    {
        public string TenantId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public SecureString? ClientSecret { get; set; }
        public X509Certificate2? Certificate { get; set; }
        public DateTimeOffset? SecretExpires { get; set; }

        /// <summary>Where the token is requested: a Microsoft cloud (the global one by default) or a local tenant.</summary>
        public ConnectionTarget Target { get; set; } = ConnectionTarget.Cloud(CloudEnvironment.Global);

        /// <summary>Takes the tenant and the target from a connection; without one, the tenant must be named.</summary>
        public static AppCredentialTestOptions For(EntraAppKitConnection? connection, string? tenantId) => new AppCredentialTestOptions
        {
            TenantId = tenantId ?? connection?.Tenant.TenantId ?? throw EntraAppKitException.InvalidInput("-TenantId is required when not connected."),
            Target = connection?.Target ?? ConnectionTarget.Cloud(CloudEnvironment.Global),
        };
    }
}
