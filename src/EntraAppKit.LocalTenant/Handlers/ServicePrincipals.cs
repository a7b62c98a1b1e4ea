using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Query;

namespace EntraAppKit.LocalTenant
{
    // /servicePrincipals and their app role assignments (graph-ground-truth §0.2, §0.7, §0.8).
    public sealed partial class LocalTenantEngine
    {
        private const string SpType = "servicePrincipal";
        private const string SpResource = "ServicePrincipal";
        private const string AssignmentType = "appRoleAssignment";

        private static readonly string[] SpReadOnly =
        {
            "id", "appId", "appOwnerOrganizationId", "appDisplayName", "createdDateTime", "deletedDateTime", "servicePrincipalType", "signInAudience",
        };

        private GraphResponse ServicePrincipals(GraphRequest request, string? keyName, string? keyValue, string[] rest)
        {
            string root = ServiceRoot(request);
            string context = root + "/$metadata#servicePrincipals";
            Demand(request, ReadApplications); // every write permission also reads
            if (keyName == null)
            {
                if (rest.Length == 1 && rest[0] == "$count") return Count(request, _state.ServicePrincipals);
                if (rest.Length > 0) throw GraphException.NoRoute(rest[0]);
                RequireMethod(request, "GET", "POST");
                if (request.Method == "GET")
                    return Json(200, CollectionQuery.Parse(request, Schema, SpType, SpResource).Page(_state.ServicePrincipals.Visible(Now), request, context));
                return Json(201, Entity(CreateServicePrincipal(ParseBody(request), null, CallerOf(request)), context, request, Schema, SpType));
            }

            if (keyName == "appId" && request.Method == "PATCH" && rest.Length == 0)
            {
                Demand(request, WriteApplications);
                var body = ParseBody(request);
                var existing = _state.ServicePrincipals.All.FirstOrDefault(s => Eq(s["appId"], keyValue!));
                if (existing == null)
                {
                    bool create = (request.Header("Prefer") ?? "").IndexOf("create-if-missing", StringComparison.OrdinalIgnoreCase) >= 0;
                    if (!create) throw GraphException.NotFound(keyValue!);
                    return Json(201, Entity(CreateServicePrincipal(body, keyValue, CallerOf(request)), context, request, Schema, SpType));
                }
                if (!_state.ServicePrincipals.IsVisible((string)existing["id"]!, Now)) throw GraphException.NotFound(keyValue!);
                DemandServicePrincipalWrite(request, existing);
                UpdateServicePrincipal(existing, body);
                return NoContent();
            }

            var sp = FindServicePrincipal(keyName, keyValue!);
            string spId = (string)sp["id"]!;
            if (rest.Length >= 1 && (rest[0] == "appRoleAssignedTo" || rest[0] == "appRoleAssignments"))
            {
                bool assignedTo = rest[0] == "appRoleAssignedTo";
                string navContext = $"{root}/$metadata#servicePrincipals('{spId}')/{rest[0]}";
                Func<JsonObject, bool> belongs = a => Eq(assignedTo ? a["resourceId"] : a["principalId"], spId);
                if (rest.Length == 1)
                {
                    RequireMethod(request, assignedTo ? new[] { "GET", "POST" } : new[] { "GET" });
                    if (request.Method == "GET")
                        return Json(200, CollectionQuery.Parse(request, Schema, AssignmentType, "AppRoleAssignment").Page(_state.Assignments.All.Where(belongs), request, navContext));
                    Demand(request, WriteAssignments);
                    return Json(201, Entity(CreateAssignment(sp, ParseBody(request)), navContext, request, Schema, AssignmentType));
                }
                if (rest.Length == 2)
                {
                    var assignment = _state.Assignments.Find(rest[1]);
                    if (assignment == null || !belongs(assignment)) throw GraphException.NotFound(rest[1]);
                    RequireMethod(request, "GET", "DELETE");
                    if (request.Method == "GET") return Json(200, Entity(assignment, navContext, request, Schema, AssignmentType));
                    Demand(request, WriteAssignments);
                    _state.Assignments.Remove(rest[1]);
                    return NoContent();
                }
            }
            if (rest.Length > 0) throw GraphException.NoRoute(rest[0]);
            RequireMethod(request, "GET", "PATCH", "DELETE");
            switch (request.Method)
            {
                case "GET": return Json(200, Entity(sp, context, request, Schema, SpType));
                case "PATCH":
                    DemandServicePrincipalWrite(request, sp);
                    UpdateServicePrincipal(sp, ParseBody(request));
                    return NoContent();
                default:
                    if (_state.IsBuiltIn(sp)) throw Denied();
                    DemandServicePrincipalWrite(request, sp);
                    DeleteServicePrincipal(sp);
                    return NoContent();
            }
        }

        private JsonObject FindServicePrincipal(string keyName, string keyValue)
        {
            JsonObject? sp;
            switch (keyName)
            {
                case "id": sp = _state.ServicePrincipals.Find(keyValue); break;
                case "appId":
                    if (!Guid.TryParse(keyValue, out _))
                        throw GraphException.BadRequest("Invalid value specified for object reference property 'appId'. Please ensure that this value has an appropriate syntax and length.");
                    sp = _state.ServicePrincipals.All.FirstOrDefault(s => Eq(s["appId"], keyValue));
                    break;
                default: throw GraphException.BadRequest($"The alternate key '{keyName}' is not defined for the type 'microsoft.graph.servicePrincipal'.");
            }
            if (sp == null || !_state.ServicePrincipals.IsVisible((string)sp["id"]!, Now)) throw GraphException.NotFound(keyValue);
            return sp;
        }

        /// <summary>
        /// POST /servicePrincipals {"appId"}: the backing application must exist and be replicated (§0.7, §7). With
        /// Application.ReadWrite.OwnedBy only, the caller must own that application.
        /// </summary>
        private JsonObject CreateServicePrincipal(JsonObject body, string? appIdFromKey, Identity.Caller caller)
        {
            if (!caller.HasAny(WriteApplications)) throw Denied();
            bool ownedByOnly = !caller.Has("Application.ReadWrite.All");
            Schema.Validate(SpType, body, SpResource);
            string? appId = appIdFromKey ?? (string?)body["appId"];
            if (appIdFromKey != null && body.ContainsKey("appId") && !Eq(body["appId"], appIdFromKey)) throw GraphException.InvalidValue("appId", SpResource);
            if (appId == null) throw GraphException.BadRequest("Property 'appId' is required.");
            var bodyWithoutAppId = (JsonObject)body.DeepClone();
            bodyWithoutAppId.Remove("appId");
            RejectReadOnly(bodyWithoutAppId, SpReadOnly);
            if (_state.ServicePrincipals.All.Any(s => Eq(s["appId"], appId)))
                throw new GraphException(409, "Request_MultipleObjectsWithSameKeyValue", "Another object with the same value for property servicePrincipalNames already exists.");
            var app = _state.Applications.All.FirstOrDefault(a => Eq(a["appId"], appId));
            if (app == null || !_state.Applications.IsVisible((string)app["id"]!, Now))
            {
                // §7: with OwnedBy, a missing (or not yet replicated) backing application is this 403, not the 400 below.
                if (ownedByOnly) throw Denied("When using this permission, the backing application of the service principal being created must in the local tenant");
                throw new GraphException(400, "Request_BadRequest", $"The appId '{appId}' of the service principal does not reference a valid application object.",
                    new[] { ("NoBackingApplicationObject", $"The appId '{appId}' of the service principal does not reference a valid application object.", "appId") });
            }
            if (ownedByOnly && !Owns(caller, app)) throw Denied();

            var sp = ServicePrincipalDefaults.New(Schema);
            sp["id"] = Guid.NewGuid().ToString();
            sp["appId"] = (string)app["appId"]!;
            // No createdDateTime or publisherName: those are beta-only, not in the v1.0 servicePrincipal (graph-v1.0-schema.json).
            sp["servicePrincipalType"] = "Application";
            sp["appOwnerOrganizationId"] = _state.TenantId;
            sp["displayName"] = (string?)app["displayName"];
            SyncFromApplication(sp, app);
            Merge(sp, bodyWithoutAppId, SpType, ServicePrincipalDefaults.Materialized);
            _state.ServicePrincipals.Add(sp, VisibleAt);
            return sp;
        }

        private void UpdateServicePrincipal(JsonObject sp, JsonObject body)
        {
            Schema.Validate(SpType, body, SpResource);
            RejectReadOnly(body, SpReadOnly);
            Merge(sp, body, SpType, ServicePrincipalDefaults.Materialized);
        }

        private void DeleteServicePrincipal(JsonObject sp)
        {
            string id = (string)sp["id"]!;
            _state.ServicePrincipals.Remove(id);
            _state.Grants.RemoveWhere(g => Eq(g["clientId"], id) || Eq(g["resourceId"], id));
            _state.Assignments.RemoveWhere(a => Eq(a["principalId"], id) || Eq(a["resourceId"], id));
        }

        /// <summary>The home-tenant service principal mirrors its application's definition.</summary>
        private void SyncServicePrincipal(JsonObject app)
        {
            var sp = _state.ServicePrincipals.All.FirstOrDefault(s => Eq(s["appId"], (string)app["appId"]!));
            if (sp != null) SyncFromApplication(sp, app);
        }

        private void SyncFromApplication(JsonObject sp, JsonObject app)
        {
            string appId = (string)app["appId"]!;
            sp["appDisplayName"] = (string?)app["displayName"];
            sp["displayName"] = (string?)app["displayName"];
            sp["appDescription"] = app["description"]?.DeepClone();
            sp["signInAudience"] = app["signInAudience"]?.DeepClone();
            sp["appRoles"] = app["appRoles"]!.DeepClone();
            sp["oauth2PermissionScopes"] = app["api"]?["oauth2PermissionScopes"]?.DeepClone() ?? new JsonArray();
            var names = new JsonArray(appId);
            foreach (var uri in app["identifierUris"]!.AsArray()) names.Add((string)uri!);
            sp["servicePrincipalNames"] = names;
            var replyUrls = new JsonArray();
            foreach (var platform in new[] { "web", "spa", "publicClient" })
                foreach (var uri in app[platform]?["redirectUris"]?.AsArray() ?? new JsonArray()) replyUrls.Add((string)uri!);
            sp["replyUrls"] = replyUrls;
            sp["homepage"] = app["web"]?["homePageUrl"]?.DeepClone();
            sp["logoutUrl"] = app["web"]?["logoutUrl"]?.DeepClone();
            sp["info"] = app["info"]?.DeepClone();
        }

        /// <summary>POST /servicePrincipals/{resource}/appRoleAssignedTo (§0.8): grants an application permission.</summary>
        private JsonObject CreateAssignment(JsonObject resourceSp, JsonObject body)
        {
            Schema.Validate(AssignmentType, body, "AppRoleAssignment");
            RejectReadOnly(body, "id", "createdDateTime", "deletedDateTime", "principalDisplayName", "principalType", "resourceDisplayName");
            string? principalId = (string?)body["principalId"];
            string? resourceId = (string?)body["resourceId"];
            string? appRoleId = (string?)body["appRoleId"];
            if (principalId == null) throw GraphException.InvalidValue("principalId", "AppRoleAssignment");
            if (appRoleId == null) throw GraphException.InvalidValue("appRoleId", "AppRoleAssignment");
            if (resourceId == null || !Eq(resourceSp["id"], resourceId)) throw GraphException.InvalidValue("resourceId", "AppRoleAssignment");
            var principal = _state.ServicePrincipals.Find(principalId);
            if (principal == null || !_state.ServicePrincipals.IsVisible(principalId, Now)) throw GraphException.NotFound(principalId);
            var role = resourceSp["appRoles"]!.AsArray().FirstOrDefault(r => Eq(r!["id"], appRoleId) &&
                r["allowedMemberTypes"]!.AsArray().Any(t => (string?)t == "Application") && (bool?)r["isEnabled"] == true);
            if (role == null)
                throw GraphException.BadRequest($"Permission being assigned was not found on application '{(string)resourceSp["appId"]!}'.");
            if (_state.Assignments.All.Any(a => Eq(a["principalId"], principalId) && Eq(a["resourceId"], resourceId) && Eq(a["appRoleId"], appRoleId)))
                throw GraphException.BadRequest("Permission being assigned already exists on the object");
            var assignment = new JsonObject
            {
                ["id"] = NewOpaqueId(),
                ["deletedDateTime"] = null,
                ["appRoleId"] = appRoleId.ToLowerInvariant(),
                ["createdDateTime"] = PreciseTimestamp(Now),
                ["principalDisplayName"] = principal["displayName"]?.DeepClone(),
                ["principalId"] = (string)principal["id"]!,
                ["principalType"] = "ServicePrincipal",
                ["resourceDisplayName"] = resourceSp["displayName"]?.DeepClone(),
                ["resourceId"] = (string)resourceSp["id"]!,
            };
            _state.Assignments.Add(assignment, DateTimeOffset.MinValue);
            return assignment;
        }
    }
}
