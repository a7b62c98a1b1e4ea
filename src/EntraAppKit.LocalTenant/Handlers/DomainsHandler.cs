using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Query;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>GET /domains: the initial domain and the verified custom ones (learn.microsoft.com/graph/api/domain-list).</summary>
    internal sealed class DomainsHandler
    {
        private readonly ITenantStore _store;
        private readonly GraphSchema _schema;

        public DomainsHandler(ITenantStore store, GraphSchema schema) { _store = store; _schema = schema; }

        private static string Context(RouteContext c) => c.ServiceRoot + "/$metadata#domains";

        /// <summary>A domain by its name (its id), whatever the key is called; anything else is 404.</summary>
        public object Resolve(string keyName, string keyValue) =>
            _store.AllDomains.FirstOrDefault(d => Entity.SameKey(d, keyValue)) ?? throw GraphException.NotFound(keyValue);

        public GraphResponse List(RouteContext c) =>
            Json(200, CollectionQuery.Parse(c.Request, _schema, "domain", "Domain").Page(_store.AllDomains.Select(Domain).ToList(), c.Request, Context(c)));

        public GraphResponse Get(RouteContext c) =>
            Json(200, EntityProjection.Project(Domain(c.ItemAs<string>()), Context(c), c.Request, _schema, "domain"));

        private JsonObject Domain(string name)
        {
            var d = _schema.Defaults("domain", new HashSet<string>());
            d["id"] = name;
            d["authenticationType"] = "Managed";
            d["isAdminManaged"] = true;
            d["isDefault"] = name == _store.InitialDomain;
            d["isInitial"] = name == _store.InitialDomain;
            d["isRoot"] = true;
            d["isVerified"] = true;
            d["supportedServices"] = new JsonArray("Email", "OfficeCommunicationsOnline");
            return d;
        }
    }
}
