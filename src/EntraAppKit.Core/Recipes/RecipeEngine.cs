using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Applications;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Consent;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Tenants;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// The one engine behind every recipe: reads the tenant (<see cref="TenantReader"/>), plans the application
    /// (<see cref="ApplicationReconciler"/>) and its consent (<see cref="ConsentReconciler"/>) against the recipe's desired
    /// state, and applies the plan. Idempotent: the application is keyed by its uniqueName, and a re-run with the same input writes nothing.
    /// </summary>
    public sealed class RecipeEngine
    {
        private readonly TenantReader _reader;
        private readonly ApplicationReconciler _applications;
        private readonly ConsentReconciler _consent;
        private readonly Connections.CloudEnvironment _cloud;
        private readonly GraphSession _session;
        private readonly Operations.AppCertificateOperation _certificates;

        public RecipeEngine(GraphSession session, LagRetryPolicy? retry = null)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            retry ??= new LagRetryPolicy();
            _reader = new TenantReader(session, retry);
            _applications = new ApplicationReconciler(session, retry);
            _consent = new ConsentReconciler(session, retry);
            _cloud = session.Cloud;
            _session = session;
            _certificates = new Operations.AppCertificateOperation(session);
        }

        /// <summary>Reads the tenant and lists every change the recipe needs. Makes no writes; fails before any write on bad input.</summary>
        public Task<RecipePlan> PlanAsync(AppRecipe recipe, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Planning " + recipe.RecipeName, () => PlanCoreAsync(recipe, cancellationToken));

        private async Task<RecipePlan> PlanCoreAsync(AppRecipe recipe, CancellationToken cancellationToken)
        {
            var tenant = await _reader.ReadKnownTenantAsync(cancellationToken).ConfigureAwait(false);
            // A domain verified since the connection read the tenant: look again before refusing it.
            if (recipe.RequiredVerifiedDomains.Any(d => !tenant.VerifiedDomains.Contains(d, StringComparer.OrdinalIgnoreCase)))
                tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
            // Before anything is read further or written: every value, including those only a follow-up PATCH writes.
            ApplicationRules.Check(recipe, tenant);
            foreach (var domain in recipe.RequiredVerifiedDomains)
                if (!tenant.VerifiedDomains.Contains(domain, StringComparer.OrdinalIgnoreCase))
                    throw EntraAppKitException.InvalidInput(
                        $"'{domain}' is not a verified domain of tenant {tenant.InitialDomain}; Graph only accepts https Application ID URIs on verified domains. Verified domains: {string.Join(", ", tenant.VerifiedDomains)}.");

            // An API this session made is taken as its run returned it: reading it would wait out its replication lag.
            var known = recipe.KnownResources.Where(k => _session.Created(k.Key)).ToDictionary(k => k.Key, k => k.Value, StringComparer.OrdinalIgnoreCase);
            var keys = recipe.Permissions.Concat(recipe.Consent).Concat(recipe.ManagedPermissions).Select(p => p.Resource)
                .Where(key => !known.ContainsKey(key)).ToList();
            // Independent reads, one $batch: the app by its key, an app of the same name made elsewhere (for the warning; a re-run
            // uses it not), the APIs, and Microsoft Graph's object id when consent may be given or compared.
            Microsoft.Graph.Models.Application? app = null;
            IReadOnlyList<Microsoft.Graph.Models.Application> sameName = new List<Microsoft.Graph.Models.Application>();
            IReadOnlyDictionary<string, Microsoft.Graph.Models.ServicePrincipal> read = new Dictionary<string, Microsoft.Graph.Models.ServicePrincipal>();
            var reads = new List<Func<Task>>
            {
                async () => app = recipe.AdoptClientId != null
                    ? await _reader.RequireApplicationAsync(recipe.AdoptClientId, tenant, cancellationToken).ConfigureAwait(false)
                    : await FindOwnAppAsync(recipe, cancellationToken).ConfigureAwait(false),
                async () => read = await _reader.ReadResourcesAsync(keys, cancellationToken).ConfigureAwait(false),
            };
            if (recipe.AdoptClientId == null)
                reads.Add(async () => sameName = await _reader.FindApplicationsByDisplayNameAsync(recipe.DisplayName, cancellationToken).ConfigureAwait(false));
            if ((recipe.Consent.Count > 0 || recipe.ManagesConsent) && _session.MicrosoftGraphServicePrincipalId == null &&
                recipe.Consent.Concat(recipe.ManagedPermissions).Concat(recipe.Permissions).Any(p => string.Equals(p.Resource, MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase)))
                reads.Add(() => _reader.MicrosoftGraphServicePrincipalIdAsync(cancellationToken));
            await _session.BatchAsync(reads).ConfigureAwait(false);
            if (app != null) sameName = new List<Microsoft.Graph.Models.Application>();
            var resources = read.Concat(known).ToDictionary(k => k.Key, k => k.Value, StringComparer.OrdinalIgnoreCase);
            // Microsoft Graph's catalog entry carries the object id when the batch read it beside.
            foreach (var graph in resources.Values.Where(r => r.Id == null && string.Equals(r.AppId, MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase)))
                graph.Id = _session.MicrosoftGraphServicePrincipalId;
            var permissions = recipe.Permissions.Select(p => PermissionResolver.Resolve(p, resources[p.Resource])).ToList();
            var consent = recipe.Consent.Select(p => PermissionResolver.Resolve(p, resources[p.Resource])).ToList();
            var managed = recipe.ManagedPermissions.Select(p => PermissionResolver.Resolve(p, resources[p.Resource])).Concat(permissions).ToList();

            var sp = app == null ? null : await _reader.FindServicePrincipalAsync(app.AppId!, cancellationToken).ConfigureAwait(false);

            var applicationPlan = _applications.Plan(recipe, tenant, app, permissions, resources, managed);
            if (recipe.Certificate != null)
            {
                _certificates.CheckUsable(recipe.Certificate);
                // The certificate goes in by a PATCH sending every key back: refuse now, before any write, if one cannot be.
                if (app != null && applicationPlan.CertificateChange != null && (app.KeyCredentials?.Count ?? 0) > 0)
                    Operations.AppCertificateOperation.RequireKeyMaterial(await _certificates.ReadKeysAsync(app.Id!, app.DisplayName ?? recipe.DisplayName, cancellationToken).ConfigureAwait(false),
                        app.DisplayName ?? recipe.DisplayName, "adding the certificate would remove them", "to New-EntraAppCertificate, which adds it by addKey");
            }
            var consentPlan = await _consent.PlanAsync(recipe.DisplayName, tenant, sp, consent, recipe.ManagesConsent, resources, cancellationToken,
                managed: recipe.Exclusive ? null : managed).ConfigureAwait(false);
            var caller = await _reader.ReadCallerAsync(cancellationToken).ConfigureAwait(false);
            var warnings = new List<string>(recipe.Warnings);
            // An app made in the portal has no uniqueName: the recipe would make a second one beside it.
            if (sameName.Count > 0)
                warnings.Add($"'{recipe.DisplayName}' already exists in this tenant ({string.Join(", ", sameName.Select(a => "client id " + a.AppId))}), made outside this recipe: " +
                    $"this run creates another app of that name. To bring the existing one up to the recipe instead, run again with -ClientId {sameName[0].AppId}.");
            if (recipe.AdoptClientId != null && app != null && !AppOwnership.Records(recipe, app))
                warnings.Add($"'{app.DisplayName}' was made by another recipe ({AppOwnership.RecipeOf(app) ?? app.UniqueName}): -ClientId applies the {recipe.RecipeName} recipe to it this time, " +
                    "and it stays that recipe's app (found by its key).");
            if (tenant.InitialDomain.Length == 0)
                warnings.Add("The connection may not read the organization (an app needs Organization.Read.All or Directory.Read.All for GET /organization), so the tenant's domain names are unknown.");
            return new RecipePlan(recipe, tenant, applicationPlan, consentPlan, caller, warnings);
        }

        /// <summary>
        /// The app this recipe and name made: by its key, refused when that app is another recipe's or another name's
        /// (<see cref="AppOwnership"/>); for a name an earlier release keyed differently, by that key when the app there was made from this name.
        /// </summary>
        private async Task<Microsoft.Graph.Models.Application?> FindOwnAppAsync(AppRecipe recipe, CancellationToken cancellationToken)
        {
            var app = await _reader.FindApplicationByUniqueNameAsync(recipe.UniqueName, cancellationToken).ConfigureAwait(false);
            if (app == null && recipe.LegacyUniqueName != null)
            {
                var legacy = await _reader.FindApplicationByUniqueNameAsync(recipe.LegacyUniqueName, cancellationToken).ConfigureAwait(false);
                // Every such name shared that key: it is this name's app only if it was made from this name.
                if (legacy != null && string.Equals(AppOwnership.MadeFrom(legacy), recipe.DisplayName, StringComparison.Ordinal) &&
                    (AppOwnership.RecipeOf(legacy) ?? recipe.RecipeKey) == recipe.RecipeKey) app = legacy;
            }
            if (app != null) AppOwnership.Check(recipe, app);
            return app;
        }

        /// <summary>
        /// Applies a plan made by <see cref="PlanAsync"/>: only the listed changes are written, the client secret last.
        /// <paramref name="progress"/> hears each step as it starts.
        /// </summary>
        public Task<AppRegistrationResult> ApplyAsync(RecipePlan plan, CancellationToken cancellationToken = default, Action<string>? progress = null) =>
            GraphErrors.Guard("Applying " + plan.Recipe.RecipeName, () => ApplyCoreAsync(plan, progress ?? (_ => { }), cancellationToken));

        private async Task<AppRegistrationResult> ApplyCoreAsync(RecipePlan plan, Action<string> progress, CancellationToken cancellationToken)
        {
            if (plan.Caller != null) PermissionPreflight.Check(plan.Caller, plan);
            string name = plan.Recipe.DisplayName;
            if (plan.Application.Creates) progress($"Creating the application '{name}'");
            else if (plan.Application.Updates) progress($"Updating the application '{name}'");
            var app = await _applications.ApplyAsync(plan.Application, cancellationToken).ConfigureAwait(false);
            // What follows the application's write needs only the app (the appId values, the service principal) or also the service
            // principal (consent): at most two $batch round trips, the secret in the last with dependsOn on the rest, so it is
            // made only when everything before it succeeded.
            var sp = plan.Consent.ExistingServicePrincipal;
            var first = new List<Func<Task>>();
            if (_applications.NeedsAppIdValues(plan.Application, app)) first.Add(() => _applications.SetAppIdValuesAsync(plan.Application, app, cancellationToken));
            if (sp == null)
            {
                if (plan.Consent.ServicePrincipalChange != null) progress($"Creating the service principal of '{name}'");
                first.Add(async () => sp = await _consent.EnsureServicePrincipalAsync(plan.Consent, app.AppId!, cancellationToken).ConfigureAwait(false));
            }
            System.Security.SecureString? secret = null;
            DateTimeOffset? secretExpires = null;
            Func<Task> addSecret = async () => (secret, secretExpires) = await _applications.AddSecretAsync(plan.Application, app, cancellationToken).ConfigureAwait(false);
            // A certificate goes between consent and the secret, on its own.
            bool secretWithConsent = plan.Application.CertificateChange == null && plan.Application.AddsSecret;
            bool consentAfter = sp == null && plan.Consent.ConsentChanges.Count > 0;
            if (plan.Consent.ConsentChanges.Count > 0) progress($"Granting admin consent to '{name}'");
            if (secretWithConsent) progress($"Adding the client secret '{plan.Application.SecretDisplayName}'");
            if (sp != null) first.AddRange(_consent.ApplyOperations(plan.Consent, sp, cancellationToken));
            await _session.BatchAsync(first, secretWithConsent && !consentAfter ? addSecret : null).ConfigureAwait(false);
            if (consentAfter)
                await _session.BatchAsync(_consent.ApplyOperations(plan.Consent, sp!, cancellationToken), secretWithConsent ? addSecret : null).ConfigureAwait(false);
            if (plan.Application.CertificateChange != null)
            {
                progress($"Adding the certificate {plan.Recipe.Certificate!.Thumbprint}");
                await _certificates.AddByPatchAsync(app.Id!, name, plan.Recipe.Certificate, cancellationToken).ConfigureAwait(false);
            }
            // Last: nothing after it can fail and leave a secret nobody holds.
            if (!secretWithConsent)
            {
                if (plan.Application.AddsSecret) progress($"Adding the client secret '{plan.Application.SecretDisplayName}'");
                await addSecret().ConfigureAwait(false);
            }

            var recipe = plan.Recipe;
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
                IdentifierUris = recipe.IdentifierUris.Select(u => plan.Application.Resolve(u, app.AppId)).ToList(),
                ScopeIds = (app.Api?.Oauth2PermissionScopes ?? new List<Microsoft.Graph.Models.PermissionScope>()).Where(s => s.Value != null && s.Id != null)
                    .GroupBy(s => s.Value!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id!.Value, StringComparer.Ordinal),
                WebRedirectUris = (app.Web?.RedirectUris ?? new List<string>()).ToList(),
                Cloud = _cloud,
                ClientSecret = secret,
                SecretExpires = secretExpires,
                CertificateThumbprint = recipe.Certificate?.Thumbprint,
                CertificateExpires = recipe.Certificate == null ? (DateTimeOffset?)null : new DateTimeOffset(recipe.Certificate.NotAfter.ToUniversalTime()),
                Changes = plan.Changes.Select(c => c.Description).ToList(),
                Warnings = plan.Warnings,
            };
        }
    }
}
