using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EntraAppKit.Core.Permissions
{
    /// <summary>
    /// Microsoft Graph's permission names from the catalog the module ships (Data/microsoft-graph-permissions.json, generated from
    /// Microsoft's own catalog by tools/generate-graph-catalog.mjs): offline and instant, for tab completion.
    /// </summary>
    public static class GraphPermissionCatalog
    {
        private const string ResourceName = "EntraAppKit.Core.Data.microsoft-graph-permissions.json";

        private static readonly Lazy<(string[] Delegated, string[] Application)> Names = new Lazy<(string[], string[])>(() =>
        {
            using var stream = typeof(GraphPermissionCatalog).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException("The Microsoft Graph permission catalog is missing from the assembly.");
            var catalog = JsonNode.Parse(stream)!;
            string[] Values(string list) => catalog[list]!.AsArray().Where(p => (bool?)p!["isEnabled"] != false)
                .Select(p => (string)p!["value"]!).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(v => v, StringComparer.OrdinalIgnoreCase).ToArray();
            return (Values("oauth2PermissionScopes"), Values("appRoles"));
        });

        /// <summary>Names starting with <paramref name="prefix"/> (case-insensitive) of <paramref name="type"/>; both kinds when null.</summary>
        public static IReadOnlyList<string> Complete(string prefix, PermissionType? type)
        {
            IEnumerable<string> source = type == PermissionType.Delegated ? Names.Value.Delegated
                : type == PermissionType.Application ? (IEnumerable<string>)Names.Value.Application
                : Names.Value.Delegated.Concat(Names.Value.Application).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(v => v, StringComparer.OrdinalIgnoreCase);
            return source.Where(n => n.StartsWith(prefix ?? "", StringComparison.OrdinalIgnoreCase)).ToList();
        }
    }
}
