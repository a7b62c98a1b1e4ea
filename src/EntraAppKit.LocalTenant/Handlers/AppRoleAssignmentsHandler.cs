using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Query;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// A service principal's app role assignments: appRoleAssignedTo (the roles others hold on it; POST grants an application
    /// permission to a service principal, or assigns a user to the app, learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto)
    /// and appRoleAssignments (the roles it holds).
    /// </summary>
    internal sealed class AppRoleAssignmentsHandler
    {
        public const string AssignedTo = "appRoleAssignedTo";
        public const string Assignments = "appRoleAssignments";

        private const string AssignmentType = "appRoleAssignment";
        private const string AssignmentResource = "AppRoleAssignment";

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;

        public AppRoleAssignmentsHandler(ITenantStore store, TenantClock clock, GraphSchema schema, GraphAuthorizer authorizer)
        {
            _store = store; _clock = clock; _schema = schema; _authorizer = authorizer;
        }

        /// <summary>Granting (or revoking) an app role of <paramref name="resourceId"/>: for a signed-in user, GraphAuthorizer.DemandAppRoleAssignment.</summary>
        private void DemandConsent(Caller caller, string? resourceId)
        {
            var resource = resourceId == null ? null : _store.FindServicePrincipal(resourceId);
            if (resource != null) _authorizer.DemandAppRoleAssignment(caller, resource);
        }

        private static string Context(RouteContext c, string navigation) =>
            $"{c.ServiceRoot}/$metadata#servicePrincipals('{c.ItemAs<ServicePrincipalEntity>().Id}')/{navigation}";

        /// <summary>{id} below appRoleAssignedTo: an assignment of one of this service principal's roles, or 404.</summary>
        public object ResolveAssignedTo(RouteContext c, string id) => Resolve(c, id, a => a.ResourceId);

        /// <summary>{id} below appRoleAssignments: an assignment this service principal holds, or 404.</summary>
        public object ResolveAssignment(RouteContext c, string id) => Resolve(c, id, a => a.PrincipalId);

        private object Resolve(RouteContext c, string id, Func<AssignmentEntity, string?> side)
        {
            var assignment = _store.FindAssignment(id);
            if (assignment == null || !Entity.SameKey(side(assignment), c.ItemAs<ServicePrincipalEntity>().Id)) throw GraphException.NotFound(id);
            return assignment;
        }

        public GraphResponse ListAssignedTo(RouteContext c) => List(c, AssignedTo, _store.AssignmentsTo(c.ItemAs<ServicePrincipalEntity>().Id));

        public GraphResponse ListAssignments(RouteContext c) => List(c, Assignments, _store.AssignmentsOf(c.ItemAs<ServicePrincipalEntity>().Id));

        private GraphResponse List(RouteContext c, string navigation, System.Collections.Generic.IEnumerable<AssignmentEntity> items) =>
            Json(200, CollectionQuery.Parse(c.Request, _schema, AssignmentType, AssignmentResource).Page(items.Select(a => a.Json), c.Request, Context(c, navigation)));

        public GraphResponse GetAssignedTo(RouteContext c) => Get(c, AssignedTo);

        public GraphResponse GetAssignment(RouteContext c) => Get(c, Assignments);

        private GraphResponse Get(RouteContext c, string navigation) =>
            Json(200, EntityProjection.Project(c.MemberAs<AssignmentEntity>().Json, Context(c, navigation), c.Request, _schema, AssignmentType));

        public GraphResponse Delete(RouteContext c)
        {
            DemandConsent(c.Caller, c.MemberAs<AssignmentEntity>().ResourceId);
            _store.RemoveAssignment(c.MemberAs<AssignmentEntity>());
            return NoContent();
        }

        public GraphResponse Create(RouteContext c)
        {
            DemandConsent(c.Caller, c.ItemAs<ServicePrincipalEntity>().Id);
            var assignment = CreateAssignment(c.ItemAs<ServicePrincipalEntity>(), c.Body);
            return Json(201, EntityProjection.Project(assignment.Json, Context(c, AssignedTo), c.Request, _schema, AssignmentType));
        }

        private AssignmentEntity CreateAssignment(ServicePrincipalEntity resourceSp, JsonObject body)
        {
            _schema.Validate(AssignmentType, body, AssignmentResource);
            GraphPayload.RejectReadOnly(body, "id", "createdDateTime", "deletedDateTime", "principalDisplayName", "principalType", "resourceDisplayName");
            string? principalId = (string?)body["principalId"];
            string? resourceId = (string?)body["resourceId"];
            string? appRoleId = (string?)body["appRoleId"];
            if (principalId == null) throw GraphException.InvalidValue("principalId", AssignmentResource);
            if (appRoleId == null) throw GraphException.InvalidValue("appRoleId", AssignmentResource);
            if (resourceId == null || !Entity.SameKey(resourceSp.Id, resourceId)) throw GraphException.InvalidValue("resourceId", AssignmentResource);
            if (_store.FindUser(principalId) is UserEntity user) return AssignUser(user, resourceSp, appRoleId);
            var principal = _store.FindServicePrincipal(principalId);
            if (principal == null || !_store.IsVisible(principal, _clock.Now)) throw GraphException.NotFound(principalId);
            var role = resourceSp.AppRoles.FirstOrDefault(r => Entity.SameKey(Entity.TextOf(r!["id"]), appRoleId) &&
                r["allowedMemberTypes"]!.AsArray().Any(t => (string?)t == "Application") && (bool?)r["isEnabled"] == true);
            if (role == null)
                throw GraphException.BadRequest($"Permission being assigned was not found on application '{resourceSp.AppId}'.");
            if (_store.AssignmentsOf(principalId).Any(a => Entity.SameKey(a.ResourceId, resourceId) && Entity.SameKey(a.AppRoleId, appRoleId)))
                throw GraphException.BadRequest("Permission being assigned already exists on the object");
            var assignment = AppRoleAssignmentFactory.ForServicePrincipal(principal, resourceSp, appRoleId, _clock.Now);
            _store.AddAssignment(assignment);
            return assignment;
        }

        /// <summary>
        /// A user assigned to the app: to one of its roles that allows users, or, for an app that declares none, to the default
        /// access role 00000000-0000-0000-0000-000000000000 (learn.microsoft.com/graph/api/resources/approleassignment: "If the
        /// resource application has not declared any app roles, a default app role ID of 00000000-0000-0000-0000-000000000000
        /// can be specified to signal that the principal is assigned to the resource app without any specific app roles").
        /// </summary>
        private AssignmentEntity AssignUser(UserEntity user, ServicePrincipalEntity resourceSp, string appRoleId)
        {
            bool defaultAccess = Entity.SameKey(appRoleId, Guid.Empty.ToString()) && !resourceSp.AppRoles.Any();
            bool userRole = resourceSp.AppRoles.Any(r => Entity.SameKey(Entity.TextOf(r!["id"]), appRoleId) &&
                r["allowedMemberTypes"]!.AsArray().Any(t => (string?)t == "User") && (bool?)r["isEnabled"] == true);
            if (!defaultAccess && !userRole)
                throw GraphException.BadRequest($"Permission being assigned was not found on application '{resourceSp.AppId}'.");
            if (_store.AssignmentsOf(user.Id).Any(a => Entity.SameKey(a.ResourceId, resourceSp.Id) && Entity.SameKey(a.AppRoleId, appRoleId)))
                throw GraphException.BadRequest("Permission being assigned already exists on the object");
            var assignment = AppRoleAssignmentFactory.ForUser(user, resourceSp, appRoleId, _clock.Now);
            _store.AddAssignment(assignment);
            return assignment;
        }
    }
}
