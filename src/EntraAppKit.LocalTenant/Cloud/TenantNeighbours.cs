using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Cloud
{
    /// <summary>
    /// What one tenant knows of the other tenants in its local cloud (<see cref="LocalCloud"/>): the multi-tenant applications
    /// they register, which a user here may sign in to and an administrator here may consent to
    /// (learn.microsoft.com/entra/identity-platform/howto-convert-app-to-be-multi-tenant), and whose users they are, so a
    /// sign-in here by a user of theirs is refused as Entra refuses it (AADSTS50020). A tenant on its own has no neighbours.
    /// Each lookup reads another tenant under that tenant's lock, taken with a bound (<see cref="LockBound"/>) so that two
    /// tenants looking at each other at once cannot wait for ever.
    /// </summary>
    internal sealed class TenantNeighbours
    {
        /// <summary>How long a lookup waits for another tenant's lock before the request fails as a transient error.</summary>
        public static readonly TimeSpan LockBound = TimeSpan.FromSeconds(10);

        private Func<IEnumerable<LocalTenantEngine>> _others = Enumerable.Empty<LocalTenantEngine>;

        /// <summary>Joins a cloud: <paramref name="others"/> lists the other tenants each time it is asked.</summary>
        public void Join(Func<IEnumerable<LocalTenantEngine>> others) => _others = others;

        /// <summary>The multi-tenant application with <paramref name="appId"/> another tenant registers, or null.</summary>
        public ForeignApplication? FindApplication(string appId)
        {
            foreach (var tenant in _others())
                if (tenant.SnapshotMultiTenantApplication(appId, LockBound) is ForeignApplication found) return found;
            return null;
        }

        /// <summary>The other tenants' token-signing keys (public halves are what the common JWKS publishes).</summary>
        public IEnumerable<Identity.SigningKey> SigningKeys() => _others().Select(t => t.SigningKeyFor(LockBound)).ToList();

        /// <summary>The other tenant whose verified domains include the domain of <paramref name="userPrincipalName"/>, or null.</summary>
        public LocalTenantEngine? HomeTenantOf(string userPrincipalName)
        {
            int at = userPrincipalName.LastIndexOf('@');
            if (at < 0) return null;
            string domain = userPrincipalName.Substring(at + 1);
            return _others().FirstOrDefault(t => t.HasVerifiedDomain(domain, LockBound));
        }
    }
}
