using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using Microsoft.Graph.Models;
using PermissionType = EntraAppKit.Core.Recipes.PermissionType;

namespace EntraAppKit.Core.Operations
{
    /// <summary>A write on an existing app registration, planned before it is made (for -WhatIf).</summary>
    public sealed class AppOperationPlan
    {
        internal AppOperationPlan(Application app, TenantFacts tenant, IReadOnlyList<PlannedChange> changes)
        {
            Application = app; Tenant = tenant; Changes = changes;
        }

        internal Application Application { get; }
        internal TenantFacts Tenant { get; }
        internal List<string> NewWebRedirectUris { get; } = new List<string>();
        internal RecipePlan? ConsentPlan { get; set; }

        public string DisplayName => Application.DisplayName ?? "";
        public string ClientId => Application.AppId ?? "";
        public IReadOnlyList<PlannedChange> Changes { get; }
    }

    /// <summary>Operations on existing app registrations: find, add redirect URIs, grant admin consent, remove.</summary>
    public sealed class AppRegistrationOperations
    {
        private readonly GraphSession _session;
        private readonly RecipeEngine _engine;

        public AppRegistrationOperations(GraphSession session, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _engine = new RecipeEngine(session, retry);
        }

        /// <summary>Finds apps by client id, uniqueName, or display name (wildcards * and ?); all apps when none is given.</summary>
        public async Task<IReadOnlyList<EntraAppRegistration>> FindAsync(string? clientId = null, string? uniqueName = null, string? displayName = null,
            CancellationToken cancellationToken = default)
        {
            try
            {
                var tenant = await _engine.GetTenantAsync(cancellationToken).ConfigureAwait(false);
                var client = _session.Client;
                IEnumerable<Application> apps;
                if (clientId != null) apps = Single(await GraphErrors.NullWhenNotFound(() => client.ApplicationsWithAppId(clientId).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false));
                else if (uniqueName != null) apps = Single(await GraphErrors.NullWhenNotFound(() => client.ApplicationsWithUniqueName(uniqueName).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false));
                else apps = await ListAsync(displayName, cancellationToken).ConfigureAwait(false);
                return apps.Select(a => Recipes.Vendors.OutputMapping.ToRegistration(a, tenant)).ToList();
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Reading app registrations"); }
        }

        private static IEnumerable<Application> Single(Application? app) => app == null ? Enumerable.Empty<Application>() : new[] { app };

        /// <summary>Lists apps, narrowed server-side where the pattern allows (eq, or startswith for a trailing *), following every page.</summary>
        private async Task<List<Application>> ListAsync(string? pattern, CancellationToken cancellationToken)
        {
            string? filter = null;
            if (pattern != null && pattern.IndexOfAny(new[] { '*', '?' }) < 0) filter = $"displayName eq '{pattern.Replace("'", "''")}'";
            else if (pattern != null && pattern.EndsWith("*", StringComparison.Ordinal) && pattern.TrimEnd('*').IndexOfAny(new[] { '*', '?' }) < 0 && pattern.TrimEnd('*').Length > 0)
                filter = $"startswith(displayName,'{pattern.TrimEnd('*').Replace("'", "''")}')";
            var result = new List<Application>();
            var page = await _session.Client.Applications.GetAsync(c =>
            {
                c.QueryParameters.Top = 999;
                if (filter != null) c.QueryParameters.Filter = filter;
            }, cancellationToken).ConfigureAwait(false);
            while (page != null)
            {
                result.AddRange(page.Value ?? new List<Application>());
                if (page.OdataNextLink == null) break;
                page = await _session.Client.Applications.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            if (pattern == null) return result;
            var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            return result.Where(a => regex.IsMatch(a.DisplayName ?? "")).ToList();
        }

        private async Task<(Application App, TenantFacts Tenant)> RequireAppAsync(string clientId, CancellationToken cancellationToken)
        {
            var tenant = await _engine.GetTenantAsync(cancellationToken).ConfigureAwait(false);
            var app = await GraphErrors.NullWhenNotFound(() => _session.Client.ApplicationsWithAppId(clientId).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false)
                ?? throw new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound, $"No application with client id {clientId} exists in tenant {tenant.InitialDomain}.");
            return (app, tenant);
        }

        // ----- Web redirect URIs (WriteBackExtreme return URLs) -----

        /// <summary>
        /// Plans adding web redirect URIs without removing any (graph-ground-truth §4). https is required except for localhost;
        /// URIs already present are no-ops. Invalid input fails before any write.
        /// </summary>
        public async Task<AppOperationPlan> PlanAddWebRedirectUrisAsync(string clientId, IEnumerable<string> uris, CancellationToken cancellationToken = default)
        {
            var list = uris.Select(u => u.Trim()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            foreach (var uri in list)
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !(parsed.Scheme == "https" || (parsed.Scheme == "http" && parsed.IsLoopback)))
                    throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument,
                        $"'{uri}' is not a valid web redirect URI: Entra requires https (http only for localhost).");
            }
            try
            {
                var (app, tenant) = await RequireAppAsync(clientId, cancellationToken).ConfigureAwait(false);
                var existing = app.Web?.RedirectUris ?? new List<string>();
                var missing = list.Where(u => !existing.Contains(u, StringComparer.Ordinal)).ToList();
                var plan = new AppOperationPlan(app, tenant, missing.Select(u => new PlannedChange($"application '{app.DisplayName}'", "Add redirect URI",
                    $"Add web redirect URI {u} to '{app.DisplayName}'")).ToList());
                plan.NewWebRedirectUris.AddRange(missing);
                return plan;
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Reading the app registration"); }
        }

        public async Task<EntraAppRegistration> ApplyAddWebRedirectUrisAsync(AppOperationPlan plan, CancellationToken cancellationToken = default)
        {
            var app = plan.Application;
            if (plan.NewWebRedirectUris.Count == 0) return Recipes.Vendors.OutputMapping.ToRegistration(app, plan.Tenant);
            try
            {
                var web = app.Web;
                var uris = (web?.RedirectUris ?? new List<string>()).Concat(plan.NewWebRedirectUris).ToList();
                // PATCH replaces redirectUris (and, as the local tenant models it, the whole web object): send all of it.
                await _session.Client.Applications[app.Id].PatchAsync(new Application
                {
                    Web = new WebApplication
                    {
                        RedirectUris = uris,
                        HomePageUrl = web?.HomePageUrl,
                        LogoutUrl = web?.LogoutUrl,
                        ImplicitGrantSettings = new ImplicitGrantSettings
                        {
                            EnableIdTokenIssuance = web?.ImplicitGrantSettings?.EnableIdTokenIssuance ?? false,
                            EnableAccessTokenIssuance = web?.ImplicitGrantSettings?.EnableAccessTokenIssuance ?? false,
                        },
                    },
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
                app.Web ??= new WebApplication();
                app.Web.RedirectUris = uris;
                return Recipes.Vendors.OutputMapping.ToRegistration(app, plan.Tenant, plan.Changes.Select(c => c.Description).ToArray());
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Adding redirect URIs"); }
        }

        // ----- Admin consent -----

        /// <summary>
        /// Plans tenant-wide admin consent for the permissions the app requires (all, or those named in <paramref name="only"/>):
        /// app role assignments for application permissions, one AllPrincipals grant per API for delegated ones (§0.8, §0.9).
        /// </summary>
        public async Task<AppOperationPlan> PlanAdminConsentAsync(string clientId, IReadOnlyCollection<string>? only = null, CancellationToken cancellationToken = default)
        {
            try
            {
                var (app, tenant) = await RequireAppAsync(clientId, cancellationToken).ConfigureAwait(false);
                var recipe = new AppRecipe("AdminConsent", app.DisplayName ?? "", app.UniqueName ?? "")
                {
                    AdoptClientId = clientId,
                    AssignUniqueName = false,
                    SignInAudience = app.SignInAudience ?? "AzureADMyOrg",
                };
                var required = await RequiredPermissionsAsync(app, cancellationToken).ConfigureAwait(false);
                foreach (var p in required) recipe.Permissions.Add(p);
                var selected = only == null || only.Count == 0 ? required : SelectPermissions(app, required, only);
                foreach (var p in selected) recipe.Consent.Add(p);
                var consentPlan = await _engine.PlanAsync(recipe, cancellationToken).ConfigureAwait(false);
                return new AppOperationPlan(app, tenant, consentPlan.Changes) { ConsentPlan = consentPlan };
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Planning admin consent"); }
        }

        private static List<PermissionRequest> SelectPermissions(Application app, List<PermissionRequest> required, IReadOnlyCollection<string> only)
        {
            var selected = new List<PermissionRequest>();
            foreach (var name in only)
            {
                var request = PermissionRequest.Parse(name, PermissionType.Delegated);
                var matches = required.Where(r => string.Equals(r.Name, request.Name, StringComparison.OrdinalIgnoreCase) &&
                    (!name.Contains("/") || string.Equals(r.Resource, request.Resource, StringComparison.OrdinalIgnoreCase))).ToList();
                if (matches.Count == 0)
                    throw new EntraAppKitException(ErrorIds.UnknownPermission, EntraErrorCategory.InvalidArgument,
                        $"'{app.DisplayName}' does not require '{name}', so it cannot be consented. It requires: {string.Join(", ", required.Select(r => r.Name).Distinct())}.");
                selected.AddRange(matches);
            }
            return selected.Distinct().ToList();
        }

        /// <summary>The app's requiredResourceAccess as named permissions, read from each API's service principal.</summary>
        private async Task<List<PermissionRequest>> RequiredPermissionsAsync(Application app, CancellationToken cancellationToken)
        {
            var result = new List<PermissionRequest>();
            foreach (var rra in app.RequiredResourceAccess ?? new List<RequiredResourceAccess>())
            {
                var sp = await GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipalsWithAppId(rra.ResourceAppId).GetAsync(c =>
                    c.QueryParameters.Select = new[] { "id", "appId", "displayName", "appRoles", "oauth2PermissionScopes" }, cancellationToken)).ConfigureAwait(false)
                    ?? throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound,
                        $"'{app.DisplayName}' requires permissions of API {rra.ResourceAppId}, which has no service principal in this tenant.");
                foreach (var access in rra.ResourceAccess ?? new List<ResourceAccess>())
                {
                    bool delegated = access.Type == "Scope";
                    string? name = delegated
                        ? sp.Oauth2PermissionScopes?.FirstOrDefault(s => s.Id == access.Id)?.Value
                        : sp.AppRoles?.FirstOrDefault(r => r.Id == access.Id)?.Value;
                    if (name == null)
                        throw new EntraAppKitException(ErrorIds.UnknownPermission, EntraErrorCategory.InvalidOperation,
                            $"'{app.DisplayName}' requires {access.Type} {access.Id} of {sp.DisplayName}, which {sp.DisplayName} does not define.");
                    result.Add(new PermissionRequest(name, delegated ? PermissionType.Delegated : PermissionType.Application, sp.AppId!));
                }
            }
            return result;
        }

        public async Task<IReadOnlyList<AdminConsentResult>> ApplyAdminConsentAsync(AppOperationPlan plan, CancellationToken cancellationToken = default)
        {
            var consent = plan.ConsentPlan ?? throw new ArgumentException("Not an admin consent plan.", nameof(plan));
            var granted = consent.AppRolesToAssign.Select(r => (r.Resource.Id, r.Request.Name, "Application"))
                .Concat(consent.DelegatedConsentToApply.SelectMany(c => c.Scopes
                    .Where(s => !RecipeEngine.SplitScopes(c.Existing?.Scope).Contains(s, StringComparer.OrdinalIgnoreCase))
                    .Select(s => ((string?)c.ResourceId, s, "Delegated"))))
                .ToList();
            await _engine.ApplyAsync(consent, cancellationToken).ConfigureAwait(false);
            return consent.ConsentPermissions.Select(p => new AdminConsentResult
            {
                ClientId = plan.ClientId,
                AppName = plan.DisplayName,
                Resource = p.Resource.DisplayName ?? p.ResourceAppId,
                Permission = p.Request.Name,
                Type = p.Request.Type.ToString(),
                Status = granted.Any(g => string.Equals(g.Item1, p.Resource.Id, StringComparison.OrdinalIgnoreCase) &&
                    string.Equals(g.Item2, p.Request.Name, StringComparison.OrdinalIgnoreCase) && g.Item3 == p.Request.Type.ToString()) ? "Granted" : "AlreadyGranted",
            }).ToList();
        }

        // ----- Removal -----

        public async Task<AppOperationPlan> PlanRemoveAsync(string clientId, CancellationToken cancellationToken = default)
        {
            try
            {
                var (app, tenant) = await RequireAppAsync(clientId, cancellationToken).ConfigureAwait(false);
                return new AppOperationPlan(app, tenant, new[]
                {
                    new PlannedChange($"application '{app.DisplayName}'", "Remove",
                        $"Remove application '{app.DisplayName}' (client id {app.AppId}) and its service principal, grants and assignments from {tenant.InitialDomain}"),
                });
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Reading the app registration"); }
        }

        public async Task ApplyRemoveAsync(AppOperationPlan plan, CancellationToken cancellationToken = default)
        {
            try
            {
                await _session.Client.Applications[plan.Application.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Removing the app registration"); }
        }
    }
}
