using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Applications
{
    /// <summary>
    /// Brings an application object to a recipe's desired state: plans the difference (pure), then creates it by its uniqueName
    /// (learn.microsoft.com/graph/api/application-upsert) or patches only what differs, and adds the client secret.
    /// It writes the application object only; service principals and consent are <see cref="Consent.ConsentReconciler"/>'s.
    /// </summary>
    internal sealed class ApplicationReconciler
    {
        private readonly GraphSession _session;
        private readonly LagRetryPolicy _retry;

        public ApplicationReconciler(GraphSession session, LagRetryPolicy retry)
        {
            _session = session;
            _retry = retry;
        }

        public ApplicationPlan Plan(AppRecipe recipe, TenantFacts tenant, Application? existing, IReadOnlyList<ResolvedPermission> permissions,
            IReadOnlyDictionary<string, ServicePrincipal> resources, IReadOnlyList<ResolvedPermission> managed) =>
            new ApplicationPlan(recipe, tenant, existing, permissions, resources, managed);

        /// <summary>
        /// Creates or updates the application as planned and returns it (its id and appId are what later steps need). A created
        /// app's values that embed its new appId are <see cref="SetAppIdValuesAsync"/>'s, which needs nothing else than the app.
        /// </summary>
        public async Task<Application> ApplyAsync(ApplicationPlan plan, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            var app = plan.Existing;
            if (app == null)
            {
                string uniqueName = plan.Recipe.UniqueName;
                Task<Application?> Read() => GraphErrors.NullWhenNotFound(() => client.ApplicationsWithUniqueName(uniqueName).GetAsync(cancellationToken: cancellationToken));
                try
                {
                    app = await _retry.ExecuteAsync("Creating the application", async () =>
                            (await client.ApplicationsWithUniqueName(uniqueName).PatchAsync(plan.DesiredApplication(),
                                c => c.Headers.Add("Prefer", "create-if-missing"), cancellationToken).ConfigureAwait(false))!,
                            cancellationToken).ConfigureAwait(false)
                        // 204 instead of 201: another run created it in the meantime; read it.
                        ?? await Read().ConfigureAwait(false);
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    // Another run created it after this run's read, and the upsert became an update of that app, which Graph may
                    // refuse (the create body gives its scopes and roles new ids). That app is this recipe's: converge it below.
                    app = await Read().ConfigureAwait(false);
                    if (app == null) throw;
                }
                if (app == null) throw new EntraAppKitException(ErrorIds.GraphRequestFailed, EntraErrorCategory.InvalidOperation, "Graph created the application but did not return it.");
                _session.NoteCreated(app.AppId!);
            }
            else if (plan.Updates)
            {
                string id = app.Id!;
                async Task<Application> Read() => await client.Applications[id].GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
                    ?? throw new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound, $"'{plan.Recipe.DisplayName}' was removed while it was updated.");
                // The plan's read may be minutes old (a -Confirm prompt), and collections are replaced whole: write the recipe on top of
                // the app as it is now, and verify that no concurrent writer undid it (ConvergingWrite).
                app = await ConvergingWrite.RunAsync(await Read().ConfigureAwait(false),
                    a => a.UniqueName != null && plan.ComputePatch(a, a.AppId, describe: false) == null,
                    a => _retry.ExecuteAsync<object>("Updating the application", async () =>
                    {
                        // A fresh body per attempt, as above.
                        var patch = plan.ComputePatch(a, a.AppId, describe: false) ?? new Application();
                        if (a.UniqueName == null) patch.UniqueName = plan.Recipe.UniqueName;
                        await client.Applications[id].PatchAsync(patch, cancellationToken: cancellationToken).ConfigureAwait(false);
                        return id;
                    }, cancellationToken),
                    Read,
                    a => $"Another writer kept changing '{plan.Recipe.DisplayName}': after {ConvergingWrite.MaxWrites} writes it still differs from the {plan.Recipe.RecipeName} recipe. " +
                        "Run the command again when the other change is done.",
                    cancellationToken).ConfigureAwait(false);
            }
            return app;
        }

        /// <summary>Whether a created app still needs <see cref="SetAppIdValuesAsync"/>.</summary>
        public bool NeedsAppIdValues(ApplicationPlan plan, Application app) =>
            plan.Existing == null && plan.ComputePatch(app, app.AppId, describe: false) != null;

        /// <summary>
        /// Values that embed the new appId (api://{appId}, the broker redirect URI) need a second call after the create; so does the
        /// rest of the recipe when a concurrent run's app was found instead.
        /// </summary>
        public Task SetAppIdValuesAsync(ApplicationPlan plan, Application created, CancellationToken cancellationToken)
        {
            string id = created.Id!;
            return _retry.ExecuteAsync<object>("Setting the values that need the appId", async () =>
            {
                // A fresh body per attempt: the SDK's backing store sends only "changed" values, so a model serialized
                // once goes out empty when a retry serializes it again.
                await _session.Client.Applications[id].PatchAsync(plan.ComputePatch(created, created.AppId, describe: false)!, cancellationToken: cancellationToken).ConfigureAwait(false);
                return id;
            }, cancellationToken);
        }

        /// <summary>
        /// Adds the planned client secret; Graph returns its value only in this answer (learn.microsoft.com/graph/api/application-addpassword).
        /// If the answer is lost (a failure or Ctrl+C after the request left), a secret nobody holds may exist: it is looked up by its
        /// display name, which is unique on the app, and removed again, and the error says whether that worked.
        /// </summary>
        public async Task<(SecureString? Secret, DateTimeOffset? Expires)> AddSecretAsync(ApplicationPlan plan, Application app, CancellationToken cancellationToken)
        {
            if (!plan.AddsSecret) return (null, LatestExpiry(app));
            var end = DateTimeOffset.UtcNow.AddMonths(plan.Recipe.Secret!.LifetimeMonths);
            var (credential, text) = await new ClientSecretWriter(_session, _retry).AddAsync(app.Id!, app.DisplayName ?? "", plan.SecretDisplayName!, end, cancellationToken).ConfigureAwait(false);
            return (text, credential.EndDateTime);
        }

        private static DateTimeOffset? LatestExpiry(Application? app) =>
            app?.PasswordCredentials?.Where(p => p.EndDateTime.HasValue).Select(p => p.EndDateTime!.Value).DefaultIfEmpty().Max() is DateTimeOffset d && d != default ? d : (DateTimeOffset?)null;
    }
}
