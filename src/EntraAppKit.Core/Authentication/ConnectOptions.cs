using System;
using System.Security;
using Azure.Core.Pipeline;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>How Connect-EntraAppKit signs in.</summary>
    public enum ConnectMethod
    {
        Interactive,
        DeviceCode,
        ClientSecret,
        CertificateThumbprint,
        CertificatePath,
        ManagedIdentity,
        WorkloadIdentity,
        AzureCli,
        AzurePowerShell,
        AccessToken,
        LocalTenant,
    }

    /// <summary>Everything a sign-in method may need; the factory uses what its method needs and rejects what is missing.</summary>
    public sealed class ConnectOptions
    {
        public ConnectMethod Method { get; set; } = ConnectMethod.Interactive;

        /// <summary>GUID or verified domain; "organizations" when omitted for user sign-in.</summary>
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

        public CloudEnvironment Environment { get; set; } = CloudEnvironment.Global;

        /// <summary>Receives the device code sign-in instructions (the cmdlet writes them through the host).</summary>
        public Action<string>? DeviceCodePrompt { get; set; }

        /// <summary>Sign in to the local tenant with this method's real credential (client secret, device code…) instead of the built-in admin.</summary>
        public bool UseLocalTenant { get; set; }

        /// <summary>The local tenant's state file (-LocalTenant -Path).</summary>
        public string? LocalTenantPath { get; set; }

        /// <summary>A local tenant already open in this process (C# callers and tests); wins over <see cref="LocalTenantPath"/>.</summary>
        public LocalTenant.LocalTenantEngine? LocalTenantInstance { get; set; }

        /// <summary>Sends Azure.Identity's token requests through this transport (the local tenant's in-process handler).</summary>
        public HttpPipelineTransport? IdentityTransport { get; set; }
    }
}
