using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// A token request's scope (v2.0) or resource (v1), resolved the way Entra resolves it (v2-permissions-and-consent):
    /// one resource (<see cref="TokenResource"/>: Microsoft Graph, Azure Resource Manager or an API registered in this tenant),
    /// either "{resource}/.default" (the statically granted permissions) or named delegated permissions of that resource, plus
    /// the OpenID Connect scopes.
    /// </summary>
    internal sealed class ScopeRequest
    {
        public static readonly string[] OidcScopes = { "openid", "profile", "email", "offline_access" };

        private ScopeRequest(string raw, TokenResource resource, bool isDefault, IReadOnlyList<string> permissions, ISet<string> oidc, string? resourcePrefix = null)
        {
            Raw = raw; Resource = resource; IsDefault = isDefault; Permissions = permissions; Oidc = oidc; ResourcePrefix = resourcePrefix;
        }

        /// <summary>The resource as the scope named it ("https://graph.microsoft.com"), or null for bare names ("User.Read").</summary>
        public string? ResourcePrefix { get; }

        /// <summary>The scope parameter as sent (or "{resource}/.default" for v1).</summary>
        public string Raw { get; }

        /// <summary>The resource the token is for: its audience, token version and permissions.</summary>
        public TokenResource Resource { get; }

        /// <summary>The token's aud (<see cref="TokenResource.Audience"/>).</summary>
        public string Audience => Resource.Audience;

        public bool IsDefault { get; }

        /// <summary>Named delegated permissions, in the resource's spelling (its oauth2PermissionScopes; Resource Manager's user_impersonation).</summary>
        public IReadOnlyList<string> Permissions { get; }

        public ISet<string> Oidc { get; }

        /// <summary>Whether the token is for Azure Resource Manager (it then carries no app roles).</summary>
        public bool IsResourceManager => Resource.IsResourceManager;

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

        /// <summary>v1's resource parameter: the whole static grant of that resource.</summary>
        public static ScopeRequest FromResource(string resource, ResourceResolver resources) =>
            new ScopeRequest(resource.TrimEnd('/') + "/.default", resources.Resolve(resource), true, Array.Empty<string>(), new HashSet<string>());

        /// <summary>
        /// Client credentials: exactly one "{resource}/.default" (v2-oauth2-client-creds-grant-flow "scope"). A resource that ends
        /// in "/" gives "…//.default", which az sends for https://management.core.windows.net/.
        /// </summary>
        public static ScopeRequest ForClientCredentials(string raw, ResourceResolver resources)
        {
            var parts = Split(raw);
            foreach (var p in parts)
                if (!p.EndsWith("/.default", StringComparison.OrdinalIgnoreCase)) throw AadstsException.DefaultScopeRequired(p);
            var names = parts.Select(p => p.Substring(0, p.Length - "/.default".Length)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (names.Count != 1) throw AadstsException.MultipleResources(raw);
            return new ScopeRequest(raw, resources.Resolve(names[0]), true, Array.Empty<string>(), new HashSet<string>());
        }

        /// <summary>Resource Manager's one delegated permission (what az's device code sign-in is granted: "…//user_impersonation").</summary>
        public const string ResourceManagerUserImpersonation = "user_impersonation";

        /// <summary>
        /// User flows: "{resource}/.default" or named permissions ("User.Read" alone means Graph), plus openid/profile/email/offline_access.
        /// A permission must be one the resource exposes (AADSTS70011), and a request names one resource (AADSTS28000): az signs
        /// in with "https://management.core.windows.net//.default", a CMG client with "api://{tenant}/CMG-ServerApp/user_impersonation".
        /// </summary>
        public static ScopeRequest ForUser(string raw, ResourceResolver resources)
        {
            var oidc = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var permissions = new List<string>();
            TokenResource? resource = null;
            string? prefix = null;
            bool isDefault = false;
            foreach (var part in Split(raw))
            {
                if (OidcScopes.Contains(part, StringComparer.OrdinalIgnoreCase)) { oidc.Add(part.ToLowerInvariant()); continue; }
                int slash = part.LastIndexOf('/');
                string name = slash < 0 ? part : part.Substring(slash + 1);
                var thisResource = resources.Resolve(slash < 0 ? "https://graph.microsoft.com" : part.Substring(0, slash));
                if (resource != null && !resource.SameAs(thisResource)) throw AadstsException.MultipleResources(raw);
                resource ??= thisResource;
                if (slash >= 0) prefix ??= part.Substring(0, slash);
                if (string.Equals(name, ".default", StringComparison.OrdinalIgnoreCase)) { isDefault = true; continue; }
                permissions.Add(thisResource.ScopeValue(name) ?? throw AadstsException.InvalidScope(part));
            }
            // ".default" stands for the whole static grant and cannot be mixed with named permissions of the same resource.
            if (isDefault && permissions.Count > 0) throw AadstsException.InvalidScope(raw);
            if (resource == null) return SignInOnly(raw, oidc, resources);
            return new ScopeRequest(raw, resource, isDefault, permissions.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), oidc, prefix);
        }

        /// <summary>
        /// Only OpenID Connect scopes ("openid profile email"): a sign-in, whose access token is Microsoft Graph's, for its
        /// UserInfo endpoint (learn.microsoft.com/entra/identity-platform/userinfo), carrying those scopes, which Graph exposes
        /// as delegated permissions (openid, profile, email; offline_access only asks for a refresh token).
        /// </summary>
        private static ScopeRequest SignInOnly(string raw, ISet<string> oidc, ResourceResolver resources)
        {
            var graph = resources.Resolve("https://graph.microsoft.com");
            var permissions = oidc.Where(o => o != "offline_access").Select(o => graph.ScopeValue(o)).Where(v => v != null).Select(v => v!).ToList();
            if (permissions.Count == 0) throw AadstsException.InvalidScope(raw);
            return new ScopeRequest(raw, graph, false, permissions, oidc);
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
            items.AddRange(OidcScopes.Where(o => o != "offline_access" && Oidc.Contains(o) && !items.Contains(o, StringComparer.OrdinalIgnoreCase)));
            return string.Join(" ", items);
        }

        private static List<string> Split(string raw) => raw.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
