using System;
using System.Globalization;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Query
{
    /// <summary>GET /{collection}/$count: the number as text/plain, only with ConsistencyLevel: eventual (learn.microsoft.com/graph/aad-advanced-queries).</summary>
    internal static class RawCount
    {
        public static GraphResponse Answer(GraphRequest request, Func<int> count)
        {
            if (!string.Equals(request.Header("ConsistencyLevel"), "eventual", StringComparison.OrdinalIgnoreCase))
                throw GraphException.UnsupportedQuery("Raw count (/$count) is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information");
            return new GraphResponse(200, count().ToString(CultureInfo.InvariantCulture), "text/plain");
        }
    }
}
