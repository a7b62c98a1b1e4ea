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
    /// /policies/authorizationPolicy: read (learn.microsoft.com/graph/api/authorizationpolicy-get) and update
    /// (authorizationpolicy-update). Its defaultUserRolePermissions.allowedToCreateApps decides whether members may register
    /// applications (GraphAuthorizer.DemandApplicationCreate).
    /// </summary>
    internal sealed class PoliciesHandler
    {
        private const string PolicyType = "authorizationPolicy";
        private const string PolicyResource = "AuthorizationPolicy";

        private readonly ITenantStore _store;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;

        public PoliciesHandler(ITenantStore store, GraphSchema schema, GraphAuthorizer authorizer) { _store = store; _schema = schema; _authorizer = authorizer; }

        /// <summary>/policies/{name}: the authorization policy only (Graph's other policies are not modelled).</summary>
        public object Resolve(string keyName, string keyValue) =>
            keyName == "id" && keyValue == AuthorizationPolicyDefaults.Id ? _store.AuthorizationPolicy : throw GraphException.NoRoute(keyValue);

        /// <summary>GET /policies: the policyRoot singleton, whose members are all navigation properties (not expanded).</summary>
        public GraphResponse Root(RouteContext c) => Json(200, new JsonObject { ["@odata.context"] = c.ServiceRoot + "/$metadata#policies" });

        public GraphResponse Get(RouteContext c) =>
            Json(200, EntityProjection.Project(_store.AuthorizationPolicy, c.ServiceRoot + "/$metadata#policies/authorizationPolicy", c.Request, _schema, PolicyType));

        /// <summary>
        /// "Existing properties that aren't included in the request body maintains their previous values" (authorizationpolicy-update),
        /// defaultUserRolePermissions' members too. A signed-in user needs "the Privileged Role Administrator Microsoft Entra role".
        /// </summary>
        public GraphResponse Update(RouteContext c)
        {
            _authorizer.DemandRoleManagement(c.Caller);
            var body = c.Body;
            _schema.Validate(PolicyType, body, PolicyResource);
            GraphPayload.RejectReadOnly(body, "id", "deletedDateTime");
            var policy = _store.AuthorizationPolicy;
            foreach (var kv in body.ToList())
            {
                if (kv.Key.StartsWith("@odata.", System.StringComparison.Ordinal)) continue;
                if (kv.Key == "defaultUserRolePermissions")
                {
                    var permissions = policy["defaultUserRolePermissions"]!.AsObject();
                    foreach (var p in kv.Value!.AsObject().Where(p => !p.Key.StartsWith("@odata.", System.StringComparison.Ordinal)).ToList())
                        permissions[p.Key] = p.Value?.DeepClone();
                }
                else policy[kv.Key] = kv.Value?.DeepClone();
            }
            return NoContent();
        }
    }
}
