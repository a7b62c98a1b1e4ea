using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Reads service principals, and which of their appIds have an application in this tenant, in as few Graph round trips as
    /// the query allows: one filtered GET for up to <see cref="FilterBatch"/> appIds, else one GET per page of a list.
    /// learn.microsoft.com/graph/api/serviceprincipal-list, learn.microsoft.com/graph/api/application-list.
    /// </summary>
    internal sealed class ServicePrincipalLookup
    {
        /// <summary>
        /// How many appIds one $filter names (<c>appId eq 'a' or appId eq 'b' …</c>). Graph documents a limit of 15 values for
        /// <c>in</c> and of 15 <c>or</c> expressions in some directory queries (learn.microsoft.com/graph/filter-query-parameter):
        /// 15 stays within both.
        /// </summary>
        internal const int FilterBatch = 15;

        /// <summary>What the service principal cmdlets show (learn.microsoft.com/graph/api/resources/serviceprincipal).</summary>
        internal static readonly string[] Properties =
        {
            "id", "appId", "displayName", "accountEnabled", "appRoleAssignmentRequired", "tags", "appOwnerOrganizationId", "servicePrincipalType", "signInAudience",
        };

        private readonly GraphSession _session;

        public ServicePrincipalLookup(GraphSession session) { _session = session; }

        /// <summary>GET /servicePrincipals(appId='…'), or null (learn.microsoft.com/graph/api/serviceprincipal-get).</summary>
        public Task<ServicePrincipal?> ByAppIdAsync(string appId, CancellationToken cancellationToken) =>
            GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipalsWithAppId(appId).GetAsync(c => c.QueryParameters.Select = Properties, cancellationToken),
                "Reading the service principal");

        /// <summary>GET /servicePrincipals/{id}, or null.</summary>
        public Task<ServicePrincipal?> ByObjectIdAsync(string objectId, CancellationToken cancellationToken) =>
            GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipals[objectId].GetAsync(c => c.QueryParameters.Select = Properties, cancellationToken),
                "Reading the service principal");

        /// <summary>Every service principal <paramref name="filter"/> selects (all when null), following Graph's paging.</summary>
        public async Task<List<ServicePrincipal>> ListAsync(string? filter, CancellationToken cancellationToken, string[]? select = null)
        {
            var result = new List<ServicePrincipal>();
            var page = await _session.Client.ServicePrincipals.GetAsync(c =>
            {
                c.QueryParameters.Select = select ?? Properties;
                c.QueryParameters.Top = 999;
                if (filter != null) c.QueryParameters.Filter = filter;
            }, cancellationToken).ConfigureAwait(false);
            while (page != null)
            {
                result.AddRange(page.Value ?? new List<ServicePrincipal>());
                if (page.OdataNextLink == null) break;
                page = await _session.Client.ServicePrincipals.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            return result;
        }

        /// <summary>
        /// The service principals of <paramref name="appIds"/> in this tenant, by appId: one GET filtered by appId for up to
        /// <see cref="FilterBatch"/>, else the tenant's own apps' service principals (appOwnerOrganizationId eq the tenant), one GET per page.
        /// </summary>
        public async Task<IReadOnlyDictionary<string, ServicePrincipal>> ByAppIdsAsync(IReadOnlyCollection<string> appIds, TenantFacts tenant,
            CancellationToken cancellationToken, string[]? select = null)
        {
            var wanted = new HashSet<string>(appIds.Where(a => !string.IsNullOrEmpty(a)), StringComparer.OrdinalIgnoreCase);
            var found = new Dictionary<string, ServicePrincipal>(StringComparer.OrdinalIgnoreCase);
            if (wanted.Count == 0) return found;
            var list = wanted.Count <= FilterBatch
                ? await ListAsync(AnyAppId(wanted), cancellationToken, select).ConfigureAwait(false)
                : await ListAsync($"appOwnerOrganizationId eq {tenant.TenantId}", cancellationToken, select).ConfigureAwait(false);
            foreach (var sp in list)
                if (sp.AppId != null && wanted.Contains(sp.AppId)) found[sp.AppId] = sp;
            return found;
        }

        /// <summary>Which of <paramref name="appIds"/> have an application registered in this tenant (one GET, or one per page).</summary>
        public async Task<ISet<string>> RegisteredAmongAsync(IReadOnlyCollection<string> appIds, CancellationToken cancellationToken)
        {
            var wanted = new HashSet<string>(appIds.Where(a => !string.IsNullOrEmpty(a)), StringComparer.OrdinalIgnoreCase);
            var registered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (wanted.Count == 0) return registered;
            var page = await _session.Client.Applications.GetAsync(c =>
            {
                c.QueryParameters.Select = new[] { "appId" };
                c.QueryParameters.Top = 999;
                if (wanted.Count <= FilterBatch) c.QueryParameters.Filter = AnyAppId(wanted);
            }, cancellationToken).ConfigureAwait(false);
            while (page != null)
            {
                foreach (var app in page.Value ?? new List<Application>())
                    if (app.AppId != null && wanted.Contains(app.AppId)) registered.Add(app.AppId);
                if (page.OdataNextLink == null) break;
                page = await _session.Client.Applications.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            return registered;
        }

        /// <summary><c>appId eq 'a' or appId eq 'b'</c>: appIds are GUIDs, so nothing needs escaping beyond doubling quotes.</summary>
        private static string AnyAppId(IEnumerable<string> appIds) =>
            string.Join(" or ", appIds.Select(a => $"appId eq '{a.Replace("'", "''")}'"));
    }
}
