using System;
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
    /// <summary>
    /// /users and /me: create (learn.microsoft.com/graph/api/user-post-users), list (user-list), read by id or
    /// userPrincipalName (user-get), update (user-update) and delete (user-delete). The password is taken from
    /// passwordProfile, kept as a salted hash and never returned.
    /// </summary>
    internal sealed class UsersHandler
    {
        private const string UserType = "user";

        /// <summary>
        /// The properties GET returns without $select: "businessPhones, displayName, givenName, id, jobTitle, mail,
        /// mobilePhone, officeLocation, preferredLanguage, surname, and userPrincipalName" (learn.microsoft.com/graph/api/user-get).
        /// </summary>
        internal static readonly string[] DefaultProperties =
        {
            "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage",
            "surname", "userPrincipalName", "id",
        };

        /// <summary>What the directory sets (or synchronization from on-premises does), never a client: read-only in resources/user.</summary>
        private static readonly string[] ReadOnly =
        {
            "id", "createdDateTime", "deletedDateTime", "creationType", "assignedLicenses", "assignedPlans", "provisionedPlans",
            "licenseAssignmentStates", "signInActivity", "securityIdentifier", "externalUserState", "externalUserStateChangeDateTime",
            "onPremisesSyncEnabled", "onPremisesLastSyncDateTime", "onPremisesSecurityIdentifier", "onPremisesDistinguishedName",
            "onPremisesDomainName", "onPremisesSamAccountName", "onPremisesUserPrincipalName", "onPremisesProvisioningErrors",
            "proxyAddresses", "lastPasswordChangeDateTime", "refreshTokensValidFromDateTime", "signInSessionsValidFromDateTime",
        };

        /// <summary>user-post-users: "The following table lists the properties that are required when you create a user."</summary>
        private static readonly string[] Required = { "accountEnabled", "displayName", "mailNickname", "userPrincipalName", "passwordProfile" };

        private readonly ITenantStore _store;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;
        private readonly UserAccounts _accounts;

        public UsersHandler(ITenantStore store, GraphSchema schema, GraphAuthorizer authorizer, UserAccounts accounts)
        {
            _store = store; _schema = schema; _authorizer = authorizer; _accounts = accounts;
        }

        private static string Context(RouteContext c) => c.ServiceRoot + "/$metadata#users";

        /// <summary>/me has no key: a segment after it is not one of its routes.</summary>
        public object ResolveMe(string keyName, string keyValue) => throw GraphException.NoRoute(keyValue);

        /// <summary>/users/{id | userPrincipalName} (user-get); anything else is Graph's 404.</summary>
        public object Resolve(string keyName, string keyValue)
        {
            if (keyName != "id") throw GraphException.BadRequest($"The alternate key '{keyName}' is not defined for the type 'microsoft.graph.user'.");
            var user = Guid.TryParse(keyValue, out _) ? _store.FindUser(keyValue) : _store.FindUserByUserPrincipalName(keyValue);
            return user ?? throw GraphException.NotFound(keyValue);
        }

        /// <summary>
        /// A user as GET answers it: the default properties, or those <paramref name="select"/> names (a property never set is
        /// null, a collection []); passwordProfile is always null, "for security reasons" (resources/user).
        /// </summary>
        internal JsonObject Shape(JsonObject stored, IReadOnlyList<string>? select)
        {
            var result = new JsonObject();
            foreach (var name in select ?? DefaultProperties)
            {
                if (name == "passwordProfile") { result[name] = null; continue; }
                var prop = _schema.Properties(UserType).FirstOrDefault(p => p.Name == name);
                result[name] = stored[name]?.DeepClone() ?? (prop != null && prop.Collection ? new JsonArray() : null);
            }
            return result;
        }

        /// <summary>The user with id <paramref name="id"/> as an owners list shows it, or null.</summary>
        internal JsonObject? Describe(string id)
        {
            var user = _store.FindUser(id);
            return user == null ? null : Shape(user.Json, null);
        }

        private GraphResponse One(RouteContext c, UserEntity user)
        {
            var opt = QueryString.Parse(c.Request.Uri.Query).Where(kv => kv.Key == "$select").Select(kv => kv.Value).LastOrDefault();
            var select = opt == null ? null : CollectionQuery.ParseSelect(opt, _schema, UserType);
            var result = new JsonObject { ["@odata.context"] = Context(c) + (select == null ? "/$entity" : "(" + string.Join(",", select) + ")/$entity") };
            foreach (var kv in Shape(user.Json, select).ToList()) result[kv.Key] = kv.Value?.DeepClone();
            return Json(200, result);
        }

        public GraphResponse Me(RouteContext c) => One(c, _store.FindUser(c.Caller.ObjectId) ?? throw GraphException.NotFound(c.Caller.ObjectId));

        public GraphResponse Get(RouteContext c) => One(c, c.ItemAs<UserEntity>());

        public GraphResponse List(RouteContext c)
        {
            var query = CollectionQuery.Parse(c.Request, _schema, UserType, UserAccounts.UserResource);
            var page = query.Page(_store.Users.Select(u => u.Json), c.Request, Context(c));
            var shaped = new JsonArray();
            foreach (var item in page["value"]!.AsArray()) shaped.Add(Shape(item!.AsObject(), query.Select));
            page["value"] = shaped;
            return Json(200, page);
        }

        public GraphResponse Count(RouteContext c) => RawCount.Answer(c.Request, () => _store.Users.Count());

        public GraphResponse Create(RouteContext c)
        {
            _authorizer.DemandUserManagement(c.Caller);
            var body = c.Body;
            _schema.Validate(UserType, body, UserAccounts.UserResource);
            GraphPayload.RejectReadOnly(body, ReadOnly);
            foreach (var name in Required)
                if (body[name] == null) throw GraphException.InvalidValue(name, UserAccounts.UserResource);
            if (string.IsNullOrWhiteSpace(Entity.TextOf(body["displayName"]))) throw GraphException.InvalidValue("displayName", UserAccounts.UserResource);
            if (string.IsNullOrWhiteSpace(Entity.TextOf(body["mailNickname"]))) throw GraphException.InvalidValue("mailNickname", UserAccounts.UserResource);
            string password = Entity.TextOf(body["passwordProfile"]!["password"]) ?? throw GraphException.InvalidValue("passwordProfile", UserAccounts.UserResource);
            body["userPrincipalName"] = _accounts.DemandUserPrincipalName(Entity.TextOf(body["userPrincipalName"]), null);
            UserAccounts.DemandPasswordPolicy(password);
            var user = _accounts.Create(body, password);
            var result = new JsonObject { ["@odata.context"] = Context(c) + "/$entity" };
            foreach (var kv in Shape(user.Json, null).ToList()) result[kv.Key] = kv.Value?.DeepClone();
            return Json(201, result);
        }

        public GraphResponse Update(RouteContext c)
        {
            var user = c.ItemAs<UserEntity>();
            _authorizer.DemandUserManagement(c.Caller);
            var body = c.Body;
            _schema.Validate(UserType, body, UserAccounts.UserResource);
            GraphPayload.RejectReadOnly(body, ReadOnly);
            foreach (var name in Required.Where(n => n != "passwordProfile" && body.ContainsKey(n)))
                if (body[name] == null || name != "accountEnabled" && string.IsNullOrWhiteSpace(Entity.TextOf(body[name])))
                    throw GraphException.InvalidValue(name, UserAccounts.UserResource);
            if (body.ContainsKey("userPrincipalName"))
                body["userPrincipalName"] = _accounts.DemandUserPrincipalName(Entity.TextOf(body["userPrincipalName"]), user.Id);
            string? password = body["passwordProfile"] is JsonObject profile ? Entity.TextOf(profile["password"]) : null;
            if (password != null) UserAccounts.DemandPasswordPolicy(password);
            foreach (var kv in body.ToList())
                if (kv.Key != "passwordProfile" && !kv.Key.StartsWith("@odata.", StringComparison.Ordinal)) user.Json[kv.Key] = kv.Value?.DeepClone();
            if (password != null) _store.SetPassword(user.Id, StoredSecret.Create(user.Id, password));
            _store.Reindex(user);
            return NoContent();
        }

        public GraphResponse Delete(RouteContext c)
        {
            var user = c.ItemAs<UserEntity>();
            _authorizer.DemandUserManagement(c.Caller);
            // The built-in administrator is the tenant's own account (device code approval, the control endpoints): it stays.
            if (Entity.SameKey(user.Id, _store.AdministratorId)) throw GraphAuthorizer.Denied();
            _store.RemoveUser(user);
            return NoContent();
        }
    }
}
