using System;
using System.Security;

namespace EntraAppKit.Core.Connections
{
    /// <summary>
    /// A connection is where (<see cref="Target"/>) × how (<see cref="Method"/>), plus what the method needs; the credential
    /// factory uses what its method needs and rejects what is missing.
    /// </summary>
    public sealed class ConnectOptions
    {
        /// <summary>Where: a Microsoft cloud (the global one by default) or a local tenant.</summary>
        public ConnectionTarget Target { get; set; } = ConnectionTarget.Cloud(CloudEnvironment.Global);

        /// <summary>How to sign in.</summary>
        public SignInMethod Method { get; set; } = SignInMethod.Interactive;

        /// <summary>GUID or verified domain; the target's own tenant, or "organizations" for user sign-in, when omitted.</summary>
        public string? TenantId { get; set; }

        /// <summary>The app to sign in as (client secret/certificate/workload identity), a user-assigned managed identity, or a public client for user sign-in.</summary>
        public string? ClientId { get; set; }

        public SecureString? ClientSecret { get; set; }
        public string? CertificateThumbprint { get; set; }
        public string? CertificatePath { get; set; }
        public SecureString? CertificatePassword { get; set; }

        /// <summary>A user-assigned managed identity by Azure resource id.</summary>
        public string? ManagedIdentityResourceId { get; set; }

        /// <summary>A file holding a federated token (workload identity); AZURE_FEDERATED_TOKEN_FILE when omitted.</summary>
        public string? FederatedTokenFile { get; set; }

        /// <summary>A token used as is (-AccessToken).</summary>
        public SecureString? AccessToken { get; set; }

        /// <summary>Receives the device code sign-in instructions (the cmdlet writes them through the host).</summary>
        public Action<string>? DeviceCodePrompt { get; set; }
    }
}
