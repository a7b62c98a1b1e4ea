using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Recipes;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Applications
{
    /// <summary>
    /// The difference between a recipe's application and the tenant's: created, or patched with only what differs, and the
    /// client secret to add. Pure: <see cref="ApplicationReconciler"/> builds it from what it read and applies it.
    /// </summary>
    internal sealed class ApplicationPlan
    {
        private readonly List<PlannedChange> _changes = new List<PlannedChange>();
        private readonly List<string> _warnings = new List<string>();
        private readonly List<string> _kept = new List<string>();

        /// <summary>The permissions this recipe sets in any variant (resource appId, id, type): only these are ever removed.</summary>
        private readonly HashSet<(string, Guid, string)> _managed;

        /// <summary>Ids for scopes and roles the recipe adds, fixed at plan time so -WhatIf and the run agree.</summary>
        private readonly Dictionary<string, Guid> _newIds = new Dictionary<string, Guid>(StringComparer.Ordinal);

        public ApplicationPlan(AppRecipe recipe, TenantFacts tenant, Application? existing, IReadOnlyList<ResolvedPermission> permissions,
            IReadOnlyDictionary<string, ServicePrincipal> resources, IReadOnlyList<ResolvedPermission> managed)
        {
            Recipe = recipe; Tenant = tenant; Existing = existing; Permissions = permissions; Resources = resources;
            _managed = new HashSet<(string, Guid, string)>(managed.Concat(permissions).Select(p => (p.ResourceAppId.ToLowerInvariant(), p.Id, p.GraphType)));
            UniqueName = existing?.UniqueName ?? recipe.UniqueName;
            Build();
        }

        public AppRecipe Recipe { get; }
        public TenantFacts Tenant { get; }

        /// <summary>The application as it is; null when it does not exist yet.</summary>
        public Application? Existing { get; }

        /// <summary>The permissions the application requires (its requiredResourceAccess), resolved.</summary>
        public IReadOnlyList<ResolvedPermission> Permissions { get; }

        private IReadOnlyDictionary<string, ServicePrincipal> Resources { get; }

        /// <summary>The key the application is (or will be) found by: the recipe's, or an adopted app's own.</summary>
        public string UniqueName { get; }

        /// <summary>The writes to the application object, in order (create, values that need the appId, or the update).</summary>
        public IReadOnlyList<PlannedChange> Changes => _changes;

        /// <summary>The client secret to add, or null.</summary>
        public PlannedChange? SecretChange { get; private set; }

        /// <summary>The display name of the secret to add: the recipe's name and the date, never one the app already has.</summary>
        public string? SecretDisplayName { get; private set; }

        public IReadOnlyList<string> Warnings => _warnings;

        public bool Creates => Existing == null;
        public bool Updates { get; private set; }
        public bool AddsSecret => SecretChange != null;

        /// <summary>Adding the recipe's certificate; null when there is none or the app already holds it.</summary>
        public PlannedChange? CertificateChange { get; private set; }

        private string AppTarget => $"application '{Recipe.DisplayName}'";

        private void Build()
        {
            if (Existing == null)
            {
                Add("Create", DescribeCreate());
                // Values that need the new appId can only be written after the create (learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions).
                foreach (var uri in Deferred(Recipe.IdentifierUris))
                    Add("Add identifier URI", $"Set Application ID URI {uri} on '{Recipe.DisplayName}' once its appId exists");
                foreach (var uri in Deferred(Recipe.PublicClientRedirectUris))
                    Add("Add redirect URI", $"Add public client redirect URI {uri} to '{Recipe.DisplayName}' once its appId exists");
                foreach (var uri in Deferred(Recipe.WebRedirectUris).Concat(Deferred(Recipe.SpaRedirectUris)))
                    Add("Add redirect URI", $"Add redirect URI {uri} to '{Recipe.DisplayName}' once its appId exists");
            }
            else
            {
                if (Existing.UniqueName == null)
                    Add("Set uniqueName", $"Set uniqueName {Recipe.UniqueName} on '{Existing.DisplayName}' so later runs find it");
                else if (!string.Equals(Existing.UniqueName, Recipe.UniqueName, StringComparison.OrdinalIgnoreCase) &&
                    !string.Equals(Existing.UniqueName, Recipe.LegacyUniqueName, StringComparison.OrdinalIgnoreCase))
                    _warnings.Add($"'{Existing.DisplayName}' keeps its uniqueName {Existing.UniqueName} (a uniqueName is immutable once set).");
                Updates = ComputePatch(Existing, Existing.AppId, describe: true) != null || Existing.UniqueName == null;
                if (_kept.Count > 0)
                    _warnings.Add($"Kept what '{Existing.DisplayName}' has and this recipe does not set (an administrator's additions): {string.Join("; ", _kept)}. " +
                        "Run with -Exclusive to remove them.");
            }

            var existingSecrets = Existing?.PasswordCredentials ?? new List<PasswordCredential>();
            if (Recipe.Secret != null && (existingSecrets.Count == 0 || Recipe.NewSecret))
            {
                // addPassword comes last, after every other write: a cap it would meet must fail the plan instead.
                if (ApplicationRules.IsPersonalAudience(Recipe.SignInAudience) && existingSecrets.Count >= 2)
                    throw EntraAppKitException.InvalidInput($"'{Recipe.DisplayName}' already has {existingSecrets.Count} client secrets, and Entra allows 2 when personal accounts are in the audience: " +
                        "remove one (Certificates & secrets) before adding another with -NewSecret.");
                SecretDisplayName = Secrets.SecretNames.Unique(Recipe.Secret.DisplayName, existingSecrets);
                SecretChange = new PlannedChange(AppTarget, "Add client secret",
                    $"Add client secret '{SecretDisplayName}' to '{Recipe.DisplayName}', expiring in {Recipe.Secret.LifetimeMonths} months");
            }
            else if (Recipe.Secret != null)
                _warnings.Add($"'{Recipe.DisplayName}' already has {DescribeSecrets(existingSecrets)}; Graph never returns a secret's value again. " +
                    "Run with -NewSecret to add another one (the existing ones stay until they expire or you remove them).");

            // The certificate is keyed by itself: an app that holds it (a re-run) gets nothing added.
            if (Recipe.Certificate != null && (Existing == null || CertificateCredentials.Find(Existing, Recipe.Certificate) == null))
                CertificateChange = new PlannedChange(AppTarget, "Add certificate",
                    CertificateCredentials.DescribeAdd(Recipe.Certificate, Recipe.DisplayName, Existing?.KeyCredentials?.Count ?? 0));
        }

        /// <summary>"a client secret ('Rewst 2026-11-29', expires 2027-11-29)" or "2 client secrets (…; …)".</summary>
        private static string DescribeSecrets(IReadOnlyCollection<PasswordCredential> secrets)
        {
            var each = secrets.OrderBy(p => p.EndDateTime).Select(p =>
                $"'{p.DisplayName ?? p.Hint + "…"}', {(p.EndDateTime < DateTimeOffset.UtcNow ? "expired" : "expires")} {p.EndDateTime?.UtcDateTime:yyyy-MM-dd}");
            return (secrets.Count == 1 ? "a client secret" : $"{secrets.Count} client secrets") + " (" + string.Join("; ", each) + ")";
        }

        private void Add(string action, string description) => _changes.Add(new PlannedChange(AppTarget, action, description));

        internal static string AudienceText(string audience) => audience switch
        {
            "AzureADMyOrg" => "single tenant",
            "AzureADMultipleOrgs" => "multitenant",
            _ => audience,
        };

        // ----- Placeholders -----

        public string Resolve(string value, string? appId) =>
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
            parts.AddRange(Permissions.GroupBy(p => (p.ResourceAppId, p.Id)).Select(g => g.First()).Select(p => $"requires {p.Resource.DisplayName} {p.Value} ({p.Request.Type})"));
            return $"Create application '{Recipe.DisplayName}' ({string.Join("; ", parts)})";
        }

        // ----- Desired state -----

        /// <summary>
        /// The body of the create: every value that does not need the appId. signInAudience is always sent: Graph's default
        /// when it is omitted includes personal accounts (learn.microsoft.com/graph/api/application-post-applications).
        /// </summary>
        public Application DesiredApplication()
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
                Tags = AppOwnership.Tags(Recipe, null),
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

        /// <summary>The requested permissions, and <paramref name="kept"/> ones an administrator added, one entry per API.</summary>
        private List<RequiredResourceAccess> DesiredRequiredResourceAccess(IEnumerable<(string App, Guid Id, string Type)>? kept = null) =>
            Permissions.Select(p => (App: p.ResourceAppId, p.Id, Type: p.GraphType))
                .Concat(kept ?? Enumerable.Empty<(string, Guid, string)>())
                .GroupBy(p => p.App, StringComparer.OrdinalIgnoreCase)
                .Select(g => new RequiredResourceAccess
                {
                    ResourceAppId = g.Key,
                    // One entry per permission, however often it was named (by value, in another case, or by id).
                    ResourceAccess = g.Select(p => (p.Id, p.Type)).Distinct().Select(p => new ResourceAccess { Id = p.Id, Type = p.Type }).ToList(),
                }).ToList();

        /// <summary>Of <paramref name="current"/>: what stays (all, or with -Exclusive only the wanted), what is missing, what the recipe does not set.</summary>
        private (List<string> Kept, List<string> Missing, List<string> Extra) Uris(List<string> current, IEnumerable<string> recipe, string? appId, StringComparer comparer)
        {
            var wanted = Resolvable(recipe, appId);
            var missing = wanted.Where(u => !current.Contains(u, comparer)).ToList();
            // Values with {appId} cannot be compared before the create; only an existing app has extras.
            var extra = appId == null ? new List<string>() : current.Where(u => !wanted.Contains(u, comparer)).ToList();
            var kept = Recipe.Exclusive ? current.Where(u => !extra.Contains(u, comparer)).ToList() : current.ToList();
            return (kept, missing, extra);
        }

        /// <summary>
        /// What must change on <paramref name="app"/> to match the recipe; null when nothing does. Redirect and identifier URIs
        /// the admin added are kept; complex properties are sent whole, because a PATCH replaces a property it names
        /// (learn.microsoft.com/graph/api/application-update). With <paramref name="describe"/> the changes are added to the plan.
        /// </summary>
        public Application? ComputePatch(Application app, string? appId, bool describe)
        {
            var patch = new Application();
            bool any = false;
            void Change(string action, string description) { any = true; if (describe) Add(action, description); }
            void Keep(string what) { if (describe) _kept.Add(what); }

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
            var (keptWeb, missingWeb, extraWeb) = Uris(webUris, Recipe.WebRedirectUris, appId, StringComparer.Ordinal);
            bool idTokens = app.Web?.ImplicitGrantSettings?.EnableIdTokenIssuance == true;
            if (missingWeb.Count > 0 || (Recipe.Exclusive && extraWeb.Count > 0) || (Recipe.EnableIdTokenIssuance && !idTokens))
            {
                patch.Web = new WebApplication
                {
                    RedirectUris = keptWeb.Concat(missingWeb).ToList(),
                    HomePageUrl = app.Web?.HomePageUrl,
                    LogoutUrl = app.Web?.LogoutUrl,
                    ImplicitGrantSettings = new ImplicitGrantSettings
                    {
                        EnableIdTokenIssuance = idTokens || Recipe.EnableIdTokenIssuance,
                        EnableAccessTokenIssuance = app.Web?.ImplicitGrantSettings?.EnableAccessTokenIssuance ?? false,
                    },
                };
                foreach (var u in missingWeb) Change("Add redirect URI", $"Add web redirect URI {u} to '{Recipe.DisplayName}'");
                if (Recipe.Exclusive) foreach (var u in extraWeb) Change("Remove redirect URI", $"Remove web redirect URI {u} from '{Recipe.DisplayName}'");
                if (Recipe.EnableIdTokenIssuance && !idTokens) Change("Enable ID tokens", $"Turn on ID token issuance for '{Recipe.DisplayName}'");
            }

            if (!Recipe.Exclusive) foreach (var u in extraWeb) Keep($"web redirect URI {u}");

            var spaUris = app.Spa?.RedirectUris ?? new List<string>();
            var (keptSpa, missingSpa, extraSpa) = Uris(spaUris, Recipe.SpaRedirectUris, appId, StringComparer.Ordinal);
            if (missingSpa.Count > 0 || (Recipe.Exclusive && extraSpa.Count > 0))
            {
                patch.Spa = new SpaApplication { RedirectUris = keptSpa.Concat(missingSpa).ToList() };
                foreach (var u in missingSpa) Change("Add redirect URI", $"Add SPA redirect URI {u} to '{Recipe.DisplayName}'");
                if (Recipe.Exclusive) foreach (var u in extraSpa) Change("Remove redirect URI", $"Remove SPA redirect URI {u} from '{Recipe.DisplayName}'");
            }
            if (!Recipe.Exclusive) foreach (var u in extraSpa) Keep($"SPA redirect URI {u}");

            var publicUris = app.PublicClient?.RedirectUris ?? new List<string>();
            var (keptPublic, missingPublic, extraPublic) = Uris(publicUris, Recipe.PublicClientRedirectUris, appId, StringComparer.Ordinal);
            if (missingPublic.Count > 0 || (Recipe.Exclusive && extraPublic.Count > 0))
            {
                patch.PublicClient = new PublicClientApplication { RedirectUris = keptPublic.Concat(missingPublic).ToList() };
                foreach (var u in missingPublic) Change("Add redirect URI", $"Add public client redirect URI {u} to '{Recipe.DisplayName}'");
                if (Recipe.Exclusive) foreach (var u in extraPublic) Change("Remove redirect URI", $"Remove public client redirect URI {u} from '{Recipe.DisplayName}'");
            }
            if (!Recipe.Exclusive) foreach (var u in extraPublic) Keep($"public client redirect URI {u}");

            var idUris = app.IdentifierUris ?? new List<string>();
            var (keptIdUris, missingIdUris, extraIdUris) = Uris(idUris, Recipe.IdentifierUris, appId, StringComparer.OrdinalIgnoreCase);
            if (missingIdUris.Count > 0 || (Recipe.Exclusive && extraIdUris.Count > 0))
            {
                patch.IdentifierUris = keptIdUris.Concat(missingIdUris).ToList();
                foreach (var u in missingIdUris) Change("Add identifier URI", $"Add Application ID URI {u} to '{Recipe.DisplayName}'");
                if (Recipe.Exclusive) foreach (var u in extraIdUris) Change("Remove identifier URI", $"Remove Application ID URI {u} from '{Recipe.DisplayName}'");
            }
            if (!Recipe.Exclusive) foreach (var u in extraIdUris) Keep($"Application ID URI {u}");

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

            var tags = app.Tags ?? new List<string>();
            var desiredTags = AppOwnership.Tags(Recipe, tags);
            if (AppOwnership.Records(Recipe, app) &&
                !new HashSet<string>(tags.Where(AppOwnership.IsOurs), StringComparer.Ordinal).SetEquals(desiredTags.Where(AppOwnership.IsOurs)))
            {
                patch.Tags = desiredTags;
                Change("Record the recipe", $"Record on '{Recipe.DisplayName}' that the {Recipe.RecipeName} recipe made it from the name '{Recipe.DisplayName}' (its tags), so no other recipe or name takes it over");
            }

            var current = (app.RequiredResourceAccess ?? new List<RequiredResourceAccess>())
                .SelectMany(r => (r.ResourceAccess ?? new List<ResourceAccess>()).Select(a => (App: r.ResourceAppId!.ToLowerInvariant(), Id: a.Id!.Value, Type: a.Type!))).ToList();
            var requested = Permissions.Select(p => (App: p.ResourceAppId.ToLowerInvariant(), Id: p.Id, Type: p.GraphType)).Distinct().ToList();
            // An administrator's permissions (neither requested nor ever set by this recipe) stay unless -Exclusive.
            var foreign = Recipe.Exclusive ? new List<(string App, Guid Id, string Type)>() : current.Where(c => !_managed.Contains(c)).ToList();
            var desired = requested.Concat(foreign).ToList();
            foreach (var c in foreign) Keep($"permission {Describe(c.App, c.Id, c.Type)}");
            if (!new HashSet<(string, Guid, string)>(current).SetEquals(desired))
            {
                patch.RequiredResourceAccess = DesiredRequiredResourceAccess(foreign);
                foreach (var p in Permissions.Where(p => !current.Contains((p.ResourceAppId.ToLowerInvariant(), p.Id, p.GraphType))).GroupBy(p => p.Id).Select(g => g.First()))
                    Change("Require permission", $"Require {p.Resource.DisplayName} {p.Value} ({p.Request.Type}) on '{Recipe.DisplayName}'");
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
            var sp = Resources.Values.FirstOrDefault(r => string.Equals(r.AppId, appId, StringComparison.OrdinalIgnoreCase));
            if (sp == null) return $"{appId}/{id} ({type})";
            string? name = type == "Scope"
                ? sp.Oauth2PermissionScopes?.FirstOrDefault(s => s.Id == id)?.Value
                : sp.AppRoles?.FirstOrDefault(r => r.Id == id)?.Value;
            return $"{sp.DisplayName} {name ?? id.ToString()} ({(type == "Scope" ? "Delegated" : "Application")})";
        }
    }
}
