using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Permissions
{
    /// <summary>
    /// Microsoft Graph's permissions from the catalog the module ships (Data/microsoft-graph-permissions.json, generated from
    /// Microsoft's own catalog by tools/generate-graph-catalog.mjs): offline and instant, for tab completion and for resolving
    /// Graph permission names, whose ids are public and the same in every tenant (learn.microsoft.com/graph/permissions-reference).
    /// </summary>
    public static class GraphPermissionCatalog
    {
        private const string ResourceName = "EntraAppKit.Core.Data.microsoft-graph-permissions.json";

        private static readonly Lazy<JsonNode> Catalog = new Lazy<JsonNode>(() =>
        {
            using var stream = typeof(GraphPermissionCatalog).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException("The Microsoft Graph permission catalog is missing from the assembly.");
            return JsonNode.Parse(stream)!;
        });

        private static readonly Lazy<(string[] Delegated, string[] Application)> Names = new Lazy<(string[], string[])>(() =>
        {
            string[] Values(string list) => Catalog.Value[list]!.AsArray().Where(p => (bool?)p!["isEnabled"] != false)
                .Select(p => (string)p!["value"]!).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(v => v, StringComparer.OrdinalIgnoreCase).ToArray();
            return (Values("oauth2PermissionScopes"), Values("appRoles"));
        });

        // As Graph's service principal lists them (appRoles are application permissions only: allowedMemberTypes Application).
        private static readonly Lazy<(List<AppRole> Roles, List<PermissionScope> Scopes)> Permissions = new Lazy<(List<AppRole>, List<PermissionScope>)>(() =>
        {
            var roles = Catalog.Value["appRoles"]!.AsArray().Select(r => new AppRole
            {
                Id = Guid.Parse((string)r!["id"]!), Value = (string?)r["value"], DisplayName = (string?)r["displayName"], Description = (string?)r["description"],
                IsEnabled = (bool?)r["isEnabled"] ?? true, AllowedMemberTypes = new List<string> { "Application" }, Origin = "Application",
            }).ToList();
            var scopes = Catalog.Value["oauth2PermissionScopes"]!.AsArray().Select(s => new PermissionScope
            {
                Id = Guid.Parse((string)s!["id"]!), Value = (string?)s["value"], Type = (string?)s["type"], IsEnabled = (bool?)s["isEnabled"] ?? true,
                AdminConsentDisplayName = (string?)s["adminConsentDisplayName"], AdminConsentDescription = (string?)s["adminConsentDescription"],
                UserConsentDisplayName = (string?)s["userConsentDisplayName"], UserConsentDescription = (string?)s["userConsentDescription"],
            }).ToList();
            return (roles, scopes);
        });

        /// <summary>Names starting with <paramref name="prefix"/> (case-insensitive) of <paramref name="type"/>; both kinds when null.</summary>
        public static IReadOnlyList<string> Complete(string prefix, PermissionType? type)
        {
            IEnumerable<string> source = type == PermissionType.Delegated ? Names.Value.Delegated
                : type == PermissionType.Application ? (IEnumerable<string>)Names.Value.Application
                : Names.Value.Delegated.Concat(Names.Value.Application).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(v => v, StringComparer.OrdinalIgnoreCase);
            return source.Where(n => n.StartsWith(prefix ?? "", StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <summary>
        /// Microsoft Graph's service principal as far as the catalog knows it: its permissions, and the tenant's object id
        /// <paramref name="id"/> when known (only consent needs it). A new object each time: consent fills in the id it reads,
        /// which is one tenant's (a session keeps one, <see cref="Graph.GraphSession.MicrosoftGraphServicePrincipal"/>).
        /// </summary>
        internal static ServicePrincipal MicrosoftGraphServicePrincipal(string? id = null) => new ServicePrincipal
        {
            Id = id,
            AppId = MicrosoftGraph.AppId,
            DisplayName = (string?)Catalog.Value["displayName"] ?? "Microsoft Graph",
            AppRoles = Permissions.Value.Roles,
            Oauth2PermissionScopes = Permissions.Value.Scopes,
        };
    }
}
