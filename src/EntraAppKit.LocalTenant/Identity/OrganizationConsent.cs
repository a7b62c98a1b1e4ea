using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The admin consent endpoint's grant (learn.microsoft.com/entra/identity-platform/v2-admin-consent): an administrator
    /// consents for the whole organization to what the application asks for. With ".default" (and at v1's /adminconsent),
    /// "it functions like the v1.0 admin consent endpoint and requests consent for all scopes found in the required
    /// permissions (both user and app)": every resource in requiredResourceAccess that has a service principal here, its
    /// delegated permissions as an AllPrincipals grant and its application permissions as app role assignments to the
    /// client's service principal, which consent creates (for another tenant's multi-tenant application, with that tenant as
    /// its appOwnerOrganizationId). Named scopes ask for those delegated permissions only.
    /// </summary>
    internal sealed class OrganizationConsent
    {
        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly UserConsent _consent;
        private readonly TenantPersistence _persistence;

        public OrganizationConsent(ITenantStore store, TenantClock clock, UserConsent consent, TenantPersistence persistence)
        {
            _store = store; _clock = clock; _consent = consent; _persistence = persistence;
        }

        /// <summary>What the request asks for: the named scopes' resource, or (null <paramref name="named"/>) the application's static permissions.</summary>
        public IReadOnlyList<OrganizationConsentRequest> Requests(UserClient client, ScopeRequest? named, ResourceResolver resources)
        {
            if (named != null && !named.IsDefault) return new[] { new OrganizationConsentRequest(named.Resource, named.Permissions, Array.Empty<(string, string)>()) };
            var requests = new List<OrganizationConsentRequest>();
            foreach (var rra in client.Application?.Json["requiredResourceAccess"]?.AsArray() ?? new JsonArray())
            {
                string resourceAppId = Entity.TextOf(rra?["resourceAppId"]) ?? "";
                // ".default" of one resource asks for that resource's static permissions; v1 and a bare ".default" for all.
                var resource = resources.TryResolve(resourceAppId);
                if (resource?.ServicePrincipal == null) continue;
                if (named != null && !named.Resource.SameAs(resource)) continue;
                var roles = new List<(string, string)>();
                foreach (var access in rra!["resourceAccess"]?.AsArray() ?? new JsonArray())
                {
                    if ((string?)access?["type"] != "Role") continue;
                    var role = resource.ServicePrincipal.AppRoles.FirstOrDefault(r => Entity.SameKey(Entity.TextOf(r?["id"]), (string?)access["id"]) &&
                        (r!["allowedMemberTypes"]?.AsArray() ?? new JsonArray()).Any(t => (string?)t == "Application"));
                    if (role != null) roles.Add(((string)role["id"]!, (string?)role["value"] ?? ""));
                }
                var delegated = resource.StaticScopes(client.Application!);
                if (delegated.Count > 0 || roles.Count > 0) requests.Add(new OrganizationConsentRequest(resource, delegated, roles));
            }
            return requests;
        }

        /// <summary>The administrator accepted: the grants and assignments that are missing are made. Nothing already granted changes.</summary>
        public void Grant(UserClient client, IEnumerable<OrganizationConsentRequest> requests)
        {
            var sp = _consent.ServicePrincipalFor(client);
            foreach (var request in requests)
            {
                if (request.Delegated.Count > 0) _consent.GrantForOrganization(sp, request.Resource, request.Delegated);
                foreach (var (id, _) in request.Application)
                {
                    var resource = request.Resource.ServicePrincipal!;
                    if (_store.AssignmentsOf(sp.Id).Any(a => Entity.SameKey(a.ResourceId, resource.Id) && Entity.SameKey(a.AppRoleId, id))) continue;
                    _store.AddAssignment(AppRoleAssignmentFactory.ForServicePrincipal(sp, resource, id, _clock.Now));
                }
            }
            _persistence.Save(); // an answer of the sign-in pages is not a Graph write, which the engine would save
        }
    }
}
