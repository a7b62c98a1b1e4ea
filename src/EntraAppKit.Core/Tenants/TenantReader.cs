using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Permissions;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraAppKit.Core.Tenants
{
    /// <summary>
    /// Reads what a plan starts from and never writes: the organization, the caller's token, applications and service
    /// principals by their keys, and the APIs (resource service principals) whose permissions are requested.
    /// </summary>
    internal sealed class TenantReader
    {
        private static readonly string[] ResourceProperties = { "id", "appId", "displayName", "appRoles", "oauth2PermissionScopes" };

        private readonly GraphSession _session;
        private readonly LagRetryPolicy _retry;

        public TenantReader(GraphSession session, LagRetryPolicy retry)
        {
            _session = session;
            _retry = retry;
        }

        /// <summary>
        /// GET /organization → tenant id, name and verified domains (learn.microsoft.com/graph/api/organization-list). An app that
        /// holds only Application.ReadWrite.OwnedBy may not read the organization; then the tenant id comes from its token and
        /// the domains stay unknown.
        /// </summary>
        public async Task<TenantFacts> ReadTenantAsync(CancellationToken cancellationToken)
        {
            OrganizationCollectionResponse? orgs;
            try
            {
                orgs = await _session.Client.Organization.GetAsync(c => c.QueryParameters.Select = new[] { "id", "displayName", "verifiedDomains" }, cancellationToken).ConfigureAwait(false);
            }
            catch (ODataError e) when (e.ResponseStatusCode == 403)
            {
                var claims = await ReadCallerAsync(cancellationToken).ConfigureAwait(false);
                if (claims?.TenantId == null) throw GraphErrors.Wrap(e, "Reading the tenant");
                return _session.KnownTenant = new TenantFacts(claims.TenantId, "", "", new List<string>());
            }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw GraphErrors.Wrap(e, "Reading the tenant"); }
            var org = orgs?.Value?.FirstOrDefault() ?? throw new EntraAppKitException(ErrorIds.GraphRequestFailed, EntraErrorCategory.ObjectNotFound, "Graph returned no organization.");
            var domains = org.VerifiedDomains ?? new List<VerifiedDomain>();
            string initial = domains.FirstOrDefault(d => d.IsInitial == true)?.Name ?? "";
            return _session.KnownTenant = new TenantFacts(org.Id!, org.DisplayName ?? "", initial, domains.Select(d => d.Name!).ToList());
        }

        /// <summary>
        /// The tenant as this session's connection last read it (Connect-EntraAppKit reads it), else read now: a recipe's plan
        /// needs no fresh copy of the organization on every run.
        /// </summary>
        public async Task<TenantFacts> ReadKnownTenantAsync(CancellationToken cancellationToken) =>
            _session.KnownTenant ?? await ReadTenantAsync(cancellationToken).ConfigureAwait(false);

        /// <summary>The claims of the caller's token; null for a credential that holds every permission (a local tenant's built-in administrator).</summary>
        public Task<TokenClaims?> ReadCallerAsync(CancellationToken cancellationToken) => _session.GetCallerClaimsAsync(cancellationToken);

        public Task<Application?> FindApplicationByClientIdAsync(string clientId, CancellationToken cancellationToken) =>
            GraphErrors.NullWhenNotFound(() => _session.Client.ApplicationsWithAppId(clientId).GetAsync(cancellationToken: cancellationToken));

        public Task<Application?> FindApplicationByUniqueNameAsync(string uniqueName, CancellationToken cancellationToken) =>
            GraphErrors.NullWhenNotFound(() => _session.Client.ApplicationsWithUniqueName(uniqueName).GetAsync(cancellationToken: cancellationToken));

        /// <summary>The application with <paramref name="clientId"/>, or the ApplicationNotFound error naming the tenant.</summary>
        public async Task<Application> RequireApplicationAsync(string clientId, TenantFacts tenant, CancellationToken cancellationToken) =>
            await FindApplicationByClientIdAsync(clientId, cancellationToken).ConfigureAwait(false)
            ?? throw new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound,
                $"No application with client id {clientId} exists in tenant {tenant.InitialDomain}.");

        /// <summary>The applications named <paramref name="displayName"/> (first page: enough to warn).</summary>
        public async Task<IReadOnlyList<Application>> FindApplicationsByDisplayNameAsync(string displayName, CancellationToken cancellationToken)
        {
            string escaped = displayName.Replace("'", "''");
            return (await _session.Client.Applications.GetAsync(c =>
            {
                c.QueryParameters.Filter = $"displayName eq '{escaped}'";
                c.QueryParameters.Select = new[] { "id", "appId", "displayName", "uniqueName" };
            }, cancellationToken).ConfigureAwait(false))?.Value ?? new List<Application>();
        }

        /// <summary>The service principal of the application with <paramref name="appId"/> in this tenant, or null.</summary>
        public Task<ServicePrincipal?> FindServicePrincipalAsync(string appId, CancellationToken cancellationToken) =>
            GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipalsWithAppId(appId).GetAsync(cancellationToken: cancellationToken));

        /// <summary>
        /// The APIs behind <paramref name="keys"/> (appIds or display names), each read once. Microsoft Graph's permissions come
        /// from the shipped catalog, without its object id (<see cref="MicrosoftGraphServicePrincipalIdAsync"/> adds it for consent):
        /// its service principal is the tenant's largest object, and its permission ids are the same in every tenant.
        /// </summary>
        public async Task<IReadOnlyDictionary<string, ServicePrincipal>> ReadResourcesAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
        {
            var resources = new Dictionary<string, ServicePrincipal>(StringComparer.OrdinalIgnoreCase);
            foreach (var key in keys.Distinct(StringComparer.OrdinalIgnoreCase))
                resources[key] = string.Equals(key, MicrosoftGraph.AppId, StringComparison.OrdinalIgnoreCase)
                    ? _session.MicrosoftGraphServicePrincipal
                    : await ReadResourceAsync(key, cancellationToken).ConfigureAwait(false);
            return resources;
        }

        /// <summary>
        /// The object id of Microsoft Graph's service principal in this tenant, which grants and app role assignments name:
        /// read once per session (<c>GET /servicePrincipals(appId='…')?$select=id</c>), as the tenant's copy never changes id.
        /// </summary>
        public async Task<string> MicrosoftGraphServicePrincipalIdAsync(CancellationToken cancellationToken)
        {
            if (_session.MicrosoftGraphServicePrincipalId is { } known) return known;
            var sp = await GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipalsWithAppId(MicrosoftGraph.AppId).GetAsync(c =>
                c.QueryParameters.Select = new[] { "id" }, cancellationToken)).ConfigureAwait(false);
            return _session.MicrosoftGraphServicePrincipalId = sp?.Id ?? throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound,
                $"No service principal with appId '{MicrosoftGraph.AppId}' exists in the tenant, so its permissions cannot be requested or granted.");
        }

        /// <summary>Microsoft Graph as a resource for consent: the shipped catalog's permissions with the tenant's object id (read once).</summary>
        public async Task<ServicePrincipal> MicrosoftGraphResourceAsync(CancellationToken cancellationToken)
        {
            await MicrosoftGraphServicePrincipalIdAsync(cancellationToken).ConfigureAwait(false);
            return _session.MicrosoftGraphServicePrincipal;
        }

        /// <summary>A resource service principal by appId, or by display name (which must be unique in the tenant).</summary>
        public async Task<ServicePrincipal> ReadResourceAsync(string key, CancellationToken cancellationToken)
        {
            if (Guid.TryParse(key, out _)) return await ReadResourceByAppIdAsync(key, cancellationToken).ConfigureAwait(false);
            string escaped = key.Replace("'", "''");
            var matches = (await _session.Client.ServicePrincipals.GetAsync(c =>
            {
                c.QueryParameters.Filter = $"displayName eq '{escaped}'";
                c.QueryParameters.Select = ResourceProperties;
            }, cancellationToken).ConfigureAwait(false))?.Value ?? new List<ServicePrincipal>();
            if (matches.Count == 1) return matches[0];
            if (matches.Count > 1)
                throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound,
                    $"{matches.Count} service principals are named '{key}'. Name the API by its appId instead: {string.Join(", ", matches.Select(m => m.AppId))}.");
            // A typo ("Microsoft Grph"): suggest the nearest names among the tenant's service principals (the first page suffices).
            var names = (await _session.Client.ServicePrincipals.GetAsync(c =>
            {
                c.QueryParameters.Select = new[] { "displayName" };
                c.QueryParameters.Top = 999;
            }, cancellationToken).ConfigureAwait(false))?.Value?.Select(sp => sp.DisplayName).Where(n => n != null).Select(n => n!).Distinct() ?? Enumerable.Empty<string>();
            var suggestions = PermissionResolver.Closest(key, names, 3);
            throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound,
                $"No service principal named '{key}' exists in the tenant. Name the API by its appId, or as it appears under Enterprise applications." +
                (suggestions.Count > 0 ? " Did you mean: " + string.Join(", ", suggestions) + "?" : ""));
        }

        /// <summary>The resource's service principal by appId, or null when the tenant has none.</summary>
        public Task<ServicePrincipal?> FindResourceByAppIdAsync(string appId, CancellationToken cancellationToken) =>
            GraphErrors.NullWhenNotFound(() => _session.Client.ServicePrincipalsWithAppId(appId).GetAsync(c =>
                c.QueryParameters.Select = ResourceProperties, cancellationToken));

        private async Task<ServicePrincipal> ReadResourceByAppIdAsync(string appId, CancellationToken cancellationToken)
        {
            // An API this connection registered moments ago (the CMG server app piped into the client recipe) may not have
            // replicated yet; any other id Graph does not know is unknown at once.
            var sp = _session.Created(appId)
                ? await _retry.WaitForAsync(() => FindResourceByAppIdAsync(appId, cancellationToken), cancellationToken).ConfigureAwait(false)
                : await FindResourceByAppIdAsync(appId, cancellationToken).ConfigureAwait(false);
            return sp ?? throw new EntraAppKitException(ErrorIds.UnknownResource, EntraErrorCategory.ObjectNotFound,
                $"No service principal with appId '{appId}' exists in the tenant, so its permissions cannot be requested or granted.");
        }
    }
}
