using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Consent
{
    /// <summary>
    /// Reads the consent an app (or every app of the tenant) holds, one <see cref="ConsentEntry"/> per permission, with names
    /// instead of ids: delegated scopes are values already (oauth2PermissionGrant.scope,
    /// learn.microsoft.com/graph/api/resources/oauth2permissiongrant), app roles are resolved by appRoleId against the resource's
    /// appRoles, and a user's own grant names the user by userPrincipalName. Few round trips: one list of grants (per client, or
    /// for the tenant), one list of app role assignments per service principal, and each resource and user read once.
    /// Never writes.
    /// </summary>
    internal sealed class ConsentReader
    {
        private static readonly string[] ServicePrincipalProperties = { "id", "appId", "displayName", "appRoles" };

        private readonly GraphSession _session;
        private readonly TenantReader _reader;
        private readonly Dictionary<string, ServicePrincipal?> _servicePrincipals = new Dictionary<string, ServicePrincipal?>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string?> _users = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

        public ConsentReader(GraphSession session, TenantReader reader)
        {
            _session = session;
            _reader = reader;
        }

        /// <summary>
        /// The permissions of the app with <paramref name="clientId"/>: its service principal (consent is recorded there), its grants
        /// (GET /oauth2PermissionGrants?$filter=clientId eq '{id}'), its app role assignments (GET /servicePrincipals/{id}/appRoleAssignments).
        /// An app without a service principal holds none; an unknown client id is ApplicationNotFound.
        /// </summary>
        public async Task<(ServicePrincipal? Client, IReadOnlyList<ConsentEntry> Entries)> ReadAppAsync(TenantFacts tenant, string clientId, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            var sp = await GraphErrors.NullWhenNotFound(() => client.ServicePrincipalsWithAppId(clientId).GetAsync(c =>
                c.QueryParameters.Select = ServicePrincipalProperties, cancellationToken)).ConfigureAwait(false);
            if (sp == null)
            {
                // No service principal: no consent. Only an app that does not exist at all is an error.
                await _reader.RequireApplicationAsync(clientId, tenant, cancellationToken).ConfigureAwait(false);
                return (null, Array.Empty<ConsentEntry>());
            }
            _servicePrincipals[sp.Id!] = sp;
            string spId = sp.Id!;
            var grants = await GraphPages.AllAsync(await client.Oauth2PermissionGrants.GetAsync(c => c.QueryParameters.Filter = $"clientId eq '{spId}'", cancellationToken).ConfigureAwait(false),
                p => p.Value, p => p.OdataNextLink, next => client.Oauth2PermissionGrants.WithUrl(next).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            var assignments = await GraphPages.AllAsync(await client.ServicePrincipals[spId].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
                p => p.Value, p => p.OdataNextLink, next => client.ServicePrincipals[spId].AppRoleAssignments.WithUrl(next).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            return (sp, await ToEntriesAsync(tenant, grants, assignments, cancellationToken).ConfigureAwait(false));
        }

        /// <summary>
        /// Every app's permissions: all grants (GET /oauth2PermissionGrants), all service principals once (names of clients and
        /// resources, and the resources' appRoles), and the application permissions assigned on each service principal that defines
        /// app roles (GET /servicePrincipals/{id}/appRoleAssignedTo; assignments to users and groups are app access, not consent).
        /// </summary>
        public async Task<IReadOnlyList<ConsentEntry>> ReadTenantAsync(TenantFacts tenant, CancellationToken cancellationToken)
        {
            var client = _session.Client;
            var grants = await GraphPages.AllAsync(await client.Oauth2PermissionGrants.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
                p => p.Value, p => p.OdataNextLink, next => client.Oauth2PermissionGrants.WithUrl(next).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            var sps = await GraphPages.AllAsync(await client.ServicePrincipals.GetAsync(c =>
                {
                    c.QueryParameters.Select = ServicePrincipalProperties;
                    c.QueryParameters.Top = 999;
                }, cancellationToken).ConfigureAwait(false),
                p => p.Value, p => p.OdataNextLink, next => client.ServicePrincipals.WithUrl(next).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var sp in sps) _servicePrincipals[sp.Id!] = sp;
            var assignments = new List<AppRoleAssignment>();
            foreach (var resource in sps.Where(sp => (sp.AppRoles ?? new List<AppRole>()).Any(r => (r.AllowedMemberTypes ?? new List<string>()).Contains("Application"))))
            {
                string id = resource.Id!;
                var assignedTo = await GraphPages.AllAsync(await client.ServicePrincipals[id].AppRoleAssignedTo.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false),
                    p => p.Value, p => p.OdataNextLink, next => client.ServicePrincipals[id].AppRoleAssignedTo.WithUrl(next).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
                assignments.AddRange(assignedTo.Where(a => string.Equals(a.PrincipalType, "ServicePrincipal", StringComparison.OrdinalIgnoreCase)));
            }
            return await ToEntriesAsync(tenant, grants, assignments, cancellationToken).ConfigureAwait(false);
        }

        private async Task<IReadOnlyList<ConsentEntry>> ToEntriesAsync(TenantFacts tenant, IEnumerable<OAuth2PermissionGrant> grants, IEnumerable<AppRoleAssignment> assignments,
            CancellationToken cancellationToken)
        {
            var entries = new List<ConsentEntry>();
            foreach (var grant in grants)
            {
                var clientSp = await ServicePrincipalAsync(grant.ClientId, cancellationToken).ConfigureAwait(false);
                var resource = await ServicePrincipalAsync(grant.ResourceId, cancellationToken).ConfigureAwait(false);
                bool perUser = string.Equals(grant.ConsentType, "Principal", StringComparison.OrdinalIgnoreCase);
                string? upn = perUser ? await UserPrincipalNameAsync(grant.PrincipalId, cancellationToken).ConfigureAwait(false) : null;
                foreach (var scope in ConsentPlan.SplitScopes(grant.Scope).Distinct(StringComparer.OrdinalIgnoreCase))
                    entries.Add(new ConsentEntry(new EntraAppConsent
                    {
                        Client = clientSp?.DisplayName ?? grant.ClientId ?? "",
                        ClientId = clientSp?.AppId ?? "",
                        Resource = resource?.DisplayName ?? grant.ResourceId ?? "",
                        ResourceAppId = resource?.AppId ?? "",
                        Permission = scope,
                        Kind = "Delegated",
                        ConsentType = perUser ? "Principal" : "AllPrincipals",
                        Principal = upn,
                        PrincipalId = perUser && Guid.TryParse(grant.PrincipalId, out var principal) ? principal : (Guid?)null,
                        GrantedDateTime = null, // oauth2PermissionGrant records no time in Graph v1.0
                        GrantId = grant.Id ?? "",
                        TenantId = tenant.TenantId,
                    }, grant, null));
            }
            foreach (var assignment in assignments)
            {
                var clientSp = await ServicePrincipalAsync(assignment.PrincipalId?.ToString(), cancellationToken).ConfigureAwait(false);
                var resource = await ServicePrincipalAsync(assignment.ResourceId?.ToString(), cancellationToken).ConfigureAwait(false);
                string? role = resource?.AppRoles?.FirstOrDefault(r => r.Id == assignment.AppRoleId)?.Value;
                entries.Add(new ConsentEntry(new EntraAppConsent
                {
                    Client = clientSp?.DisplayName ?? assignment.PrincipalDisplayName ?? "",
                    ClientId = clientSp?.AppId ?? "",
                    Resource = resource?.DisplayName ?? assignment.ResourceDisplayName ?? "",
                    ResourceAppId = resource?.AppId ?? "",
                    // A role the API no longer defines has no name left: its id is all Graph keeps.
                    Permission = role ?? assignment.AppRoleId?.ToString() ?? "",
                    Kind = "Application",
                    ConsentType = "AllPrincipals",
                    GrantedDateTime = assignment.CreatedDateTime,
                    GrantId = assignment.Id ?? "",
                    TenantId = tenant.TenantId,
                }, null, assignment));
            }
            return entries.OrderBy(e => e.Row.Client, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Row.ClientId, StringComparer.OrdinalIgnoreCase)
                .ThenBy(e => e.Row.Resource, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Row.Kind, StringComparer.Ordinal)
                .ThenBy(e => e.Row.ConsentType, StringComparer.Ordinal).ThenBy(e => e.Row.Principal ?? "", StringComparer.OrdinalIgnoreCase)
                .ThenBy(e => e.Row.Permission, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>A service principal by object id, read once (GET /servicePrincipals/{id}); null when it is gone.</summary>
        private async Task<ServicePrincipal?> ServicePrincipalAsync(string? id, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(id)) return null;
            if (_servicePrincipals.TryGetValue(id!, out var known)) return known;
            var sp = await GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipals[id].GetAsync(c =>
                c.QueryParameters.Select = ServicePrincipalProperties, cancellationToken)).ConfigureAwait(false);
            _servicePrincipals[id!] = sp;
            return sp;
        }

        /// <summary>A user's userPrincipalName by object id, read once (GET /users/{id}); the id itself when the user is gone.</summary>
        private async Task<string?> UserPrincipalNameAsync(string? id, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(id)) return null;
            if (_users.TryGetValue(id!, out var known)) return known;
            var user = await GraphErrors.NullWhenNotFound(() => _session.Client.Users[id].GetAsync(c =>
                c.QueryParameters.Select = new[] { "id", "userPrincipalName" }, cancellationToken)).ConfigureAwait(false);
            return _users[id!] = user?.UserPrincipalName ?? id;
        }
    }
}
