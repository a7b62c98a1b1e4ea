using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Planning;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Consent
{
    /// <summary>
    /// What revoking some of an app's permissions changes, planned from what <see cref="ConsentReader"/> read: each delegated grant
    /// that loses scopes becomes a <see cref="DelegatedGrantChange"/> (PATCH its scope without them,
    /// learn.microsoft.com/graph/api/oauth2permissiongrant-update, or DELETE it when none is left,
    /// learn.microsoft.com/graph/api/oauth2permissiongrant-delete), each application permission an app role assignment to delete
    /// (learn.microsoft.com/graph/api/serviceprincipal-delete-approleassignedto). One <see cref="PlannedChange"/> per permission, so
    /// -WhatIf names each; nothing selected is no change at all. Pure: <see cref="ConsentReconciler.ApplyRevocationAsync"/> applies it.
    /// </summary>
    internal sealed class ConsentRevocation : IChangePlan
    {
        private readonly List<PlannedChange> _changes = new List<PlannedChange>();

        public ConsentRevocation(string clientName, IReadOnlyList<ConsentEntry> revoked)
        {
            ClientName = clientName;
            Revoked = revoked;
            string target = $"service principal of '{clientName}'";
            foreach (var grant in revoked.Where(e => e.IsDelegated).GroupBy(e => e.Row.GrantId, StringComparer.OrdinalIgnoreCase))
            {
                var first = grant.First();
                var removed = new HashSet<string>(grant.Select(e => e.Row.Permission), StringComparer.OrdinalIgnoreCase);
                var remaining = ConsentPlan.SplitScopes(first.Grant!.Scope).Where(s => !removed.Contains(s)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                GrantChanges.Add(new DelegatedGrantChange(first.Grant.ResourceId ?? "", first.Row.Resource, first.Grant, remaining));
                string who = first.Row.ConsentType == "Principal" ? $"user {first.Row.Principal}" : "all users";
                foreach (var entry in grant)
                    _changes.Add(new PlannedChange(target, "Revoke consent",
                        $"Remove delegated permission {entry.Row.Permission} ({who}) from grant {first.Row.GrantId} of '{clientName}' to {first.Row.Resource}" +
                        (remaining.Count == 0 ? "; the grant, left empty, is deleted" : "")));
            }
            foreach (var entry in revoked.Where(e => !e.IsDelegated))
            {
                AssignmentsToDelete.Add(entry.Assignment!);
                _changes.Add(new PlannedChange(target, "Revoke consent",
                    $"Delete app role assignment {entry.Row.Permission} of {entry.Row.Resource} from '{clientName}' (assignment {entry.Row.GrantId})"));
            }
        }

        public string ClientName { get; }

        /// <summary>The permissions this plan revokes, as Get-EntraAppConsent showed them.</summary>
        public IReadOnlyList<ConsentEntry> Revoked { get; }

        /// <summary>Each delegated grant that loses scopes: its remaining scopes (none: delete it).</summary>
        public List<DelegatedGrantChange> GrantChanges { get; } = new List<DelegatedGrantChange>();

        public List<AppRoleAssignment> AssignmentsToDelete { get; } = new List<AppRoleAssignment>();

        public IReadOnlyList<PlannedChange> Changes => _changes;

        /// <summary>
        /// The entries of <paramref name="entries"/> (one app's) that the request names: the permissions (values, case-insensitive)
        /// of the resource (display name or appId), of one kind when <paramref name="kind"/> is given, of one consent type, of one
        /// user. A name the app holds both as a delegated and as an application permission needs <paramref name="kind"/>.
        /// </summary>
        public static List<ConsentEntry> Select(IReadOnlyList<ConsentEntry> entries, IReadOnlyCollection<string> permissions, string resource, string? kind,
            string? consentType, Guid? principalId)
        {
            bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
            var selected = entries.Where(e => (Is(e.Row.Resource, resource) || Is(e.Row.ResourceAppId, resource)) &&
                permissions.Any(p => Is(p, e.Row.Permission)) &&
                (kind == null || Is(e.Row.Kind, kind)) &&
                (consentType == null || Is(e.Row.ConsentType, consentType)) &&
                (principalId == null || e.Row.PrincipalId == principalId)).ToList();
            if (kind == null)
                foreach (var name in selected.GroupBy(e => e.Row.Permission, StringComparer.OrdinalIgnoreCase).Where(g => g.Select(e => e.Row.Kind).Distinct().Count() > 1))
                    throw new EntraAppKitException(ErrorIds.AmbiguousPermission, EntraErrorCategory.InvalidArgument,
                        $"'{name.First().Row.Client}' holds {name.Key} of {name.First().Row.Resource} both as a delegated and as an application permission. " +
                        "Say which to revoke with -Kind Delegated or -Kind Application.");
            return selected;
        }
    }
}
