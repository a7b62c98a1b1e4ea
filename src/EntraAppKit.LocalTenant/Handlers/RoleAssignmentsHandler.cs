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
    /// /roleManagement/directory: role assignments (learn.microsoft.com/graph/api/rbacapplication-post-roleassignments,
    /// rbacapplication-list-roleassignments, unifiedroleassignment-get, unifiedroleassignment-delete) of the built-in roles
    /// the tenant knows, tenant-wide ("/"), and those roles' definitions (rbacapplication-list-roledefinitions).
    /// </summary>
    internal sealed class RoleAssignmentsHandler
    {
        private const string AssignmentType = "unifiedRoleAssignment";
        private const string AssignmentResource = "UnifiedRoleAssignment";
        private const string DefinitionType = "unifiedRoleDefinition";

        /// <summary>The one RBAC provider here: directory roles.</summary>
        private static readonly object Directory = new object();

        private readonly ITenantStore _store;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;
        private readonly UserAccounts _accounts;

        public RoleAssignmentsHandler(ITenantStore store, GraphSchema schema, GraphAuthorizer authorizer, UserAccounts accounts)
        {
            _store = store; _schema = schema; _authorizer = authorizer; _accounts = accounts;
        }

        /// <summary>/roleManagement/{provider}: directory only (Graph's other providers, such as entitlementManagement, are not modelled).</summary>
        public object Resolve(string keyName, string keyValue) =>
            keyName == "id" && keyValue == "directory" ? Directory : throw GraphException.NoRoute(keyValue);

        /// <summary>GET /roleManagement: the roleManagement singleton, whose members are all navigation properties (not expanded).</summary>
        public GraphResponse Root(RouteContext c) => Json(200, new JsonObject { ["@odata.context"] = c.ServiceRoot + "/$metadata#roleManagement" });

        private static string AssignmentsContext(RouteContext c) => c.ServiceRoot + "/$metadata#roleManagement/directory/roleAssignments";

        private static string DefinitionsContext(RouteContext c) => c.ServiceRoot + "/$metadata#roleManagement/directory/roleDefinitions";

        public object ResolveAssignment(RouteContext c, string id) => _store.FindRoleAssignment(id) ?? throw GraphException.NotFound(id);

        public object ResolveDefinition(RouteContext c, string id) =>
            DirectoryRoles.Find(id) ?? throw GraphException.NotFound(id);

        public GraphResponse List(RouteContext c) =>
            Json(200, CollectionQuery.Parse(c.Request, _schema, AssignmentType, AssignmentResource)
                .Page(_store.RoleAssignments.Select(a => a.Json), c.Request, AssignmentsContext(c)));

        public GraphResponse Get(RouteContext c) =>
            Json(200, EntityProjection.Project(c.MemberAs<RoleAssignmentEntity>().Json, AssignmentsContext(c), c.Request, _schema, AssignmentType));

        public GraphResponse Create(RouteContext c)
        {
            _authorizer.DemandRoleManagement(c.Caller);
            var body = c.Body;
            _schema.Validate(AssignmentType, body, AssignmentResource);
            GraphPayload.RejectReadOnly(body, "id");
            string? principalId = Entity.TextOf(body["principalId"]);
            string? roleDefinitionId = Entity.TextOf(body["roleDefinitionId"]);
            if (principalId == null || !Guid.TryParse(principalId, out _)) throw GraphException.InvalidValue("principalId", AssignmentResource);
            if (roleDefinitionId == null) throw GraphException.InvalidValue("roleDefinitionId", AssignmentResource);
            // Only tenant-wide assignments: administrative units and single applications as scopes are not modelled.
            if (Entity.TextOf(body["directoryScopeId"]) != "/" || body["appScopeId"] != null) throw GraphException.InvalidValue("directoryScopeId", AssignmentResource);
            var role = DirectoryRoles.Find(roleDefinitionId) ?? throw GraphException.NotFound(roleDefinitionId);
            if (_store.FindUser(principalId) == null && _store.FindServicePrincipal(principalId) == null) throw GraphException.NotFound(principalId);
            var assignment = _accounts.Assign(principalId, role);
            return Json(201, EntityProjection.Project(assignment.Json, AssignmentsContext(c), c.Request, _schema, AssignmentType));
        }

        public GraphResponse Delete(RouteContext c)
        {
            _authorizer.DemandRoleManagement(c.Caller);
            _store.RemoveRoleAssignment(c.MemberAs<RoleAssignmentEntity>());
            return NoContent();
        }

        /// <summary>A built-in role's definition: its id is its template id (resources/unifiedroledefinition).</summary>
        private static JsonObject Definition(DirectoryRoles.Role role) => new JsonObject
        {
            ["id"] = role.Id,
            ["description"] = role.Description,
            ["displayName"] = role.DisplayName,
            ["isBuiltIn"] = true,
            ["isEnabled"] = true,
            ["templateId"] = role.Id,
            ["version"] = "1",
        };

        public GraphResponse ListDefinitions(RouteContext c) =>
            Json(200, CollectionQuery.Parse(c.Request, _schema, DefinitionType, "UnifiedRoleDefinition")
                .Page(DirectoryRoles.All.Select(Definition), c.Request, DefinitionsContext(c)));

        public GraphResponse GetDefinition(RouteContext c) =>
            Json(200, EntityProjection.Project(Definition(c.MemberAs<DirectoryRoles.Role>()), DefinitionsContext(c), c.Request, _schema, DefinitionType));
    }
}
