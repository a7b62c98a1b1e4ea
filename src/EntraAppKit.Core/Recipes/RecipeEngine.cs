using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Permissions;
using Microsoft.Graph.Applications.Item.AddPassword;
using Microsoft.Graph.Models;
using PermissionType = EntraAppKit.Core.Recipes.PermissionType;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// The one engine behind every recipe: reads the tenant, plans the difference from the recipe's desired state,
    /// and applies it. Idempotent: the application is keyed by its uniqueName, and a re-run with the same input writes nothing.
    /// </summary>
    public sealed class RecipeEngine
    {
        private readonly GraphSession _session;

        public RecipeEngine(GraphSession session, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            Retry = retry ?? new LagRetryPolicy();
        }

        public LagRetryPolicy Retry { get; }

        /// <summary>Reads the tenant and lists every change the recipe needs. Makes no writes; fails before any write on bad input.</summary>
        public async Task<RecipePlan> PlanAsync(AppRecipe recipe, CancellationToken cancellationToken = default)
        {
            try
            {
                return await PlanCoreAsync(recipe, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw GraphErrors.Wrap(e, "Planning " + recipe.RecipeName);
            }
        }

        private async Task<RecipePlan> PlanCoreAsync(AppRecipe recipe, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            var tenant = await GetTenantAsync(cancellationToken).ConfigureAwait(false);
            foreach (var domain in recipe.RequiredVerifiedDomains)
                if (!tenant.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase))
                    throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument,
                        $"'{domain}' is not a verified domain of tenant {tenant.InitialDomain}; Graph only accepts https Application ID URIs on verified domains. Verified domains: {string.Join(", ", tenant.VerifiedDomains)}.");

            var resources = new Dictionary<string, ServicePrincipal>(StringComparer.OrdinalIgnoreCase);
            foreach (var key in recipe.Permissions.Concat(recipe.Consent).Select(p => p.Resource).Distinct(StringComparer.OrdinalIgnoreCase))
                resources[key] = await GetResourceAsync(key, cancellationToken).ConfigureAwait(false);
            var resolved = recipe.Permissions.Select(p => PermissionResolver.Resolve(p, resources[p.Resource])).ToList();
            var consent = recipe.Consent.Select(p => PermissionResolver.Resolve(p, resources[p.Resource])).ToList();

            Application? app;
            if (recipe.AdoptClientId != null)
            {
                app = await GraphErrors.NullWhenNotFound(() => client.ApplicationsWithAppId(recipe.AdoptClientId).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false)
                    ?? throw new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound,
                        $"No application with client id {recipe.AdoptClientId} exists in tenant {tenant.InitialDomain}.");
            }
            else app = await GraphErrors.NullWhenNotFound(() => client.ApplicationsWithUniqueName(recipe.UniqueName).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            ServicePrincipal? sp = null;
            if (app != null)
                sp = await GraphErrors.NullWhenNotFound(() => client.ServicePrincipalsWithAppId(app.AppId).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);

            var plan = new RecipePlan(recipe, tenant, app, sp, resources, resolved, consent)
            {
                Caller = await _session.GetCallerClaimsAsync(cancellationToken).ConfigureAwait(false),
            };
            if (tenant.InitialDomain.Length == 0)
                plan.AddWarning("The connection may not read the organization (an app needs Organization.Read.All or Directory.Read.All for GET /organization), so the tenant's domain names are unknown.");
            if (sp != null && (consent.Count > 0 || recipe.ManagesConsent))
            {
                if (recipe.ManagesConsent || consent.Any(p => p.Request.Type == PermissionType.Delegated))
                    plan.ExistingGrants = (await client.Oauth2PermissionGrants.GetAsync(c =>
                        c.QueryParameters.Filter = $"clientId eq '{sp.Id}' and consentType eq 'AllPrincipals'", cancellationToken).ConfigureAwait(false))?.Value ?? new List<OAuth2PermissionGrant>();
                if (recipe.ManagesConsent || consent.Any(p => p.Request.Type == PermissionType.Application))
                    plan.ExistingAssignments = (await client.ServicePrincipals[sp.Id].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false))?.Value ?? new List<AppRoleAssignment>();
            }
            plan.Build();
            return plan;
        }

        /// <summary>Applies a plan made by <see cref="PlanAsync"/>. Only the listed changes are written.</summary>
        public async Task<AppRegistrationResult> ApplyAsync(RecipePlan plan, CancellationToken cancellationToken = default)
        {
            try
            {
                return await ApplyCoreAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw GraphErrors.Wrap(e, "Applying " + plan.Recipe.RecipeName);
            }
        }

        private async Task<AppRegistrationResult> ApplyCoreAsync(RecipePlan plan, CancellationToken cancellationToken)
        {
            if (plan.Caller != null) Authentication.PermissionPreflight.Check(plan.Caller, plan);
            var client = _session.Client;
            var recipe = plan.Recipe;
            var app = plan.ExistingApp;
            var sp = plan.ExistingServicePrincipal;
            var warnings = new List<string>(recipe.Warnings.Concat(plan.Warnings));
            SecureString? secret = null;
            DateTimeOffset? secretExpires = LatestExpiry(app);

            if (app == null)
            {
                app = await Write("Creating the application", () => client.ApplicationsWithUniqueName(recipe.UniqueName).PatchAsync(plan.DesiredApplication(),
                    c => c.Headers.Add("Prefer", "create-if-missing"), cancellationToken)).ConfigureAwait(false)
                    ?? await client.ApplicationsWithUniqueName(recipe.UniqueName).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
                    ?? throw new EntraAppKitException(ErrorIds.GraphRequestFailed, EntraErrorCategory.InvalidOperation, "Graph created the application but did not return it.");
                // Values that embed the new appId (api://{appId}, the broker redirect URI) need a second call (§0.5).
                var created = app;
                if (plan.ComputePatch(created, created.AppId, describe: false) != null)
                {
                    string id = app.Id!;
                    await Retry.ExecuteAsync<object>("Setting the values that need the appId", async () =>
                    {
                        // A fresh body per attempt (see RecipePlan.ApplicationPatch).
                        await client.Applications[id].PatchAsync(plan.ComputePatch(created, created.AppId, describe: false)!, cancellationToken: cancellationToken).ConfigureAwait(false);
                        return id;
                    }, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (plan.UpdatesApplication)
            {
                var id = app.Id!;
                await Retry.ExecuteAsync<object>("Updating the application", async () =>
                {
                    await client.Applications[id].PatchAsync(plan.ApplicationPatch(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    return id;
                }, cancellationToken).ConfigureAwait(false);
            }

            if (sp == null)
            {
                string appId = app.AppId!;
                sp = await Retry.ExecuteAsync("Creating the service principal",
                    () => client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = appId }, cancellationToken: cancellationToken)!,
                    cancellationToken,
                    () => GraphErrors.NullWhenNotFound(() => client.ServicePrincipalsWithAppId(appId).GetAsync(cancellationToken: cancellationToken))).ConfigureAwait(false);
            }

            if (plan.AddsSecret)
            {
                string id = app.Id!;
                var end = DateTimeOffset.UtcNow.AddMonths(recipe.Secret!.LifetimeMonths);
                var credential = await Retry.ExecuteAsync("Adding the client secret", () => client.Applications[id].AddPassword.PostAsync(new AddPasswordPostRequestBody
                {
                    PasswordCredential = new PasswordCredential { DisplayName = recipe.Secret.DisplayName, EndDateTime = end },
                }, cancellationToken: cancellationToken)!, cancellationToken).ConfigureAwait(false);
                secret = Vendors.SecretText.ToSecureString(credential.SecretText);
                credential.SecretText = null;
                secretExpires = credential.EndDateTime;
            }

            await GrantConsentAsync(plan, sp!, cancellationToken).ConfigureAwait(false);

            return new AppRegistrationResult
            {
                DisplayName = recipe.DisplayName,
                ClientId = app.AppId!,
                ObjectId = app.Id!,
                ServicePrincipalId = sp!.Id,
                TenantId = plan.Tenant.TenantId,
                TenantName = plan.Tenant.InitialDomain,
                UniqueName = plan.UniqueName,
                SignInAudience = recipe.SignInAudience,
                ClientSecret = secret,
                SecretExpires = secretExpires,
                Changes = plan.Changes.Select(c => c.Description).ToList(),
                Warnings = warnings,
            };
        }

        /// <summary>Plans and applies in one call (no -WhatIf).</summary>
        public async Task<AppRegistrationResult> RunAsync(AppRecipe recipe, CancellationToken cancellationToken = default) =>
            await ApplyAsync(await PlanAsync(recipe, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        private async Task GrantConsentAsync(RecipePlan plan, ServicePrincipal sp, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            string spId = sp.Id!;
            foreach (var change in plan.DelegatedConsentToApply)
            {
                string resourceId = change.ResourceId;
                string scope = string.Join(" ", change.Scopes);
                if (change.Existing != null)
                {
                    if (change.Scopes.Count == 0) await client.Oauth2PermissionGrants[change.Existing.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    else await client.Oauth2PermissionGrants[change.Existing.Id].PatchAsync(new OAuth2PermissionGrant { Scope = scope }, cancellationToken: cancellationToken).ConfigureAwait(false);
                    continue;
                }
                await Retry.ExecuteAsync($"Granting {change.ResourceName} {scope}",
                    () => client.Oauth2PermissionGrants.PostAsync(new OAuth2PermissionGrant
                    {
                        ClientId = spId, ConsentType = "AllPrincipals", ResourceId = resourceId, Scope = scope,
                    }, cancellationToken: cancellationToken)!,
                    cancellationToken,
                    async () => (await client.Oauth2PermissionGrants.GetAsync(c => c.QueryParameters.Filter =
                        $"clientId eq '{spId}' and consentType eq 'AllPrincipals' and resourceId eq '{resourceId}'", cancellationToken).ConfigureAwait(false))?.Value?.FirstOrDefault())
                    .ConfigureAwait(false);
            }
            foreach (var assignment in plan.AssignmentsToRevoke)
                await client.ServicePrincipals[spId].AppRoleAssignments[assignment.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var role in plan.AppRolesToAssign)
            {
                string resourceId = role.Resource.Id!;
                await Retry.ExecuteAsync($"Granting {role.Resource.DisplayName} {role.Request.Name}",
                    () => client.ServicePrincipals[resourceId].AppRoleAssignedTo.PostAsync(new AppRoleAssignment
                    {
                        PrincipalId = Guid.Parse(spId), ResourceId = Guid.Parse(resourceId), AppRoleId = role.Id,
                    }, cancellationToken: cancellationToken)!,
                    cancellationToken,
                    async () => (await client.ServicePrincipals[spId].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false))?.Value?
                        .FirstOrDefault(a => a.AppRoleId == role.Id && string.Equals(a.ResourceId?.ToString(), resourceId, StringComparison.OrdinalIgnoreCase)))
                    .ConfigureAwait(false);
            }
        }

        internal static IEnumerable<string> SplitScopes(string? scope) =>
            (scope ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);

        private Task<T> Write<T>(string action, Func<Task<T?>> operation) where T : class =>
            Retry.ExecuteAsync(action, async () => (await operation().ConfigureAwait(false))!, CancellationToken.None);

        /// <summary>
        /// GET /organization → tenant id, name and verified domains (§0.1). An app that holds only Application.ReadWrite.OwnedBy
        /// may not read the organization; then the tenant id comes from its token and the domains stay unknown.
        /// </summary>
        public async Task<TenantFacts> GetTenantAsync(CancellationToken cancellationToken = default)
        {
            Microsoft.Graph.Models.OrganizationCollectionResponse? orgs;
            try
            {
                orgs = await _session.Client.Organization.GetAsync(c => c.QueryParameters.Select = new[] { "id", "displayName", "verifiedDomains" }, cancellationToken).ConfigureAwait(false);
            }
            catch (Microsoft.Graph.Models.ODataErrors.ODataError e) when (e.ResponseStatusCode == 403)
            {
                var claims = await _session.GetCallerClaimsAsync(cancellationToken).ConfigureAwait(false);
                if (claims?.TenantId == null) throw GraphErrors.Wrap(e, "Reading the tenant");
                return new TenantFacts(claims.TenantId, "", "", "", new List<string>());
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Reading the tenant"); }
            var org = orgs?.Value?.FirstOrDefault() ?? throw new EntraAppKitException(ErrorIds.GraphRequestFailed, EntraErrorCategory.ObjectNotFound, "Graph returned no organization.");
            var domains = org.VerifiedDomains ?? new List<VerifiedDomain>();
            string initial = domains.FirstOrDefault(d => d.IsInitial == true)?.Name ?? "";
            string @default = domains.FirstOrDefault(d => d.IsDefault == true)?.Name ?? initial;
            return new TenantFacts(org.Id!, org.DisplayName ?? "", initial, @default, domains.Select(d => d.Name!).ToList());
        }

        private static readonly string[] ResourceProperties = { "id", "appId", "displayName", "appRoles", "oauth2PermissionScopes" };

        /// <summary>A resource service principal by appId, or by display name (which must be unique in the tenant).</summary>
        private async Task<ServicePrincipal> GetResourceAsync(string key, CancellationToken cancellationToken)
        {
            if (Guid.TryParse(key, out _)) return await GetResourceByAppIdAsync(key, cancellationToken).ConfigureAwait(false);
            string escaped = key.Replace("'", "''");
            var matches = (await _session.Client.ServicePrincipals.GetAsync(c =>
            {
                c.QueryParameters.Filter = $"displayName eq '{escaped}'";
                c.QueryParameters.Select = ResourceProperties;
            }, cancellationToken).ConfigureAwait(false))?.Value ?? new List<ServicePrincipal>();
            if (matches.Count == 1) return matches[0];
            throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound, matches.Count == 0
                ? $"No service principal named '{key}' exists in the tenant. Name the API by its appId, or as it appears under Enterprise applications."
                : $"{matches.Count} service principals are named '{key}'. Name the API by its appId instead: {string.Join(", ", matches.Select(m => m.AppId))}.");
        }

        private async Task<ServicePrincipal> GetResourceByAppIdAsync(string appId, CancellationToken cancellationToken)
        {
            Task<ServicePrincipal?> Get() => GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipalsWithAppId(appId).GetAsync(c =>
                c.QueryParameters.Select = ResourceProperties, cancellationToken));
            var sp = await Get().ConfigureAwait(false);
            // An API registered moments ago (the CMG server app piped into the client recipe) may not have replicated yet (§7).
            var delay = Retry.InitialDelay;
            var started = DateTimeOffset.UtcNow;
            while (sp == null && !string.Equals(appId, MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase) && DateTimeOffset.UtcNow - started + delay <= Retry.ResourceBudget)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Retry.MaxDelay.Ticks));
                sp = await Get().ConfigureAwait(false);
            }
            return sp ?? throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound,
                $"No service principal with appId '{appId}' exists in the tenant, so its permissions cannot be requested or granted.");
        }

        private static DateTimeOffset? LatestExpiry(Application? app) =>
            app?.PasswordCredentials?.Where(p => p.EndDateTime.HasValue).Select(p => p.EndDateTime!.Value).DefaultIfEmpty().Max() is DateTimeOffset d && d != default ? d : (DateTimeOffset?)null;
    }
}
