using System;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The opaque values a sign-in flow hands a client between requests (a page's ctx, an authorization code, a device code).
    /// Each starts with its tenant's id, as Entra's own codes carry their tenant: a request to /common or /organizations that
    /// continues a flow reaches the tenant that began it (<see cref="LocalCloud"/>).
    /// </summary>
    internal static class FlowIds
    {
        public static string New(string tenantId) => Guid.Parse(tenantId).ToString("N") + "." + OpaqueId.New();

        /// <summary>The tenant id a flow value names, or null when it names none.</summary>
        public static string? TenantOf(string? value)
        {
            if (value == null) return null;
            int dot = value.IndexOf('.');
            return dot == 32 && Guid.TryParseExact(value.Substring(0, dot), "N", out var id) ? id.ToString() : null;
        }
    }
}
