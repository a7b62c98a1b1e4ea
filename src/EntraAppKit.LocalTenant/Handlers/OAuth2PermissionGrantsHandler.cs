using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.Query;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>/oauth2PermissionGrants: delegated consent for all users or one (learn.microsoft.com/graph/api/oauth2permissiongrant-post).</summary>
    internal sealed class OAuth2PermissionGrantsHandler
    {
        private const string GrantType = "oAuth2PermissionGrant";
        private const string GrantResource = "OAuth2PermissionGrant";

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly GraphSchema _schema;
        private readonly RuntimeSettings _settings;
        private readonly TenantPersistence _persistence;
        private readonly GraphAuthorizer _authorizer;

        public OAuth2PermissionGrantsHandler(ITenantStore store, TenantClock clock, GraphSchema schema, RuntimeSettings settings, TenantPersistence persistence,
            GraphAuthorizer authorizer)
        {
            _store = store; _clock = clock; _schema = schema; _settings = settings; _persistence = persistence; _authorizer = authorizer;
        }

        private static string Context(RouteContext c) => c.ServiceRoot + "/$metadata#oauth2PermissionGrants";

        private JsonObject Project(JsonObject grant, RouteContext c) => EntityProjection.Project(grant, Context(c), c.Request, _schema, GrantType);

        public object Resolve(string keyName, string keyValue)
        {
            if (keyName != "id") throw GraphException.BadRequest($"The alternate key '{keyName}' is not defined for the type 'microsoft.graph.oAuth2PermissionGrant'.");
            return _store.FindGrant(keyValue) ?? throw GraphException.NotFound(keyValue);
        }

        public GraphResponse List(RouteContext c) =>
            Json(200, CollectionQuery.Parse(c.Request, _schema, GrantType, GrantResource).Page(_store.Grants.Select(g => g.Json), c.Request, Context(c)));

        public GraphResponse Create(RouteContext c) => Json(201, Project(CreateGrant(c.Body, c.Caller).Json, c));

        public GraphResponse Get(RouteContext c) => Json(200, Project(c.ItemAs<GrantEntity>().Json, c));

        /// <summary>Only scope changes ("To add scopes later, PATCH … {"scope": …}").</summary>
        public GraphResponse Update(RouteContext c)
        {
            var grant = c.ItemAs<GrantEntity>();
            DemandConsent(c.Caller, grant.ConsentType);
            var body = c.Body;
            _schema.Validate(GrantType, body, GrantResource);
            foreach (var kv in body)
                if (kv.Key != "scope") throw GraphException.ReadOnly(kv.Key);
            grant.Scope = CheckScope(body["scope"]);
            return NoContent();
        }

        public GraphResponse Delete(RouteContext c)
        {
            DemandConsent(c.Caller, c.ItemAs<GrantEntity>().ConsentType);
            _store.RemoveGrant(c.ItemAs<GrantEntity>());
            return NoContent();
        }

        /// <summary>
        /// A grant for all principals is tenant-wide admin consent: a signed-in user needs one of the roles
        /// learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent names (delegated permissions of any API). A
        /// grant for one user needs one of the roles oauth2permissiongrant-post supports.
        /// </summary>
        private void DemandConsent(Caller caller, string? consentType)
        {
            if (consentType == "AllPrincipals") _authorizer.DemandTenantWideConsent(caller, graphAppRole: false);
            else _authorizer.DemandPrincipalGrantWrite(caller);
        }

        private GrantEntity CreateGrant(JsonObject body, Caller caller)
        {
            _schema.Validate(GrantType, body, GrantResource);
            GraphPayload.RejectReadOnly(body, "id");
            string? clientId = (string?)body["clientId"];
            string? resourceId = (string?)body["resourceId"];
            string? consentType = (string?)body["consentType"];
            string? principalId = (string?)body["principalId"];
            if (consentType != "AllPrincipals" && consentType != "Principal") throw GraphException.InvalidValue("consentType", GrantResource);
            if (consentType == "AllPrincipals" && principalId != null) throw GraphException.InvalidValue("principalId", GrantResource);
            if (consentType == "Principal" && principalId == null) throw GraphException.InvalidValue("principalId", GrantResource);
            DemandConsent(caller, consentType);
            if (clientId == null) throw GraphException.InvalidValue("clientId", GrantResource);
            if (resourceId == null) throw GraphException.InvalidValue("resourceId", GrantResource);
            string scope = CheckScope(body["scope"]);
            var client = _store.FindServicePrincipal(clientId) ?? throw GraphException.NotFound(clientId);
            var resource = _store.FindServicePrincipal(resourceId) ?? throw GraphException.NotFound(resourceId);
            if (_store.GrantsOfClient(clientId).Any(g => Entity.SameKey(g.ResourceId, resourceId) && g.ConsentType == consentType && g.PrincipalId == principalId))
                throw GraphException.BadRequest("Permission entry already exists.");
            var grant = new GrantEntity(new JsonObject
            {
                ["clientId"] = client.Id,
                ["consentType"] = consentType,
                ["id"] = OpaqueId.New(),
                ["principalId"] = principalId,
                ["resourceId"] = resource.Id,
                ["scope"] = scope,
            });
            bool lagged = !_store.IsVisible(client, _clock.Now) || !_store.IsVisible(resource, _clock.Now);
            if (lagged)
            {
                // Right after a service principal is created, Graph can fail a grant with 404 and still apply it
                // (github.com/microsoftgraph/msgraph-sdk-dotnet/issues/3108).
                if (_settings.LaggedGrantWritesApply)
                {
                    _store.AddGrant(grant);
                    _persistence.Save(); // the write applied although the caller sees a 404, and only 2xx answers are saved otherwise
                }
                throw new GraphException(404, "Directory_ObjectNotFound", "Unable to read the company information from the directory.");
            }
            _store.AddGrant(grant);
            return grant;
        }

        /// <summary>scope is a space-separated list of values, at most 3850 characters (learn.microsoft.com/graph/resources/oauth2permissiongrant).</summary>
        private static string CheckScope(JsonNode? node)
        {
            string? scope = (string?)node;
            if (scope == null || scope.Length > 3850) throw GraphException.InvalidValue("scope", GrantResource);
            return scope;
        }
    }
}
