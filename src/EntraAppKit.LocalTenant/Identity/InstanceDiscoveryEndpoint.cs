using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Routing;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// AAD instance discovery, which MSAL asks before it trusts an authority host it does not know:
    /// GET /common/discovery/instance?api-version=1.1&amp;authorization_endpoint=https://{host}/{tenant}/oauth2/v2.0/authorize
    /// (learn.microsoft.com/entra/msal/dotnet/advanced/instance-discovery; MSAL Python's authority.py reads
    /// <c>tenant_discovery_endpoint</c> and refuses on <c>"error": "invalid_instance"</c>). The answer names this server as the
    /// one alias of its cloud (metadata: preferred_network, preferred_cache, aliases), so tokens are requested and cached
    /// under it; an authorization endpoint on another host is Entra's invalid_instance (AADSTS50049).
    /// </summary>
    internal sealed class InstanceDiscoveryEndpoint
    {
        public GraphResponse Instance(IdentityContext context)
        {
            var request = context.Request;
            if (request.Method != "GET") return new GraphResponse(405);
            var query = QueryString.Parse(request.Uri.Query).GroupBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            if (!query.TryGetValue("authorization_endpoint", out var endpoint) || endpoint.Length == 0)
                throw AadstsException.MissingParameter("authorization_endpoint");

            string origin = request.Uri.GetLeftPart(UriPartial.Authority);
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var authorize)
                || !string.Equals(authorize.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
                throw InvalidInstance();
            // /{tenant}/oauth2/v2.0/authorize or v1's /{tenant}/oauth2/authorize: the tenant is kept, its document follows the version.
            var segments = authorize.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length < 3 || !string.Equals(segments[1], "oauth2", StringComparison.OrdinalIgnoreCase)) throw InvalidInstance();
            bool v2 = segments.Length >= 4 && string.Equals(segments[2], "v2.0", StringComparison.OrdinalIgnoreCase);
            string tenant = Uri.EscapeDataString(Uri.UnescapeDataString(segments[0]));

            string host = request.Uri.Authority;
            return OAuthResponses.Cacheable(new JsonObject
            {
                ["tenant_discovery_endpoint"] = $"{origin}/{tenant}{(v2 ? "/v2.0" : "")}/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new JsonArray(new JsonObject
                {
                    ["preferred_network"] = host,
                    ["preferred_cache"] = host,
                    ["aliases"] = new JsonArray(host),
                }),
            });
        }

        /// <summary>Entra's answer for an authority it does not serve.</summary>
        private static AadstsException InvalidInstance() => new AadstsException(400, "invalid_instance", 50049, "Unknown or invalid instance.");
    }
}
