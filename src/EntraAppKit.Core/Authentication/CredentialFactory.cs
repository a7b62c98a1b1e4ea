using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;

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
            string tenant = o.TenantId ?? "organizations";
            switch (o.Method)
            {
                case ConnectMethod.Interactive:
                    return new InteractiveBrowserCredential(InteractiveOptions(o));
                case ConnectMethod.DeviceCode:
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
                case ConnectMethod.ClientSecret:
                    return new ClientSecretCredential(RequireTenant(o), Require(o.ClientId, "-ClientId"), Plain(o.ClientSecret, "-ClientSecret"),
                        With(new ClientSecretCredentialOptions(), o));
                case ConnectMethod.CertificateThumbprint:
                    return new ClientCertificateCredential(RequireTenant(o), Require(o.ClientId, "-ClientId"), FromStore(Require(o.CertificateThumbprint, "-CertificateThumbprint")),
                        With(new ClientCertificateCredentialOptions(), o));
                case ConnectMethod.CertificatePath:
                    string path = Require(o.CertificatePath, "-CertificatePath");
                    if (!File.Exists(path)) throw Invalid($"The certificate file '{path}' does not exist.");
                    var certificate = o.CertificatePassword == null
                        ? new X509Certificate2(path)
                        : new X509Certificate2(path, o.CertificatePassword);
                    if (!certificate.HasPrivateKey) throw Invalid($"'{path}' has no private key; Entra needs the key to sign the client assertion.");
                    return new ClientCertificateCredential(RequireTenant(o), Require(o.ClientId, "-ClientId"), certificate, With(new ClientCertificateCredentialOptions(), o));
                case ConnectMethod.ManagedIdentity:
                    // Azure Automation, App Service and Functions expose IDENTITY_ENDPOINT/IDENTITY_HEADER; Azure.Identity finds them.
                    var id = o.ManagedIdentityResourceId != null ? ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(o.ManagedIdentityResourceId))
                        : o.ClientId != null ? ManagedIdentityId.FromUserAssignedClientId(o.ClientId)
                        : ManagedIdentityId.SystemAssigned;
                    var miOptions = new ManagedIdentityCredentialOptions(id);
                    if (o.IdentityTransport != null) miOptions.Transport = o.IdentityTransport;
                    return new ManagedIdentityCredential(miOptions);
                case ConnectMethod.WorkloadIdentity:
                    // GitHub Actions and Kubernetes workload identity set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE.
                    var wi = With(new WorkloadIdentityCredentialOptions
                    {
                        ClientId = o.ClientId ?? System.Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"),
                        TenantId = o.TenantId ?? System.Environment.GetEnvironmentVariable("AZURE_TENANT_ID"),
                        TokenFilePath = o.FederatedTokenFile ?? System.Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE"),
                    }, o);
                    if (wi.ClientId == null || wi.TenantId == null || wi.TokenFilePath == null)
                        throw Invalid("Workload identity needs -ClientId, -TenantId and -FederatedTokenFile, or AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE.");
                    return new WorkloadIdentityCredential(wi);
                case ConnectMethod.AzureCli:
                    return new AzureCliCredential(new AzureCliCredentialOptions { TenantId = o.TenantId });
                case ConnectMethod.AzurePowerShell:
                    return new AzurePowerShellCredential(new AzurePowerShellCredentialOptions { TenantId = o.TenantId });
                case ConnectMethod.AccessToken:
                    return new StaticTokenCredential(Plain(o.AccessToken, "-AccessToken"));
                default:
                    throw Invalid($"{o.Method} is not a credential method.");
            }
        }

        /// <summary>The browser sign-in's options (unit-tested: no browser runs in CI).</summary>
        internal static InteractiveBrowserCredentialOptions InteractiveOptions(ConnectOptions o) => With(new InteractiveBrowserCredentialOptions
        {
            TenantId = o.TenantId ?? "organizations",
            ClientId = o.ClientId ?? DefaultPublicClientId,
            // MSAL listens on a loopback port for the browser's redirect.
            RedirectUri = new Uri("http://localhost"),
        }, o);

        private static T With<T>(T options, ConnectOptions o) where T : TokenCredentialOptions
        {
            options.AuthorityHost = o.Environment.AuthorityHost;
            if (o.IdentityTransport != null) options.Transport = o.IdentityTransport;
            switch (options)
            {
                // The local tenant is not a Microsoft cloud: skip the instance discovery call MSAL would make.
                case InteractiveBrowserCredentialOptions x: x.DisableInstanceDiscovery = o.IdentityTransport != null; break;
                case DeviceCodeCredentialOptions x: x.DisableInstanceDiscovery = o.IdentityTransport != null; break;
                case ClientSecretCredentialOptions x: x.DisableInstanceDiscovery = o.IdentityTransport != null; break;
                case ClientCertificateCredentialOptions x: x.DisableInstanceDiscovery = o.IdentityTransport != null; break;
                case WorkloadIdentityCredentialOptions x: x.DisableInstanceDiscovery = o.IdentityTransport != null; break;
            }
            return options;
        }

        private static X509Certificate2 FromStore(string thumbprint) => CertificateStore.Find(thumbprint);

        private static string RequireTenant(ConnectOptions o) => Require(o.TenantId, "-TenantId");

        private static string Require(string? value, string parameter) =>
            string.IsNullOrWhiteSpace(value) ? throw Invalid($"{parameter} is required for this sign-in method.") : value!;

        internal static string Plain(SecureString? secret, string parameter)
        {
            if (secret == null) throw Invalid($"{parameter} is required for this sign-in method.");
            var ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try { return Marshal.PtrToStringUni(ptr)!; }
            finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
        }

        private static EntraAppKitException Invalid(string message) =>
            new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, message);
    }

    /// <summary>Certificates in the Windows certificate store (CurrentUser, then LocalMachine 'My').</summary>
    public static class CertificateStore
    {
        public static X509Certificate2 Find(string thumbprint)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                try { store.Open(OpenFlags.ReadOnly); }
                catch (System.Security.Cryptography.CryptographicException) { continue; }
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint.Replace(" ", ""), validOnly: false);
                if (found.Count > 0) return found[0];
            }
            throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.ObjectNotFound,
                $"No certificate with thumbprint {thumbprint} is in the CurrentUser or LocalMachine 'My' store.");
        }
    }

    /// <summary>A token used as is (-AccessToken). When it runs out, the error says when.</summary>
    public sealed class StaticTokenCredential : TokenCredential
    {
        private readonly string _token;
        private readonly DateTimeOffset _expiresOn;

        public StaticTokenCredential(string token)
        {
            _token = token;
            _expiresOn = TokenClaims.Read(token)?.ExpiresOn ?? DateTimeOffset.MaxValue;
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            if (DateTimeOffset.UtcNow >= _expiresOn)
                throw new EntraAppKitException(ErrorIds.TokenExpired, EntraErrorCategory.PermissionDenied,
                    $"The access token given to Connect-EntraAppKit -AccessToken expired at {_expiresOn.UtcDateTime:u}. Get a new one and connect again.");
            return new AccessToken(_token, _expiresOn);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));
    }
}
