using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// GET /me: the signed-in user (learn.microsoft.com/graph/api/user-get). The tenant has one user, its built-in administrator,
    /// so every delegated token is the administrator's; an app-only token is refused before this runs (GraphPermissions.ReadMe).
    /// </summary>
    internal sealed class UsersHandler
    {
        /// <summary>
        /// The properties GET /me returns without $select: "businessPhones, displayName, givenName, id, jobTitle, mail,
        /// mobilePhone, officeLocation, preferredLanguage, surname, and userPrincipalName" (learn.microsoft.com/graph/api/user-get).
        /// </summary>
        internal static readonly string[] DefaultProperties =
        {
            "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage",
            "surname", "userPrincipalName", "id",
        };

        private readonly ITenantStore _store;

        public UsersHandler(ITenantStore store) { _store = store; }

        /// <summary>/me has no key: a segment after it is not one of its routes.</summary>
        public object Resolve(string keyName, string keyValue) => throw GraphException.NoRoute(keyValue);

        /// <summary>The administrator with the properties GET /me returns by default.</summary>
        internal static JsonObject Administrator(ITenantStore store, string id) => new JsonObject
        {
            ["businessPhones"] = new JsonArray(),
            ["displayName"] = BuiltInAdministrator.DisplayName,
            ["givenName"] = null,
            ["jobTitle"] = null,
            // A cloud-only administrator has no mailbox, and Entra sets mail only for one.
            ["mail"] = null,
            ["mobilePhone"] = null,
            ["officeLocation"] = null,
            ["preferredLanguage"] = null,
            ["surname"] = null,
            ["userPrincipalName"] = BuiltInAdministrator.UserPrincipalName(store.InitialDomain),
            ["id"] = id,
        };

        public GraphResponse Me(RouteContext c)
        {
            var user = Administrator(_store, c.Caller.ObjectId);
            var select = Http.QueryString.Parse(c.Request.Uri.Query).Where(kv => kv.Key == "$select").Select(kv => kv.Value).LastOrDefault();
            var result = new JsonObject { ["@odata.context"] = c.ServiceRoot + "/$metadata#users/$entity" };
            if (select == null)
            {
                foreach (var kv in user) result[kv.Key] = kv.Value?.DeepClone();
                return Json(200, result);
            }
            var names = select.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
            result["@odata.context"] = c.ServiceRoot + "/$metadata#users(" + string.Join(",", names) + ")/$entity";
            foreach (var name in names)
            {
                // Only the properties the local tenant keeps for its user; any other is refused rather than answered as null.
                var match = DefaultProperties.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw GraphException.UnsupportedQuery($"Property '{name}' does not exist as a declared property or extension property.");
                result[match] = user[match]?.DeepClone();
            }
            return Json(200, result);
        }
    }
}
