using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Service principals (enterprise applications) of the connected tenant: find, provision (for an app of this tenant or
    /// another tenant's multi-tenant app), update and remove (learn.microsoft.com/graph/api/resources/serviceprincipal,
    /// serviceprincipal-post-serviceprincipals, serviceprincipal-update, serviceprincipal-delete). Writes are planned first.
    /// </summary>
    public sealed class ServicePrincipalOperations
    {
        private readonly GraphSession _session;
        private readonly LagRetryPolicy _retry;
        private readonly TenantReader _reader;
        private readonly ServicePrincipalLookup _lookup;

        public ServicePrincipalOperations(GraphSession session, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _retry = retry ?? new LagRetryPolicy();
            _reader = new TenantReader(session, _retry);
            _lookup = new ServicePrincipalLookup(session);
        }

        // ----- Find -----

        /// <summary>
        /// Service principals by client id, object id, or display name (wildcards * and ?; all when none is given), narrowed to
        /// the apps of this tenant or of other tenants by <paramref name="owner"/>. Round trips: GET /organization, the service
        /// principals (one GET, or one per page), and, when any belongs to an app of this tenant, which of them have an app
        /// registration (one GET for up to 15, else one per page).
        /// </summary>
        public Task<IReadOnlyList<EntraServicePrincipal>> FindAsync(string? clientId = null, string? objectId = null, string? displayName = null,
            ServicePrincipalOwner owner = ServicePrincipalOwner.Any, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading service principals", async () =>
            {
                if (objectId != null && !Guid.TryParse(objectId, out _))
                    throw EntraAppKitException.InvalidInput($"'{objectId}' is not an object id: a GUID such as 00000000-0000-0000-0000-000000000000.");
                var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                List<ServicePrincipal> found;
                if (objectId != null) found = Single(await _lookup.ByObjectIdAsync(objectId, cancellationToken).ConfigureAwait(false));
                else if (clientId != null) found = Single(await _lookup.ByAppIdAsync(clientId, cancellationToken).ConfigureAwait(false));
                else found = await ListAsync(displayName, owner, tenant, cancellationToken).ConfigureAwait(false);
                found = found.Where(sp => owner == ServicePrincipalOwner.Any || (owner == ServicePrincipalOwner.Home) == ServicePrincipalMapping.IsHome(sp, tenant)).ToList();
                return (IReadOnlyList<EntraServicePrincipal>)await ShapeAsync(found, tenant, cancellationToken).ConfigureAwait(false);
            });

        private static List<ServicePrincipal> Single(ServicePrincipal? sp) => sp == null ? new List<ServicePrincipal>() : new List<ServicePrincipal> { sp };

        /// <summary>Lists, narrowed by Graph where the pattern allows (eq, or startswith for one trailing *) and to this tenant's apps for Home.</summary>
        private async Task<List<ServicePrincipal>> ListAsync(string? pattern, ServicePrincipalOwner owner, TenantFacts tenant, CancellationToken cancellationToken)
        {
            var filters = new List<string>();
            if (pattern != null && pattern.IndexOfAny(new[] { '*', '?' }) < 0) filters.Add($"displayName eq '{pattern.Replace("'", "''")}'");
            else if (pattern != null && pattern.EndsWith("*", StringComparison.Ordinal) && pattern.TrimEnd('*').Length > 0 && pattern.TrimEnd('*').IndexOfAny(new[] { '*', '?' }) < 0)
                filters.Add($"startswith(displayName,'{pattern.TrimEnd('*').Replace("'", "''")}')");
            // appOwnerOrganizationId takes eq in a plain query; ne needs Graph's advanced queries, so Foreign is matched here.
            if (owner == ServicePrincipalOwner.Home && Guid.TryParse(tenant.TenantId, out var id)) filters.Add($"appOwnerOrganizationId eq {id}");
            var list = await _lookup.ListAsync(filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken).ConfigureAwait(false);
            if (pattern == null) return list;
            var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            return list.Where(sp => regex.IsMatch(sp.DisplayName ?? "")).OrderBy(sp => sp.DisplayName, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>The output objects, with HasAppRegistration read for the ones whose app is of this tenant (a foreign app's registration is elsewhere).</summary>
        private async Task<List<EntraServicePrincipal>> ShapeAsync(IReadOnlyList<ServicePrincipal> sps, TenantFacts tenant, CancellationToken cancellationToken, string[]? changes = null)
        {
            var home = sps.Where(sp => ServicePrincipalMapping.IsHome(sp, tenant)).Select(sp => sp.AppId ?? "").ToList();
            var registered = await _lookup.RegisteredAmongAsync(home, cancellationToken).ConfigureAwait(false);
            return sps.Select(sp => ServicePrincipalMapping.ToModel(sp, tenant, registered.Contains(sp.AppId ?? ""), changes)).ToList();
        }

        /// <summary>Service principals for tab completion, at most <paramref name="max"/>: by display name prefix, or by client id prefix.</summary>
        public Task<IReadOnlyList<(string ClientId, string DisplayName)>> SuggestAsync(string word, int max, bool byName = false, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Listing service principals", async () =>
            {
                bool byClientId = !byName && (word.Length == 0 || word.All(c => Uri.IsHexDigit(c) || c == '-'));
                var page = await _session.Client.ServicePrincipals.GetAsync(c =>
                {
                    c.QueryParameters.Select = new[] { "appId", "displayName" };
                    c.QueryParameters.Top = 999;
                    if (!byClientId && word.Length > 0) c.QueryParameters.Filter = $"startswith(displayName,'{word.Replace("'", "''")}')";
                }, cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<(string, string)>)(page?.Value ?? new List<ServicePrincipal>())
                    .Where(sp => !byClientId || (sp.AppId ?? "").StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(sp => sp.DisplayName, StringComparer.OrdinalIgnoreCase).Take(max)
                    .Select(sp => (sp.AppId ?? "", sp.DisplayName ?? "")).ToList();
            });

        private async Task<(ServicePrincipal Sp, TenantFacts Tenant)> RequireAsync(string clientId, CancellationToken cancellationToken)
        {
            var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
            var sp = await _lookup.ByAppIdAsync(clientId, cancellationToken).ConfigureAwait(false)
                ?? throw new EntraAppKitException(ErrorIds.ServicePrincipalNotFound, EntraErrorCategory.ObjectNotFound,
                    $"No service principal (enterprise application) with client id {clientId} exists in tenant {ServicePrincipalMapping.TenantLabel(tenant)}.");
            return (sp, tenant);
        }

        // ----- Provision (POST /servicePrincipals) -----

        /// <summary>
        /// Plans the service principal of <paramref name="clientId"/> in the connected tenant: no change when it exists (a re-run),
        /// else one Create. Reads GET /organization and GET /servicePrincipals(appId='…').
        /// </summary>
        public Task<ServicePrincipalPlan> PlanNewAsync(string clientId, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading the service principal", async () =>
            {
                var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                var existing = await _lookup.ByAppIdAsync(clientId, cancellationToken).ConfigureAwait(false);
                var changes = existing != null ? Array.Empty<PlannedChange>() : new[]
                {
                    new PlannedChange($"service principal {clientId}", "Create",
                        $"Create the service principal (enterprise application) of client id {clientId} in {ServicePrincipalMapping.TenantLabel(tenant)}"),
                };
                return new ServicePrincipalPlan(clientId, tenant, existing, changes);
            });

        /// <summary>
        /// POST /servicePrincipals {appId} (learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals) unless the plan
        /// found one. Graph's 400 NoBackingApplicationObject is NoBackingApplication, except for an app this session created
        /// moments ago, which may not have replicated yet (retried); a 409 (a concurrent create) returns the service principal made.
        /// </summary>
        public async Task<EntraServicePrincipal> ApplyNewAsync(ServicePrincipalPlan plan, CancellationToken cancellationToken = default)
        {
            if (plan.Existing != null)
                return (await GraphErrors.Guard("Reading the service principal", () => ShapeAsync(new[] { plan.Existing }, plan.Tenant, cancellationToken)).ConfigureAwait(false))[0];
            var client = _session.Client;
            string clientId = plan.ClientId;
            Task<ServicePrincipal?> Read() => _lookup.ByAppIdAsync(clientId, cancellationToken);
            Task<ServicePrincipal> Create() => client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = clientId }, cancellationToken: cancellationToken)!;
            ServicePrincipal created;
            try
            {
                created = _session.Created(clientId)
                    ? await _retry.ExecuteAsync("Creating the service principal", async () => (await Create().ConfigureAwait(false))!, cancellationToken, Read).ConfigureAwait(false)
                    : (await Create().ConfigureAwait(false))!;
            }
            catch (Exception e) when (GraphErrors.IsAlreadyExists(e))
            {
                created = await Read().ConfigureAwait(false) ?? throw GraphErrors.Wrap(e, "Creating the service principal");
            }
            catch (ODataError e) when (IsNoBackingApplication(e))
            {
                throw new EntraAppKitException(ErrorIds.NoBackingApplication, EntraErrorCategory.ObjectNotFound,
                    $"No application with client id {clientId} backs a service principal in {ServicePrincipalMapping.TenantLabel(plan.Tenant)}: none is registered here, " +
                    "and no other tenant has a multi-tenant application with it. A single-tenant app of another tenant cannot be provisioned here; its owner " +
                    $"must make it multi-tenant (AzureADMultipleOrgs) first. Graph answered 400 NoBackingApplicationObject: {e.Error?.Message}", e,
                    e.ResponseHeaders != null && e.ResponseHeaders.TryGetValue("request-id", out var ids) ? ids.FirstOrDefault() : null);
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Creating the service principal"); }
            // Graph creates a service principal only for an existing application, so one of this tenant's own has its registration here.
            return ServicePrincipalMapping.ToModel(created, plan.Tenant, ServicePrincipalMapping.IsHome(created, plan.Tenant),
                plan.Changes.Select(c => c.Description).ToArray());
        }

        private static bool IsNoBackingApplication(ODataError e) =>
            e.ResponseStatusCode == 400 && (e.Error?.Details?.Any(d => d.Code == "NoBackingApplicationObject") == true
                || (e.Error?.Message ?? "").Contains("does not reference a valid application object"));

        // ----- Update (PATCH /servicePrincipals/{id}) -----

        /// <summary>
        /// Plans the properties given that differ from the service principal's: one change each, so -WhatIf lists them. Reads GET
        /// /organization and the service principal.
        /// </summary>
        public Task<ServicePrincipalPlan> PlanSetAsync(string clientId, bool? accountEnabled = null, bool? appRoleAssignmentRequired = null, bool? hideFromMyApps = null,
            CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading the service principal", async () =>
            {
                var (sp, tenant) = await RequireAsync(clientId, cancellationToken).ConfigureAwait(false);
                string name = $"'{sp.DisplayName}' ({clientId})";
                string target = $"service principal '{sp.DisplayName}'";
                var changes = new List<PlannedChange>();
                bool? enable = null, require = null, hide = null;
                if (accountEnabled is bool e && e != (sp.AccountEnabled ?? true))
                {
                    enable = e;
                    changes.Add(new PlannedChange(target, e ? "Enable" : "Disable",
                        e ? $"Enable sign-in to {name} in {ServicePrincipalMapping.TenantLabel(tenant)} (accountEnabled true)"
                          : $"Disable sign-in to {name} in {ServicePrincipalMapping.TenantLabel(tenant)} (accountEnabled false)"));
                }
                if (appRoleAssignmentRequired is bool r && r != (sp.AppRoleAssignmentRequired ?? false))
                {
                    require = r;
                    changes.Add(new PlannedChange(target, r ? "Require assignment" : "Stop requiring assignment",
                        r ? $"Require user assignment for {name}: only assigned users and groups sign in (appRoleAssignmentRequired true)"
                          : $"Stop requiring user assignment for {name}: every user may sign in (appRoleAssignmentRequired false)"));
                }
                if (hideFromMyApps is bool h && h != ServicePrincipalMapping.HasTag(sp, ServicePrincipalMapping.HideAppTag))
                {
                    hide = h;
                    changes.Add(new PlannedChange(target, h ? "Hide" : "Show",
                        h ? $"Hide {name} from users' My Apps (add the tag {ServicePrincipalMapping.HideAppTag})"
                          : $"Show {name} in users' My Apps (remove the tag {ServicePrincipalMapping.HideAppTag})"));
                }
                return new ServicePrincipalPlan(clientId, tenant, sp, changes) { AccountEnabled = enable, AppRoleAssignmentRequired = require, HideFromMyApps = hide };
            });

        /// <summary>
        /// One PATCH of what the plan changes (learn.microsoft.com/graph/api/serviceprincipal-update). tags is a collection Graph
        /// replaces whole, so a tag change reads the tags again just before writing and verifies after (<see cref="ConvergingWrite"/>),
        /// keeping tags another writer added since the plan.
        /// </summary>
        public async Task<EntraServicePrincipal> ApplySetAsync(ServicePrincipalPlan plan, CancellationToken cancellationToken = default)
        {
            var sp = plan.Existing ?? throw new InvalidOperationException("A Set plan always has the service principal.");
            string[] changes = plan.Changes.Select(c => c.Description).ToArray();
            return await GraphErrors.Guard("Updating the service principal", async () =>
            {
                string id = sp.Id!;
                ServicePrincipal Body(ServicePrincipal current)
                {
                    // Only what changes: the SDK sends a property set to null as null, which Graph refuses for appRoleAssignmentRequired.
                    var body = new ServicePrincipal();
                    if (plan.AccountEnabled is bool enable) body.AccountEnabled = enable;
                    if (plan.AppRoleAssignmentRequired is bool require) body.AppRoleAssignmentRequired = require;
                    if (plan.HideFromMyApps is bool hide)
                    {
                        var tags = (current.Tags ?? new List<string>()).Where(t => !string.Equals(t, ServicePrincipalMapping.HideAppTag, StringComparison.OrdinalIgnoreCase)).ToList();
                        if (hide) tags.Add(ServicePrincipalMapping.HideAppTag);
                        body.Tags = tags;
                    }
                    return body;
                }
                ServicePrincipal result;
                if (plan.Changes.Count == 0) result = sp;
                else if (plan.HideFromMyApps == null)
                {
                    await _session.Client.ServicePrincipals[id].PatchAsync(Body(sp), cancellationToken: cancellationToken).ConfigureAwait(false);
                    result = sp;
                    if (plan.AccountEnabled is bool e) result.AccountEnabled = e;
                    if (plan.AppRoleAssignmentRequired is bool r) result.AppRoleAssignmentRequired = r;
                }
                else
                {
                    async Task<ServicePrincipal> ReadAgain() => await _lookup.ByObjectIdAsync(id, cancellationToken).ConfigureAwait(false)
                        ?? throw new EntraAppKitException(ErrorIds.ServicePrincipalNotFound, EntraErrorCategory.ObjectNotFound, $"'{plan.DisplayName}' was removed while it was updated.");
                    bool Done(ServicePrincipal current) =>
                        (plan.AccountEnabled == null || current.AccountEnabled == plan.AccountEnabled)
                        && (plan.AppRoleAssignmentRequired == null || current.AppRoleAssignmentRequired == plan.AppRoleAssignmentRequired)
                        && ServicePrincipalMapping.HasTag(current, ServicePrincipalMapping.HideAppTag) == plan.HideFromMyApps;
                    result = await ConvergingWrite.RunAsync(await ReadAgain().ConfigureAwait(false), Done,
                        current => _session.Client.ServicePrincipals[id].PatchAsync(Body(current), cancellationToken: cancellationToken),
                        ReadAgain,
                        _ => $"Another writer kept replacing the tags of '{plan.DisplayName}': after {ConvergingWrite.MaxWrites} writes the tag {ServicePrincipalMapping.HideAppTag} did not stay as asked. Run the command again when the other change is done.",
                        cancellationToken).ConfigureAwait(false);
                }
                return (await ShapeAsync(new[] { result }, plan.Tenant, cancellationToken, changes).ConfigureAwait(false))[0];
            }).ConfigureAwait(false);
        }

        // ----- Removal (DELETE /servicePrincipals/{id}) -----

        /// <summary>Plans removing the service principal of <paramref name="clientId"/>; the application, here or in its home tenant, stays.</summary>
        public Task<ServicePrincipalPlan> PlanRemoveAsync(string clientId, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading the service principal", async () =>
            {
                var (sp, tenant) = await RequireAsync(clientId, cancellationToken).ConfigureAwait(false);
                string stays = ServicePrincipalMapping.IsHome(sp, tenant)
                    ? "its app registration, if any, stays (Remove-EntraAppRegistration removes it)"
                    : $"the app registration stays in its home tenant {sp.AppOwnerOrganizationId}";
                return new ServicePrincipalPlan(clientId, tenant, sp, new[]
                {
                    new PlannedChange($"service principal '{sp.DisplayName}'", "Remove",
                        $"Remove the service principal (enterprise application) '{sp.DisplayName}' (client id {clientId}) and the consent granted to it from " +
                        $"{ServicePrincipalMapping.TenantLabel(tenant)}; {stays}"),
                });
            });

        /// <summary>DELETE /servicePrincipals/{id} (learn.microsoft.com/graph/api/serviceprincipal-delete).</summary>
        public Task ApplyRemoveAsync(ServicePrincipalPlan plan, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard<object?>("Removing the service principal", async () =>
            {
                await _session.Client.ServicePrincipals[plan.Existing!.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return null;
            });
    }
}
