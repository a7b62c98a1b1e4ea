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
    /// under it. An authorization endpoint on one of Microsoft's own sign-in hosts gets what Entra answers for it, Microsoft's
    /// cloud alias groups: MSAL Python asks that (for login.microsoftonline.com/common) before it reads its token cache, and a
    /// client routed here for login.microsoftonline.com (the hosts entry az needs) gets what it would get there. Any other
    /// host is Entra's invalid_instance (AADSTS50049).
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
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var authorize)) throw InvalidInstance();
            bool microsoftHost = authorize.Scheme == Uri.UriSchemeHttps && authorize.IsDefaultPort
                && MicrosoftCloudAliases.Any(group => group.Contains(authorize.Host, StringComparer.OrdinalIgnoreCase));
            if (!microsoftHost && !string.Equals(authorize.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
                throw InvalidInstance();
            // /{tenant}/oauth2/v2.0/authorize or v1's /{tenant}/oauth2/authorize: the tenant is kept, its document follows the version.
            var segments = authorize.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length < 3 || !string.Equals(segments[1], "oauth2", StringComparison.OrdinalIgnoreCase)) throw InvalidInstance();
            bool v2 = segments.Length >= 4 && string.Equals(segments[2], "v2.0", StringComparison.OrdinalIgnoreCase);
            string tenant = Uri.EscapeDataString(Uri.UnescapeDataString(segments[0]));

            if (microsoftHost)
                return OAuthResponses.Cacheable(new JsonObject
                {
                    ["tenant_discovery_endpoint"] = $"https://{authorize.Host.ToLowerInvariant()}/{tenant}{(v2 ? "/v2.0" : "")}/.well-known/openid-configuration",
                    ["api-version"] = "1.1",
                    ["metadata"] = new JsonArray(MicrosoftCloudAliases.Select(group => (JsonNode)new JsonObject
                    {
                        ["preferred_network"] = group[0],
                        ["preferred_cache"] = group[0] == "login.microsoftonline.com" ? "login.windows.net" : group[0],
                        ["aliases"] = new JsonArray(group.Select(alias => (JsonNode)alias).ToArray()),
                    }).ToArray()),
                });

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

        /// <summary>
        /// Microsoft's sign-in hosts, a group per cloud with its preferred network host first, as login.microsoftonline.com
        /// answers instance discovery (the recorded answer in Azure SDK test recordings: worldwide, China, Germany, US
        /// Government, login-us; the worldwide group's preferred cache is login.windows.net).
        /// </summary>
        private static readonly string[][] MicrosoftCloudAliases =
        {
            new[] { "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net" },
            new[] { "login.partner.microsoftonline.cn", "login.chinacloudapi.cn" },
            new[] { "login.microsoftonline.de" },
            new[] { "login.microsoftonline.us", "login.usgovcloudapi.net" },
            new[] { "login-us.microsoftonline.com" },
        };

        /// <summary>Entra's answer for an authority it does not serve.</summary>
        private static AadstsException InvalidInstance() => new AadstsException(400, "invalid_instance", 50049, "Unknown or invalid instance.");
    }
}
