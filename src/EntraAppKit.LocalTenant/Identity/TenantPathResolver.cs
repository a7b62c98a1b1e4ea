using System;
using System.Linq;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>Reads an identity endpoint's {tenant} segment: this tenant's id or one of its domains, or the multi-tenant aliases user sign-in may use.</summary>
    internal sealed class TenantPathResolver
    {
        private readonly ITenantStore _store;

        public TenantPathResolver(ITenantStore store) { _store = store; }

        /// <summary>Throws AADSTS90002 for a tenant that is not this one.</summary>
        public TenantPath Resolve(string segment)
        {
            if (string.Equals(segment, _store.TenantId, StringComparison.OrdinalIgnoreCase) ||
                _store.AllDomains.Contains(segment, StringComparer.OrdinalIgnoreCase)) return TenantPath.Tenant;
            if (string.Equals(segment, "organizations", StringComparison.OrdinalIgnoreCase)) return TenantPath.Organizations;
            if (string.Equals(segment, "common", StringComparison.OrdinalIgnoreCase)) return TenantPath.Common;
            throw AadstsException.UnknownTenant(segment);
        }

        public bool IsThisTenant(string segment)
        {
            try { return Resolve(segment) == TenantPath.Tenant; }
            catch (AadstsException) { return false; }
        }
    }
}
