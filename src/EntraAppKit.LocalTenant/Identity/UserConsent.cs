using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The built-in administrator's sign-in to a client and its consent: which client it is, and which delegated scopes its
    /// tokens for a resource (Microsoft Graph, Resource Manager, an API of the tenant) carry (oauth2PermissionGrants, learn.microsoft.com/graph/api/oauth2permissiongrant-post).
    /// </summary>
    internal sealed class UserConsent
    {
        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly ServicePrincipalFactory _factory;
        private readonly TenantPersistence _persistence;
        private readonly TenantNeighbours _neighbours;

        public UserConsent(ITenantStore store, TenantClock clock, ServicePrincipalFactory factory, TenantPersistence persistence, TenantNeighbours neighbours)
        {
            _store = store; _clock = clock; _factory = factory; _persistence = persistence; _neighbours = neighbours;
        }

        public UserClient ClientOf(string clientId, TenantPath tenant)
        {
            var app = _store.FindVisibleApplicationByAppId(clientId, _clock.Now);
            if (app != null)
            {
                string name = app.DisplayName ?? "";
                // Single-tenant apps cannot use the multi-tenant aliases (Entra's AADSTS50194).
                if (tenant != TenantPath.Tenant && app.SignInAudience == "AzureADMyOrg") throw AadstsException.NotMultiTenant(clientId, name);
                return new UserClient(clientId, name, app, app.IsFallbackPublicClient);
            }
            // A multi-tenant application of another tenant: its users' and administrators' consent gives it a service
            // principal here (howto-convert-app-to-be-multi-tenant). A single-tenant one is not found here (AADSTS700016).
            if (_neighbours.FindApplication(clientId) is ForeignApplication foreign)
                return new UserClient(clientId, foreign.Application.DisplayName ?? "", foreign.Application, foreign.Application.IsFallbackPublicClient, foreign);
            string firstParty = WellKnownClients.DisplayName(clientId) ?? throw AadstsException.UnknownClient(clientId, _store.DisplayName);
            return new UserClient(clientId, firstParty, null, true);
        }

        /// <summary>
        /// The scopes the token carries, whatever the flow (device code, refresh; the authorization code flow can use it too).
        /// Resource Manager's: user_impersonation. Graph's or a tenant API's: every scope the client holds on that resource for
        /// the administrator (AllPrincipals grants and the administrator's Principal grant whose resourceId is the resource's
        /// service principal), plus, for an API, what it pre-authorises the client for (api.preAuthorizedApplications: "Users
        /// aren't required to consent to any preauthorized application (for the permissions specified)",
        /// learn.microsoft.com/graph/api/resources/preauthorizedapplication). At sign-in
        /// (<paramref name="consent"/>) the administrator, a Global Administrator, consents to what is asked and not yet granted,
        /// as a real admin accepting the consent prompt would: named scopes; for ".default" the app's static permissions on the
        /// resource (requiredResourceAccess); for a Microsoft first-party tool with no Graph grant yet,
        /// <see cref="BuiltInAdministrator.Scopes"/> (what a first Connect-MgGraph -Scopes would ask for). Consent creates the
        /// client's service principal if needed and a Principal oauth2PermissionGrant on the resource, both real objects of the tenant.
        /// </summary>
        /// <remarks>
        /// With <paramref name="forOrganization"/> (the authorization endpoint's prompt=admin_consent) the consent is an
        /// administrator's on behalf of the whole organization: an AllPrincipals grant (oauth2permissiongrant: "AllPrincipals
        /// indicates authorization to impersonate all users").
        /// </remarks>
        public List<string> ConsentedScopes(UserClient client, ScopeRequest scopes, bool consent, bool forOrganization = false, string? userId = null)
        {
            string principal = userId ?? _store.AdministratorId;
            var sp = _store.FindServicePrincipalByAppId(client.AppId);
            if (sp != null && sp.IsDisabled) throw AadstsException.DisabledApplication(client.AppId, client.DisplayName);
            DemandAssignment(client, sp, principal);
            var resource = scopes.Resource;
            // Resource Manager has one delegated permission; Entra preauthorizes Microsoft's tools (az) for it, and the local
            // tenant, which has no Resource Manager service principal to hold a grant, lets the administrator use it with any client.
            if (resource.IsResourceManager) return new List<string> { ScopeRequest.ResourceManagerUserImpersonation };
            bool graph = resource.Kind == TokenResourceKind.MicrosoftGraph;
            string resourceId = resource.ServicePrincipal!.Id;
            // Consent for the organization is an administrator's, whatever is missing (grant-admin-consent).
            if (consent && forOrganization && !MayConsentForOrganization(principal)) throw AadstsException.CannotConsentForOrganization();
            var (granted, preAuthorized, missing) = Consented(client, scopes, sp, principal);
            if (missing.Count > 0)
            {
                // A Microsoft tool with no Graph grant yet that asks for ".default" is preauthorized, as Entra's first-party
                // clients are: az signs in for Resource Manager and gets its first Graph token with the refresh token.
                bool firstPartyDefault = graph && client.Application == null && scopes.IsDefault && granted.Count == 0;
                if (!consent && !firstPartyDefault) throw AadstsException.ConsentRequired(client.AppId, client.DisplayName);
                if (consent && NotUserConsentable(client, resource, missing, principal).Count > 0) throw AadstsException.AdminApprovalRequired();
                sp ??= ServicePrincipalForConsent(client);
                GrantTo(sp.Id, resourceId, missing, consent && forOrganization, principal);
                granted.AddRange(missing);
                _persistence.Save(); // a token answer is not a Graph write, which the engine would save
            }
            granted.AddRange(preAuthorized.Where(p => !granted.Contains(p, StringComparer.OrdinalIgnoreCase)));
            if (granted.Count == 0) throw AadstsException.ConsentRequired(client.AppId, client.DisplayName);
            return granted;
        }

        /// <summary>
        /// A client whose service principal requires assignment (appRoleAssignmentRequired, learn.microsoft.com/graph/api/resources/serviceprincipal:
        /// "Specifies whether users or other service principals need to be granted an app role assignment for this service
        /// principal before users can sign in or apps can get tokens") admits only the users assigned to it: AADSTS50105 otherwise.
        /// </summary>
        public void DemandAssignment(UserClient client, string? userId) =>
            DemandAssignment(client, _store.FindServicePrincipalByAppId(client.AppId), userId ?? _store.AdministratorId);

        private void DemandAssignment(UserClient client, ServicePrincipalEntity? sp, string principal)
        {
            if (sp == null || (bool?)sp.Json["appRoleAssignmentRequired"] != true) return;
            if (!_store.AssignmentsOf(principal).Any(a => Entity.SameKey(a.ResourceId, sp.Id))) throw AadstsException.UserNotAssigned(client.AppId, client.DisplayName);
        }

        /// <summary>
        /// The scopes a sign-in would have to consent to: those asked for (named, or for ".default" the static ones) that are
        /// neither granted nor pre-authorised. Empty when nothing is missing; changes nothing. The consent page lists them.
        /// </summary>
        public List<string> MissingScopes(UserClient client, ScopeRequest scopes, string? userId = null)
        {
            if (scopes.Resource.IsResourceManager) return new List<string>();
            return Consented(client, scopes, _store.FindServicePrincipalByAppId(client.AppId), userId ?? _store.AdministratorId).Missing;
        }

        /// <summary>
        /// Whether the user may consent for the organization to delegated permissions, and so to admin-only ones
        /// (<see cref="DirectoryRoles.MayConsentForOrganization"/>). Other users consent only to permissions of type "User"
        /// (permissions-consent-overview).
        /// </summary>
        public bool MayConsentForOrganization(string userId, bool applicationPermissions = false) =>
            DirectoryRoles.MayConsentForOrganization(_store.RoleAssignmentsOf(userId).Select(a => a.RoleDefinitionId ?? ""), graphAppRole: applicationPermissions);

        /// <summary>
        /// Of <paramref name="missing"/>, what the user may not consent to for themselves, and so needs an administrator's approval
        /// ("Need admin approval", AADSTS90094). An administrator who may consent for the organization may consent to all of it.
        /// Any other user may consent only as the policies the authorization policy assigns to the default user role allow
        /// (defaultUserRolePermissions.permissionGrantPoliciesAssigned, "ManagePermissionGrantsForSelf.{id}";
        /// learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent):
        /// <list type="bullet">
        /// <item>none: "Do not allow user consent", nothing;</item>
        /// <item>microsoft-user-default-legacy ("Allow user consent for apps"): any permission of type "User" (permissions-consent-overview);</item>
        /// <item>microsoft-user-default-low ("Allow user consent for apps from verified publishers, for selected permissions"):
        /// the delegated permissions classified low (<see cref="PermissionGrantPolicies.LowImpactGraphScopes"/>), for an app
        /// registered in this tenant or from a verified publisher (permissiongrantpolicy-get: its two condition sets). The local
        /// cloud's apps have no verified publisher, so another tenant's multi-tenant app gets none; Microsoft's own clients are
        /// Microsoft's, a verified publisher.</item>
        /// </list>
        /// Any other policy id (a custom policy, which the local tenant does not keep) allows nothing.
        /// </summary>
        public List<string> NotUserConsentable(UserClient client, TokenResource resource, IEnumerable<string> missing, string userId)
        {
            if (MayConsentForOrganization(userId)) return new List<string>();
            var policies = PermissionGrantPolicies.ForSelfIds(UserConsentPolicies());
            return missing.Where(m => !policies.Any(p => Allows(p, client, resource, m))).ToList();
        }

        /// <summary>defaultUserRolePermissions.permissionGrantPoliciesAssigned of the authorization policy.</summary>
        private IEnumerable<string> UserConsentPolicies() =>
            (_store.AuthorizationPolicy["defaultUserRolePermissions"]?["permissionGrantPoliciesAssigned"] as JsonArray)?
                .Select(n => (string?)n).Where(s => s != null).Select(s => s!) ?? Enumerable.Empty<string>();

        private static bool Allows(string policy, UserClient client, TokenResource resource, string scope)
        {
            if (resource.IsAdminOnlyScope(scope)) return false;
            if (string.Equals(policy, PermissionGrantPolicies.UserDefaultLegacy, StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(policy, PermissionGrantPolicies.UserDefaultLow, StringComparison.OrdinalIgnoreCase))
                return client.Foreign == null && resource.Kind == TokenResourceKind.MicrosoftGraph &&
                    PermissionGrantPolicies.LowImpactGraphScopes.Contains(scope, StringComparer.OrdinalIgnoreCase);
            return false;
        }

        /// <summary>Whether the admin consent workflow is on (adminConsentRequestPolicy.isEnabled): users may then request approval.</summary>
        public bool AdminConsentRequestsEnabled => (bool?)_store.AdminConsentRequestPolicy["isEnabled"] == true;

        private (List<string> Granted, List<string> PreAuthorized, List<string> Missing) Consented(UserClient client, ScopeRequest scopes, ServicePrincipalEntity? sp, string principal)
        {
            var resource = scopes.Resource;
            bool graph = resource.Kind == TokenResourceKind.MicrosoftGraph;
            var granted = sp == null ? new List<string>() : ScopesGrantedTo(sp.Id, resource.ServicePrincipal!.Id, principal);
            List<string> wanted;
            if (!scopes.IsDefault) wanted = scopes.Permissions.ToList();
            else if (client.Application != null) wanted = resource.StaticScopes(client.Application);
            else wanted = graph && granted.Count == 0 ? BuiltInAdministrator.Scopes.ToList() : new List<string>();
            // Pre-authorised scopes count as consented without a grant object: the token carries them as it carries granted ones.
            var preAuthorized = resource.PreAuthorizedScopes(client.AppId);
            var missing = wanted.Where(w => !granted.Contains(w, StringComparer.OrdinalIgnoreCase) && !preAuthorized.Contains(w, StringComparer.OrdinalIgnoreCase)).ToList();
            return (granted, preAuthorized, missing);
        }

        /// <summary>
        /// The delegated scopes the client holds on a resource for a user: AllPrincipals grants and the user's own Principal
        /// grants whose resourceId is the resource's service principal (oauth2permissiongrant).
        /// </summary>
        private List<string> ScopesGrantedTo(string clientServicePrincipalId, string resourceServicePrincipalId, string principal)
        {
            var scopes = new List<string>();
            foreach (var g in _store.GrantsOfClient(clientServicePrincipalId))
            {
                if (!Entity.SameKey(g.ResourceId, resourceServicePrincipalId)) continue;
                if (g.ConsentType != "AllPrincipals" && !Entity.SameKey(g.PrincipalId, principal)) continue;
                foreach (var s in (g.Scope ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                    if (!scopes.Contains(s, StringComparer.OrdinalIgnoreCase)) scopes.Add(s);
            }
            return scopes;
        }

        /// <summary>The client's service principal here; consent makes it when there is none.</summary>
        public ServicePrincipalEntity ServicePrincipalFor(UserClient client) =>
            _store.FindServicePrincipalByAppId(client.AppId) ?? ServicePrincipalForConsent(client);

        /// <summary>An administrator's consent for the organization: the scopes are added to the client's AllPrincipals grant on the resource.</summary>
        public void GrantForOrganization(ServicePrincipalEntity client, TokenResource resource, IEnumerable<string> scopes) =>
            GrantTo(client.Id, resource.ServicePrincipal!.Id, scopes, forOrganization: true, principal: "");

        /// <summary>Consent gives the client a service principal in the tenant when it has none (app-objects-and-service-principals).</summary>
        private ServicePrincipalEntity ServicePrincipalForConsent(UserClient client)
        {
            if (client.Application != null)
            {
                // As POST /servicePrincipals by the administrator, and replication lag applies. Its owner organization is the
                // application's home tenant: this one, or for a multi-tenant application of another tenant, that tenant.
                var sp = new ServicePrincipalEntity(_factory.ForApplication(client.Application, client.Foreign?.HomeTenantId ?? _store.TenantId));
                _store.AddServicePrincipal(sp, _clock.VisibleAt);
                return sp;
            }
            var firstParty = new ServicePrincipalEntity(_factory.ForFirstPartyClient(client.AppId, client.DisplayName));
            _store.AddServicePrincipal(firstParty, DateTimeOffset.MinValue);
            return firstParty;
        }

        /// <summary>
        /// Adds scopes to the user's Principal grant for the client on the resource (or, <paramref name="forOrganization"/>,
        /// to its AllPrincipals grant), creating it if needed.
        /// </summary>
        private void GrantTo(string clientServicePrincipalId, string resourceServicePrincipalId, IEnumerable<string> scopes, bool forOrganization, string principal)
        {
            string consentType = forOrganization ? "AllPrincipals" : "Principal";
            var grant = _store.GrantsOfClient(clientServicePrincipalId).FirstOrDefault(g =>
                Entity.SameKey(g.ResourceId, resourceServicePrincipalId) && g.ConsentType == consentType && (forOrganization || Entity.SameKey(g.PrincipalId, principal)));
            if (grant != null)
            {
                var existing = (grant.Scope ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                grant.Scope = string.Join(" ", existing.Concat(scopes.Where(s => !existing.Contains(s, StringComparer.OrdinalIgnoreCase))));
                return;
            }
            _store.AddGrant(new GrantEntity(new JsonObject
            {
                ["clientId"] = clientServicePrincipalId,
                ["consentType"] = consentType,
                ["id"] = OpaqueId.New(),
                ["principalId"] = forOrganization ? null : principal,
                ["resourceId"] = resourceServicePrincipalId,
                ["scope"] = string.Join(" ", scopes),
            }));
        }
    }
}
