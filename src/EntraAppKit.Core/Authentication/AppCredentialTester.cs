using System;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>Input to <see cref="AppCredentialTester"/>.</summary>
    public sealed class AppCredentialTestOptions
    {
        public string TenantId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public SecureString? ClientSecret { get; set; }
        public X509Certificate2? Certificate { get; set; }
        public CloudEnvironment Environment { get; set; } = CloudEnvironment.Global;
        public DateTimeOffset? SecretExpires { get; set; }

        /// <summary>Token requests go here instead of the network (the local tenant's in-process handler).</summary>
        public HttpPipelineTransport? Transport { get; set; }

        /// <summary>Takes tenant, cloud and (for the local tenant) the in-process transport from a connection.</summary>
        public static AppCredentialTestOptions For(EntraAppKitConnection? connection, string? tenantId)
        {
            var tenant = connection?.Session.LocalTenant;
            return new AppCredentialTestOptions
            {
                TenantId = tenantId ?? connection?.Tenant.TenantId ?? throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument,
                    "-TenantId is required when not connected."),
                Environment = connection?.Environment ?? CloudEnvironment.Global,
                Transport = tenant == null ? null : Graph.GraphSession.LocalTenantIdentityTransport(tenant),
            };
        }
    }

    /// <summary>Proves an app's client secret or certificate works: requests a token with it (client credentials, via Azure.Identity).</summary>
    public static class AppCredentialTester
    {
        public static async Task<AppCredentialTestResult> TestAsync(AppCredentialTestOptions o, CancellationToken cancellationToken = default)
        {
            if ((o.ClientSecret == null) == (o.Certificate == null))
                throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, "Give either a client secret or a certificate.");
            TokenCredential credential = o.ClientSecret != null
                ? new ClientSecretCredential(o.TenantId, o.ClientId, CredentialFactory.Plain(o.ClientSecret, "-ClientSecret"), Configure(new ClientSecretCredentialOptions(), o))
                : new ClientCertificateCredential(o.TenantId, o.ClientId, o.Certificate!, Configure(new ClientCertificateCredentialOptions(), o));
            var result = new AppCredentialTestResult
            {
                ClientId = o.ClientId, TenantId = o.TenantId, SecretExpires = o.SecretExpires,
                CredentialType = o.ClientSecret != null ? "ClientSecret" : "Certificate",
            };
            try
            {
                var token = await credential.GetTokenAsync(new TokenRequestContext(new[] { o.Environment.GraphEndpoint + "/.default" }), cancellationToken).ConfigureAwait(false);
                var claims = TokenClaims.Read(token.Token);
                result.Success = true;
                result.Roles = claims?.Roles.OrderBy(r => r, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>();
                result.TokenExpiresOn = token.ExpiresOn;
            }
            catch (AuthenticationFailedException e)
            {
                result.Error = e.InnerException?.Message ?? e.Message;
            }
            return result;
        }

        private static T Configure<T>(T options, AppCredentialTestOptions o) where T : TokenCredentialOptions
        {
            options.AuthorityHost = o.Environment.AuthorityHost;
            if (o.Transport == null) return options;
            options.Transport = o.Transport;
            // The local tenant is not a Microsoft cloud: no instance discovery.
            if (options is ClientSecretCredentialOptions s) s.DisableInstanceDiscovery = true;
            if (options is ClientCertificateCredentialOptions c) c.DisableInstanceDiscovery = true;
            return options;
        }
    }
}
