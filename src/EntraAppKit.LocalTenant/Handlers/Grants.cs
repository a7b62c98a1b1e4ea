using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Query;

namespace EntraAppKit.LocalTenant
{
    // /oauth2PermissionGrants: delegated admin consent (graph-ground-truth §0.9, §7).
    public sealed partial class LocalTenantEngine
    {
        private const string GrantType = "oAuth2PermissionGrant";
        private const string GrantResource = "OAuth2PermissionGrant";

        /// <summary>Right after a service principal is created, Graph can fail a grant with 404 and still apply it (§7). On by default.</summary>
        public bool LaggedGrantWritesApply { get; set; } = true;

        private GraphResponse Grants(GraphRequest request, string? keyName, string? keyValue, string[] rest)
        {
            string context = ServiceRoot(request) + "/$metadata#oauth2PermissionGrants";
            Demand(request, request.Method == "GET" ? ReadGrants : WriteGrants);
            if (rest.Length > 0) throw GraphException.NoRoute(rest[0]);
            if (keyName == null)
            {
                RequireMethod(request, "GET", "POST");
                if (request.Method == "GET")
                    return Json(200, CollectionQuery.Parse(request, Schema, GrantType, GrantResource).Page(_state.Grants.All, request, context));
                return Json(201, Entity(CreateGrant(ParseBody(request)), context, request, Schema, GrantType));
            }
            if (keyName != "id") throw GraphException.BadRequest($"The alternate key '{keyName}' is not defined for the type 'microsoft.graph.oAuth2PermissionGrant'.");
            var grant = _state.Grants.Find(keyValue!) ?? throw GraphException.NotFound(keyValue!);
            RequireMethod(request, "GET", "PATCH", "DELETE");
            switch (request.Method)
            {
                case "GET": return Json(200, Entity(grant, context, request, Schema, GrantType));
                case "PATCH":
                    var body = ParseBody(request);
                    Schema.Validate(GrantType, body, GrantResource);
                    foreach (var kv in body)
                        if (kv.Key != "scope") throw GraphException.ReadOnly(kv.Key);
                    grant["scope"] = CheckScope(body["scope"]);
                    return NoContent();
                default:
                    _state.Grants.Remove(keyValue!);
                    return NoContent();
            }
        }

        private JsonObject CreateGrant(JsonObject body)
        {
            Schema.Validate(GrantType, body, GrantResource);
            RejectReadOnly(body, "id");
            string? clientId = (string?)body["clientId"];
            string? resourceId = (string?)body["resourceId"];
            string? consentType = (string?)body["consentType"];
            string? principalId = (string?)body["principalId"];
            if (consentType != "AllPrincipals" && consentType != "Principal") throw GraphException.InvalidValue("consentType", GrantResource);
            if (consentType == "AllPrincipals" && principalId != null) throw GraphException.InvalidValue("principalId", GrantResource);
            if (consentType == "Principal" && principalId == null) throw GraphException.InvalidValue("principalId", GrantResource);
            if (clientId == null) throw GraphException.InvalidValue("clientId", GrantResource);
            if (resourceId == null) throw GraphException.InvalidValue("resourceId", GrantResource);
            string scope = CheckScope(body["scope"]);
            var client = _state.ServicePrincipals.Find(clientId) ?? throw GraphException.NotFound(clientId);
            var resource = _state.ServicePrincipals.Find(resourceId) ?? throw GraphException.NotFound(resourceId);
            if (_state.Grants.All.Any(g => Eq(g["clientId"], clientId) && Eq(g["resourceId"], resourceId) &&
                    (string?)g["consentType"] == consentType && (string?)g["principalId"] == principalId))
                throw GraphException.BadRequest("Permission entry already exists.");
            var grant = new JsonObject
            {
                ["clientId"] = (string)client["id"]!,
                ["consentType"] = consentType,
                ["id"] = NewOpaqueId(),
                ["principalId"] = principalId,
                ["resourceId"] = (string)resource["id"]!,
                ["scope"] = scope,
            };
            bool lagged = !_state.ServicePrincipals.IsVisible(clientId, Now) || !_state.ServicePrincipals.IsVisible(resourceId, Now);
            if (lagged)
            {
                if (LaggedGrantWritesApply)
                {
                    _state.Grants.Add(grant, DateTimeOffset.MinValue);
                    Persist(); // the write applied although the caller sees a 404, and only 2xx answers are saved otherwise
                }
                throw new GraphException(404, "Directory_ObjectNotFound", "Unable to read the company information from the directory.");
            }
            _state.Grants.Add(grant, DateTimeOffset.MinValue);
            return grant;
        }

        /// <summary>scope is a space-separated list of values, at most 3850 characters (§0.9).</summary>
        private static string CheckScope(JsonNode? node)
        {
            string? scope = (string?)node;
            if (scope == null || scope.Length > 3850) throw GraphException.InvalidValue("scope", GrantResource);
            return scope;
        }
    }
}
