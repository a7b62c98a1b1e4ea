using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;
using PermissionType = EntraAppKit.Core.Permissions.PermissionType;

namespace EntraAppKit.Core.Consent
{
    /// <summary>
    /// The difference between the tenant-wide admin consent an app should hold and what its service principal holds:
    /// the service principal to create (consent is recorded on it), app role assignments for application permissions
    /// and one AllPrincipals grant per API for delegated ones, and, when the caller owns the app's consent, what to revoke.
    /// Pure: <see cref="ConsentReconciler"/> builds it from what it read and applies it.
    /// </summary>
    internal sealed class ConsentPlan : IChangePlan
    {
        private readonly List<PlannedChange> _consentChanges = new List<PlannedChange>();
        private readonly IReadOnlyDictionary<string, ServicePrincipal> _resources;

        /// <summary>What a managing caller may revoke; null: anything outside <see cref="Consent"/>.</summary>
        private readonly IReadOnlyList<ResolvedPermission>? _managed;

        /// <summary>Whether a managing caller may revoke this delegated scope of this API.</summary>
        private bool MayRevokeScope(string resourceId, string scope) => _managed == null ||
            _managed.Any(p => p.Request.Type == PermissionType.Delegated && string.Equals(p.Resource.Id, resourceId, StringComparison.OrdinalIgnoreCase) &&
                string.Equals(p.Value, scope, StringComparison.OrdinalIgnoreCase));

        /// <summary>Whether a managing caller may revoke this app role assignment.</summary>
        private bool MayRevoke(AppRoleAssignment a) => _managed == null ||
            _managed.Any(p => p.Request.Type == PermissionType.Application && p.Id == a.AppRoleId && string.Equals(p.Resource.Id, a.ResourceId?.ToString(), StringComparison.OrdinalIgnoreCase));

        public ConsentPlan(string appName, TenantFacts tenant, ServicePrincipal? existing, IReadOnlyList<ResolvedPermission> consent, bool managesConsent,
            IReadOnlyDictionary<string, ServicePrincipal> resources, IReadOnlyList<OAuth2PermissionGrant> existingGrants, IReadOnlyList<AppRoleAssignment> existingAssignments,
            IReadOnlyList<ResolvedPermission>? managed = null)
        {
            AppName = appName; Tenant = tenant; ExistingServicePrincipal = existing; Consent = consent; ManagesConsent = managesConsent; _managed = managed;
            _resources = resources; ExistingGrants = existingGrants; ExistingAssignments = existingAssignments;
            if (existing == null)
                ServicePrincipalChange = new PlannedChange(Target, "Create", $"Create the service principal of '{appName}' in tenant {tenant.InitialDomain}");
            PlanDelegatedConsent();
            PlanApplicationConsent();
        }

        public string AppName { get; }
        public TenantFacts Tenant { get; }
        public ServicePrincipal? ExistingServicePrincipal { get; }

        /// <summary>The permissions to hold tenant-wide admin consent for.</summary>
        public IReadOnlyList<ResolvedPermission> Consent { get; }

        /// <summary>The caller owns the app's consent: grants and assignments outside <see cref="Consent"/> are revoked.</summary>
        public bool ManagesConsent { get; }

        public IReadOnlyList<OAuth2PermissionGrant> ExistingGrants { get; }
        public IReadOnlyList<AppRoleAssignment> ExistingAssignments { get; }

        /// <summary>Creating the service principal, or null when it exists.</summary>
        public PlannedChange? ServicePrincipalChange { get; }

        /// <summary>The grants and revocations, after the service principal exists.</summary>
        public IReadOnlyList<PlannedChange> ConsentChanges => _consentChanges;

        public IReadOnlyList<PlannedChange> Changes =>
            (ServicePrincipalChange == null ? Enumerable.Empty<PlannedChange>() : new[] { ServicePrincipalChange }).Concat(_consentChanges).ToList();

        public List<DelegatedGrantChange> DelegatedConsentToApply { get; } = new List<DelegatedGrantChange>();
        public List<ResolvedPermission> AppRolesToAssign { get; } = new List<ResolvedPermission>();
        public List<AppRoleAssignment> AssignmentsToRevoke { get; } = new List<AppRoleAssignment>();

        private string Target => $"service principal of '{AppName}'";

        /// <summary>Whether this plan grants <paramref name="permission"/> (it was not consented before).</summary>
        public bool Grants(ResolvedPermission permission) =>
            permission.Request.Type == PermissionType.Application
                ? AppRolesToAssign.Any(r => string.Equals(r.Resource.Id, permission.Resource.Id, StringComparison.OrdinalIgnoreCase) &&
                    string.Equals(r.Value, permission.Value, StringComparison.OrdinalIgnoreCase))
                : DelegatedConsentToApply.Any(c => string.Equals(c.ResourceId, permission.Resource.Id, StringComparison.OrdinalIgnoreCase) &&
                    c.Scopes.Contains(permission.Value, StringComparer.OrdinalIgnoreCase) &&
                    !SplitScopes(c.Existing?.Scope).Contains(permission.Value, StringComparer.OrdinalIgnoreCase));

        internal static IEnumerable<string> SplitScopes(string? scope) =>
            (scope ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>
        /// One AllPrincipals grant per API (learn.microsoft.com/graph/api/oauth2permissiongrant-post); with
        /// <see cref="ManagesConsent"/> its scopes become exactly the wanted ones, otherwise wanted scopes are merged in.
        /// </summary>
        private void PlanDelegatedConsent()
        {
            var wanted = Consent.Where(p => p.Request.Type == PermissionType.Delegated)
                .GroupBy(p => p.Resource.Id!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => (Resource: g.First().Resource, Scopes: g.Select(p => p.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList()), StringComparer.OrdinalIgnoreCase);
            var resourceIds = wanted.Keys.Concat(ManagesConsent ? ExistingGrants.Select(g => g.ResourceId!) : Enumerable.Empty<string>())
                .Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var resourceId in resourceIds)
            {
                var existing = ExistingGrants.FirstOrDefault(g => string.Equals(g.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase));
                var current = SplitScopes(existing?.Scope).ToList();
                var desired = wanted.TryGetValue(resourceId, out var w) ? w.Scopes : new List<string>();
                // Managing: exactly the wanted scopes, plus any the caller may not revoke (an administrator's); else merge.
                var target = ManagesConsent
                    ? desired.Concat(current.Where(c => !MayRevokeScope(resourceId, c))).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
                    : current.Concat(desired).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                var added = target.Where(t => !current.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
                var removed = current.Where(c => !target.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
                if (added.Count == 0 && removed.Count == 0) continue;
                string resourceName = w.Resource?.DisplayName ?? ResourceName(resourceId);
                DelegatedConsentToApply.Add(new DelegatedGrantChange(resourceId, resourceName, existing, target));
                foreach (var name in added) Add("Grant admin consent", $"Grant admin consent for {resourceName} {name} (Delegated)");
                foreach (var name in removed) Add("Revoke admin consent", $"Revoke admin consent for {resourceName} {name} (Delegated)");
            }
        }

        /// <summary>One app role assignment per application permission (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto).</summary>
        private void PlanApplicationConsent()
        {
            foreach (var role in Consent.Where(p => p.Request.Type == PermissionType.Application))
            {
                bool assigned = ExistingAssignments.Any(a => a.AppRoleId == role.Id && string.Equals(a.ResourceId?.ToString(), role.Resource.Id, StringComparison.OrdinalIgnoreCase));
                if (assigned) continue;
                AppRolesToAssign.Add(role);
                Add("Grant admin consent", $"Grant admin consent for {role.Resource.DisplayName} {role.Value} (Application)");
            }
            if (!ManagesConsent) return;
            foreach (var a in ExistingAssignments)
            {
                bool wanted = Consent.Any(p => p.Request.Type == PermissionType.Application && p.Id == a.AppRoleId &&
                    string.Equals(p.Resource.Id, a.ResourceId?.ToString(), StringComparison.OrdinalIgnoreCase));
                if (wanted || !MayRevoke(a)) continue;
                AssignmentsToRevoke.Add(a);
                var resource = _resources.Values.FirstOrDefault(r => string.Equals(r.Id, a.ResourceId?.ToString(), StringComparison.OrdinalIgnoreCase));
                string role = resource?.AppRoles?.FirstOrDefault(r => r.Id == a.AppRoleId)?.Value ?? a.AppRoleId.ToString()!;
                Add("Revoke admin consent", $"Revoke admin consent for {a.ResourceDisplayName ?? resource?.DisplayName} {role} (Application)");
            }
        }

        private string ResourceName(string resourceId) =>
            _resources.Values.FirstOrDefault(r => string.Equals(r.Id, resourceId, StringComparison.OrdinalIgnoreCase))?.DisplayName ?? resourceId;

        private void Add(string action, string description) => _consentChanges.Add(new PlannedChange(Target, action, description));
    }
}
