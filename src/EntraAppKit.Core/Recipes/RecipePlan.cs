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

        /// <summary>Ids for scopes and roles the recipe adds, fixed at plan time so -WhatIf and the run agree.</summary>
        private readonly Dictionary<string, Guid> _newIds = new Dictionary<string, Guid>(StringComparer.Ordinal);

        internal RecipePlan(AppRecipe recipe, TenantFacts tenant, Application? app, ServicePrincipal? sp,
            IReadOnlyDictionary<string, ServicePrincipal> resources, IReadOnlyList<ResolvedPermission> permissions, IReadOnlyList<ResolvedPermission> consent)
        {
            Recipe = recipe; Tenant = tenant; ExistingApp = app; ExistingServicePrincipal = sp;
            _resources = resources; _permissions = permissions; _consent = consent;
            UniqueName = app?.UniqueName ?? recipe.UniqueName;
        }

        public AppRecipe Recipe { get; }

        public TenantFacts Tenant { get; }

        /// <summary>The key the application is (or will be) found by: the recipe's, or an adopted app's own.</summary>
        public string UniqueName { get; }

        /// <summary>Every write, in the order it will be made. Empty when the tenant already matches the recipe.</summary>
        public IReadOnlyList<PlannedChange> Changes => _changes;

        public IReadOnlyList<string> Warnings => _warnings;

        public bool HasChanges => _changes.Count > 0;

        /// <summary>True when the application does not exist yet.</summary>
        public bool CreatesApplication => ExistingApp == null;

        internal Application? ExistingApp { get; }
        internal ServicePrincipal? ExistingServicePrincipal { get; }

        /// <summary>The caller's token claims when known (null for the local tenant's built-in administrator).</summary>
        internal Authentication.TokenClaims? Caller { get; set; }
        internal List<OAuth2PermissionGrant> ExistingGrants { get; set; } = new List<OAuth2PermissionGrant>();
        internal List<AppRoleAssignment> ExistingAssignments { get; set; } = new List<AppRoleAssignment>();
        internal bool UpdatesApplication { get; private set; }

        /// <summary>
        /// A new PATCH body for the existing application. Built afresh for every attempt: the SDK's backing store sends
        /// only "changed" values, so a model serialized once goes out empty when a retry serializes it again.
        /// </summary>
        internal Application ApplicationPatch()
        {
            var patch = ComputePatch(ExistingApp!, ExistingApp!.AppId, describe: false) ?? new Application();
            if (ExistingApp.UniqueName == null && Recipe.AssignUniqueName) patch.UniqueName = Recipe.UniqueName;
            return patch;
        }
        internal bool AddsSecret { get; private set; }
        internal List<DelegatedGrantChange> DelegatedConsentToApply { get; } = new List<DelegatedGrantChange>();
        internal List<ResolvedPermission> AppRolesToAssign { get; } = new List<ResolvedPermission>();
        internal IReadOnlyList<ResolvedPermission> ConsentPermissions => _consent;
        internal List<AppRoleAssignment> AssignmentsToRevoke { get; } = new List<AppRoleAssignment>();

        private string AppTarget => $"application '{Recipe.DisplayName}'";

        internal void Build()
        {
            if (ExistingApp == null)
            {
                Add(AppTarget, "Create", DescribeCreate());
                // Values that need the new appId can only be written after the create (graph-ground-truth §0.5).
                foreach (var uri in Deferred(Recipe.IdentifierUris))
                    Add(AppTarget, "Add identifier URI", $"Set Application ID URI {uri} on '{Recipe.DisplayName}' once its appId exists");
                foreach (var uri in Deferred(Recipe.PublicClientRedirectUris))
                    Add(AppTarget, "Add redirect URI", $"Add public client redirect URI {uri} to '{Recipe.DisplayName}' once its appId exists");
                foreach (var uri in Deferred(Recipe.WebRedirectUris).Concat(Deferred(Recipe.SpaRedirectUris)))
                    Add(AppTarget, "Add redirect URI", $"Add redirect URI {uri} to '{Recipe.DisplayName}' once its appId exists");
            }
            else
            {
                if (ExistingApp.UniqueName == null && Recipe.AssignUniqueName)
                    Add(AppTarget, "Set uniqueName", $"Set uniqueName {Recipe.UniqueName} on '{ExistingApp.DisplayName}' so later runs find it");
                else if (ExistingApp.UniqueName != null && !string.Equals(ExistingApp.UniqueName, Recipe.UniqueName, StringComparison.OrdinalIgnoreCase))
                    _warnings.Add($"'{ExistingApp.DisplayName}' keeps its uniqueName {ExistingApp.UniqueName} (a uniqueName is immutable once set).");
                UpdatesApplication = ComputePatch(ExistingApp, ExistingApp.AppId, describe: true) != null || (ExistingApp.UniqueName == null && Recipe.AssignUniqueName);
            }

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

            PlanDelegatedConsent();
            PlanApplicationConsent();
        }

        /// <summary>One AllPrincipals grant per resource (§0.9); with ManagesConsent its scopes become exactly the recipe's.</summary>
        private void PlanDelegatedConsent()
        {
            string spTarget = $"service principal of '{Recipe.DisplayName}'";
            var wanted = _consent.Where(p => p.Request.Type == PermissionType.Delegated)
                .GroupBy(p => p.Resource.Id!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => (Resource: g.First().Resource, Scopes: g.Select(p => p.Request.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList()), StringComparer.OrdinalIgnoreCase);
            var resourceIds = wanted.Keys.Concat(Recipe.ManagesConsent ? ExistingGrants.Select(g => g.ResourceId!) : Enumerable.Empty<string>())
                .Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var resourceId in resourceIds)
            {
                var existing = ExistingGrants.FirstOrDefault(g => string.Equals(g.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase));
                var current = RecipeEngine.SplitScopes(existing?.Scope).ToList();
                var desired = wanted.TryGetValue(resourceId, out var w) ? w.Scopes : new List<string>();
                var target = Recipe.ManagesConsent ? desired : current.Concat(desired).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                var added = target.Where(t => !current.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
                var removed = current.Where(c => !target.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
                if (added.Count == 0 && removed.Count == 0) continue;
                string resourceName = w.Resource?.DisplayName ?? ResourceName(resourceId);
                DelegatedConsentToApply.Add(new DelegatedGrantChange(resourceId, resourceName, existing, target));
                foreach (var name in added) Add(spTarget, "Grant admin consent", $"Grant admin consent for {resourceName} {name} (Delegated)");
                foreach (var name in removed) Add(spTarget, "Revoke admin consent", $"Revoke admin consent for {resourceName} {name} (Delegated)");
            }
        }

        private void PlanApplicationConsent()
        {
            string spTarget = $"service principal of '{Recipe.DisplayName}'";
            foreach (var role in _consent.Where(p => p.Request.Type == PermissionType.Application))
            {
                bool assigned = ExistingAssignments.Any(a => a.AppRoleId == role.Id && string.Equals(a.ResourceId?.ToString(), role.Resource.Id, StringComparison.OrdinalIgnoreCase));
                if (assigned) continue;
                AppRolesToAssign.Add(role);
                Add(spTarget, "Grant admin consent", $"Grant admin consent for {role.Resource.DisplayName} {role.Request.Name} (Application)");
            }
            if (!Recipe.ManagesConsent) return;
            foreach (var a in ExistingAssignments)
            {
                bool wanted = _consent.Any(p => p.Request.Type == PermissionType.Application && p.Id == a.AppRoleId &&
                    string.Equals(p.Resource.Id, a.ResourceId?.ToString(), StringComparison.OrdinalIgnoreCase));
                if (wanted) continue;
                AssignmentsToRevoke.Add(a);
                var resource = _resources.Values.FirstOrDefault(r => string.Equals(r.Id, a.ResourceId?.ToString(), StringComparison.OrdinalIgnoreCase));
                string role = resource?.AppRoles?.FirstOrDefault(r => r.Id == a.AppRoleId)?.Value ?? a.AppRoleId.ToString()!;
                Add(spTarget, "Revoke admin consent", $"Revoke admin consent for {a.ResourceDisplayName ?? resource?.DisplayName} {role} (Application)");
            }
        }

        private string ResourceName(string resourceId) =>
            _resources.Values.FirstOrDefault(r => string.Equals(r.Id, resourceId, StringComparison.OrdinalIgnoreCase))?.DisplayName ?? resourceId;

        internal void AddWarning(string warning) => _warnings.Add(warning);

        private void Add(string target, string action, string description) => _changes.Add(new PlannedChange(target, action, description));

        private static string AudienceText(string audience) => audience switch
        {
            "AzureADMyOrg" => "single tenant",
            "AzureADMultipleOrgs" => "multitenant",
            _ => audience,
        };

        // ----- Placeholders -----

        private string Resolve(string value, string? appId) =>
            value.Replace(AppRecipe.TenantIdPlaceholder, Tenant.TenantId).Replace(AppRecipe.AppIdPlaceholder, appId ?? AppRecipe.AppIdPlaceholder);

        private static bool NeedsAppId(string value) => value.IndexOf(AppRecipe.AppIdPlaceholder, StringComparison.Ordinal) >= 0;

        private IEnumerable<string> Deferred(IEnumerable<string> values) => values.Where(NeedsAppId).Select(v => Resolve(v, null));

        /// <summary>The values resolvable now: all of them when the appId is known, else those without {appId}.</summary>
        private List<string> Resolvable(IEnumerable<string> values, string? appId) =>
            values.Where(v => appId != null || !NeedsAppId(v)).Select(v => Resolve(v, appId)).ToList();

        private string DescribeCreate()
        {
            var parts = new List<string> { $"uniqueName {Recipe.UniqueName}", AudienceText(Recipe.SignInAudience) };
            parts.AddRange(Resolvable(Recipe.WebRedirectUris, null).Select(u => $"web redirect URI {u}"));
            parts.AddRange(Resolvable(Recipe.SpaRedirectUris, null).Select(u => $"SPA redirect URI {u}"));
            parts.AddRange(Resolvable(Recipe.PublicClientRedirectUris, null).Select(u => $"public client redirect URI {u}"));
            parts.AddRange(Resolvable(Recipe.IdentifierUris, null).Select(u => $"Application ID URI {u}"));
            if (Recipe.EnableIdTokenIssuance) parts.Add("ID token issuance on");
            if (Recipe.AllowPublicClientFlows == true) parts.Add("public client flows allowed");
            parts.AddRange(Recipe.Scopes.Select(s => $"exposes scope {s.Value} ({(s.Type == "User" ? "admins and users" : "admins only")} consent)"));
            parts.AddRange(Recipe.AppRoles.Select(r => $"defines app role {r.Value}"));
            parts.AddRange(_permissions.Select(p => $"requires {p.Resource.DisplayName} {p.Request.Name} ({p.Request.Type})"));
            return $"Create application '{Recipe.DisplayName}' ({string.Join("; ", parts)})";
        }

        // ----- Desired state -----

        /// <summary>The body of the create: every value that does not need the appId (graph-ground-truth §0.3: always send signInAudience).</summary>
        internal Application DesiredApplication()
        {
            var app = new Application
            {
                DisplayName = Recipe.DisplayName,
                SignInAudience = Recipe.SignInAudience,
                Web = new WebApplication
                {
                    RedirectUris = Resolvable(Recipe.WebRedirectUris, null),
                    ImplicitGrantSettings = new ImplicitGrantSettings { EnableIdTokenIssuance = Recipe.EnableIdTokenIssuance, EnableAccessTokenIssuance = false },
                },
                RequiredResourceAccess = DesiredRequiredResourceAccess(),
            };
            var spa = Resolvable(Recipe.SpaRedirectUris, null);
            if (spa.Count > 0) app.Spa = new SpaApplication { RedirectUris = spa };
            var publicClient = Resolvable(Recipe.PublicClientRedirectUris, null);
            if (publicClient.Count > 0) app.PublicClient = new PublicClientApplication { RedirectUris = publicClient };
            var identifierUris = Resolvable(Recipe.IdentifierUris, null);
            if (identifierUris.Count > 0) app.IdentifierUris = identifierUris;
            if (Recipe.AllowPublicClientFlows.HasValue) app.IsFallbackPublicClient = Recipe.AllowPublicClientFlows;
            if (Recipe.Scopes.Count > 0) app.Api = new ApiApplication { Oauth2PermissionScopes = Recipe.Scopes.Select(NewScope).ToList() };
            if (Recipe.AppRoles.Count > 0) app.AppRoles = Recipe.AppRoles.Select(NewRole).ToList();
            return app;
        }

        private Guid NewId(string key)
        {
            if (!_newIds.TryGetValue(key, out var id)) _newIds[key] = id = Guid.NewGuid();
            return id;
        }

        private PermissionScope NewScope(ExposedScope s) => new PermissionScope
        {
            Id = NewId("scope:" + s.Value),
            Value = s.Value,
            Type = s.Type,
            IsEnabled = true,
            AdminConsentDisplayName = s.AdminConsentDisplayName,
            AdminConsentDescription = s.AdminConsentDescription,
            UserConsentDisplayName = s.UserConsentDisplayName,
            UserConsentDescription = s.UserConsentDescription,
        };

        private AppRole NewRole(AppRoleDefinition r) => new AppRole
        {
            Id = NewId("role:" + r.Value),
            Value = r.Value,
            DisplayName = r.DisplayName,
            Description = r.Description,
            IsEnabled = true,
            AllowedMemberTypes = r.AllowedMemberTypes.ToList(),
        };

        private List<RequiredResourceAccess> DesiredRequiredResourceAccess() =>
            _permissions.GroupBy(p => p.ResourceAppId, StringComparer.OrdinalIgnoreCase)
                .Select(g => new RequiredResourceAccess
                {
                    ResourceAppId = g.Key,
                    ResourceAccess = g.Select(p => new ResourceAccess { Id = p.Id, Type = p.GraphType }).ToList(),
                }).ToList();

        /// <summary>
        /// What must change on <paramref name="app"/> to match the recipe; null when nothing does. Redirect and identifier
        /// URIs the admin added are kept; complex properties are sent whole because PATCH replaces them (§4).
        /// With <paramref name="describe"/> the changes are added to the plan.
        /// </summary>
        internal Application? ComputePatch(Application app, string? appId, bool describe)
        {
            var patch = new Application();
            bool any = false;
            void Change(string action, string description) { any = true; if (describe) Add(AppTarget, action, description); }

            if (app.DisplayName != Recipe.DisplayName)
            {
                patch.DisplayName = Recipe.DisplayName;
                Change("Rename", $"Rename application '{app.DisplayName}' to '{Recipe.DisplayName}'");
            }
            if (app.SignInAudience != Recipe.SignInAudience)
            {
                patch.SignInAudience = Recipe.SignInAudience;
                Change("Change audience", $"Change '{Recipe.DisplayName}' from {AudienceText(app.SignInAudience ?? "")} to {AudienceText(Recipe.SignInAudience)}");
            }

            var webUris = app.Web?.RedirectUris ?? new List<string>();
            var missingWeb = Resolvable(Recipe.WebRedirectUris, appId).Where(u => !webUris.Contains(u, StringComparer.Ordinal)).ToList();
            bool idTokens = app.Web?.ImplicitGrantSettings?.EnableIdTokenIssuance == true;
            if (missingWeb.Count > 0 || (Recipe.EnableIdTokenIssuance && !idTokens))
            {
                patch.Web = new WebApplication
                {
                    RedirectUris = webUris.Concat(missingWeb).ToList(),
                    HomePageUrl = app.Web?.HomePageUrl,
                    LogoutUrl = app.Web?.LogoutUrl,
                    ImplicitGrantSettings = new ImplicitGrantSettings
                    {
                        EnableIdTokenIssuance = idTokens || Recipe.EnableIdTokenIssuance,
                        EnableAccessTokenIssuance = app.Web?.ImplicitGrantSettings?.EnableAccessTokenIssuance ?? false,
                    },
                };
                foreach (var u in missingWeb) Change("Add redirect URI", $"Add web redirect URI {u} to '{Recipe.DisplayName}'");
                if (Recipe.EnableIdTokenIssuance && !idTokens) Change("Enable ID tokens", $"Turn on ID token issuance for '{Recipe.DisplayName}'");
            }

            var spaUris = app.Spa?.RedirectUris ?? new List<string>();
            var missingSpa = Resolvable(Recipe.SpaRedirectUris, appId).Where(u => !spaUris.Contains(u, StringComparer.Ordinal)).ToList();
            if (missingSpa.Count > 0)
            {
                patch.Spa = new SpaApplication { RedirectUris = spaUris.Concat(missingSpa).ToList() };
                foreach (var u in missingSpa) Change("Add redirect URI", $"Add SPA redirect URI {u} to '{Recipe.DisplayName}'");
            }

            var publicUris = app.PublicClient?.RedirectUris ?? new List<string>();
            var missingPublic = Resolvable(Recipe.PublicClientRedirectUris, appId).Where(u => !publicUris.Contains(u, StringComparer.Ordinal)).ToList();
            if (missingPublic.Count > 0)
            {
                patch.PublicClient = new PublicClientApplication { RedirectUris = publicUris.Concat(missingPublic).ToList() };
                foreach (var u in missingPublic) Change("Add redirect URI", $"Add public client redirect URI {u} to '{Recipe.DisplayName}'");
            }

            var idUris = app.IdentifierUris ?? new List<string>();
            var missingIdUris = Resolvable(Recipe.IdentifierUris, appId).Where(u => !idUris.Contains(u, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missingIdUris.Count > 0)
            {
                patch.IdentifierUris = idUris.Concat(missingIdUris).ToList();
                foreach (var u in missingIdUris) Change("Add identifier URI", $"Add Application ID URI {u} to '{Recipe.DisplayName}'");
            }

            if (Recipe.AllowPublicClientFlows.HasValue && (app.IsFallbackPublicClient ?? false) != Recipe.AllowPublicClientFlows.Value)
            {
                patch.IsFallbackPublicClient = Recipe.AllowPublicClientFlows;
                Change("Set public client flows", $"{(Recipe.AllowPublicClientFlows.Value ? "Allow" : "Disallow")} public client flows on '{Recipe.DisplayName}'");
            }

            var scopes = app.Api?.Oauth2PermissionScopes ?? new List<PermissionScope>();
            var scopeChanges = Recipe.Scopes.Where(s => !scopes.Any(e => ScopeMatches(e, s))).ToList();
            if (scopeChanges.Count > 0)
            {
                var merged = scopes.Where(e => !scopeChanges.Any(s => string.Equals(s.Value, e.Value, StringComparison.Ordinal))).ToList();
                foreach (var s in scopeChanges)
                {
                    var existing = scopes.FirstOrDefault(e => string.Equals(e.Value, s.Value, StringComparison.Ordinal));
                    var scope = NewScope(s);
                    if (existing != null) scope.Id = existing.Id; // keep the id: clients and grants refer to it
                    merged.Add(scope);
                    Change(existing == null ? "Expose scope" : "Update scope", existing == null
                        ? $"Expose scope {s.Value} on '{Recipe.DisplayName}'"
                        : $"Update the consent text of scope {s.Value} on '{Recipe.DisplayName}'");
                }
                patch.Api = new ApiApplication
                {
                    AcceptMappedClaims = app.Api?.AcceptMappedClaims,
                    KnownClientApplications = app.Api?.KnownClientApplications ?? new List<Guid?>(),
                    PreAuthorizedApplications = app.Api?.PreAuthorizedApplications ?? new List<PreAuthorizedApplication>(),
                    RequestedAccessTokenVersion = app.Api?.RequestedAccessTokenVersion,
                    Oauth2PermissionScopes = merged,
                };
            }

            var roles = app.AppRoles ?? new List<AppRole>();
            var missingRoles = Recipe.AppRoles.Where(r => !roles.Any(e => string.Equals(e.Value, r.Value, StringComparison.Ordinal))).ToList();
            if (missingRoles.Count > 0)
            {
                patch.AppRoles = roles.Concat(missingRoles.Select(NewRole)).ToList();
                foreach (var r in missingRoles) Change("Define app role", $"Define app role {r.Value} on '{Recipe.DisplayName}'");
            }

            var current = (app.RequiredResourceAccess ?? new List<RequiredResourceAccess>())
                .SelectMany(r => (r.ResourceAccess ?? new List<ResourceAccess>()).Select(a => (App: r.ResourceAppId!.ToLowerInvariant(), Id: a.Id!.Value, Type: a.Type!))).ToList();
            var desired = _permissions.Select(p => (App: p.ResourceAppId.ToLowerInvariant(), Id: p.Id, Type: p.GraphType)).ToList();
            if (!new HashSet<(string, Guid, string)>(current).SetEquals(desired))
            {
                patch.RequiredResourceAccess = DesiredRequiredResourceAccess();
                foreach (var p in _permissions.Where(p => !current.Contains((p.ResourceAppId.ToLowerInvariant(), p.Id, p.GraphType))))
                    Change("Require permission", $"Require {p.Resource.DisplayName} {p.Request.Name} ({p.Request.Type}) on '{Recipe.DisplayName}'");
                foreach (var c in current.Where(c => !desired.Contains(c)))
                    Change("Remove permission", $"Remove required permission {Describe(c.App, c.Id, c.Type)} from '{Recipe.DisplayName}'");
            }
            return any ? patch : null;
        }

        private static bool ScopeMatches(PermissionScope e, ExposedScope s) =>
            string.Equals(e.Value, s.Value, StringComparison.Ordinal) && e.Type == s.Type && e.IsEnabled == true &&
            e.AdminConsentDisplayName == s.AdminConsentDisplayName && e.AdminConsentDescription == s.AdminConsentDescription &&
            e.UserConsentDisplayName == s.UserConsentDisplayName && e.UserConsentDescription == s.UserConsentDescription;

        private string Describe(string appId, Guid id, string type)
        {
            var sp = _resources.Values.FirstOrDefault(r => string.Equals(r.AppId, appId, StringComparison.OrdinalIgnoreCase));
            if (sp == null) return $"{appId}/{id} ({type})";
            string? name = type == "Scope"
                ? sp.Oauth2PermissionScopes?.FirstOrDefault(s => s.Id == id)?.Value
                : sp.AppRoles?.FirstOrDefault(r => r.Id == id)?.Value;
            return $"{sp.DisplayName} {name ?? id.ToString()} ({(type == "Scope" ? "Delegated" : "Application")})";
        }
    }

    /// <summary>What one resource's AllPrincipals grant must become: created, patched to <see cref="Scopes"/>, or deleted when empty.</summary>
    internal sealed class DelegatedGrantChange
    {
        public DelegatedGrantChange(string resourceId, string resourceName, OAuth2PermissionGrant? existing, List<string> scopes)
        {
            ResourceId = resourceId; ResourceName = resourceName; Existing = existing; Scopes = scopes;
        }

        public string ResourceId { get; }
        public string ResourceName { get; }
        public OAuth2PermissionGrant? Existing { get; }
        public List<string> Scopes { get; }
    }
}
