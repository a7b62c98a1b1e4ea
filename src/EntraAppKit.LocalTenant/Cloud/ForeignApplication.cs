using System.Collections.Generic;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Cloud
{
    /// <summary>
    /// A multi-tenant application registered in another tenant of the local cloud, as a sign-in here sees it: a copy of the
    /// application object taken under its home tenant's lock, the stored hashes of its client secrets (the client
    /// authenticates with them in any tenant) and its home tenant, which becomes its service principal's appOwnerOrganizationId.
    /// </summary>
    internal sealed class ForeignApplication
    {
        private readonly IReadOnlyDictionary<string, StoredSecret> _secrets;

        public ForeignApplication(ApplicationEntity application, string homeTenantId, IReadOnlyDictionary<string, StoredSecret> secrets)
        {
            Application = application; HomeTenantId = homeTenantId; _secrets = secrets;
        }

        public ApplicationEntity Application { get; }

        public string HomeTenantId { get; }

        public StoredSecret? FindSecret(string keyId) => _secrets.TryGetValue(keyId, out var s) ? s : null;
    }
}
