using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Query;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// /servicePrincipals: list, count, create for an application of this tenant or a multi-tenant application of another
    /// tenant of the local cloud (learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals; an administrator
    /// "provisions" a multi-tenant app this way, howto-convert-app-to-be-multi-tenant), read, update, upsert by appId
    /// (learn.microsoft.com/graph/api/serviceprincipal-upsert) and delete.
    /// </summary>
    internal sealed class ServicePrincipalsHandler
    {
        private const string SpType = "servicePrincipal";
        private const string SpResource = "ServicePrincipal";

        private static readonly string[] ReadOnly =
        {
            "id", "appId", "appOwnerOrganizationId", "appDisplayName", "createdDateTime", "deletedDateTime", "servicePrincipalType", "signInAudience",
        };

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly GraphSchema _schema;
        private readonly PatchMerge _merge;
        private readonly GraphAuthorizer _authorizer;
        private readonly ServicePrincipalFactory _factory;
        private readonly TenantNeighbours _neighbours;

        public ServicePrincipalsHandler(ITenantStore store, TenantClock clock, GraphSchema schema, GraphAuthorizer authorizer, ServicePrincipalFactory factory,
            TenantNeighbours neighbours)
        {
            _store = store; _clock = clock; _schema = schema; _authorizer = authorizer; _factory = factory; _neighbours = neighbours;
            _merge = new PatchMerge(schema);
        }

        private static string Context(RouteContext c) => c.ServiceRoot + "/$metadata#servicePrincipals";

        private JsonObject Project(JsonObject sp, RouteContext c) => EntityProjection.Project(sp, Context(c), c.Request, _schema, SpType);

        public object Resolve(string keyName, string keyValue)
        {
            ServicePrincipalEntity? sp;
            switch (keyName)
            {
                case "id": sp = _store.FindServicePrincipal(keyValue); break;
                case "appId":
                    if (!Guid.TryParse(keyValue, out _))
                        throw GraphException.InvalidReference("appId");
                    sp = _store.FindServicePrincipalByAppId(keyValue);
                    break;
                default: throw GraphException.BadRequest($"The alternate key '{keyName}' is not defined for the type 'microsoft.graph.servicePrincipal'.");
            }
            if (sp == null || !_store.IsVisible(sp, _clock.Now)) throw GraphException.NotFound(keyValue);
            return sp;
        }

        public GraphResponse List(RouteContext c)
        {
            var query = CollectionQuery.Parse(c.Request, _schema, SpType, SpResource);
            // By the index when the $filter names an appId (the recipes' lookup), else every visible principal.
            var candidates = query.Filter?.RequiredValue("appId") is string appId
                ? (_store.FindVisibleServicePrincipalByAppId(appId, _clock.Now) is ServicePrincipalEntity sp ? new[] { sp } : Enumerable.Empty<ServicePrincipalEntity>())
                : _store.VisibleServicePrincipals(_clock.Now);
            return Json(200, KeyCredentials.PageWithoutKeys(query.Page(candidates.Select(s => s.Json), c.Request, Context(c))));
        }

        public GraphResponse Count(RouteContext c) => RawCount.Answer(c.Request, () => _store.VisibleServicePrincipals(_clock.Now).Count());

        public GraphResponse Create(RouteContext c) => Json(201, KeyCredentials.WithoutKeys(Project(CreateServicePrincipal(c.Body, null, c.Caller).Json, c)));

        /// <summary>One service principal; its keys' material only on $select=keyCredentials (<see cref="KeyCredentials.Selected"/>).</summary>
        public GraphResponse Get(RouteContext c)
        {
            var answered = Project(c.ItemAs<ServicePrincipalEntity>().Json, c);
            return Json(200, KeyCredentials.Selected(c.Request) ? answered : KeyCredentials.WithoutKeys(answered));
        }

        public GraphResponse Update(RouteContext c)
        {
            var sp = c.ItemAs<ServicePrincipalEntity>();
            _authorizer.DemandServicePrincipalWrite(c.Caller, sp);
            UpdateServicePrincipal(sp, c.Body);
            return NoContent();
        }

        public GraphResponse Delete(RouteContext c)
        {
            var sp = c.ItemAs<ServicePrincipalEntity>();
            _authorizer.DemandDeletable(sp);
            _authorizer.DemandServicePrincipalWrite(c.Caller, sp);
            _store.RemoveServicePrincipal(sp);
            return NoContent();
        }

        /// <summary>PATCH /servicePrincipals(appId='…'): 201 when created (Prefer: create-if-missing), 204 when updated, 404 otherwise.</summary>
        public GraphResponse Upsert(RouteContext c)
        {
            string appId = c.KeyValue!;
            var body = c.Body;
            var existing = _store.FindServicePrincipalByAppId(appId);
            if (existing == null)
            {
                if (!c.Request.Prefers("create-if-missing")) throw GraphException.NotFound(appId);
                return Json(201, KeyCredentials.WithoutKeys(Project(CreateServicePrincipal(body, appId, c.Caller).Json, c)));
            }
            if (!_store.IsVisible(existing, _clock.Now)) throw GraphException.NotFound(appId);
            _authorizer.DemandServicePrincipalWrite(c.Caller, existing);
            UpdateServicePrincipal(existing, body);
            return NoContent();
        }

        /// <summary>
        /// POST /servicePrincipals {"appId"}: the backing application must exist and be replicated. With
        /// Application.ReadWrite.OwnedBy only, the caller must own that application.
        /// </summary>
        private ServicePrincipalEntity CreateServicePrincipal(JsonObject body, string? appIdFromKey, Caller caller)
        {
            bool ownedByOnly = _authorizer.IsLimitedToOwnedApplications(caller);
            _schema.Validate(SpType, body, SpResource);
            string? appId = appIdFromKey ?? (string?)body["appId"];
            if (appIdFromKey != null && body.ContainsKey("appId") && !Entity.SameKey(Entity.TextOf(body["appId"]), appIdFromKey))
                throw GraphException.InvalidValue("appId", SpResource);
            if (appId == null) throw GraphException.BadRequest("Property 'appId' is required.");
            var bodyWithoutAppId = (JsonObject)body.DeepClone();
            bodyWithoutAppId.Remove("appId");
            GraphPayload.RejectReadOnly(bodyWithoutAppId, ReadOnly);
            if (_store.FindServicePrincipalByAppId(appId) != null)
            {
                // Graph's 409 as New-MgServicePrincipal shows it (learn.microsoft.com, Windows Autopilot device preparation: the Intune
                // Provisioning Client service principal "already exists"), with the ObjectConflict detail clients receive beside it.
                string message = $"The service principal cannot be created, updated, or restored because the service principal name {appId} is already in use.";
                throw new GraphException(409, "Request_MultipleObjectsWithSameKeyValue", message, new[] { ("ObjectConflict", message, "None") });
            }
            var app = _store.FindApplicationByAppId(appId);
            string owner = _store.TenantId;
            if ((app == null || !_store.IsVisible(app, _clock.Now)) && !ownedByOnly && _neighbours.FindApplication(appId) is ForeignApplication foreign)
            {
                app = foreign.Application;
                owner = foreign.HomeTenantId;
            }
            else if (app == null || !_store.IsVisible(app, _clock.Now))
            {
                // With OwnedBy, a missing (or not yet replicated) backing application is this 403, not the 400 below.
                if (ownedByOnly) throw GraphAuthorizer.Denied("When using this permission, the backing application of the service principal being created must in the local tenant");
                throw new GraphException(400, "Request_BadRequest", $"The appId '{appId}' of the service principal does not reference a valid application object.",
                    new[] { ("NoBackingApplicationObject", $"The appId '{appId}' of the service principal does not reference a valid application object.", "appId") });
            }
            if (ownedByOnly && !_authorizer.Owns(caller, app)) throw GraphAuthorizer.Denied();

            var json = _factory.ForApplication(app, owner);
            _merge.Apply(json, bodyWithoutAppId, SpType, ServicePrincipalDefaults.Materialized, SpResource);
            // A service principal's own certificates are completed from the certificate as an application's are (resources/keycredential).
            KeyCredentials.Normalize(json, SpResource);
            var sp = new ServicePrincipalEntity(json);
            _store.AddServicePrincipal(sp, _clock.VisibleAt);
            // A signed-in user who creates a service principal becomes its owner, as with an application
            // (learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals, learn.microsoft.com/graph/api/serviceprincipal-list-owners).
            if (!caller.IsAppOnly) _store.AddOwner(sp.Id, caller.ObjectId);
            return sp;
        }

        /// <summary>PATCH merges in place; appId, the only indexed key, is read-only.</summary>
        private void UpdateServicePrincipal(ServicePrincipalEntity sp, JsonObject body)
        {
            _schema.Validate(SpType, body, SpResource);
            GraphPayload.RejectReadOnly(body, ReadOnly);
            // Checked on the body, before the in-place merge, so a refused key changes nothing.
            KeyCredentials.Normalize(body, SpResource, sp.Json);
            _merge.Apply(sp.Json, body, SpType, ServicePrincipalDefaults.Materialized, SpResource);
        }
    }
}
