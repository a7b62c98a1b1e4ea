using System.Collections.Generic;

namespace EntraAppKit.Core.Tenants
{
    /// <summary>Facts about the connected tenant (GET /organization, learn.microsoft.com/graph/api/organization-list).</summary>
    public sealed class TenantFacts
    {
        public TenantFacts(string tenantId, string displayName, string initialDomain, IReadOnlyList<string> verifiedDomains)
        {
            TenantId = tenantId; DisplayName = displayName; InitialDomain = initialDomain; VerifiedDomains = verifiedDomains;
        }

        public string TenantId { get; }
        public string DisplayName { get; }
        public string InitialDomain { get; }
        public IReadOnlyList<string> VerifiedDomains { get; }
    }
}
