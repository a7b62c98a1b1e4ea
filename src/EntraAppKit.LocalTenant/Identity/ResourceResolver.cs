using System;
using System.Linq;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The one place a token request's resource ("{resource}/.default", "{resource}/{scope}", v1's resource=) becomes a
    /// <see cref="TokenResource"/>: Microsoft Graph (also under the server's own base URL), Azure Resource Manager, or an API
    /// registered in this tenant, named by one of its App ID URIs (identifierUris) or its appId, which its service principal
    /// lists as servicePrincipalNames (learn.microsoft.com/graph/api/resources/serviceprincipal). An API without a service
    /// principal here is unknown (AADSTS500011), as in Entra.
    /// </summary>
    internal sealed class ResourceResolver
    {
        private readonly ITenantStore _store;
        private readonly DateTimeOffset _now;
        private readonly string? _origin;

        /// <summary>Resolves against the service principals replication has made visible at <paramref name="now"/>; Graph is also known by <paramref name="origin"/>, the base URL the request came to.</summary>
        public ResourceResolver(ITenantStore store, DateTimeOffset now, string? origin)
        {
            _store = store; _now = now; _origin = origin;
        }

        public string TenantDisplayName => _store.DisplayName;

        /// <summary>The resource, or AADSTS500011 when the tenant has none by that name.</summary>
        public TokenResource Resolve(string resource) =>
            TryResolve(resource) ?? throw AadstsException.UnknownResource(resource, _store.DisplayName);

        public TokenResource? TryResolve(string resource)
        {
            if (ScopeRequest.GraphAudience(resource, _origin) is string graph)
                return new TokenResource(TokenResourceKind.MicrosoftGraph, graph, false, _store.MicrosoftGraphServicePrincipal, null);
            if (ScopeRequest.ResourceManagerAudience(resource) is string arm)
                return new TokenResource(TokenResourceKind.ResourceManager, arm, false, null, null);
            if (resource.Length == 0) return null;
            var sp = _store.VisibleServicePrincipals(_now).FirstOrDefault(s => !_store.IsBuiltIn(s) &&
                (Entity.SameKey(s.AppId, resource) || (s.Json["servicePrincipalNames"]?.AsArray() ?? new System.Text.Json.Nodes.JsonArray()).Any(n => Entity.SameKey(Entity.TextOf(n), resource))));
            if (sp == null) return null;
            var app = _store.FindVisibleApplicationByAppId(sp.AppId, _now);
            // api.requestedAccessTokenVersion: null or 1 gives v1.0 tokens, 2 gives v2.0 (learn.microsoft.com/graph/api/resources/apiapplication).
            bool v2 = (int?)app?.Json["api"]?["requestedAccessTokenVersion"] == 2;
            // A v2.0 token's aud "is always the client ID of the API"; a v1.0 token's is the resource as the request named it.
            return new TokenResource(TokenResourceKind.TenantApi, v2 ? sp.AppId : resource, v2, sp, app);
        }
    }
}
