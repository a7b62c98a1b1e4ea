using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant
{
    /// <summary>How a new local tenant is set up. Ignored for a tenant loaded from an existing state file.</summary>
    public sealed class LocalTenantOptions
    {
        /// <summary>The tenant id; a new GUID when null.</summary>
        public Guid? TenantId { get; set; }

        /// <summary>The prefix of the initial domain: <c>{Name}.onmicrosoft.com</c>.</summary>
        public string Name { get; set; } = "contoso";

        public string DisplayName { get; set; } = "Contoso (local tenant)";

        /// <summary>Custom domains that are verified in the tenant, besides the initial one.</summary>
        public IList<string> VerifiedDomains { get; } = new List<string>();

        /// <summary>
        /// The default identifier-URI policy Microsoft enabled in 2025 (graph-ground-truth §0.5): new URIs on v1 apps must
        /// contain a verified domain, the tenant id or the app id. On by default, as in most tenants today.
        /// </summary>
        public bool EnforceIdentifierUriPolicy { get; set; } = true;

        /// <summary>The clock; tests move it to check expiry and lag.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;
    }
}
