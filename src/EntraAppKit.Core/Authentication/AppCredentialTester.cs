using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using EntraAppKit.Model.Authentication;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>Proves an app's client secret or certificate works: requests a token with it (client credentials, via Azure.Identity).</summary>
    public static class AppCredentialTester
    {
        public static async Task<AppCredentialTestResult> TestAsync(AppCredentialTestOptions o, CancellationToken cancellationToken = default)
        {
            if ((o.ClientSecret == null) == (o.Certificate == null))
                throw EntraAppKitException.InvalidInput("Give either a client secret or a certificate.");
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
                var token = await credential.GetTokenAsync(new TokenRequestContext(new[] { o.Target.Environment.GraphEndpoint + "/.default" }), cancellationToken).ConfigureAwait(false);
                var claims = TokenClaims.Read(token.Token);
                result.Success = true;
                result.Roles = claims?.Roles.OrderBy(r => r, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>();
                result.TokenExpiresOn = token.ExpiresOn;
            }
            catch (AuthenticationFailedException e)
            {
                result.Error = EntraSignInError.Describe(e);
            }
            return result;
        }

        // The connection's authority, transport and instance discovery setting, exactly as Connect-EntraAppKit used them.
        private static T Configure<T>(T options, AppCredentialTestOptions o) where T : TokenCredentialOptions => CredentialFactory.ForTarget(options, o.Target);
    }
}
