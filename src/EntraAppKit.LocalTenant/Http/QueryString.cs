using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Http
{
    internal static class QueryString
    {
        /// <summary>Parses a query string, keeping '$' option names and decoding values once.</summary>
        public static List<KeyValuePair<string, string>> Parse(string query)
        {
            var list = new List<KeyValuePair<string, string>>();
            if (string.IsNullOrEmpty(query)) return list;
            foreach (var part in query.TrimStart('?').Split('&'))
            {
                if (part.Length == 0) continue;
                int eq = part.IndexOf('=');
                string k = eq < 0 ? part : part.Substring(0, eq);
                string v = eq < 0 ? "" : part.Substring(eq + 1);
                list.Add(new KeyValuePair<string, string>(Uri.UnescapeDataString(k.Replace('+', ' ')), Uri.UnescapeDataString(v.Replace('+', ' '))));
            }
            return list;
        }

        public static string Build(IEnumerable<KeyValuePair<string, string>> pairs) =>
            string.Join("&", pairs.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value)));
    }
}
