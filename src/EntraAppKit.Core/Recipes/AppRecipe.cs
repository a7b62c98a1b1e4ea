using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Model.Recipes;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// A recipe: the desired state of one app registration, its service principal, credential and consent.
    /// The <see cref="RecipeEngine"/> plans the difference from the tenant and applies it, keyed by <see cref="UniqueName"/>.
    /// </summary>
    public sealed class AppRecipe
    {
        public AppRecipe(string recipeName, string displayName, string uniqueName)
        {
            RecipeName = recipeName;
            DisplayName = displayName;
            UniqueName = uniqueName;
        }

        /// <summary>Which vendor recipe this is (Rewst, CmgServer...), for messages.</summary>
        public string RecipeName { get; }

        public string DisplayName { get; }

        /// <summary>The immutable alternate key the app is found and created by (learn.microsoft.com/graph/api/application-upsert).</summary>
        public string UniqueName { get; }

        /// <summary>The recipe's key (rewst, cmg-server...): in derived uniqueNames, and recorded on the app (<see cref="AppOwnership"/>).</summary>
        public string RecipeKey { get; set; } = "";

        /// <summary>Whether <see cref="UniqueName"/> was derived from the name (then only the app made from this very name is this recipe's).</summary>
        public bool KeyIsDerived { get; set; }

        /// <summary>The key an earlier release derived for this name, when it differs from <see cref="UniqueName"/>; its app is looked for too.</summary>
        public string? LegacyUniqueName { get; set; }

        /// <summary>AzureADMyOrg (single tenant) or AzureADMultipleOrgs (multitenant), etc. Always sent: Graph's default is the personal-account audience.</summary>
        public string SignInAudience { get; set; } = "AzureADMyOrg";

        /// <summary>
        /// Adopt the existing application with this appId instead of finding it by uniqueName (its uniqueName is set
        /// when it has none, so later runs find it by key).
        /// </summary>
        public string? AdoptClientId { get; set; }

        /// <summary>
        /// Placeholders usable in URIs: <c>{tenantId}</c> (known before the create) and <c>{appId}</c> (known only after it,
        /// so such values are written by a follow-up PATCH).
        /// </summary>
        public const string TenantIdPlaceholder = "{tenantId}";

        public const string AppIdPlaceholder = "{appId}";

        /// <summary>Web redirect URIs that must be present (others the admin added are kept).</summary>
        public IList<string> WebRedirectUris { get; } = new List<string>();

        /// <summary>Single-page application redirect URIs that must be present.</summary>
        public IList<string> SpaRedirectUris { get; } = new List<string>();

        /// <summary>Public client (mobile and desktop) redirect URIs that must be present.</summary>
        public IList<string> PublicClientRedirectUris { get; } = new List<string>();

        /// <summary>Application ID URIs that must be present.</summary>
        public IList<string> IdentifierUris { get; } = new List<string>();

        public bool EnableIdTokenIssuance { get; set; }

        /// <summary>"Allow public client flows" (isFallbackPublicClient); null leaves it as it is.</summary>
        public bool? AllowPublicClientFlows { get; set; }

        /// <summary>Delegated permissions the application exposes (api.oauth2PermissionScopes), matched by value.</summary>
        public IList<ExposedScope> Scopes { get; } = new List<ExposedScope>();

        /// <summary>App roles the application defines, matched by value.</summary>
        public IList<AppRoleDefinition> AppRoles { get; } = new List<AppRoleDefinition>();

        /// <summary>Permissions the application requires (its requiredResourceAccess, exactly).</summary>
        public IList<PermissionRequest> Permissions { get; } = new List<PermissionRequest>();

        /// <summary>Add a client secret on the first run (or on every run with <see cref="NewSecret"/>).</summary>
        public SecretRequest? Secret { get; set; }

        /// <summary>A certificate credential the app must hold, added (keeping every other key) when it does not; instead of a secret.</summary>
        public X509Certificate2? Certificate { get; set; }

        /// <summary>Add a new secret even when the application already has one.</summary>
        public bool NewSecret { get; set; }

        /// <summary>Verified domains the recipe's URIs use; checked against the tenant before any write.</summary>
        public IList<string> RequiredVerifiedDomains { get; } = new List<string>();

        /// <summary>Warnings the recipe itself raises (e.g. a tenant-wide permission), reported with the result.</summary>
        public IList<string> Warnings { get; } = new List<string>();

        /// <summary>
        /// The recipe owns its app's tenant-wide consent: grants and assignments outside <see cref="Consent"/> are revoked,
        /// so dropping a permission (e.g. -LeastPrivilege) really removes it.
        /// </summary>
        public bool ManagesConsent { get; set; }

        /// <summary>
        /// Every permission this recipe sets in any of its variants (e.g. with and without -LeastPrivilege): one it no longer
        /// requests is removed, and its consent revoked when the recipe <see cref="ManagesConsent"/>. A permission outside this
        /// set and <see cref="Permissions"/> is an administrator's: it is kept, and the run says so. Empty means <see cref="Permissions"/>.
        /// </summary>
        public IList<PermissionRequest> ManagedPermissions { get; } = new List<PermissionRequest>();

        /// <summary>
        /// Make the app exactly the recipe: remove the permissions, redirect URIs and Application ID URIs it does not set, and
        /// (with <see cref="ManagesConsent"/>) revoke consent it does not want. Off by default: re-runs respect an administrator's additions.
        /// </summary>
        public bool Exclusive { get; set; }

        /// <summary>Permissions to grant tenant-wide admin consent for (a subset of <see cref="Permissions"/>).</summary>
        public IList<PermissionRequest> Consent { get; } = new List<PermissionRequest>();

        /// <summary>
        /// APIs by appId as the run that made them returned them (the CMG server app piped into the client recipe): used instead of
        /// reading the API's service principal while this session's new API may not have replicated yet.
        /// </summary>
        internal IDictionary<string, ServicePrincipal> KnownResources { get; } = new Dictionary<string, ServicePrincipal>(System.StringComparer.OrdinalIgnoreCase);
    }
}
