using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
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
    /// /applications: list, count, create (learn.microsoft.com/graph/api/application-post-applications), read, update
    /// (learn.microsoft.com/graph/api/application-update), upsert by uniqueName (learn.microsoft.com/graph/api/application-upsert)
    /// and delete.
    /// </summary>
    internal sealed class ApplicationsHandler
    {
        private const string AppType = "application";
        private const string AppResource = "Application";

        private static readonly string[] ReadOnly = { "id", "appId", "createdDateTime", "publisherDomain", "deletedDateTime", "createdByAppId" };

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly GraphSchema _schema;
        private readonly PatchMerge _merge;
        private readonly GraphAuthorizer _authorizer;
        private readonly ApplicationValidator _validator;

        public ApplicationsHandler(ITenantStore store, TenantClock clock, GraphSchema schema, GraphAuthorizer authorizer)
        {
            _store = store; _clock = clock; _schema = schema; _authorizer = authorizer;
            _merge = new PatchMerge(schema);
            _validator = new ApplicationValidator(store);
        }

        private static string Context(RouteContext c) => c.ServiceRoot + "/$metadata#applications";

        private JsonObject Project(JsonObject app, RouteContext c) => EntityProjection.Project(app, Context(c), c.Request, _schema, AppType);

        /// <summary>Finds an application by id, appId or uniqueName; a missing or not yet replicated one is Graph's 404.</summary>
        public object Resolve(string keyName, string keyValue)
        {
            ApplicationEntity? app;
            switch (keyName)
            {
                case "id": app = _store.FindApplication(keyValue); break;
                case "appId": app = _store.FindApplicationByAppId(keyValue); break;
                case "uniqueName": app = _store.FindApplicationByUniqueName(keyValue); break;
                default: throw GraphException.BadRequest($"The alternate key '{keyName}' is not defined for the type 'microsoft.graph.application'.");
            }
            if (keyName == "appId" && !Guid.TryParse(keyValue, out _))
                throw GraphException.InvalidReference("appId");
            if (app == null || !_store.IsVisible(app, _clock.Now)) throw GraphException.NotFound(keyValue);
            return app;
        }

        public GraphResponse List(RouteContext c)
        {
            var query = CollectionQuery.Parse(c.Request, _schema, AppType, AppResource);
            return Json(200, KeyCredentials.PageWithoutKeys(query.Page(Candidates(query).Select(a => a.Json), c.Request, Context(c))));
        }

        /// <summary>The visible applications a $filter can match: by the index when it names a uniqueName or appId, else all.</summary>
        private IEnumerable<ApplicationEntity> Candidates(CollectionQuery query)
        {
            var now = _clock.Now;
            if (query.Filter?.RequiredValue("uniqueName") is string uniqueName)
                return _store.ApplicationsByUniqueName(uniqueName).Where(a => _store.IsVisible(a, now));
            if (query.Filter?.RequiredValue("appId") is string appId)
                return _store.FindVisibleApplicationByAppId(appId, now) is ApplicationEntity app ? new[] { app } : Enumerable.Empty<ApplicationEntity>();
            return _store.VisibleApplications(now);
        }

        public GraphResponse Count(RouteContext c) => RawCount.Answer(c.Request, () => _store.VisibleApplications(_clock.Now).Count());

        public GraphResponse Create(RouteContext c) => Json(201, KeyCredentials.WithoutKeys(Project(CreateApplication(c.Body, null, c.Caller).Json, c)));

        /// <summary>One application; its keys' material only on $select=keyCredentials (<see cref="KeyCredentials.Selected"/>).</summary>
        public GraphResponse Get(RouteContext c)
        {
            var answered = Project(c.ItemAs<ApplicationEntity>().Json, c);
            return Json(200, KeyCredentials.Selected(c.Request) ? answered : KeyCredentials.WithoutKeys(answered));
        }

        public GraphResponse Update(RouteContext c)
        {
            var app = c.ItemAs<ApplicationEntity>();
            _authorizer.DemandApplicationWrite(c.Caller, app);
            UpdateApplication(app, c.Body);
            return NoContent();
        }

        /// <summary>Deleting the application deletes its service principal in the home tenant (learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals).</summary>
        public GraphResponse Delete(RouteContext c)
        {
            var app = c.ItemAs<ApplicationEntity>();
            _authorizer.DemandApplicationWrite(c.Caller, app);
            _store.RemoveApplication(app);
            var sp = _store.FindServicePrincipalByAppId(app.AppId);
            if (sp != null) _store.RemoveServicePrincipal(sp);
            return NoContent();
        }

        /// <summary>PATCH /applications(uniqueName='…'): 201 with the object when created (Prefer: create-if-missing), 204 when updated, 404 otherwise.</summary>
        public GraphResponse Upsert(RouteContext c)
        {
            string uniqueName = c.KeyValue!;
            var body = c.Body;
            var existing = _store.FindApplicationByUniqueName(uniqueName);
            if (existing != null)
            {
                if (!_store.IsVisible(existing, _clock.Now)) throw GraphException.NotFound(uniqueName);
                _authorizer.DemandApplicationWrite(c.Caller, existing);
                UpdateApplication(existing, body);
                return NoContent();
            }
            if (!c.Request.Prefers("create-if-missing")) throw GraphException.NotFound(uniqueName);
            if (body.ContainsKey("uniqueName") && !Entity.SameKey(Entity.TextOf(body["uniqueName"]), uniqueName))
                throw GraphException.InvalidValue("uniqueName", AppResource);
            return Json(201, KeyCredentials.WithoutKeys(Project(CreateApplication(body, uniqueName, c.Caller).Json, c)));
        }

        /// <summary>Creates an application owned by <paramref name="creator"/> (an app-only creator must own it to change it with OwnedBy).</summary>
        private ApplicationEntity CreateApplication(JsonObject body, string? uniqueName, Caller creator)
        {
            _authorizer.DemandApplicationCreate(creator);
            _schema.Validate(AppType, body, AppResource);
            GraphPayload.RejectReadOnly(body, ReadOnly);
            if (body["passwordCredentials"] is JsonArray pw && pw.Count > 0)
                throw GraphException.BadRequest("Adding passwordCredential when creating applications is not supported. Use the addPassword method.");
            if (!(body["displayName"] is JsonValue dn) || string.IsNullOrWhiteSpace((string?)dn))
                throw GraphException.BadRequest("Property 'displayName' is required.");

            var json = ApplicationDefaults.New(_schema);
            json["signInAudience"] = "AzureADandPersonalMicrosoftAccount"; // Graph's default when omitted
            _merge.Apply(json, body, AppType, ApplicationDefaults.Materialized, AppResource);
            ApplicationDefaults.Normalize(json);
            if (uniqueName != null) json["uniqueName"] = uniqueName;
            bool tokenVersionGiven = body["api"] is JsonObject api && api.ContainsKey("requestedAccessTokenVersion");
            if (!tokenVersionGiven)
                json["api"]!["requestedAccessTokenVersion"] = ApplicationValidator.IsPersonalAudience((string?)json["signInAudience"]) ? 2 : (int?)null;

            json["id"] = Guid.NewGuid().ToString();
            json["appId"] = Guid.NewGuid().ToString();
            json["createdDateTime"] = GraphTimestamp.Seconds(_clock.Now);
            json["publisherDomain"] = _store.InitialDomain;
            KeyCredentials.Normalize(json);
            _validator.Validate(json, null);
            var app = new ApplicationEntity(json);
            _store.AddApplication(app, _clock.VisibleAt);
            _store.AddOwner(app, creator.ObjectId);
            return app;
        }

        private void UpdateApplication(ApplicationEntity app, JsonObject body)
        {
            _schema.Validate(AppType, body, AppResource);
            GraphPayload.RejectReadOnly(body, ReadOnly);
            if (body.ContainsKey("passwordCredentials"))
                throw GraphException.BadRequest("Using PATCH to set passwordCredential is not supported. Use the addPassword and removePassword methods.");
            if (body.ContainsKey("uniqueName") && app.UniqueName != null && !Entity.SameKey(Entity.TextOf(body["uniqueName"]), app.UniqueName))
                throw GraphException.BadRequest("Property 'uniqueName' can be updated only if null and is immutable once set.");
            var updated = (JsonObject)app.Json.DeepClone();
            _merge.Apply(updated, body, AppType, ApplicationDefaults.Materialized, AppResource);
            ApplicationDefaults.Normalize(updated);
            KeyCredentials.Normalize(updated, AppResource, app.Json);
            _validator.Validate(updated, app.Json);
            _store.ReplaceApplication(app, updated);
            // The home-tenant service principal mirrors its application's definition.
            var sp = _store.FindServicePrincipalByAppId(app.AppId);
            if (sp != null) ServicePrincipalFactory.MirrorApplication(sp.Json, app);
        }
    }
}
