using System;
using System.Globalization;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>How Graph writes instants: whole seconds (createdDateTime), seven fractional digits (assignments), or trimmed (credentials).</summary>
    internal static class GraphTimestamp
    {
        public static string Seconds(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static string Precise(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

        /// <summary>
        /// A credential's start or end as Graph echoes it: the fraction without trailing zeros, so a client's
        /// "2299-12-31T23:59:59Z" comes back as sent and a time Graph picks keeps its seven digits.
        /// </summary>
        public static string Trimmed(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }
}
