using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant
{
    // The tenant as its own identity provider, so the real Azure.Identity/MSAL stack runs offline: OpenID discovery, the
    // JWKS, the v2.0 and v1 token endpoints, device code, and App Service's managed identity endpoint (learn.microsoft.com:
    // entra/identity-platform/v2-protocols-oidc, v2-oauth2-client-creds-grant-flow, v2-oauth2-device-code,
    // app-service/overview-managed-identity "REST endpoint reference").
    public sealed partial class LocalTenantEngine
    {
        /// <summary>The managed identity endpoint's path (App Service protocol 2019-08-01): IDENTITY_ENDPOINT is the server's base URL plus this.</summary>
        public const string ManagedIdentityPath = "/msi/token";

        /// <summary>The Global Administrator directory role template id, carried in the built-in administrator's wids claim.</summary>
        public const string GlobalAdministratorRoleId = "62e90394-69f5-4237-9190-012177145e10";

        /// <summary>The delegated permissions the built-in administrator's tokens carry: what EntraAppKit needs (graph-ground-truth §9).</summary>
        public static IReadOnlyList<string> AdminScopes { get; } = new[]
        {
            "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "User.Read",
        };

        private int _deviceCodeInterval = 5;

        /// <summary>
        /// Whether a Graph request without a token gets Graph's 401. False by default in-process: such a request acts as the
        /// built-in administrator (as <c>-LocalTenant</c> does). A request that carries a bearer token is always validated.
        /// </summary>
        public bool RequireAuthentication { get; set; }

        /// <summary>The device code flow's polling interval (Entra answers 5 seconds). Sign-in completes on the first poll after it.</summary>
        public int DeviceCodeIntervalSeconds
        {
            get => _deviceCodeInterval;
            set => _deviceCodeInterval = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The interval is at least one second.");
        }

        /// <summary>The secret a managed identity client sends in X-IDENTITY-HEADER (App Service's IDENTITY_HEADER). Random per tenant, persisted.</summary>
        public string IdentityHeader => _state.IdentityHeader;

        /// <summary>The built-in administrator's object id (the oid of its tokens).</summary>
        public string AdministratorId => _state.AdministratorId;

        /// <summary>The built-in administrator's user principal name: admin@{initial domain}.</summary>
        public string AdministratorUserPrincipalName => "admin@" + _state.InitialDomain;

        /// <summary>The kid of the key that signs the tenant's tokens, as published in its JWKS.</summary>
        public string SigningKeyId => _state.SigningKey.KeyId;

        /// <summary>
        /// A delegated Microsoft Graph access token for the built-in administrator (Global Administrator, <see cref="AdminScopes"/>),
        /// issued to Microsoft Graph Command Line Tools and signed by the tenant. One hour unless <paramref name="lifetime"/> says otherwise.
        /// </summary>
        public string IssueAdminToken(TimeSpan? lifetime = null)
        {
            var span = lifetime ?? AccessTokenLifetime;
            if (span <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "A token lifetime is positive.");
            _gate.Wait();
            try
            {
                return MintUserToken(WellKnownClients.GraphCommandLineTools, WellKnownClients.DisplayName(WellKnownClients.GraphCommandLineTools)!,
                    AdminScopes, GraphAudience, v2: false, Now, span);
            }
            finally { _gate.Release(); }
        }

        /// <summary>
        /// Creates a managed identity: a service principal with servicePrincipalType "ManagedIdentity" and its own appId, and no
        /// application object. The first one is the system-assigned identity that <see cref="ManagedIdentityPath"/> serves when the
        /// request names none; later ones are user-assigned (select them by client_id, mi_res_id or principal_id). It holds
        /// Graph permissions through app role assignments like any service principal.
        /// </summary>
        public (string AppId, string ServicePrincipalId) CreateManagedIdentity(string displayName)
        {
            if (string.IsNullOrWhiteSpace(displayName) || displayName.IndexOfAny(new[] { '/', '?', '#' }) >= 0)
                throw new ArgumentException("A managed identity needs a display name without '/', '?' or '#' (it ends its Azure resource id).", nameof(displayName));
            _gate.Wait();
            try
            {
                bool systemAssigned = !_state.ServicePrincipals.All.Any(IsManagedIdentity);
                // A system-assigned identity belongs to its Azure resource (an Automation account here); a user-assigned one is a resource itself.
                string resourceId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/localtenant/providers/" +
                    (systemAssigned ? "Microsoft.Automation/automationAccounts/" : "Microsoft.ManagedIdentity/userAssignedIdentities/") + displayName;
                var sp = ServicePrincipalDefaults.New(Schema);
                string appId = Guid.NewGuid().ToString();
                sp["id"] = Guid.NewGuid().ToString();
                sp["alternativeNames"] = new JsonArray(systemAssigned ? "isExplicit=False" : "isExplicit=True", resourceId);
                sp["appId"] = appId;
                sp["appOwnerOrganizationId"] = PermissionCatalog.MicrosoftServicesTenantId; // managed identities' applications are Microsoft's
                sp["displayName"] = displayName;
                sp["servicePrincipalNames"] = new JsonArray(appId, resourceId);
                sp["servicePrincipalType"] = "ManagedIdentity";
                _state.ServicePrincipals.Add(sp, DateTimeOffset.MinValue);
                Persist();
                return (appId, (string)sp["id"]!);
            }
            finally { _gate.Release(); }
        }

        private static bool IsManagedIdentity(JsonObject sp) => (string?)sp["servicePrincipalType"] == "ManagedIdentity";

        // ----- Dispatch -----

        private async Task<GraphResponse> HandleIdentityAsync(GraphRequest request, IdentityRoute route, CancellationToken cancellationToken)
        {
            string traceId = Guid.NewGuid().ToString();
            // Entra echoes the client's client-request-id as the correlation id; MSAL checks it.
            string correlationId = request.Header("client-request-id") ?? Guid.NewGuid().ToString();
            GraphResponse response;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                switch (route.Endpoint)
                {
                    case IdentityEndpoint.DiscoveryV2:
                    case IdentityEndpoint.DiscoveryV1: response = Discovery(request, route); break;
                    case IdentityEndpoint.KeysV2:
                    case IdentityEndpoint.KeysV1: response = Keys(request, route); break;
                    case IdentityEndpoint.TokenV2:
                    case IdentityEndpoint.TokenV1: response = Token(request, route); break;
                    case IdentityEndpoint.DeviceCode: response = DeviceCode(request, route); break;
                    default: response = ManagedIdentityToken(request, correlationId); break;
                }
            }
            catch (AadstsException e)
            {
                response = OAuthJson(e.Status, e.ToJson(Now, traceId, correlationId));
            }
            finally { _gate.Release(); }
            response.Headers["x-ms-request-id"] = traceId;
            response.Headers["client-request-id"] = correlationId;
            return response;
        }

        private static GraphResponse OAuthJson(int status, JsonObject body)
        {
            var response = new GraphResponse(status, body.ToJsonString(GraphJson.Options), "application/json; charset=utf-8");
            // Token responses must not be cached (RFC 6749 §5.1); Entra sends both headers.
            response.Headers["Cache-Control"] = "no-store, no-cache";
            response.Headers["Pragma"] = "no-cache";
            return response;
        }

        private enum TenantPath { Tenant, Organizations, Common }

        /// <summary>{tenant}: this tenant's id or one of its domains, or the multi-tenant aliases user sign-in may use.</summary>
        private TenantPath ResolveTenant(string segment)
        {
            if (string.Equals(segment, _state.TenantId, StringComparison.OrdinalIgnoreCase) ||
                _state.AllDomains.Contains(segment, StringComparer.OrdinalIgnoreCase)) return TenantPath.Tenant;
            if (string.Equals(segment, "organizations", StringComparison.OrdinalIgnoreCase)) return TenantPath.Organizations;
            if (string.Equals(segment, "common", StringComparison.OrdinalIgnoreCase)) return TenantPath.Common;
            throw AadstsException.UnknownTenant(segment);
        }

        /// <summary>An application/x-www-form-urlencoded body; the first of repeated names wins.</summary>
        private static Dictionary<string, string> ReadForm(GraphRequest request)
        {
            var form = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var kv in QueryString.Parse(Encoding.UTF8.GetString(request.Body)))
                if (!form.ContainsKey(kv.Key)) form[kv.Key] = kv.Value;
            return form;
        }

        private static string? Param(Dictionary<string, string> form, string name) =>
            form.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        /// <summary>The request's scheme and host: documents point back at the host that served them, so MSAL stays on it.</summary>
        private static string Authority(GraphRequest request) => request.Uri.GetLeftPart(UriPartial.Authority);

        // ----- OpenID Connect discovery (v2-protocols-oidc "Find your app's OpenID configuration document URI") -----

        private GraphResponse Discovery(GraphRequest request, IdentityRoute route)
        {
            if (request.Method != "GET") return new GraphResponse(405);
            var tenant = ResolveTenant(route.Tenant);
            string host = Authority(request);
            string root = host + "/" + route.Tenant;
            // The multi-tenant documents carry a placeholder: each token's issuer names its own tenant.
            string tid = tenant == TenantPath.Tenant ? _state.TenantId : "{tenantid}";
            JsonObject doc;
            if (route.IsV1)
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
            var response = new GraphResponse(200, doc.ToJsonString(GraphJson.Options), "application/json; charset=utf-8");
            response.Headers["Cache-Control"] = "max-age=86400, private";
            return response;
        }

        /// <summary>The JWKS: the one key that signs every token of this tenant.</summary>
        private GraphResponse Keys(GraphRequest request, IdentityRoute route)
        {
            if (request.Method != "GET") return new GraphResponse(405);
            ResolveTenant(route.Tenant);
            // v2.0 keys name their issuer; v1 keys do not.
            var jwk = _state.SigningKey.ToPublicJwk(route.IsV1 ? null : $"{Authority(request)}/{_state.TenantId}/v2.0");
            var response = new GraphResponse(200, new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString(GraphJson.Options), "application/json; charset=utf-8");
            response.Headers["Cache-Control"] = "max-age=86400, private";
            return response;
        }
    }
}
