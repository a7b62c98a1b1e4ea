using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Query;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Authorization.GraphPermissions;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// The tenant's settings under /policies:
    /// <list type="bullet">
    /// <item>/policies/authorizationPolicy: read (learn.microsoft.com/graph/api/authorizationpolicy-get) and update
    /// (authorizationpolicy-update). Its defaultUserRolePermissions.allowedToCreateApps decides whether members may register
    /// applications (GraphAuthorizer.DemandApplicationCreate), its defaultUserRolePermissions.permissionGrantPoliciesAssigned
    /// what they may consent to (Identity/UserConsent).</item>
    /// <item>/policies/adminConsentRequestPolicy: read (adminconsentrequestpolicy-get) and replace (adminconsentrequestpolicy-update,
    /// PUT; PATCH, which Microsoft's Graph SDKs send for it, updates the members it names).</item>
    /// <item>/policies/permissionGrantPolicies: Graph's built-in policies, listed and read (permissiongrantpolicy-list,
    /// permissiongrantpolicy-get); the local tenant keeps no custom ones, so a write is 405.</item>
    /// </list>
    /// Each policy demands its own permissions here, after the router's gate (any permission that reads some policy).
    /// </summary>
    internal sealed class PoliciesHandler
    {
        private const string PolicyType = "authorizationPolicy";
        private const string PolicyResource = "AuthorizationPolicy";
        private const string RequestPolicyType = "adminConsentRequestPolicy";
        private const string GrantPolicyType = "permissionGrantPolicy";

        /// <summary>The item /policies/permissionGrantPolicies resolves to: the collection, whose members resolve by id.</summary>
        private sealed class GrantPolicies { public static readonly GrantPolicies Instance = new GrantPolicies(); }

        private readonly ITenantStore _store;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;

        public PoliciesHandler(ITenantStore store, GraphSchema schema, GraphAuthorizer authorizer) { _store = store; _schema = schema; _authorizer = authorizer; }

        /// <summary>/policies/{name}: the three policies above (Graph's other policies are not modelled).</summary>
        public object Resolve(string keyName, string keyValue)
        {
            if (keyName != "id") throw GraphException.NoRoute(keyValue);
            if (string.Equals(keyValue, AuthorizationPolicyDefaults.Id, StringComparison.OrdinalIgnoreCase)) return _store.AuthorizationPolicy;
            if (string.Equals(keyValue, AdminConsentRequestPolicyDefaults.Id, StringComparison.OrdinalIgnoreCase)) return RequestPolicyMarker.Instance;
            if (string.Equals(keyValue, "permissionGrantPolicies", StringComparison.OrdinalIgnoreCase)) return GrantPolicies.Instance;
            throw GraphException.NoRoute(keyValue);
        }

        /// <summary>The admin consent request policy as an item (the store replaces its object on PUT, so the route holds a marker).</summary>
        private sealed class RequestPolicyMarker { public static readonly RequestPolicyMarker Instance = new RequestPolicyMarker(); }

        /// <summary>/policies/permissionGrantPolicies/{id}: a built-in policy, or Graph's 404.</summary>
        public object ResolveGrantPolicy(RouteContext c, string id)
        {
            if (!(c.Item is GrantPolicies)) throw GraphException.NoRoute(id);
            return PermissionGrantPolicies.Find(id, _store.TenantId) ?? throw GraphException.NotFound(id);
        }

        /// <summary>GET /policies: the policyRoot singleton, whose members are all navigation properties (not expanded).</summary>
        public GraphResponse Root(RouteContext c) => Json(200, new JsonObject { ["@odata.context"] = c.ServiceRoot + "/$metadata#policies" });

        public GraphResponse Get(RouteContext c)
        {
            switch (c.Item)
            {
                case RequestPolicyMarker _:
                    // adminconsentrequestpolicy-get: Policy.Read.All or Policy.ReadWrite.ConsentRequest (or Directory.*).
                    _authorizer.Demand(c.Caller, PermissionRequirement.Any(ReadConsentRequestPolicy));
                    return Json(200, EntityProjection.Project(_store.AdminConsentRequestPolicy, c.ServiceRoot + "/$metadata#policies/adminConsentRequestPolicy", c.Request, _schema, RequestPolicyType));
                case GrantPolicies _:
                    _authorizer.Demand(c.Caller, PermissionRequirement.Any(ReadPermissionGrantPolicies));
                    return Json(200, CollectionQuery.Parse(c.Request, _schema, GrantPolicyType, "PermissionGrantPolicy")
                        .Page(PermissionGrantPolicies.All(_store.TenantId), c.Request, c.ServiceRoot + "/$metadata#policies/permissionGrantPolicies"));
                default:
                    _authorizer.Demand(c.Caller, PermissionRequirement.Any(ReadAuthorizationPolicy));
                    return Json(200, EntityProjection.Project(_store.AuthorizationPolicy, c.ServiceRoot + "/$metadata#policies/authorizationPolicy", c.Request, _schema, PolicyType));
            }
        }

        /// <summary>GET /policies/permissionGrantPolicies/{id} (permissiongrantpolicy-get).</summary>
        public GraphResponse GetGrantPolicy(RouteContext c)
        {
            _authorizer.Demand(c.Caller, PermissionRequirement.Any(ReadPermissionGrantPolicies));
            return Json(200, EntityProjection.Project(c.MemberAs<JsonObject>(), c.ServiceRoot + "/$metadata#policies/permissionGrantPolicies", c.Request, _schema, GrantPolicyType));
        }

        /// <summary>
        /// PATCH. The authorization policy: "Existing properties that aren't included in the request body maintains their
        /// previous values" (authorizationpolicy-update), defaultUserRolePermissions' members too; a signed-in user needs "the
        /// Privileged Role Administrator Microsoft Entra role". The admin consent request policy: the members named.
        /// </summary>
        public GraphResponse Update(RouteContext c)
        {
            if (c.Item is RequestPolicyMarker) return WriteRequestPolicy(c, replace: false);
            if (c.Item is GrantPolicies) throw GraphException.MethodNotAllowed();
            _authorizer.Demand(c.Caller, PermissionRequirement.Any(WriteAuthorizationPolicy));
            _authorizer.DemandRoleManagement(c.Caller);
            var body = c.Body;
            _schema.Validate(PolicyType, body, PolicyResource);
            GraphPayload.RejectReadOnly(body, "id", "deletedDateTime");
            var policy = _store.AuthorizationPolicy;
            foreach (var kv in body.ToList())
            {
                if (kv.Key.StartsWith("@odata.", StringComparison.Ordinal)) continue;
                if (kv.Key == "defaultUserRolePermissions")
                {
                    var permissions = policy["defaultUserRolePermissions"]!.AsObject();
                    foreach (var p in kv.Value!.AsObject().Where(p => !p.Key.StartsWith("@odata.", StringComparison.Ordinal)).ToList())
                        permissions[p.Key] = p.Value?.DeepClone();
                }
                else policy[kv.Key] = kv.Value?.DeepClone();
            }
            return NoContent();
        }

        /// <summary>PUT /policies/adminConsentRequestPolicy (adminconsentrequestpolicy-update); any other policy: 405.</summary>
        public GraphResponse Replace(RouteContext c) =>
            c.Item is RequestPolicyMarker ? WriteRequestPolicy(c, replace: true) : throw GraphException.MethodNotAllowed();

        /// <summary>
        /// adminconsentrequestpolicy-update: Policy.ReadWrite.ConsentRequest; as a signed-in user, "Cloud Application
        /// Administrator" or "Application Administrator" (or a Global Administrator). The body's isEnabled, notifyReviewers,
        /// remindersEnabled, requestDurationInDays and reviewers are "required" on PUT; each reviewer is an
        /// accessReviewReviewerScope (its example: {"query": "/users/{id}", "queryType": "MicrosoftGraph"}). Answers 204.
        /// </summary>
        private GraphResponse WriteRequestPolicy(RouteContext c, bool replace)
        {
            _authorizer.Demand(c.Caller, PermissionRequirement.Any(WriteConsentRequestPolicy));
            _authorizer.DemandApplicationAdministration(c.Caller);
            var body = c.Body;
            _schema.Validate(RequestPolicyType, body, "AdminConsentRequestPolicy");
            GraphPayload.RejectReadOnly(body, "id", "version");
            if (replace)
                foreach (var required in new[] { "isEnabled", "notifyReviewers", "remindersEnabled", "requestDurationInDays", "reviewers" })
                    if (body[required] == null) throw GraphException.BadRequest($"The property '{required}' is required."); // the text is the local tenant's
            var next = (JsonObject)_store.AdminConsentRequestPolicy.DeepClone();
            foreach (var kv in body.Where(kv => !kv.Key.StartsWith("@odata.", StringComparison.Ordinal)).ToList()) next[kv.Key] = kv.Value?.DeepClone();
            int days = (int)next["requestDurationInDays"]!;
            // The portal offers 1 to 30 days ("Consent request expires after (days)", configure-admin-consent-workflow); 0 is what a
            // tenant that never enabled the workflow reads (adminconsentrequestpolicy-get). The bound is an inference from both.
            if (days < 0 || days > 30) throw GraphException.InvalidValue("requestDurationInDays", "AdminConsentRequestPolicy");
            foreach (var reviewer in next["reviewers"]!.AsArray())
            {
                // Annotations a client sends (the Graph SDKs' @odata.type) are not kept.
                foreach (var annotation in reviewer!.AsObject().Where(kv => kv.Key.StartsWith("@odata.", StringComparison.Ordinal)).ToList()) reviewer.AsObject().Remove(annotation.Key);
                string? query = (string?)reviewer!["query"];
                if (string.IsNullOrWhiteSpace(query)) throw GraphException.InvalidValue("reviewers", "AdminConsentRequestPolicy");
                // A user reviewer must exist in the tenant: "/users/{id}".
                if (query!.StartsWith("/users/", StringComparison.OrdinalIgnoreCase) && _store.FindUser(query.Substring("/users/".Length)) == null)
                    throw GraphException.InvalidValue("reviewers", "AdminConsentRequestPolicy");
            }
            next["version"] = (int)(next["version"] ?? 0) + 1;
            _store.AdminConsentRequestPolicy = next;
            return NoContent();
        }
    }
}
