using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// A token request's scope (v2.0) or resource (v1), resolved the way Entra resolves it (v2-permissions-and-consent):
    /// one resource, either "{resource}/.default" (the statically granted permissions) or named delegated permissions,
    /// plus the OpenID Connect scopes. The local tenant issues tokens for Microsoft Graph (also under its own base URL) and for
    /// Azure Resource Manager (app-only, and delegated with its one permission, user_impersonation), whose /subscriptions and
    /// /tenants it answers.
    /// </summary>
    internal sealed class ScopeRequest
    {
        public static readonly string[] OidcScopes = { "openid", "profile", "email", "offline_access" };

        private ScopeRequest(string raw, string audience, bool isDefault, IReadOnlyList<string> permissions, ISet<string> oidc, string? resourcePrefix = null)
        {
            Raw = raw; Audience = audience; IsDefault = isDefault; Permissions = permissions; Oidc = oidc; ResourcePrefix = resourcePrefix;
        }

        /// <summary>The resource as the scope named it ("https://graph.microsoft.com"), or null for bare names ("User.Read").</summary>
        public string? ResourcePrefix { get; }

        /// <summary>The scope parameter as sent (or "{resource}/.default" for v1).</summary>
        public string Raw { get; }

        /// <summary>The token's aud: Graph as the client named it (https://graph.microsoft.com, with or without "/", or its appId).</summary>
        public string Audience { get; }

        public bool IsDefault { get; }

        /// <summary>Named delegated permissions, in the resource's spelling (Graph's catalog; Resource Manager's user_impersonation).</summary>
        public IReadOnlyList<string> Permissions { get; }

        public ISet<string> Oidc { get; }

        /// <summary>Whether the token is for Azure Resource Manager rather than Graph (it then carries no Graph roles).</summary>
        public bool IsResourceManager => ResourceManagerAudience(Audience) != null;

        /// <summary>
        /// Graph's identifiers as its service principal lists them (learn.microsoft.com/graph/permissions-grant-via-msgraph), and
        /// the local tenant's own base URL <paramref name="origin"/> (with or without "/"): a client told that Graph lives there
        /// (az's custom cloud endpoint_microsoft_graph_resource_id) asks for tokens for it.
        /// </summary>
        public static string? GraphAudience(string resource, string? origin = null)
        {
            foreach (var name in new[] { "https://graph.microsoft.com", "https://graph.microsoft.com/", PermissionCatalog.MicrosoftGraphAppId })
                if (string.Equals(resource, name, StringComparison.OrdinalIgnoreCase)) return name;
            if (origin != null && string.Equals(resource.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
                && resource.Length - resource.TrimEnd('/').Length <= 1) return resource;
            return null;
        }

        /// <summary>
        /// Azure Resource Manager's identifiers (learn.microsoft.com/azure/azure-resource-manager/management/azure-services-resource-providers;
        /// az asks for its cloud's active_directory_resource_id, https://management.core.windows.net/), with or without "/".
        /// </summary>
        public static string? ResourceManagerAudience(string resource)
        {
            foreach (var name in new[] { "https://management.core.windows.net/", "https://management.core.windows.net", "https://management.azure.com/", "https://management.azure.com" })
                if (string.Equals(resource, name, StringComparison.OrdinalIgnoreCase)) return name;
            return null;
        }

        /// <summary>An app-only token's audience: Graph (or this server's base URL) or Resource Manager, as the client named it.</summary>
        private static string? AppAudience(string resource, string? origin) => GraphAudience(resource, origin) ?? ResourceManagerAudience(resource);

        /// <summary>v1's resource parameter: the whole static grant of that resource.</summary>
        public static ScopeRequest FromResource(string resource, string tenantDisplayName, string? origin = null)
        {
            string audience = AppAudience(resource, origin) ?? throw AadstsException.UnknownResource(resource, tenantDisplayName);
            return new ScopeRequest(resource.TrimEnd('/') + "/.default", audience, true, Array.Empty<string>(), new HashSet<string>());
        }

        /// <summary>
        /// Client credentials: exactly one "{resource}/.default" (v2-oauth2-client-creds-grant-flow "scope"). A resource that ends
        /// in "/" gives "…//.default", which az sends for https://management.core.windows.net/.
        /// </summary>
        public static ScopeRequest ForClientCredentials(string raw, string tenantDisplayName, string? origin = null)
        {
            var parts = Split(raw);
            foreach (var p in parts)
                if (!p.EndsWith("/.default", StringComparison.OrdinalIgnoreCase)) throw AadstsException.DefaultScopeRequired(p);
            var resources = parts.Select(p => p.Substring(0, p.Length - "/.default".Length)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (resources.Count != 1) throw AadstsException.MultipleResources(raw);
            string audience = AppAudience(resources[0], origin) ?? throw AadstsException.UnknownResource(resources[0], tenantDisplayName);
            return new ScopeRequest(raw, audience, true, Array.Empty<string>(), new HashSet<string>());
        }

        /// <summary>Resource Manager's one delegated permission (what az's device code sign-in is granted: "…//user_impersonation").</summary>
        public const string ResourceManagerUserImpersonation = "user_impersonation";

        /// <summary>
        /// User flows: "{resource}/.default" or named permissions ("User.Read" alone means Graph), plus openid/profile/email/offline_access.
        /// <paramref name="graphScope"/> maps a name to Graph's spelling, or null when Graph has no such delegated permission.
        /// One resource per request, Graph or Resource Manager (az signs in with "https://management.core.windows.net//.default").
        /// </summary>
        public static ScopeRequest ForUser(string raw, Func<string, string?> graphScope, string tenantDisplayName, string? origin = null)
        {
            var oidc = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var permissions = new List<string>();
            string? resource = null, prefix = null;
            bool isDefault = false;
            foreach (var part in Split(raw))
            {
                if (OidcScopes.Contains(part, StringComparer.OrdinalIgnoreCase)) { oidc.Add(part.ToLowerInvariant()); continue; }
                int slash = part.LastIndexOf('/');
                string thisResource = slash < 0 ? "https://graph.microsoft.com" : part.Substring(0, slash);
                string name = slash < 0 ? part : part.Substring(slash + 1);
                bool resourceManager = GraphAudience(thisResource, origin) == null;
                if (resourceManager && ResourceManagerAudience(thisResource) == null) throw AadstsException.UnknownResource(thisResource, tenantDisplayName);
                if (resource != null && resourceManager != (GraphAudience(resource, origin) == null)) throw AadstsException.MultipleResources(raw);
                resource ??= thisResource;
                if (slash >= 0) prefix ??= thisResource;
                if (string.Equals(name, ".default", StringComparison.OrdinalIgnoreCase)) { isDefault = true; continue; }
                if (resourceManager)
                {
                    if (!string.Equals(name, ResourceManagerUserImpersonation, StringComparison.OrdinalIgnoreCase)) throw AadstsException.InvalidScope(part);
                    permissions.Add(ResourceManagerUserImpersonation);
                }
                else permissions.Add(graphScope(name) ?? throw AadstsException.InvalidScope(part));
            }
            // ".default" stands for the whole static grant and cannot be mixed with named permissions of the same resource.
            if (isDefault && permissions.Count > 0) throw AadstsException.InvalidScope(raw);
            if (resource == null) throw AadstsException.InvalidScope(raw); // only OpenID scopes: the local tenant issues Graph and Resource Manager tokens only
            return new ScopeRequest(raw, GraphAudience(resource, origin) ?? ResourceManagerAudience(resource)!, isDefault, permissions.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), oidc, prefix);
        }

        /// <summary>
        /// The scope field of the answer: the granted permissions spelled the way the request named its resource, the
        /// ".default" that was asked for, and the OpenID scopes (not offline_access). MSAL caches the token under these, so a
        /// later request for the same scope finds it.
        /// </summary>
        public string Answer(IEnumerable<string> granted)
        {
            var items = granted.Select(g => ResourcePrefix == null ? g : ResourcePrefix + "/" + g).ToList();
            if (IsDefault) items.Insert(0, (ResourcePrefix ?? "https://graph.microsoft.com") + "/.default");
            items.AddRange(OidcScopes.Where(o => o != "offline_access" && Oidc.Contains(o)));
            return string.Join(" ", items);
        }

        private static List<string> Split(string raw) => raw.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
