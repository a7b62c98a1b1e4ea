using System;
using System.Collections.Generic;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Query
{
    /// <summary>
    /// The OData system query options of a Graph request, checked once before any handler reads them: each at most once, and
    /// only names OData defines (learn.microsoft.com/graph/query-parameters; OData URL conventions, section 5). Graph answers
    /// both mistakes with 400 instead of taking the last value or ignoring the option.
    /// </summary>
    internal static class QueryOptions
    {
        private static readonly HashSet<string> SystemOptions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "$filter", "$select", "$expand", "$orderby", "$top", "$skip", "$count", "$search", "$format", "$skiptoken", "$deltatoken",
            "$apply", "$compute", "$index", "$levels", "$schemaversion", "$id",
        };

        public static void Check(GraphRequest request)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var kv in QueryString.Parse(request.Uri.Query))
            {
                if (!kv.Key.StartsWith("$", StringComparison.Ordinal)) continue;
                if (!SystemOptions.Contains(kv.Key)) throw new GraphException(400, "BadRequest", $"The query parameter '{kv.Key}' is not supported.");
                if (!seen.Add(kv.Key))
                    throw new GraphException(400, "BadRequest", $"Query option '{kv.Key}' was specified more than once, but it must be specified at most once.");
            }
        }
    }
}
