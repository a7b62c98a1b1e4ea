using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EntraAppKit.Core.Permissions
{
    /// <summary>Microsoft Graph's permission names from the catalog the module ships (for tab completion; offline and instant).</summary>
    public static class PermissionNames
    {
        private static readonly Lazy<(string[] Delegated, string[] Application)> Names = new Lazy<(string[], string[])>(() =>
        {
            using var stream = typeof(LocalTenant.LocalTenantEngine).Assembly.GetManifestResourceStream("EntraAppKit.LocalTenant.Data.microsoft-graph-permissions.json")!;
            var catalog = JsonNode.Parse(stream)!;
            string[] Values(string list) => catalog[list]!.AsArray().Where(p => (bool?)p!["isEnabled"] != false)
                .Select(p => (string)p!["value"]!).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(v => v, StringComparer.OrdinalIgnoreCase).ToArray();
            return (Values("oauth2PermissionScopes"), Values("appRoles"));
        });

        /// <summary>Names starting with <paramref name="prefix"/> (case-insensitive); delegated, application, or both when null.</summary>
        public static IReadOnlyList<string> Complete(string prefix, bool? delegated)
        {
            IEnumerable<string> source = delegated == true ? Names.Value.Delegated
                : delegated == false ? (IEnumerable<string>)Names.Value.Application
                : Names.Value.Delegated.Concat(Names.Value.Application).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(v => v, StringComparer.OrdinalIgnoreCase);
            return source.Where(n => n.StartsWith(prefix ?? "", StringComparison.OrdinalIgnoreCase)).ToList();
        }
    }
}
