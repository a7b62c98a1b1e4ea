using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// OpenID Connect discovery (learn.microsoft.com/entra/identity-platform/v2-protocols-oidc "Find your app's OpenID
    /// configuration document URI"), v2.0 and v1, and the JWKS that publishes the tenant's signing key. Documents point back
    /// at the host that served them, so MSAL stays on it.
    /// </summary>
    internal sealed class DiscoveryEndpoint
    {
        private readonly ITenantStore _store;
        private readonly TenantPathResolver _tenants;
        private readonly TenantNeighbours _neighbours;

        public DiscoveryEndpoint(ITenantStore store, TenantPathResolver tenants, TenantNeighbours neighbours) { _store = store; _tenants = tenants; _neighbours = neighbours; }

        public GraphResponse Configuration(IdentityContext context)
        {
            var request = context.Request;
            if (request.Method != "GET") return new GraphResponse(405);
            var tenant = _tenants.Resolve(context.Tenant);
            string host = request.Uri.GetLeftPart(UriPartial.Authority);
            string root = host + "/" + context.Tenant;
            // The multi-tenant documents carry a placeholder: each token's issuer names its own tenant.
            string tid = tenant == TenantPath.Tenant ? _store.TenantId : "{tenantid}";
            JsonObject doc;
            if (context.IsV1)
            {
                doc = new JsonObject
                {
                    ["token_endpoint"] = root + "/oauth2/token",
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                    ["jwks_uri"] = root + "/discovery/keys",
                    ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
                    ["subject_types_supported"] = new JsonArray("pairwise"),
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "token id_token", "token"),
                    ["scopes_supported"] = new JsonArray("openid"),
                    ["issuer"] = $"https://sts.windows.net/{tid}/",
                    ["microsoft_multi_refresh_token"] = true,
                    ["authorization_endpoint"] = root + "/oauth2/authorize",
                    ["claims_supported"] = new JsonArray("sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host",
                        "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "email", "given_name", "family_name", "nickname"),
                };
            }
            else
            {
                doc = new JsonObject
                {
                    ["token_endpoint"] = root + "/oauth2/v2.0/token",
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                    ["jwks_uri"] = root + "/discovery/v2.0/keys",
                    ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
                    ["subject_types_supported"] = new JsonArray("pairwise"),
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                    ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
                    ["issuer"] = $"{host}/{tid}/v2.0",
                    ["request_uri_parameter_supported"] = false,
                    // Required by OpenID Connect Discovery; the local tenant has no interactive sign-in page behind it.
                    ["authorization_endpoint"] = root + "/oauth2/v2.0/authorize",
                    ["device_authorization_endpoint"] = root + "/oauth2/v2.0/devicecode",
                    ["claims_supported"] = new JsonArray("sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host",
                        "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"),
                };
            }
            doc["tenant_region_scope"] = tenant == TenantPath.Tenant ? "NA" : null;
            doc["cloud_instance_name"] = "microsoftonline.com";
            doc["cloud_graph_host_name"] = "graph.windows.net";
            doc["msgraph_host"] = "graph.microsoft.com";
            doc["rbac_url"] = "https://pas.windows.net";
            return OAuthResponses.Cacheable(doc);
        }

        /// <summary>The JWKS: the one key that signs every token of this tenant.</summary>
        public GraphResponse Keys(IdentityContext context)
        {
            var request = context.Request;
            if (request.Method != "GET") return new GraphResponse(405);
            var tenant = _tenants.Resolve(context.Tenant);
            string host = request.Uri.GetLeftPart(UriPartial.Authority);
            if (tenant == TenantPath.Tenant)
            {
                // v2.0 keys name their issuer; v1 keys do not.
                var jwk = _store.SigningKey.ToPublicJwk(context.IsV1 ? null : $"{host}/{_store.TenantId}/v2.0");
                return OAuthResponses.Cacheable(new JsonObject { ["keys"] = new JsonArray(jwk) });
            }
            // /common and /organizations publish the keys of every tenant of the cloud, as Entra's common JWKS holds the keys
            // any tenant's tokens are signed with; its v2.0 keys name the issuer template "…/{tenantid}/v2.0".
            var keys = new[] { _store.SigningKey }.Concat(_neighbours.SigningKeys())
                .Select(k => (JsonNode?)k.ToPublicJwk(context.IsV1 ? null : $"{host}/{{tenantid}}/v2.0")).ToArray();
            return OAuthResponses.Cacheable(new JsonObject { ["keys"] = new JsonArray(keys) });
        }
    }
}
