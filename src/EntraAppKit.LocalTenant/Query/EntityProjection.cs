using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Query
{
    /// <summary>One object as Graph answers it: @odata.context ("…/$entity", or with the $select list), then its (selected) properties.</summary>
    internal static class EntityProjection
    {
        public static JsonObject Project(JsonObject item, string context, GraphRequest request, GraphSchema schema, string typeName)
        {
            var select = Select(request, schema, typeName);
            var projected = CollectionQuery.Project(item, select);
            var result = new JsonObject { ["@odata.context"] = context + (select == null ? "/$entity" : "(" + string.Join(",", select) + ")/$entity") };
            foreach (var kv in projected.ToList()) { projected.Remove(kv.Key); result[kv.Key] = kv.Value; }
            return result;
        }

        private static IReadOnlyList<string>? Select(GraphRequest request, GraphSchema schema, string typeName)
        {
            var opt = QueryString.Parse(request.Uri.Query).FirstOrDefault(kv => kv.Key == "$select");
            return opt.Key == null ? null : CollectionQuery.ParseSelect(opt.Value, schema, typeName);
        }
    }
}
