using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Permissions;
using Microsoft.Graph.Models;
using PermissionType = EntraAppKit.Core.Recipes.PermissionType;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>The difference between a recipe and the tenant: every write a run will make, in order.</summary>
    public sealed class RecipePlan
    {
        private readonly List<PlannedChange> _changes = new List<PlannedChange>();
        private readonly List<string> _warnings = new List<string>();
        private readonly IReadOnlyDictionary<string, ServicePrincipal> _resources;
        private readonly IReadOnlyList<ResolvedPermission> _permissions;
        private readonly IReadOnlyList<ResolvedPermission> _consent;

        internal RecipePlan(AppRecipe recipe, TenantFacts tenant, Application? app, ServicePrincipal? sp,
            IReadOnlyDictionary<string, ServicePrincipal> resources, IReadOnlyList<ResolvedPermission> permissions, IReadOnlyList<ResolvedPermission> consent)
        {
            Recipe = recipe; Tenant = tenant; ExistingApp = app; ExistingServicePrincipal = sp;
            _resources = resources; _permissions = permissions; _consent = consent;
        }

        public AppRecipe Recipe { get; }

        public TenantFacts Tenant { get; }

        /// <summary>Every write, in the order it will be made. Empty when the tenant already matches the recipe.</summary>
        public IReadOnlyList<PlannedChange> Changes => _changes;

        public IReadOnlyList<string> Warnings => _warnings;

        public bool HasChanges => _changes.Count > 0;

        /// <summary>True when the application does not exist yet.</summary>
        public bool CreatesApplication => ExistingApp == null;

        internal Application? ExistingApp { get; }
        internal ServicePrincipal? ExistingServicePrincipal { get; }
        internal List<OAuth2PermissionGrant> ExistingGrants { get; set; } = new List<OAuth2PermissionGrant>();
        internal List<AppRoleAssignment> ExistingAssignments { get; set; } = new List<AppRoleAssignment>();
        internal Application? ApplicationPatch { get; private set; }
        internal bool AddsSecret { get; private set; }
        internal List<(ServicePrincipal Resource, List<string> Scopes)> DelegatedConsentToApply { get; } = new List<(ServicePrincipal, List<string>)>();
        internal List<ResolvedPermission> AppRolesToAssign { get; } = new List<ResolvedPermission>();

        private string AppTarget => $"application '{Recipe.DisplayName}'";

        internal void Build()
        {
            if (ExistingApp == null)
                Add(AppTarget, "Create", $"Create application '{Recipe.DisplayName}' (uniqueName {Recipe.UniqueName}; {AudienceText(Recipe.SignInAudience)}" +
                    string.Concat(Recipe.WebRedirectUris.Select(u => $"; web redirect URI {u}")) +
                    (Recipe.EnableIdTokenIssuance ? "; ID token issuance on" : "") +
                    string.Concat(_permissions.Select(p => $"; requires {p.Resource.DisplayName} {p.Request.Name} ({p.Request.Type})")) + ")");
            else BuildApplicationPatch(ExistingApp);

            if (ExistingServicePrincipal == null)
                Add($"service principal of '{Recipe.DisplayName}'", "Create", $"Create the service principal of '{Recipe.DisplayName}' in tenant {Tenant.InitialDomain}");

            bool hasSecret = ExistingApp?.PasswordCredentials?.Count > 0;
            if (Recipe.Secret != null && (!hasSecret || Recipe.NewSecret))
            {
                AddsSecret = true;
                Add(AppTarget, "Add client secret", $"Add client secret '{Recipe.Secret.DisplayName}' to '{Recipe.DisplayName}', expiring in {Recipe.Secret.LifetimeMonths} months");
            }
            else if (Recipe.Secret != null)
                _warnings.Add($"'{Recipe.DisplayName}' already has a client secret; Graph never returns a secret's value again. Run with -NewSecret to add another one.");

            foreach (var group in _consent.Where(p => p.Request.Type == PermissionType.Delegated).GroupBy(p => p.Resource.Id))
            {
                var resource = group.First().Resource;
                var granted = ExistingGrants.Where(g => string.Equals(g.ResourceId, resource.Id, StringComparison.OrdinalIgnoreCase))
                    .SelectMany(g => RecipeEngine.SplitScopes(g.Scope)).ToList();
                var missing = group.Select(p => p.Request.Name).Where(n => !granted.Contains(n, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (missing.Count == 0) continue;
                DelegatedConsentToApply.Add((resource, missing));
                foreach (var name in missing)
                    Add($"service principal of '{Recipe.DisplayName}'", "Grant admin consent", $"Grant admin consent for {resource.DisplayName} {name} (Delegated)");
            }
            foreach (var role in _consent.Where(p => p.Request.Type == PermissionType.Application))
            {
                bool assigned = ExistingAssignments.Any(a => a.AppRoleId == role.Id && string.Equals(a.ResourceId?.ToString(), role.Resource.Id, StringComparison.OrdinalIgnoreCase));
                if (assigned) continue;
                AppRolesToAssign.Add(role);
                Add($"service principal of '{Recipe.DisplayName}'", "Grant admin consent", $"Grant admin consent for {role.Resource.DisplayName} {role.Request.Name} (Application)");
            }
        }

        private void Add(string target, string action, string description) => _changes.Add(new PlannedChange(target, action, description));

        private static string AudienceText(string audience) => audience switch
        {
            "AzureADMyOrg" => "single tenant",
            "AzureADMultipleOrgs" => "multitenant",
            _ => audience,
        };

        /// <summary>The full application body for the create (graph-ground-truth §0.3: always send signInAudience).</summary>
        internal Application DesiredApplication() => new Application
        {
            DisplayName = Recipe.DisplayName,
            SignInAudience = Recipe.SignInAudience,
            Web = new WebApplication
            {
                RedirectUris = Recipe.WebRedirectUris.ToList(),
                ImplicitGrantSettings = new ImplicitGrantSettings { EnableIdTokenIssuance = Recipe.EnableIdTokenIssuance, EnableAccessTokenIssuance = false },
            },
            RequiredResourceAccess = DesiredRequiredResourceAccess(),
        };

        private List<RequiredResourceAccess> DesiredRequiredResourceAccess() =>
            _permissions.GroupBy(p => p.ResourceAppId, StringComparer.OrdinalIgnoreCase)
                .Select(g => new RequiredResourceAccess
                {
                    ResourceAppId = g.Key,
                    ResourceAccess = g.Select(p => new ResourceAccess { Id = p.Id, Type = p.GraphType }).ToList(),
                }).ToList();

        /// <summary>Only what differs goes into the PATCH; redirect URIs the admin added are kept.</summary>
        private void BuildApplicationPatch(Application app)
        {
            var patch = new Application();
            bool any = false;
            if (app.DisplayName != Recipe.DisplayName)
            {
                patch.DisplayName = Recipe.DisplayName;
                Add(AppTarget, "Rename", $"Rename application '{app.DisplayName}' to '{Recipe.DisplayName}'");
                any = true;
            }
            if (app.SignInAudience != Recipe.SignInAudience)
            {
                patch.SignInAudience = Recipe.SignInAudience;
                Add(AppTarget, "Change audience", $"Change '{Recipe.DisplayName}' from {AudienceText(app.SignInAudience ?? "")} to {AudienceText(Recipe.SignInAudience)}");
                any = true;
            }
            var uris = app.Web?.RedirectUris ?? new List<string>();
            var missingUris = Recipe.WebRedirectUris.Where(u => !uris.Contains(u, StringComparer.Ordinal)).ToList();
            bool idTokens = app.Web?.ImplicitGrantSettings?.EnableIdTokenIssuance == true;
            if (missingUris.Count > 0 || (Recipe.EnableIdTokenIssuance && !idTokens))
            {
                // PATCH replaces the whole web object, so send all of it (graph-ground-truth §4).
                patch.Web = new WebApplication
                {
                    RedirectUris = uris.Concat(missingUris).ToList(),
                    HomePageUrl = app.Web?.HomePageUrl,
                    LogoutUrl = app.Web?.LogoutUrl,
                    ImplicitGrantSettings = new ImplicitGrantSettings
                    {
                        EnableIdTokenIssuance = idTokens || Recipe.EnableIdTokenIssuance,
                        EnableAccessTokenIssuance = app.Web?.ImplicitGrantSettings?.EnableAccessTokenIssuance ?? false,
                    },
                };
                foreach (var u in missingUris) Add(AppTarget, "Add redirect URI", $"Add web redirect URI {u} to '{Recipe.DisplayName}'");
                if (Recipe.EnableIdTokenIssuance && !idTokens) Add(AppTarget, "Enable ID tokens", $"Turn on ID token issuance for '{Recipe.DisplayName}'");
                any = true;
            }
            var current = (app.RequiredResourceAccess ?? new List<RequiredResourceAccess>())
                .SelectMany(r => (r.ResourceAccess ?? new List<ResourceAccess>()).Select(a => (App: r.ResourceAppId!.ToLowerInvariant(), Id: a.Id!.Value, Type: a.Type!))).ToList();
            var desired = _permissions.Select(p => (App: p.ResourceAppId.ToLowerInvariant(), Id: p.Id, Type: p.GraphType)).ToList();
            if (!new HashSet<(string, Guid, string)>(current).SetEquals(desired))
            {
                patch.RequiredResourceAccess = DesiredRequiredResourceAccess();
                foreach (var p in _permissions.Where(p => !current.Contains((p.ResourceAppId.ToLowerInvariant(), p.Id, p.GraphType))))
                    Add(AppTarget, "Require permission", $"Require {p.Resource.DisplayName} {p.Request.Name} ({p.Request.Type}) on '{Recipe.DisplayName}'");
                foreach (var c in current.Where(c => !desired.Contains(c)))
                    Add(AppTarget, "Remove permission", $"Remove required permission {Describe(c.App, c.Id, c.Type)} from '{Recipe.DisplayName}'");
                any = true;
            }
            if (any) ApplicationPatch = patch;
        }

        private string Describe(string appId, Guid id, string type)
        {
            if (!_resources.TryGetValue(appId, out var sp)) return $"{appId}/{id} ({type})";
            string? name = type == "Scope"
                ? sp.Oauth2PermissionScopes?.FirstOrDefault(s => s.Id == id)?.Value
                : sp.AppRoles?.FirstOrDefault(r => r.Id == id)?.Value;
            return $"{sp.DisplayName} {name ?? id.ToString()} ({(type == "Scope" ? "Delegated" : "Application")})";
        }
    }
}
