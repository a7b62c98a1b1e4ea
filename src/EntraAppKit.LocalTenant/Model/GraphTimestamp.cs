using System;
using System.Globalization;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>The two ways Graph writes instants: whole seconds (createdDateTime) and seven fractional digits (credentials, assignments).</summary>
    internal static class GraphTimestamp
    {
        public static string Seconds(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static string Precise(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }
}
