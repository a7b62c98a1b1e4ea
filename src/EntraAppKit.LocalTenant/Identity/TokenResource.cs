using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The resource a token request names, resolved (<see cref="ResourceResolver"/>): the token's audience and version, and
    /// where its permissions come from (the resource's service principal: oauth2PermissionScopes, appRoles, and the grants and
    /// assignments that name it). learn.microsoft.com/entra/identity-platform/access-token-claims-reference: "aud … In v2.0
    /// tokens, this value is always the client ID of the API. In v1.0 tokens, it can be the client ID or the resource URI used
    /// in the request."
    /// </summary>
    internal sealed class TokenResource
    {
        public TokenResource(TokenResourceKind kind, string audience, bool v2Token, ServicePrincipalEntity? servicePrincipal, ApplicationEntity? application)
        {
            Kind = kind; Audience = audience; V2Token = v2Token; ServicePrincipal = servicePrincipal; Application = application;
        }

        public TokenResourceKind Kind { get; }

        /// <summary>The token's aud.</summary>
        public string Audience { get; }

        /// <summary>
        /// Whether the token is a v2.0 token (iss …/{tid}/v2.0, ver "2.0"): the API's api.requestedAccessTokenVersion is 2. Graph's
        /// and Resource Manager's tokens are v1.0 whatever the endpoint.
        /// </summary>
        public bool V2Token { get; }

        /// <summary>The resource's service principal (Graph's, or the API's); null for Resource Manager, which has none here.</summary>
        public ServicePrincipalEntity? ServicePrincipal { get; }

        /// <summary>The API's application object when it is registered here (its api settings: token version, pre-authorised clients).</summary>
        public ApplicationEntity? Application { get; }

        public bool IsResourceManager => Kind == TokenResourceKind.ResourceManager;

        /// <summary>Whether two resolutions name the same resource (Graph under either of its names is one resource).</summary>
        public bool SameAs(TokenResource other) =>
            Kind == other.Kind && (Kind != TokenResourceKind.TenantApi || Entity.SameKey(ServicePrincipal!.Id, other.ServicePrincipal!.Id));

        /// <summary>The resource's enabled delegated permissions (oauth2PermissionScopes); Resource Manager's one is user_impersonation.</summary>
        private IEnumerable<JsonNode> DelegatedScopes =>
            (ServicePrincipal?.OAuth2PermissionScopes ?? new JsonArray()).Where(s => s != null && (bool?)s["isEnabled"] != false).Select(s => s!);

        /// <summary>The resource's spelling of a delegated permission, or null when it has none by that name.</summary>
        public string? ScopeValue(string name)
        {
            if (IsResourceManager)
                return string.Equals(name, ScopeRequest.ResourceManagerUserImpersonation, StringComparison.OrdinalIgnoreCase) ? ScopeRequest.ResourceManagerUserImpersonation : null;
            return (string?)DelegatedScopes.FirstOrDefault(s => Entity.SameKey(Entity.TextOf(s["value"]), name))?["value"];
        }

        /// <summary>
        /// Whether only an administrator may consent to this delegated permission: its type is "Admin"
        /// (learn.microsoft.com/graph/api/resources/permissionscope, "type": "User" or "Admin").
        /// </summary>
        public bool IsAdminOnlyScope(string value) =>
            DelegatedScopes.Any(s => Entity.SameKey(Entity.TextOf(s["value"]), value) && string.Equals((string?)s["type"], "Admin", StringComparison.OrdinalIgnoreCase));

        /// <summary>The value of the delegated permission with this id, or null.</summary>
        public string? ScopeValueById(string id) =>
            (string?)DelegatedScopes.FirstOrDefault(s => Entity.SameKey(Entity.TextOf(s["id"]), id))?["value"];

        /// <summary>
        /// The delegated permissions the API pre-authorises <paramref name="clientAppId"/> for (api.preAuthorizedApplications,
        /// learn.microsoft.com/graph/api/resources/preauthorizedapplication: "Users aren't required to consent to any
        /// preauthorized application (for the permissions specified)").
        /// </summary>
        public List<string> PreAuthorizedScopes(string clientAppId)
        {
            var values = new List<string>();
            foreach (var entry in Application?.Json["api"]?["preAuthorizedApplications"]?.AsArray() ?? new JsonArray())
            {
                if (!Entity.SameKey(Entity.TextOf(entry?["appId"]), clientAppId)) continue;
                foreach (var id in entry!["delegatedPermissionIds"]?.AsArray() ?? new JsonArray())
                    if (ScopeValueById(Entity.TextOf(id) ?? "") is string value && !values.Contains(value, StringComparer.OrdinalIgnoreCase)) values.Add(value);
            }
            return values;
        }

        /// <summary>The delegated permissions of this resource an app asks for statically (requiredResourceAccess, type Scope), by value.</summary>
        public List<string> StaticScopes(ApplicationEntity client)
        {
            var values = new List<string>();
            if (ServicePrincipal == null) return values;
            foreach (var rra in client.Json["requiredResourceAccess"]?.AsArray() ?? new JsonArray())
            {
                if (!Entity.SameKey(Entity.TextOf(rra!["resourceAppId"]), ServicePrincipal.AppId)) continue;
                foreach (var access in rra["resourceAccess"]?.AsArray() ?? new JsonArray())
                {
                    if ((string?)access!["type"] != "Scope") continue;
                    if (ScopeValueById((string?)access["id"] ?? "") is string value && !values.Contains(value)) values.Add(value);
                }
            }
            return values;
        }

        /// <summary>
        /// Whether the API asks for an optional access-token claim (optionalClaims.accessToken, learn.microsoft.com/entra/identity-platform/optional-claims).
        /// </summary>
        public bool WantsOptionalClaim(string name) =>
            (Application?.Json["optionalClaims"]?["accessToken"]?.AsArray() ?? new JsonArray()).Any(c => Entity.SameKey(Entity.TextOf(c?["name"]), name));

        /// <summary>
        /// Whether a user token carries wids: Graph's always; an API's when its groupMembershipClaims is "All" or "DirectoryRole"
        /// (access-token-claims-reference, wids: "The groupMembershipClaims property of the application manifest configures this claim").
        /// </summary>
        public bool CarriesDirectoryRoles
        {
            get
            {
                if (Kind != TokenResourceKind.TenantApi) return true;
                string? claims = (string?)Application?.Json["groupMembershipClaims"];
                return string.Equals(claims, "All", StringComparison.OrdinalIgnoreCase) || string.Equals(claims, "DirectoryRole", StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
