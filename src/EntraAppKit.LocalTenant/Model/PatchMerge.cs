using System.Collections.Generic;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// PATCH semantics of OData 4.01 Part 1 §11.4.3 (docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_UpdateanEntity),
    /// which Graph follows (learn.microsoft.com/graph/api/application-update: properties not in the body keep their values):
    /// primitives and collections in the body replace the stored ones, a collection of complex values whole; a complex value
    /// merges recursively into the stored one, so its members the body leaves out keep their values. A complex property that
    /// was null starts from its defaults (materialized complex members as objects, collections empty).
    /// </summary>
    internal sealed class PatchMerge
    {
        private readonly GraphSchema _schema;

        public PatchMerge(GraphSchema schema) { _schema = schema; }

        /// <summary>
        /// Merges a schema-valid <paramref name="body"/> into <paramref name="target"/>. The body is checked whole before the
        /// target changes, so a refused body leaves nothing half-merged.
        /// </summary>
        public void Apply(JsonObject target, JsonObject body, string typeName, ISet<string> materialize, string resource)
        {
            RejectNullMaterialized(body, typeName, materialize, resource);
            Merge(target, body, typeName, materialize);
        }

        /// <summary>
        /// The complex properties Graph always answers as objects (<paramref name="materialize"/>, e.g. an application's api and
        /// web) cannot be set to null: the directory keeps them, and the tenant's own code relies on them being there.
        /// </summary>
        private void RejectNullMaterialized(JsonObject body, string typeName, ISet<string> materialize, string resource)
        {
            foreach (var kv in body)
            {
                if (kv.Key.Contains("@odata.")) continue;
                var prop = _schema.Property(typeName, kv.Key)!;
                if (!_schema.HasType(prop.Type)) continue;
                if (kv.Value == null && !prop.Collection && materialize.Contains(prop.Type)) throw GraphException.InvalidValue(kv.Key, resource);
                if (kv.Value is JsonObject child) RejectNullMaterialized(child, prop.Type, materialize, resource);
                if (kv.Value is JsonArray items)
                    foreach (var item in items)
                        if (item is JsonObject o) RejectNullMaterialized(o, prop.Type, materialize, resource);
            }
        }

        private void Merge(JsonObject target, JsonObject body, string typeName, ISet<string> materialize)
        {
            foreach (var kv in body)
            {
                if (kv.Key.Contains("@odata.")) continue;
                var prop = _schema.Property(typeName, kv.Key)!;
                if (kv.Value is JsonObject obj && _schema.HasType(prop.Type) && !prop.Collection)
                {
                    // The stored members over the type's defaults, so a value saved without a member still answers it.
                    var merged = _schema.Defaults(prop.Type, materialize);
                    if (target[kv.Key] is JsonObject stored)
                        foreach (var member in stored) merged[member.Key] = member.Value?.DeepClone();
                    Merge(merged, obj, prop.Type, materialize);
                    target[kv.Key] = merged;
                }
                else if (kv.Value is JsonArray items && _schema.HasType(prop.Type))
                {
                    var normalized = new JsonArray();
                    foreach (var item in items)
                    {
                        var fresh = _schema.Defaults(prop.Type, materialize);
                        Merge(fresh, item!.AsObject(), prop.Type, materialize);
                        normalized.Add(fresh);
                    }
                    target[kv.Key] = normalized;
                }
                else target[kv.Key] = kv.Value?.DeepClone();
            }
        }
    }
}
