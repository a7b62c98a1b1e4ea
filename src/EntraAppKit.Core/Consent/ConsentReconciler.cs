using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;
using PermissionType = EntraAppKit.Core.Permissions.PermissionType;

namespace EntraAppKit.Core.Consent
{
    /// <summary>
    /// Brings an app's tenant-wide admin consent to the wanted state: makes sure its service principal exists (consent is
    /// recorded on it; Graph does not create it with the application, learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals),
    /// assigns application permissions and grants delegated ones, and revokes what the caller no longer wants when it owns the
    /// app's consent. It never writes an application object.
    /// </summary>
    internal sealed class ConsentReconciler
    {
        private readonly GraphSession _session;
        private readonly LagRetryPolicy _retry;

        public ConsentReconciler(GraphSession session, LagRetryPolicy retry)
        {
            _session = session;
            _retry = retry;
        }

        /// <summary>
        /// Reads what <paramref name="servicePrincipal"/> holds (nothing when it does not exist yet) and plans the difference. With
        /// <paramref name="managesConsent"/>, consent outside <paramref name="consent"/> is revoked: only among <paramref name="managed"/>
        /// when given (an administrator's other grants stay), all of it when null.
        /// </summary>
        public async Task<ConsentPlan> PlanAsync(string appName, TenantFacts tenant, ServicePrincipal? servicePrincipal, IReadOnlyList<ResolvedPermission> consent,
            bool managesConsent, IReadOnlyDictionary<string, ServicePrincipal> resources, CancellationToken cancellationToken, IReadOnlyList<ResolvedPermission>? managed = null,
            HeldConsent? held = null)
        {
            held ??= new HeldConsent();
            if (servicePrincipal != null && (consent.Count > 0 || managesConsent))
                // What was not read already (beside other reads), in one $batch.
                await _session.BatchAsync(ReadHeldOperations(servicePrincipal.Id!,
                    held.Grants == null && (managesConsent || consent.Any(p => p.Request.Type == PermissionType.Delegated)),
                    held.Assignments == null && (managesConsent || consent.Any(p => p.Request.Type == PermissionType.Application)), held, cancellationToken)).ConfigureAwait(false);
            var grants = held.Grants ?? new List<OAuth2PermissionGrant>();
            var assignments = held.Assignments ?? new List<AppRoleAssignment>();
            // Grants and assignments name an API by its object id, which Microsoft Graph's permissions from the shipped catalog lack:
            // read it only when there is consent to give or to compare.
            if (consent.Count > 0 || grants.Count > 0 || assignments.Count > 0)
                foreach (var graph in resources.Values.Where(r => r.Id == null && string.Equals(r.AppId, MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase)))
                    graph.Id = await new TenantReader(_session, _retry).MicrosoftGraphServicePrincipalIdAsync(cancellationToken).ConfigureAwait(false);
            return new ConsentPlan(appName, tenant, servicePrincipal, consent, managesConsent, resources, grants, assignments, managed);
        }

        /// <summary>The reads of what the service principal <paramref name="spId"/> holds, filling <paramref name="held"/>.</summary>
        public IReadOnlyList<Func<Task>> ReadHeldOperations(string spId, bool grants, bool assignments, HeldConsent held, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            var reads = new List<Func<Task>>();
            if (grants)
                reads.Add(async () => held.Grants = (await client.Oauth2PermissionGrants.GetAsync(c =>
                    c.QueryParameters.Filter = $"clientId eq '{spId}' and consentType eq 'AllPrincipals'", cancellationToken).ConfigureAwait(false))?.Value ?? new List<OAuth2PermissionGrant>());
            if (assignments)
                reads.Add(async () => held.Assignments = (await client.ServicePrincipals[spId].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false))?.Value
                    ?? new List<AppRoleAssignment>());
            return reads;
        }

        /// <summary>The app's service principal: the existing one, or created now (a new application may not have replicated yet).</summary>
        public async Task<ServicePrincipal> EnsureServicePrincipalAsync(ConsentPlan plan, string appId, CancellationToken cancellationToken)
        {
            if (plan.ExistingServicePrincipal != null) return plan.ExistingServicePrincipal;
            var client = _session.Client;
            Task<ServicePrincipal?> Read() => GraphErrors.NullWhenNotFound(() => client.ServicePrincipalsWithAppId(appId).GetAsync(cancellationToken: cancellationToken));
            try
            {
                return await _retry.ExecuteAsync("Creating the service principal",
                    async () => (await client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = appId }, cancellationToken: cancellationToken).ConfigureAwait(false))!,
                    cancellationToken, Read).ConfigureAwait(false);
            }
            catch (Exception e) when (GraphErrors.IsAlreadyExists(e))
            {
                // A concurrent run of the same recipe created it after this run's read: that one is this app's service principal.
                return await _retry.WaitForAsync(Read, cancellationToken).ConfigureAwait(false)
                    ?? throw GraphErrors.Wrap(e, "Creating the service principal");
            }
        }

        /// <summary>
        /// Brings an existing grant to <see cref="DelegatedGrantChange.Scopes"/>: PATCH its scope
        /// (learn.microsoft.com/graph/api/oauth2permissiongrant-update), or DELETE it when no scope is left
        /// (learn.microsoft.com/graph/api/oauth2permissiongrant-delete). With <paramref name="goneIsDone"/> (a revocation), a grant
        /// someone else deleted meanwhile (404) holds nothing more to revoke.
        /// </summary>
        private async Task ChangeExistingGrantAsync(DelegatedGrantChange change, bool goneIsDone, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            try
            {
                if (change.Scopes.Count == 0) await client.Oauth2PermissionGrants[change.Existing!.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                else await client.Oauth2PermissionGrants[change.Existing!.Id].PatchAsync(new OAuth2PermissionGrant { Scope = string.Join(" ", change.Scopes) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (goneIsDone && GraphErrors.IsNotFound(e)) { }
        }

        /// <summary>
        /// Makes a planned revocation (Revoke-EntraAppConsent): each grant loses the revoked scopes (deleted when none is left), each
        /// revoked application permission's assignment is deleted from its resource
        /// (learn.microsoft.com/graph/api/serviceprincipal-delete-approleassignedto). What is already gone is already revoked.
        /// </summary>
        public async Task ApplyRevocationAsync(ConsentRevocation plan, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            foreach (var change in plan.GrantChanges)
                await ChangeExistingGrantAsync(change, goneIsDone: true, cancellationToken).ConfigureAwait(false);
            foreach (var assignment in plan.AssignmentsToDelete)
            {
                try
                {
                    await client.ServicePrincipals[assignment.ResourceId.ToString()].AppRoleAssignedTo[assignment.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (GraphErrors.IsNotFound(e)) { }
            }
        }

        /// <summary>Makes the planned grants and revocations on <paramref name="servicePrincipal"/>, together (one $batch).</summary>
        public Task ApplyAsync(ConsentPlan plan, ServicePrincipal servicePrincipal, CancellationToken cancellationToken) =>
            _session.BatchAsync(ApplyOperations(plan, servicePrincipal, cancellationToken));

        /// <summary>
        /// The planned grants and revocations on <paramref name="servicePrincipal"/>, one operation each: they touch different
        /// grants and assignments (one AllPrincipals grant per API), so none waits for another.
        /// </summary>
        public IReadOnlyList<Func<Task>> ApplyOperations(ConsentPlan plan, ServicePrincipal servicePrincipal, CancellationToken cancellationToken)
        {
            var operations = new List<Func<Task>>();
            foreach (var change in plan.DelegatedConsentToApply)
                operations.Add(() => change.Existing != null
                    ? ChangeExistingGrantAsync(change, goneIsDone: false, cancellationToken)
                    : GrantAsync(plan, change, servicePrincipal.Id!, cancellationToken));
            foreach (var assignment in plan.AssignmentsToRevoke)
                operations.Add(() => _session.Client.ServicePrincipals[servicePrincipal.Id!].AppRoleAssignments[assignment.Id].DeleteAsync(cancellationToken: cancellationToken));
            foreach (var role in plan.AppRolesToAssign)
                operations.Add(() => AssignAsync(role, servicePrincipal.Id!, cancellationToken));
            return operations;
        }

        private async Task GrantAsync(ConsentPlan plan, DelegatedGrantChange change, string spId, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            string resourceId = change.ResourceId;
            string scope = string.Join(" ", change.Scopes);
            async Task<OAuth2PermissionGrant?> ReadGrant() => (await client.Oauth2PermissionGrants.GetAsync(c => c.QueryParameters.Filter =
                $"clientId eq '{spId}' and consentType eq 'AllPrincipals' and resourceId eq '{resourceId}'", cancellationToken).ConfigureAwait(false))?.Value?.FirstOrDefault();
            try
            {
                // A grant right after the service principal's creation can answer 404 and still apply: look before posting again.
                await _retry.ExecuteAsync($"Granting {change.ResourceName} {scope}",
                    async () => (await client.Oauth2PermissionGrants.PostAsync(new OAuth2PermissionGrant
                    {
                        ClientId = spId, ConsentType = "AllPrincipals", ResourceId = resourceId, Scope = scope,
                    }, cancellationToken: cancellationToken).ConfigureAwait(false))!,
                    cancellationToken, ReadGrant).ConfigureAwait(false);
            }
            catch (Exception e) when (GraphErrors.IsAlreadyExists(e))
            {
                // A concurrent run made the API's one AllPrincipals grant first: bring that grant to the wanted scopes instead.
                var theirs = await ReadGrant().ConfigureAwait(false) ?? throw GraphErrors.Wrap(e, $"Granting {change.ResourceName} {scope}");
                var current = ConsentPlan.SplitScopes(theirs.Scope).ToList();
                var wanted = plan.ManagesConsent ? change.Scopes : current.Concat(change.Scopes).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (!new HashSet<string>(current, StringComparer.OrdinalIgnoreCase).SetEquals(wanted))
                    await client.Oauth2PermissionGrants[theirs.Id].PatchAsync(new OAuth2PermissionGrant { Scope = string.Join(" ", wanted) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task AssignAsync(ResolvedPermission role, string spId, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            string resourceId = role.Resource.Id!;
            async Task<AppRoleAssignment?> ReadAssignment() => (await client.ServicePrincipals[spId].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false))?.Value?
                .FirstOrDefault(a => a.AppRoleId == role.Id && string.Equals(a.ResourceId?.ToString(), resourceId, StringComparison.OrdinalIgnoreCase));
            try
            {
                await _retry.ExecuteAsync($"Granting {role.Resource.DisplayName} {role.Value}",
                    async () => (await client.ServicePrincipals[resourceId].AppRoleAssignedTo.PostAsync(new AppRoleAssignment
                    {
                        PrincipalId = Guid.Parse(spId), ResourceId = Guid.Parse(resourceId), AppRoleId = role.Id,
                    }, cancellationToken: cancellationToken).ConfigureAwait(false))!,
                    cancellationToken, ReadAssignment).ConfigureAwait(false);
            }
            catch (Exception e) when (GraphErrors.IsAlreadyExists(e))
            {
                // A concurrent run assigned it first: the wanted state holds. Anything else that answered the same way is a real failure.
                if (await ReadAssignment().ConfigureAwait(false) == null) throw GraphErrors.Wrap(e, $"Granting {role.Resource.DisplayName} {role.Value}");
            }
        }
    }
}
