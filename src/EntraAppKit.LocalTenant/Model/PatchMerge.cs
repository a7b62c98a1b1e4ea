using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// PATCH semantics: top-level properties in the body replace the stored ones; a complex value replaces the whole complex
    /// property (missing nested properties take their defaults).
    /// </summary>
    internal sealed class PatchMerge
    {
        private readonly GraphSchema _schema;

        public PatchMerge(GraphSchema schema) { _schema = schema; }

        public void Apply(JsonObject target, JsonObject body, string typeName, ISet<string> materialize)
        {
            foreach (var kv in body)
            {
                if (kv.Key.Contains("@odata.")) continue;
                var prop = _schema.Property(typeName, kv.Key)!;
                if (kv.Value is JsonObject obj && _schema.HasType(prop.Type) && !prop.Collection)
                {
                    var fresh = _schema.Defaults(prop.Type, materialize);
                    Apply(fresh, obj, prop.Type, materialize);
                    target[kv.Key] = fresh;
                }
                else if (kv.Value is JsonArray items && _schema.HasType(prop.Type))
                {
                    var normalized = new JsonArray();
                    foreach (var item in items)
                    {
                        var fresh = _schema.Defaults(prop.Type, materialize);
                        Apply(fresh, item!.AsObject(), prop.Type, materialize);
                        normalized.Add(fresh);
                    }
                    target[kv.Key] = normalized;
                }
                else target[kv.Key] = kv.Value?.DeepClone();
            }
        }
    }
}
