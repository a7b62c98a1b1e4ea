using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// Checks client secrets against the stored salted hashes and the credentials' validity windows: the application's own
    /// (application-addpassword) and those of its service principal in this tenant (serviceprincipal-addpassword), which
    /// sign in for the same appId. A multi-tenant application registered in another tenant of the local cloud signs in here
    /// with its own secrets, which its home tenant keeps (<see cref="ForeignApplication"/>).
    /// </summary>
    internal sealed class ClientSecretVerifier
    {
        private readonly ITenantStore _store;
        private readonly TenantClock _clock;

        public ClientSecretVerifier(ITenantStore store, TenantClock clock) { _store = store; _clock = clock; }

        /// <summary>A secret that matches only an expired credential is expired, not wrong.</summary>
        public SecretCheck Check(ApplicationEntity app, ServicePrincipalEntity? servicePrincipal, string secret, ForeignApplication? foreign = null)
        {
            var now = _clock.Now;
            bool expired = false;
            var own = servicePrincipal?.Json["passwordCredentials"] as JsonArray ?? new JsonArray();
            var credentials = app.PasswordCredentials.Select(c => (Credential: c, Home: foreign))
                .Concat(own.Select(c => (Credential: c, Home: (ForeignApplication?)null)));
            foreach (var (cred, home) in credentials)
            {
                string keyId = (string)cred!["keyId"]!;
                var stored = home != null ? home.FindSecret(keyId) : _store.FindSecret(keyId);
                if (stored == null || !stored.Matches(secret)) continue;
                var start = DateTimeOffset.Parse((string)cred["startDateTime"]!, CultureInfo.InvariantCulture);
                var end = DateTimeOffset.Parse((string)cred["endDateTime"]!, CultureInfo.InvariantCulture);
                if (now >= end) expired = true;
                else if (now >= start) return SecretCheck.Valid;
            }
            return expired ? SecretCheck.Expired : SecretCheck.Invalid;
        }

        /// <summary>Throws Entra's AADSTS7000222 (expired) or AADSTS7000215 (invalid) unless the secret is valid.</summary>
        public void Demand(ApplicationEntity app, ServicePrincipalEntity? servicePrincipal, string secret, ForeignApplication? foreign = null)
        {
            switch (Check(app, servicePrincipal, secret, foreign))
            {
                case SecretCheck.Valid: return;
                case SecretCheck.Expired: throw AadstsException.ExpiredSecret(app.AppId);
                default: throw AadstsException.InvalidSecret(app.AppId);
            }
        }
    }
}
