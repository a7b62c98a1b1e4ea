using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Diagnostics;
using EntraAppKit.LocalTenant.Handlers;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.ResourceManager;
using static EntraAppKit.LocalTenant.Authorization.GraphPermissions;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>
    /// Every route the tenant answers, in one place: the Graph entity sets with their permission gates and key lookups, each
    /// Graph route (methods, pattern, permission, handler), $batch, and the identity endpoints. To add a Graph endpoint: write
    /// the handler method (Handlers/, one class per resource, reading and writing through ITenantStore), name the permissions
    /// of its reference page in GraphPermissions, and add its Route here (a new entity set also gets its EntitySet).
    /// </summary>
    internal sealed class RouteTable
    {
        private static readonly string[] Get = { "GET" };
        private static readonly string[] Post = { "POST" };
        private static readonly string[] Patch = { "PATCH" };
        private static readonly string[] Delete = { "DELETE" };
        private static readonly string[] Put = { "PUT" };
        /// <summary>$count answers whatever the method (as it always has); not a write, though a non-GET is saved like one.</summary>
        private static readonly string[] AnyMethod = Array.Empty<string>();

        private readonly Dictionary<string, EntitySet> _sets;
        private readonly Dictionary<string, IReadOnlyList<Route>> _routesBySet;

        public RouteTable(ApplicationsHandler applications, PasswordCredentialsHandler passwords, KeyCredentialsHandler keys, ServicePrincipalsHandler servicePrincipals,
            AppRoleAssignmentsHandler assignments, OAuth2PermissionGrantsHandler grants, OrganizationHandler organization, DomainsHandler domains,
            UsersHandler users, RoleAssignmentsHandler roles, PoliciesHandler policies, OwnersHandler owners, BatchHandler batch, DiscoveryEndpoint discovery, TokenEndpoint token, DeviceCodeEndpoint deviceCode,
            ManagedIdentityEndpoint managedIdentity, ResourceManagerEndpoint resourceManager, AuthorizeEndpoint authorize)
        {
            var readApplications = PermissionRequirement.Any(ReadApplications);
            var writeApplications = PermissionRequirement.Any(WriteApplications);
            // application-addkey, application-removekey: "An application does not need any specific permission to roll its own keys."
            var rollKeys = writeApplications.OrItself();
            var writeAssignments = PermissionRequirement.Any(WriteAssignments);
            var readGrants = PermissionRequirement.Any(ReadGrants);
            var writeGrants = PermissionRequirement.Any(WriteGrants);
            var readOrganization = PermissionRequirement.Any(ReadOrganization).OrDelegated(UserRead);
            var readDomains = PermissionRequirement.Any(ReadDomains);
            var writeOwners = PermissionRequirement.Any(WriteOwners);
            var readMe = PermissionRequirement.DelegatedOnly(MeNeedsDelegated, ReadMe);
            var readUsers = PermissionRequirement.Any(ReadUsers);
            var writeUsers = PermissionRequirement.Any(WriteUsers);
            var readRoles = PermissionRequirement.Any(ReadDirectoryRoles);
            var writeRoles = PermissionRequirement.Any(WriteDirectoryRoles);
            // Each policy demands its own permissions in PoliciesHandler; the set's gates are any permission that reads (writes) one.
            var readPolicy = PermissionRequirement.Any(ReadAnyPolicy);
            var writePolicy = PermissionRequirement.Any(WriteAnyPolicy);
            var readGrantPolicies = PermissionRequirement.Any(ReadPermissionGrantPolicies);

            EntitySets = new[]
            {
                // Every write permission also reads, so reading is the gate of every request to the set.
                new EntitySet("applications", readApplications, applications.Resolve),
                new EntitySet("servicePrincipals", readApplications, servicePrincipals.Resolve),
                new EntitySet("oauth2PermissionGrants", readGrants, grants.Resolve, writeGate: writeGrants),
                new EntitySet("organization", readOrganization, organization.Resolve, methods: Get),
                new EntitySet("domains", readDomains, domains.Resolve, methods: Get),
                new EntitySet("me", readMe, users.ResolveMe, methods: Get),
                new EntitySet("users", readUsers, users.Resolve, writeGate: writeUsers),
                new EntitySet("roleManagement", readRoles, roles.Resolve, writeGate: writeRoles),
                new EntitySet("policies", readPolicy, policies.Resolve, writeGate: writePolicy),
            };

            var routes = new List<Route>
            {
                // learn.microsoft.com/graph/api/resources/application
                new Route(Get, "applications", readApplications, Sync(applications.List)),
                new Route(Post, "applications", writeApplications, Sync(applications.Create)),
                new Route(AnyMethod, "applications/$count", readApplications, Sync(applications.Count)),
                new Route(Patch, "applications/{uniqueName}", writeApplications, Sync(applications.Upsert)),
                new Route(Get, "applications/{key}", readApplications, Sync(applications.Get)),
                new Route(Patch, "applications/{key}", writeApplications, Sync(applications.Update)),
                new Route(Delete, "applications/{key}", writeApplications, Sync(applications.Delete)),
            };
            routes.AddRange(Action("applications/{key}/addPassword", writeApplications, passwords.Add));
            routes.AddRange(Action("applications/{key}/removePassword", writeApplications, passwords.Remove));
            routes.AddRange(Action("applications/{key}/addKey", rollKeys, keys.Add));
            routes.AddRange(Action("applications/{key}/removeKey", rollKeys, keys.Remove));
            routes.AddRange(Owners("applications", readApplications, writeOwners, owners));
            routes.AddRange(Owners("servicePrincipals", readApplications, writeOwners, owners));
            routes.AddRange(Action("servicePrincipals/{key}/addPassword", writeApplications, passwords.Add));
            routes.AddRange(Action("servicePrincipals/{key}/removePassword", writeApplications, passwords.Remove));
            routes.AddRange(Action("servicePrincipals/{key}/addKey", rollKeys, keys.Add));
            routes.AddRange(Action("servicePrincipals/{key}/removeKey", rollKeys, keys.Remove));
            routes.AddRange(new[]
            {
                // learn.microsoft.com/graph/api/resources/serviceprincipal
                new Route(Get, "servicePrincipals", readApplications, Sync(servicePrincipals.List)),
                new Route(Post, "servicePrincipals", writeApplications.AfterPayload(), Sync(servicePrincipals.Create)),
                new Route(AnyMethod, "servicePrincipals/$count", readApplications, Sync(servicePrincipals.Count)),
                new Route(Patch, "servicePrincipals/{appId}", writeApplications, Sync(servicePrincipals.Upsert)),
                new Route(Get, "servicePrincipals/{key}", readApplications, Sync(servicePrincipals.Get)),
                new Route(Patch, "servicePrincipals/{key}", writeApplications, Sync(servicePrincipals.Update)),
                new Route(Delete, "servicePrincipals/{key}", writeApplications, Sync(servicePrincipals.Delete)),

                // learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto: "AppRoleAssignment.ReadWrite.All and Application.Read.All"
                new Route(Get, "servicePrincipals/{key}/appRoleAssignedTo", readApplications, Sync(assignments.ListAssignedTo)),
                new Route(Post, "servicePrincipals/{key}/appRoleAssignedTo", writeAssignments, Sync(assignments.Create)),
                new Route(Get, "servicePrincipals/{key}/appRoleAssignedTo/{id}", readApplications, Sync(assignments.GetAssignedTo), resolveId: assignments.ResolveAssignedTo),
                new Route(Delete, "servicePrincipals/{key}/appRoleAssignedTo/{id}", writeAssignments, Sync(assignments.Delete), resolveId: assignments.ResolveAssignedTo),
                new Route(Get, "servicePrincipals/{key}/appRoleAssignments", readApplications, Sync(assignments.ListAssignments)),
                new Route(Get, "servicePrincipals/{key}/appRoleAssignments/{id}", readApplications, Sync(assignments.GetAssignment), resolveId: assignments.ResolveAssignment),
                new Route(Delete, "servicePrincipals/{key}/appRoleAssignments/{id}", writeAssignments, Sync(assignments.Delete), resolveId: assignments.ResolveAssignment),

                // learn.microsoft.com/graph/api/resources/oauth2permissiongrant
                new Route(Get, "oauth2PermissionGrants", readGrants, Sync(grants.List)),
                new Route(Post, "oauth2PermissionGrants", writeGrants, Sync(grants.Create)),
                new Route(Get, "oauth2PermissionGrants/{key}", readGrants, Sync(grants.Get)),
                new Route(Patch, "oauth2PermissionGrants/{key}", writeGrants, Sync(grants.Update)),
                new Route(Delete, "oauth2PermissionGrants/{key}", writeGrants, Sync(grants.Delete)),

                // learn.microsoft.com/graph/api/organization-list, learn.microsoft.com/graph/api/domain-list
                new Route(Get, "organization", readOrganization, Sync(organization.List)),
                new Route(Get, "organization/{key}", readOrganization, Sync(organization.Get)),
                new Route(Get, "domains", readDomains, Sync(domains.List)),
                new Route(Get, "domains/{key}", readDomains, Sync(domains.Get)),

                // learn.microsoft.com/graph/api/user-get (GET /me)
                new Route(Get, "me", readMe, Sync(users.Me)),

                // learn.microsoft.com/graph/api/resources/user
                new Route(Get, "users", readUsers, Sync(users.List)),
                new Route(Post, "users", writeUsers, Sync(users.Create)),
                new Route(AnyMethod, "users/$count", readUsers, Sync(users.Count)),
                new Route(Get, "users/{key}", readUsers, Sync(users.Get)),
                new Route(Patch, "users/{key}", writeUsers, Sync(users.Update)),
                new Route(Delete, "users/{key}", writeUsers, Sync(users.Delete)),

                // learn.microsoft.com/graph/api/resources/unifiedroleassignment, /graph/api/resources/unifiedroledefinition
                new Route(Get, "roleManagement", readRoles, Sync(roles.Root)),
                new Route(Get, "roleManagement/{key}/roleAssignments", readRoles, Sync(roles.List)),
                new Route(Post, "roleManagement/{key}/roleAssignments", writeRoles, Sync(roles.Create)),
                new Route(Get, "roleManagement/{key}/roleAssignments/{id}", readRoles, Sync(roles.Get), resolveId: roles.ResolveAssignment),
                new Route(Delete, "roleManagement/{key}/roleAssignments/{id}", writeRoles, Sync(roles.Delete), resolveId: roles.ResolveAssignment),
                new Route(Get, "roleManagement/{key}/roleDefinitions", readRoles, Sync(roles.ListDefinitions)),
                new Route(Get, "roleManagement/{key}/roleDefinitions/{id}", readRoles, Sync(roles.GetDefinition), resolveId: roles.ResolveDefinition),

                // learn.microsoft.com/graph/api/resources/authorizationpolicy, /graph/api/resources/adminconsentrequestpolicy,
                // /graph/api/resources/permissiongrantpolicy
                new Route(Get, "policies", readPolicy, Sync(policies.Root)),
                new Route(Get, "policies/{key}", readPolicy, Sync(policies.Get)),
                new Route(Patch, "policies/{key}", writePolicy, Sync(policies.Update)),
                new Route(Put, "policies/{key}", writePolicy, Sync(policies.Replace)),
                new Route(Get, "policies/{key}/{id}", readGrantPolicies, Sync(policies.GetGrantPolicy), resolveId: policies.ResolveGrantPolicy),
            });
            GraphRoutes = routes;
            // Graph reads entity set, navigation and action names without regard to case: az 2.45 deletes a grant at
            // /oAuth2PermissionGrants/{id} (azure/cli/command_modules/role/_msgrpah/_graph_client.py), and gets its 204.
            _sets = EntitySets.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
            _routesBySet = routes.GroupBy(r => r.EntitySet).ToDictionary(g => g.Key, g => (IReadOnlyList<Route>)g.ToList(), StringComparer.OrdinalIgnoreCase);

            // learn.microsoft.com/graph/json-batching: each item is authorised as the request it is.
            Batch = new Route(Post, "$batch", PermissionRequirement.EachBatchItem, batch.HandleAsync);

            IdentityRoutes = new[]
            {
                // App Service's managed identity endpoint (IDENTITY_ENDPOINT).
                new IdentityRoute("msi/token", false, managedIdentity.Token),
                new IdentityRoute("{tenant}/v2.0/.well-known/openid-configuration", false, discovery.Configuration),
                new IdentityRoute("{tenant}/.well-known/openid-configuration", true, discovery.Configuration),
                new IdentityRoute("{tenant}/discovery/v2.0/keys", false, discovery.Keys),
                new IdentityRoute("{tenant}/discovery/keys", true, discovery.Keys),
                new IdentityRoute("{tenant}/oauth2/v2.0/token", false, token.Token),
                new IdentityRoute("{tenant}/oauth2/token", true, token.Token),
                new IdentityRoute("{tenant}/oauth2/v2.0/devicecode", false, deviceCode.Issue),
                // The authorization endpoint (v2-oauth2-auth-code-flow, v2-protocols-oidc), and v1's with resource=.
                new IdentityRoute("{tenant}/oauth2/v2.0/authorize", false, authorize.Authorize),
                new IdentityRoute("{tenant}/oauth2/authorize", true, authorize.Authorize),
                // The admin consent endpoint (v2-admin-consent), and v1's without scope=.
                new IdentityRoute("{tenant}/v2.0/adminconsent", false, authorize.AdminConsent),
                new IdentityRoute("{tenant}/adminconsent", true, authorize.AdminConsent),
                // MSAL's AAD instance discovery (learn.microsoft.com/entra/msal/dotnet/advanced/instance-discovery).
                new IdentityRoute("{tenant}/discovery/instance", false, new InstanceDiscoveryEndpoint().Instance),
                // The Azure Resource Manager calls of az login (learn.microsoft.com/rest/api/resources/tenants/list, subscriptions/list).
                new IdentityRoute("tenants", false, resourceManager.Tenants, RequestKind.ResourceManager),
                new IdentityRoute("subscriptions", false, resourceManager.Subscriptions, RequestKind.ResourceManager),
            };
        }

        public IReadOnlyList<EntitySet> EntitySets { get; }

        /// <summary>The Graph routes below the entity sets (not $batch).</summary>
        public IReadOnlyList<Route> GraphRoutes { get; }

        /// <summary>POST /$batch, which runs outside the tenant's lock: its items take the lock one by one.</summary>
        public Route Batch { get; }

        public IReadOnlyList<IdentityRoute> IdentityRoutes { get; }

        /// <summary>Every Graph route, $batch included.</summary>
        public IEnumerable<Route> AllGraphRoutes => GraphRoutes.Concat(new[] { Batch });

        public EntitySet? FindEntitySet(string name) => _sets.TryGetValue(name, out var set) ? set : null;

        public IReadOnlyList<Route> RoutesOf(string entitySet) => _routesBySet.TryGetValue(entitySet, out var routes) ? routes : Array.Empty<Route>();

        /// <summary>An OData action answers POST under its name and its namespace-qualified alias (microsoft.graph.addPassword).</summary>
        private static IEnumerable<Route> Action(string pattern, PermissionRequirement requirement, Func<RouteContext, GraphResponse> handler)
        {
            int slash = pattern.LastIndexOf('/');
            yield return new Route(Post, pattern, requirement, Sync(handler), isAction: true);
            yield return new Route(Post, pattern.Substring(0, slash + 1) + "microsoft.graph." + pattern.Substring(slash + 1), requirement, Sync(handler), isAction: true);
        }

        /// <summary>
        /// learn.microsoft.com/graph/api/application-list-owners, application-post-owners, application-delete-owners (and the
        /// servicePrincipal pages): the owners navigation and its $ref.
        /// </summary>
        private static IEnumerable<Route> Owners(string set, PermissionRequirement read, PermissionRequirement write, OwnersHandler owners)
        {
            yield return new Route(Get, set + "/{key}/owners", read, Sync(owners.List));
            yield return new Route(Post, set + "/{key}/owners/$ref", write, Sync(owners.Add));
            yield return new Route(Delete, set + "/{key}/owners/{id}/$ref", write, Sync(owners.Remove), resolveId: owners.ResolveOwner);
        }

        private static Func<RouteContext, CancellationToken, Task<GraphResponse>> Sync(Func<RouteContext, GraphResponse> handler) =>
            (context, cancellationToken) => Task.FromResult(handler(context));
    }
}
