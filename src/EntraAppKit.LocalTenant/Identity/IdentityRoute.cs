using System;
using System.Linq;

namespace EntraAppKit.LocalTenant.Identity
{
    internal enum IdentityEndpoint
    {
        DiscoveryV2,
        DiscoveryV1,
        KeysV2,
        KeysV1,
        TokenV2,
        TokenV1,
        DeviceCode,
        ManagedIdentity,
    }

    /// <summary>
    /// The identity endpoints, at the paths login.microsoftonline.com serves them (the host is ignored):
    /// <c>/{tenant}/v2.0/.well-known/openid-configuration</c>, <c>/{tenant}/.well-known/openid-configuration</c>,
    /// <c>/{tenant}/discovery/v2.0/keys</c> (and v1 <c>/discovery/keys</c>), <c>/{tenant}/oauth2/v2.0/token</c>,
    /// <c>/{tenant}/oauth2/token</c>, <c>/{tenant}/oauth2/v2.0/devicecode</c>, and App Service's managed identity
    /// endpoint <c>/msi/token</c>. Every other path is Graph's.
    /// </summary>
    internal sealed class IdentityRoute
    {
        private IdentityRoute(IdentityEndpoint endpoint, string tenant) { Endpoint = endpoint; Tenant = tenant; }

        public IdentityEndpoint Endpoint { get; }

        /// <summary>The {tenant} path segment as sent: a tenant id, a domain, "organizations" or "common".</summary>
        public string Tenant { get; }

        public bool IsV1 => Endpoint == IdentityEndpoint.TokenV1 || Endpoint == IdentityEndpoint.DiscoveryV1 || Endpoint == IdentityEndpoint.KeysV1;

        public static IdentityRoute? Match(Uri uri)
        {
            var s = Uri.UnescapeDataString(uri.AbsolutePath).Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (s.Length == 2 && s[0] == "msi" && s[1] == "token") return new IdentityRoute(IdentityEndpoint.ManagedIdentity, "");
            if (s.Length < 3 || s[0] == "v1.0" || s[0] == "beta") return null;
            string tenant = s[0];
            string rest = string.Join("/", s.Skip(1));
            switch (rest)
            {
                case "v2.0/.well-known/openid-configuration": return new IdentityRoute(IdentityEndpoint.DiscoveryV2, tenant);
                case ".well-known/openid-configuration": return new IdentityRoute(IdentityEndpoint.DiscoveryV1, tenant);
                case "discovery/v2.0/keys": return new IdentityRoute(IdentityEndpoint.KeysV2, tenant);
                case "discovery/keys": return new IdentityRoute(IdentityEndpoint.KeysV1, tenant);
                case "oauth2/v2.0/token": return new IdentityRoute(IdentityEndpoint.TokenV2, tenant);
                case "oauth2/token": return new IdentityRoute(IdentityEndpoint.TokenV1, tenant);
                case "oauth2/v2.0/devicecode": return new IdentityRoute(IdentityEndpoint.DeviceCode, tenant);
                default: return null;
            }
        }
    }
}
