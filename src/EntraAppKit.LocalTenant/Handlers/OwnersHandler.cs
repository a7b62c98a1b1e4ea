using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// The owners of an application or service principal: GET …/owners (learn.microsoft.com/graph/api/application-list-owners,
    /// /graph/api/serviceprincipal-list-owners), POST …/owners/$ref (application-post-owners, serviceprincipal-post-owners) and
    /// DELETE …/owners/{id}/$ref (application-delete-owners, serviceprincipal-delete-owners). An owner is a user or a service principal.
    /// </summary>
    internal sealed class OwnersHandler
    {
        /// <summary>An @odata.id names a directory object by its id at the end of a Graph URL (…/directoryObjects/{id}, …/users/{id}).</summary>
        private static readonly Regex ObjectUrl = new Regex(
            @"^https?://[^/]+/v1\.0/(?:directoryObjects|users|servicePrincipals)/(?<id>[0-9a-fA-F-]{36})$", RegexOptions.CultureInvariant);

        private readonly ITenantStore _store;
        private readonly GraphAuthorizer _authorizer;
        private readonly UsersHandler _users;

        public OwnersHandler(ITenantStore store, GraphAuthorizer authorizer, UsersHandler users) { _store = store; _authorizer = authorizer; _users = users; }

        public GraphResponse List(RouteContext c)
        {
            var value = new JsonArray();
            foreach (var id in _store.OwnersOf(ItemId(c)))
                if (Describe(id) is JsonObject owner) value.Add(owner);
            return Json(200, new JsonObject { ["@odata.context"] = c.ServiceRoot + "/$metadata#directoryObjects", ["value"] = value });
        }

        public GraphResponse Add(RouteContext c)
        {
            DemandWrite(c);
            var body = c.Body;
            foreach (var kv in body)
                if (kv.Key != "@odata.id") throw GraphException.UnknownProperty(kv.Key);
            string? url = Entity.TextOf(body["@odata.id"]);
            var m = url == null ? Match.Empty : ObjectUrl.Match(url);
            if (!m.Success) throw GraphException.InvalidReference("owners");
            string ownerId = m.Groups["id"].Value.ToLowerInvariant();
            if (Describe(ownerId) == null) throw GraphException.NotFound(ownerId);
            if (!_store.AddOwner(ItemId(c), ownerId))
                throw GraphException.BadRequest("One or more added object references already exist for the following modified properties: 'owners'.");
            return NoContent();
        }

        public GraphResponse Remove(RouteContext c)
        {
            DemandWrite(c);
            _store.RemoveOwner(ItemId(c), c.MemberAs<string>());
            return NoContent();
        }

        /// <summary>
        /// The {id} of …/owners/{id}/$ref: an owner; an object that exists but owns nothing here is Graph's 400 for a reference
        /// that is not there, any other id its 404.
        /// </summary>
        public object ResolveOwner(RouteContext c, string id)
        {
            var owner = _store.OwnersOf(ItemId(c)).FirstOrDefault(o => Entity.SameKey(o, id));
            if (owner != null) return owner;
            if (Describe(id) == null) throw GraphException.NotFound(id);
            throw GraphException.BadRequest("One or more removed object references do not exist for the following modified properties: 'owners'.");
        }

        private static string ItemId(RouteContext c) => c.Item is Entity e ? e.Id : throw new InvalidOperationException("The route resolved no directory object.");

        /// <summary>
        /// Adding or removing owners changes the object: Application.ReadWrite.All, OwnedBy on what the caller owns, or
        /// Directory.ReadWrite.All, which the owners pages also list.
        /// </summary>
        private void DemandWrite(RouteContext c)
        {
            if (c.Caller.Has(GraphPermissions.DirectoryReadWriteAll)) return;
            if (c.Item is ApplicationEntity app) _authorizer.DemandApplicationWrite(c.Caller, app);
            else _authorizer.DemandServicePrincipalWrite(c.Caller, (ServicePrincipalEntity)c.Item!);
        }

        /// <summary>An owner as the owners list shows it (a directoryObject with its @odata.type); null for an unknown id.</summary>
        private JsonObject? Describe(string id)
        {
            if (_users.Describe(id) is JsonObject described)
            {
                var user = new JsonObject { ["@odata.type"] = "#microsoft.graph.user" };
                foreach (var kv in described.ToList()) { described.Remove(kv.Key); user[kv.Key] = kv.Value; }
                return user;
            }
            var sp = _store.FindServicePrincipal(id);
            if (sp == null) return null;
            var o = new JsonObject { ["@odata.type"] = "#microsoft.graph.servicePrincipal" };
            foreach (var kv in sp.Json) o[kv.Key] = kv.Value?.DeepClone();
            return o;
        }
    }
}
