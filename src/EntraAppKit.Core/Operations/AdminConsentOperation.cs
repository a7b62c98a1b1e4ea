using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Consent;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;
using PermissionType = EntraAppKit.Core.Permissions.PermissionType;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Grant-AdminConsent: tenant-wide admin consent for what an existing app requires, through the tenant reader and the
    /// consent reconciler only. It has no way to write the application object (a test checks what this type can reach).
    /// </summary>
    public sealed class AdminConsentOperation
    {
        private readonly TenantReader _reader;
        private readonly ConsentReconciler _consent;
        private readonly GraphSession _session;

        public AdminConsentOperation(GraphSession session, LagRetryPolicy? retry = null)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            retry ??= new LagRetryPolicy();
            _reader = new TenantReader(session, retry);
            _consent = new ConsentReconciler(session, retry);
            _session = session;
        }

        private static EntraAppKitException ApplicationNotFound(string clientId, TenantFacts tenant) =>
            new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound,
                $"No application with client id {clientId} exists in tenant {tenant.InitialDomain}.");

        private async Task<(Application App, TenantFacts Tenant)> RequireAppAsync(string clientId, CancellationToken cancellationToken)
        {
            var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
            return (await _reader.RequireApplicationAsync(clientId, tenant, cancellationToken).ConfigureAwait(false), tenant);
        }

        /// <summary>
        /// Plans tenant-wide admin consent for the permissions the app requires (all, or those named in <paramref name="only"/>):
        /// app role assignments for application permissions, one AllPrincipals grant per API for delegated ones, and the service
        /// principal if it has none. Only the consent reconciler plans: nothing here can write the application object.
        /// </summary>
        public Task<AdminConsentPlan> PlanAsync(string clientId, IReadOnlyCollection<string>? only = null, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Planning admin consent", async () =>
            {
                // The client id is the appId: the app and its service principal are read together, in one $batch with the tenant.
                TenantFacts? tenant = null;
                Application? found = null;
                ServicePrincipal? sp = null;
                await _session.BatchAsync(new Func<Task>[]
                {
                    async () => tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false),
                    async () => found = await _reader.FindApplicationByClientIdAsync(clientId, cancellationToken).ConfigureAwait(false),
                    async () => sp = await _reader.FindServicePrincipalAsync(clientId, cancellationToken).ConfigureAwait(false),
                }).ConfigureAwait(false);
                var app = found ?? throw ApplicationNotFound(clientId, tenant!);
                // Then the APIs the app requires and what its service principal holds, together: the held consent is read for each
                // kind the app requires (what -Permission selects is among them).
                var held = new HeldConsent();
                var access = (app.RequiredResourceAccess ?? new List<RequiredResourceAccess>()).SelectMany(r => r.ResourceAccess ?? new List<ResourceAccess>()).ToList();
                var reads = sp == null ? new List<Func<Task>>() : _consent.ReadHeldOperations(sp.Id!, access.Any(a => a.Type == "Scope"), access.Any(a => a.Type == "Role"), held, cancellationToken).ToList();
                var apis = new ServicePrincipal?[app.RequiredResourceAccess?.Count ?? 0];
                reads.AddRange(ReadApisOperations(app, apis, cancellationToken));
                await _session.BatchAsync(reads).ConfigureAwait(false);
                var (required, resources) = RequiredPermissions(app, apis);
                var selected = only == null || only.Count == 0 ? required : SelectPermissions(app, required, only);
                var consent = await _consent.PlanAsync(app.DisplayName ?? "", tenant!, sp, selected, managesConsent: false, resources, cancellationToken, held: held).ConfigureAwait(false);
                return new AdminConsentPlan(app, consent, await _reader.ReadCallerAsync(cancellationToken).ConfigureAwait(false), tenant!.TenantId);
            });

        /// <summary>What the app requires, as -Permission takes it: a bare name for Microsoft Graph, else "API/Permission" (for tab completion).</summary>
        public Task<IReadOnlyList<string>> RequiredPermissionNamesAsync(string clientId, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading the app's permissions", async () =>
            {
                var (app, _) = await RequireAppAsync(clientId, cancellationToken).ConfigureAwait(false);
                var (required, _) = await RequiredPermissionsAsync(app, cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<string>)required.Select(p => p.ResourceAppId == MicrosoftGraph.AppId ? p.Value : $"{p.Resource.DisplayName}/{p.Value}")
                    .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            });

        private static List<ResolvedPermission> SelectPermissions(Application app, List<ResolvedPermission> required, IReadOnlyCollection<string> only)
        {
            var selected = new List<ResolvedPermission>();
            foreach (var name in only)
            {
                var request = PermissionRequest.Parse(name, PermissionType.Delegated);
                var matches = required.Where(r => (string.Equals(r.Value, request.Name, StringComparison.OrdinalIgnoreCase) || (Guid.TryParse(request.Name, out var id) && r.Id == id)) &&
                    (!name.Contains("/") || string.Equals(r.Request.Resource, request.Resource, StringComparison.OrdinalIgnoreCase))).ToList();
                if (matches.Count == 0)
                    throw new EntraAppKitException(ErrorIds.UnknownPermission, EntraErrorCategory.InvalidArgument,
                        $"'{app.DisplayName}' does not require '{name}', so it cannot be consented. It requires: {string.Join(", ", required.Select(r => r.Value).Distinct())}.");
                selected.AddRange(matches);
            }
            return selected.Distinct().ToList();
        }

        /// <summary>The app's requiredResourceAccess as named permissions, read from each API's service principal.</summary>
        private async Task<(List<ResolvedPermission> Required, IReadOnlyDictionary<string, ServicePrincipal> Resources)> RequiredPermissionsAsync(Application app, CancellationToken cancellationToken)
        {
            var apis = new ServicePrincipal?[app.RequiredResourceAccess?.Count ?? 0];
            await _session.BatchAsync(ReadApisOperations(app, apis, cancellationToken)).ConfigureAwait(false);
            return RequiredPermissions(app, apis);
        }

        /// <summary>The reads of the APIs the app requires, one operation each (to go in one $batch), filling <paramref name="apis"/> in order.</summary>
        private IEnumerable<Func<Task>> ReadApisOperations(Application app, ServicePrincipal?[] apis, CancellationToken cancellationToken) =>
            (app.RequiredResourceAccess ?? new List<RequiredResourceAccess>()).Select((rra, i) => (Func<Task>)(async () =>
                apis[i] = string.Equals(rra.ResourceAppId, Permissions.MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase)
                    ? await _reader.MicrosoftGraphResourceAsync(cancellationToken).ConfigureAwait(false) // the shipped catalog: only its id is read
                    : await _reader.FindResourceByAppIdAsync(rra.ResourceAppId!, cancellationToken).ConfigureAwait(false))).ToList();

        /// <summary>The app's requiredResourceAccess as named permissions of the APIs read (<see cref="ReadApisOperations"/>).</summary>
        private static (List<ResolvedPermission> Required, IReadOnlyDictionary<string, ServicePrincipal> Resources) RequiredPermissions(Application app, ServicePrincipal?[] apis)
        {
            var result = new List<ResolvedPermission>();
            var resources = new Dictionary<string, ServicePrincipal>(StringComparer.OrdinalIgnoreCase);
            var rras = app.RequiredResourceAccess ?? new List<RequiredResourceAccess>();
            for (int i = 0; i < rras.Count; i++)
            {
                var rra = rras[i];
                var sp = apis[i]
                    ?? throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound,
                        $"'{app.DisplayName}' requires permissions of API {rra.ResourceAppId}, which has no service principal in this tenant.");
                resources[sp.AppId!] = sp;
                foreach (var access in rra.ResourceAccess ?? new List<ResourceAccess>())
                {
                    bool delegated = access.Type == "Scope";
                    string? name = delegated
                        ? sp.Oauth2PermissionScopes?.FirstOrDefault(s => s.Id == access.Id)?.Value
                        : sp.AppRoles?.FirstOrDefault(r => r.Id == access.Id)?.Value;
                    if (name == null)
                        throw new EntraAppKitException(ErrorIds.UnknownPermission, EntraErrorCategory.InvalidOperation,
                            $"'{app.DisplayName}' requires {access.Type} {access.Id} of {sp.DisplayName}, which {sp.DisplayName} does not define.");
                    var request = new PermissionRequest(name, delegated ? PermissionType.Delegated : PermissionType.Application, sp.AppId!);
                    result.Add(PermissionResolver.Resolve(request, sp));
                }
            }
            return (result, resources);
        }

        /// <summary>Grants what the plan lists; one row per permission, Granted by this run or AlreadyGranted.</summary>
        public Task<IReadOnlyList<AdminConsentResult>> ApplyAsync(AdminConsentPlan plan, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Granting admin consent", async () =>
            {
                var consent = plan.Consent;
                if (plan.Caller != null) PermissionPreflight.Check(plan.Caller, null, consent);
                var sp = await _consent.EnsureServicePrincipalAsync(consent, plan.ClientId, cancellationToken).ConfigureAwait(false);
                await _consent.ApplyAsync(consent, sp, cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<AdminConsentResult>)consent.Consent.Select(p => new AdminConsentResult
                {
                    ClientId = plan.ClientId,
                    AppName = plan.DisplayName,
                    TenantId = plan.TenantId,
                    Resource = p.Resource.DisplayName ?? p.ResourceAppId,
                    Permission = p.Value,
                    Type = p.Request.Type.ToString(),
                    Status = consent.Grants(p) ? "Granted" : "AlreadyGranted",
                }).ToList();
            });
    }
}
