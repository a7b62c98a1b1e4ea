using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Secrets;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>Turns <see cref="ConnectOptions"/> into an Azure.Identity credential: no hand-written OAuth.</summary>
    public static class CredentialFactory
    {
        /// <summary>
        /// The public client user sign-in uses when the caller names none: Microsoft Graph Command Line Tools,
        /// the first-party app Microsoft Graph PowerShell signs in with.
        /// </summary>
        public const string DefaultPublicClientId = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

        public static TokenCredential Create(ConnectOptions o)
        {
            string tenant = TenantOf(o) ?? "organizations";
            switch (o.Method)
            {
                case SignInMethod.Interactive:
                    return new InteractiveBrowserCredential(InteractiveOptions(o));
                case SignInMethod.DeviceCode:
                    return new DeviceCodeCredential(With(new DeviceCodeCredentialOptions
                    {
                        TenantId = tenant,
                        ClientId = o.ClientId ?? DefaultPublicClientId,
                        DeviceCodeCallback = (info, ct) =>
                        {
                            (o.DeviceCodePrompt ?? (m => { }))(info.Message);
                            return Task.CompletedTask;
                        },
                    }, o));
                case SignInMethod.ClientSecret:
                    return new ClientSecretCredential(RequireTenant(o), Require(o.ClientId, "-ClientId"), Plain(o.ClientSecret, "-ClientSecret"),
                        With(new ClientSecretCredentialOptions(), o));
                case SignInMethod.CertificateThumbprint:
                    return new ClientCertificateCredential(RequireTenant(o), Require(o.ClientId, "-ClientId"), FromStore(Require(o.CertificateThumbprint, "-CertificateThumbprint")),
                        With(new ClientCertificateCredentialOptions(), o));
                case SignInMethod.CertificatePath:
                    string path = Require(o.CertificatePath, "-CertificatePath");
                    if (!File.Exists(path)) throw Invalid($"The certificate file '{path}' does not exist.");
                    var certificate = o.CertificatePassword == null
                        ? new X509Certificate2(path)
                        : new X509Certificate2(path, o.CertificatePassword);
                    if (!certificate.HasPrivateKey) throw Invalid($"'{path}' has no private key; Entra needs the key to sign the client assertion.");
                    return new ClientCertificateCredential(RequireTenant(o), Require(o.ClientId, "-ClientId"), certificate, With(new ClientCertificateCredentialOptions(), o));
                case SignInMethod.ManagedIdentity:
                    // Azure Automation, App Service and Functions expose IDENTITY_ENDPOINT/IDENTITY_HEADER; Azure.Identity finds them.
                    var id = o.ManagedIdentityResourceId != null ? ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(o.ManagedIdentityResourceId))
                        : o.ClientId != null ? ManagedIdentityId.FromUserAssignedClientId(o.ClientId)
                        : ManagedIdentityId.SystemAssigned;
                    var miOptions = new ManagedIdentityCredentialOptions(id);
                    if (o.Target.IdentityTransport != null) miOptions.Transport = o.Target.IdentityTransport;
                    return new ManagedIdentityCredential(miOptions);
                case SignInMethod.WorkloadIdentity:
                    // GitHub Actions and Kubernetes workload identity set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE.
                    var wi = With(new WorkloadIdentityCredentialOptions
                    {
                        ClientId = o.ClientId ?? System.Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"),
                        TenantId = TenantOf(o) ?? System.Environment.GetEnvironmentVariable("AZURE_TENANT_ID"),
                        TokenFilePath = o.FederatedTokenFile ?? System.Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE"),
                    }, o);
                    if (wi.ClientId == null || wi.TenantId == null || wi.TokenFilePath == null)
                        throw Invalid("Workload identity needs -ClientId, -TenantId and -FederatedTokenFile, or AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE.");
                    return new WorkloadIdentityCredential(wi);
                case SignInMethod.AzureCli:
                    return new AzureCliCredential(new AzureCliCredentialOptions { TenantId = o.TenantId });
                case SignInMethod.AzurePowerShell:
                    return new AzurePowerShellCredential(new AzurePowerShellCredentialOptions { TenantId = o.TenantId });
                case SignInMethod.AccessToken:
                    return new StaticTokenCredential(Plain(o.AccessToken, "-AccessToken"));
                default:
                    throw Invalid($"{o.Method} is not a credential method.");
            }
        }

        /// <summary>The browser sign-in's options (unit-tested: no browser runs in CI).</summary>
        internal static InteractiveBrowserCredentialOptions InteractiveOptions(ConnectOptions o) => With(new InteractiveBrowserCredentialOptions
        {
            TenantId = TenantOf(o) ?? "organizations",
            ClientId = o.ClientId ?? DefaultPublicClientId,
            // MSAL listens on a loopback port for the browser's redirect.
            RedirectUri = new Uri("http://localhost"),
        }, o);

        private static T With<T>(T options, ConnectOptions o) where T : TokenCredentialOptions => ForTarget(options, o.Target);

        /// <summary>
        /// Points a credential's options at <paramref name="target"/>: its authority host, its transport, and whether MSAL may
        /// ask login.microsoftonline.com about that authority (<see cref="ConnectionTarget.DisableInstanceDiscovery"/>).
        /// Connect-EntraAppKit and Test-EntraAppCredential both go through here, so they sign in at the same place.
        /// </summary>
        internal static T ForTarget<T>(T options, ConnectionTarget target) where T : TokenCredentialOptions
        {
            options.AuthorityHost = target.Environment.AuthorityHost;
            if (target.IdentityTransport != null) options.Transport = target.IdentityTransport;
            bool disable = target.DisableInstanceDiscovery;
            switch (options)
            {
                case InteractiveBrowserCredentialOptions x: x.DisableInstanceDiscovery = disable; break;
                case DeviceCodeCredentialOptions x: x.DisableInstanceDiscovery = disable; break;
                case ClientSecretCredentialOptions x: x.DisableInstanceDiscovery = disable; break;
                case ClientCertificateCredentialOptions x: x.DisableInstanceDiscovery = disable; break;
                case WorkloadIdentityCredentialOptions x: x.DisableInstanceDiscovery = disable; break;
            }
            return options;
        }

        private static X509Certificate2 FromStore(string thumbprint) => CertificateStore.Find(thumbprint);

        /// <summary>The tenant to sign in to: the one named, or the target's own (a local tenant's).</summary>
        private static string? TenantOf(ConnectOptions o) => o.TenantId ?? o.Target.TenantId;

        private static string RequireTenant(ConnectOptions o) => Require(TenantOf(o), "-TenantId");

        private static string Require(string? value, string parameter) =>
            string.IsNullOrWhiteSpace(value) ? throw Invalid($"{parameter} is required for this sign-in method.") : value!;

        internal static string Plain(SecureString? secret, string parameter) =>
            secret == null ? throw Invalid($"{parameter} is required for this sign-in method.") : SecretText.ToPlainText(secret);

        private static EntraAppKitException Invalid(string message) => EntraAppKitException.InvalidInput(message);
    }
}
