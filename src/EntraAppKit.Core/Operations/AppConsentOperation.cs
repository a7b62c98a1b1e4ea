using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Consent;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Get-EntraAppConsent and Revoke-EntraAppConsent: the consent an app (or the tenant) holds, read by the consent reader, and
    /// its revocation planned and made by the consent reconciler, the same one Grant-AdminConsent grants through. It never writes
    /// an application object.
    /// </summary>
    public sealed class AppConsentOperation
    {
        private readonly GraphSession _session;
        private readonly TenantReader _reader;
        private readonly ConsentReconciler _consent;
        private readonly TenantFacts? _tenant;

        /// <param name="session">The connection's Graph session.</param>
        /// <param name="tenant">The connected tenant as read at sign-in; read again (GET /organization) when null.</param>
        /// <param name="retry">Replication lag policy.</param>
        public AppConsentOperation(GraphSession session, TenantFacts? tenant = null, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            retry ??= new LagRetryPolicy();
            _reader = new TenantReader(session, retry);
            _consent = new ConsentReconciler(session, retry);
            _tenant = tenant;
        }

        private async Task<TenantFacts> TenantAsync(CancellationToken cancellationToken) =>
            _tenant ?? await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);

        /// <summary>One row per permission held: the app's with <paramref name="clientId"/>, or every app's when null.</summary>
        public Task<IReadOnlyList<EntraAppConsent>> ListAsync(string? clientId, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading consent", async () =>
            {
                var tenant = await TenantAsync(cancellationToken).ConfigureAwait(false);
                var reader = new ConsentReader(_session, _reader);
                var entries = clientId == null
                    ? await reader.ReadTenantAsync(tenant, cancellationToken).ConfigureAwait(false)
                    : (await reader.ReadAppAsync(tenant, clientId, cancellationToken).ConfigureAwait(false)).Entries;
                return (IReadOnlyList<EntraAppConsent>)entries.Select(e => e.Row).ToList();
            });

        /// <summary>
        /// Plans revoking <paramref name="permissions"/> of <paramref name="resource"/> (display name or appId) from the app: the
        /// delegated scopes (from every grant that holds them, or those of <paramref name="consentType"/> / one user) and the
        /// application permissions, narrowed to <paramref name="kind"/> when given. What the app does not hold is no change; a name
        /// the resource does not define at all is UnknownPermission, before any write.
        /// </summary>
        public Task<ConsentRevocationPlan> PlanRevokeAsync(string clientId, IReadOnlyCollection<string> permissions, string? resource = null, string? kind = null,
            string? consentType = null, Guid? principalId = null, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Planning the revocation", async () =>
            {
                if (permissions == null || permissions.Count == 0) throw new ArgumentException("No permission to revoke.", nameof(permissions));
                resource ??= "Microsoft Graph";
                var tenant = await TenantAsync(cancellationToken).ConfigureAwait(false);
                var (client, entries) = await new ConsentReader(_session, _reader).ReadAppAsync(tenant, clientId, cancellationToken).ConfigureAwait(false);
                var selected = ConsentRevocation.Select(entries, permissions, resource, kind, consentType, principalId);
                string clientName = client?.DisplayName ?? clientId;
                string? unchanged = null;
                var missing = permissions.Where(p => !selected.Any(e => string.Equals(e.Row.Permission, p, StringComparison.OrdinalIgnoreCase)))
                    .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (missing.Count > 0)
                {
                    // Not held: already revoked (a re-run), or a typo. Only a name the API does not define is an error.
                    await CheckDefinedAsync(entries, resource, missing, cancellationToken).ConfigureAwait(false);
                    unchanged = $"'{clientName}' holds no {(kind == null ? "" : kind.ToLowerInvariant() + " ")}{string.Join(", ", missing)} of {ResourceName(entries, resource)}" +
                        $"{(consentType == null ? "" : $" ({consentType})")}{(principalId == null ? "" : $" for user {principalId}")}: nothing to revoke.";
                }
                return new ConsentRevocationPlan(clientId, new ConsentRevocation(clientName, selected), unchanged);
            });

        /// <summary>Revokes what the plan lists; returns the rows revoked (none when there was nothing to revoke).</summary>
        public Task<IReadOnlyList<EntraAppConsent>> ApplyRevokeAsync(ConsentRevocationPlan plan, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Revoking consent", async () =>
            {
                await _consent.ApplyRevocationAsync(plan.Revocation, cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<EntraAppConsent>)plan.Revocation.Revoked.Select(e => e.Row).ToList();
            });

        private static string ResourceName(IReadOnlyList<ConsentEntry> entries, string resource) =>
            entries.FirstOrDefault(e => string.Equals(e.Row.ResourceAppId, resource, StringComparison.OrdinalIgnoreCase))?.Row.Resource ?? resource;

        /// <summary>
        /// Fails with UnknownPermission (and the closest names) for a name <paramref name="resource"/> defines neither as a scope nor
        /// as an app role, so a typo is not mistaken for "already revoked". Reads the resource only when the app holds none of it.
        /// </summary>
        private async Task CheckDefinedAsync(IReadOnlyList<ConsentEntry> entries, string resource, IReadOnlyList<string> names, CancellationToken cancellationToken)
        {
            var sp = await _reader.ReadResourceAsync(
                entries.FirstOrDefault(e => string.Equals(e.Row.Resource, resource, StringComparison.OrdinalIgnoreCase))?.Row.ResourceAppId is { Length: > 0 } appId ? appId : resource,
                cancellationToken).ConfigureAwait(false);
            var defined = (sp.Oauth2PermissionScopes ?? new List<PermissionScope>()).Select(s => s.Value)
                .Concat((sp.AppRoles ?? new List<AppRole>()).Select(r => r.Value)).Where(v => v != null).Select(v => v!).ToList();
            foreach (var name in names)
            {
                if (defined.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
                var suggestions = PermissionResolver.Closest(name, defined.Distinct(StringComparer.OrdinalIgnoreCase), 3);
                throw new EntraAppKitException(ErrorIds.UnknownPermission, EntraErrorCategory.InvalidArgument,
                    $"{sp.DisplayName} has no permission '{name}', so no app can hold it." +
                    (suggestions.Count > 0 ? " Did you mean: " + string.Join(", ", suggestions) + "?" : ""));
            }
        }
    }
}
