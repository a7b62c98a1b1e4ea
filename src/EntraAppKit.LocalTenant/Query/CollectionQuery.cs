using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Query
{
    /// <summary>
    /// OData query options on a directory collection: $filter, $select, $top (1–999), $skiptoken paging by
    /// @odata.nextLink, and $count with ConsistencyLevel: eventual (learn.microsoft.com/graph/paging,
    /// learn.microsoft.com/graph/aad-advanced-queries).
    /// </summary>
    internal sealed class CollectionQuery
    {
        /// <summary>Directory lists return 100 objects per page unless $top says otherwise (learn.microsoft.com/graph/paging).</summary>
        public const int DefaultPageSize = 100;

        private readonly List<KeyValuePair<string, string>> _options;

        private CollectionQuery(List<KeyValuePair<string, string>> options) { _options = options; }

        public FilterExpression? Filter { get; private set; }
        public IReadOnlyList<string>? Select { get; private set; }
        public int Top { get; private set; } = DefaultPageSize;
        public int Skip { get; private set; }
        public bool Count { get; private set; }

        public static CollectionQuery Parse(GraphRequest request, GraphSchema schema, string typeName, string resource)
        {
            var options = QueryString.Parse(request.Uri.Query);
            var q = new CollectionQuery(options);
            bool eventual = string.Equals(request.Header("ConsistencyLevel"), "eventual", StringComparison.OrdinalIgnoreCase);
            var filterable = new HashSet<string>(schema.Properties(typeName).Where(p => !p.Collection && !schema.HasType(p.Type)).Select(p => p.Name), StringComparer.Ordinal);
            var stringCollections = new HashSet<string>(schema.Properties(typeName).Where(p => p.Collection && p.Type == "Edm.String").Select(p => p.Name), StringComparer.Ordinal);
            foreach (var kv in options)
            {
                switch (kv.Key)
                {
                    case "$filter":
                        q.Filter = FilterExpression.Parse(kv.Value, filterable.Contains, stringCollections.Contains, resource);
                        break;
                    case "$select":
                        q.Select = ParseSelect(kv.Value, schema, typeName);
                        break;
                    case "$top":
                        if (!int.TryParse(kv.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var top) || top < 1 || top > 999)
                            throw GraphException.BadRequest($"Invalid page size specified: '{kv.Value}'. Must be between 1 and 999 inclusive.");
                        q.Top = top;
                        break;
                    case "$skiptoken":
                        q.Skip = DecodeSkipToken(kv.Value);
                        break;
                    case "$count":
                        if (!string.Equals(kv.Value, "true", StringComparison.OrdinalIgnoreCase)) break;
                        if (!eventual)
                            throw GraphException.UnsupportedQuery("Count (?$count=true) is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information");
                        q.Count = true;
                        break;
                    case "$orderby":
                    case "$search":
                    case "$expand":
                    case "$skip":
                        throw GraphException.UnsupportedQuery($"The query option '{kv.Key}' is not supported by the local tenant.");
                }
            }
            return q;
        }

        public static IReadOnlyList<string> ParseSelect(string value, GraphSchema schema, string typeName)
        {
            var known = schema.Properties(typeName).Select(p => p.Name).Concat(schema.NavigationProperties(typeName)).ToList();
            var result = new List<string>();
            foreach (var raw in value.Split(','))
            {
                var name = raw.Trim();
                if (name.Length == 0) continue;
                var match = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw GraphException.UnsupportedQuery($"Property '{name}' does not exist as a declared property or extension property.");
                if (!result.Contains(match)) result.Add(match);
            }
            return result;
        }

        /// <summary>Applies $select to one object (Graph returns only the selected properties).</summary>
        public static JsonObject Project(JsonObject item, IReadOnlyList<string>? select)
        {
            if (select == null) return (JsonObject)item.DeepClone();
            var o = new JsonObject();
            foreach (var name in select)
                if (item.ContainsKey(name)) o[name] = item[name]?.DeepClone();
            return o;
        }

        /// <summary>Builds Graph's collection response: @odata.context, optional @odata.count and @odata.nextLink, value.</summary>
        public JsonObject Page(IEnumerable<JsonObject> items, GraphRequest request, string contextUrl)
        {
            var matching = Filter == null ? items : items.Where(Filter.Evaluate);
            List<JsonObject> page;
            bool more;
            var result = new JsonObject { ["@odata.context"] = contextUrl + (Select == null ? "" : "(" + string.Join(",", Select) + ")") };
            if (Count)
            {
                var all = matching.ToList();
                result["@odata.count"] = all.Count;
                page = all.Skip(Skip).Take(Top).ToList();
                more = Skip + page.Count < all.Count;
            }
            else
            {
                // Without $count, one item past the page says whether there is another: the rest is never read.
                page = matching.Skip(Skip).Take(Top + 1).ToList();
                more = page.Count > Top;
                if (more) page.RemoveAt(Top);
            }
            if (more)
            {
                var pairs = _options.Where(kv => kv.Key != "$skiptoken").ToList();
                pairs.Add(new KeyValuePair<string, string>("$skiptoken", EncodeSkipToken(Skip + page.Count)));
                var baseUri = request.Uri.GetLeftPart(UriPartial.Path);
                result["@odata.nextLink"] = baseUri + "?" + QueryString.Build(pairs);
            }
            var value = new JsonArray();
            foreach (var item in page) value.Add(Project(item, Select));
            result["value"] = value;
            return result;
        }

        private const string SkipTokenPrefix = "RFNwdAIAAQAAA";

        // Opaque to clients, like Graph's; it only carries the offset.
        private static string EncodeSkipToken(int offset) =>
            SkipTokenPrefix + Identity.Base64Url.Encode("offset:" + offset.ToString(CultureInfo.InvariantCulture));

        private static int DecodeSkipToken(string token)
        {
            try
            {
                if (!token.StartsWith(SkipTokenPrefix, StringComparison.Ordinal)) throw new FormatException();
                var text = Encoding.UTF8.GetString(Identity.Base64Url.Decode(token.Substring(SkipTokenPrefix.Length)));
                if (!text.StartsWith("offset:", StringComparison.Ordinal)) throw new FormatException();
                // Digits only, within int: a forged token is refused like an expired one, never a negative or overflowing offset.
                if (!int.TryParse(text.Substring(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) throw new FormatException();
                return offset;
            }
            catch (FormatException)
            {
                throw GraphException.BadRequest("The specified page token value has expired and can no longer be included in your request.");
            }
        }
    }
}
