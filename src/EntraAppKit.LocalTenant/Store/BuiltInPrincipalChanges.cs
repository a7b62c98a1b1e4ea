using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>
    /// What a PATCH changed on a built-in service principal (Microsoft Graph's), compared with the principal the catalog
    /// makes: the state file keeps only these, and a write that fails puts them back, never the two thousand roles.
    /// </summary>
    internal static class BuiltInPrincipalChanges
    {
        /// <summary>
        /// The built-in principal as the catalog makes it, built once and only read. Its id, the one thing that differs
        /// between tenants, is catalog-owned and never compared.
        /// </summary>
        private static readonly Lazy<JsonObject> MicrosoftGraphBaseline = new Lazy<JsonObject>(() =>
            PermissionCatalog.BuildMicrosoftGraphServicePrincipal(GraphSchema.V1, Guid.Empty.ToString()));

        /// <summary>What the catalog defines on a built-in principal: always the catalog's, so a newer catalog reaches old files.</summary>
        private static readonly HashSet<string> CatalogOwned = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "appId", "appRoles", "oauth2PermissionScopes",
        };

        /// <summary>The properties of <paramref name="servicePrincipal"/> that differ from the catalog's (copies).</summary>
        public static JsonObject Of(ServicePrincipalEntity servicePrincipal, GraphSchema schema)
        {
            var catalog = Baseline(servicePrincipal, schema);
            var changed = new JsonObject();
            foreach (var kv in servicePrincipal.Json)
                if (!CatalogOwned.Contains(kv.Key) && !JsonNode.DeepEquals(kv.Value, catalog[kv.Key])) changed[kv.Key] = kv.Value?.DeepClone();
            return changed;
        }

        /// <summary>Makes <paramref name="servicePrincipal"/> the catalog's principal with <paramref name="changes"/> applied.</summary>
        public static void Restore(ServicePrincipalEntity servicePrincipal, JsonObject changes, GraphSchema schema)
        {
            var catalog = Baseline(servicePrincipal, schema);
            foreach (var key in servicePrincipal.Json.Select(kv => kv.Key).Where(k => !CatalogOwned.Contains(k) && !catalog.ContainsKey(k)).ToList())
                servicePrincipal.Json.Remove(key);
            foreach (var kv in catalog.Where(kv => !CatalogOwned.Contains(kv.Key)))
                if (!changes.ContainsKey(kv.Key) && !JsonNode.DeepEquals(servicePrincipal.Json[kv.Key], kv.Value)) servicePrincipal.Json[kv.Key] = kv.Value?.DeepClone();
            foreach (var kv in changes.Where(c => !CatalogOwned.Contains(c.Key))) servicePrincipal.Json[kv.Key] = kv.Value?.DeepClone();
        }

        private static JsonObject Baseline(ServicePrincipalEntity servicePrincipal, GraphSchema schema) =>
            schema == GraphSchema.V1 ? MicrosoftGraphBaseline.Value : PermissionCatalog.BuildMicrosoftGraphServicePrincipal(schema, servicePrincipal.Id);
    }
}
