using System.Collections.Generic;
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
    /// <summary>GET /organization: the tenant's own facts (learn.microsoft.com/graph/api/organization-list).</summary>
    internal sealed class OrganizationHandler
    {
        private readonly ITenantStore _store;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;

        public OrganizationHandler(ITenantStore store, GraphSchema schema, GraphAuthorizer authorizer)
        {
            _store = store; _schema = schema; _authorizer = authorizer;
        }

        private static string Context(RouteContext c) => c.ServiceRoot + "/$metadata#organization";

        /// <summary>Any key names the one organization by its id (the tenant id); anything else is 404.</summary>
        public object Resolve(string keyName, string keyValue) =>
            Entity.SameKey(_store.TenantId, keyValue) ? _store.TenantId : throw GraphException.NotFound(keyValue);

        public GraphResponse List(RouteContext c) =>
            Json(200, CollectionQuery.Parse(c.Request, _schema, "organization", "Organization").Page(new[] { Organization(c.Caller) }, c.Request, Context(c)));

        public GraphResponse Get(RouteContext c) =>
            Json(200, EntityProjection.Project(Organization(c.Caller), Context(c), c.Request, _schema, "organization"));

        /// <summary>
        /// The organization as the caller may see it: "Applications granted the User.Read permission are able to read only the
        /// id, displayName, and verifiedDomains properties."
        /// </summary>
        private JsonObject Organization(Caller caller)
        {
            var org = _schema.Defaults("organization", new HashSet<string>());
            org["id"] = _store.TenantId;
            org["displayName"] = _store.DisplayName;
            org["createdDateTime"] = _store.CreatedDateTime;
            org["tenantType"] = "AAD";
            org["countryLetterCode"] = "US";
            org["preferredLanguage"] = "en";
            var verified = new JsonArray();
            string defaultDomain = _store.InitialDomain; // stays the default until an admin picks another (not modelled)
            foreach (var d in _store.AllDomains)
                verified.Add(new JsonObject
                {
                    ["capabilities"] = d == _store.InitialDomain ? "Email, OfficeCommunicationsOnline" : "Email",
                    ["isDefault"] = d == defaultDomain,
                    ["isInitial"] = d == _store.InitialDomain,
                    ["name"] = d,
                    ["type"] = "Managed",
                });
            org["verifiedDomains"] = verified;
            if (!_authorizer.ReadsWholeOrganization(caller))
                foreach (var name in org.Select(kv => kv.Key).Where(k => k != "id" && k != "displayName" && k != "verifiedDomains").ToList()) org.Remove(name);
            return org;
        }
    }
}
