using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Permissions
{
    /// <summary>
    /// Resolves friendly permission names against the tenant's own resource service principals (learn.microsoft.com/graph/permissions-grant-via-msgraph),
    /// so an unknown name fails before any write, with the closest real names suggested.
    /// </summary>
    internal static class PermissionResolver
    {
        public static ResolvedPermission Resolve(PermissionRequest request, ServicePrincipal resource)
        {
            // A permission may be named by its value or by its id (the GUID the portal's manifest shows).
            bool byId = Guid.TryParse(request.Name, out var id);
            if (request.Type == PermissionType.Delegated)
            {
                var scope = (resource.Oauth2PermissionScopes ?? new List<PermissionScope>())
                    .FirstOrDefault(s => (byId ? s.Id == id : string.Equals(s.Value, request.Name, StringComparison.OrdinalIgnoreCase)) && s.IsEnabled != false);
                if (scope?.Id != null) return new ResolvedPermission(request, resource, scope.Id.Value, scope.Value ?? request.Name);
                throw Unknown(request, resource, (resource.Oauth2PermissionScopes ?? new List<PermissionScope>()).Select(s => s.Value), (resource.AppRoles ?? new List<AppRole>()).Select(r => r.Value));
            }
            var role = (resource.AppRoles ?? new List<AppRole>())
                .FirstOrDefault(r => (byId ? r.Id == id : string.Equals(r.Value, request.Name, StringComparison.OrdinalIgnoreCase)) && r.IsEnabled != false
                    && (r.AllowedMemberTypes ?? new List<string>()).Contains("Application"));
            if (role?.Id != null) return new ResolvedPermission(request, resource, role.Id.Value, role.Value ?? request.Name);
            throw Unknown(request, resource, (resource.AppRoles ?? new List<AppRole>()).Select(r => r.Value), (resource.Oauth2PermissionScopes ?? new List<PermissionScope>()).Select(s => s.Value));
        }

        private static EntraAppKitException Unknown(PermissionRequest request, ServicePrincipal resource, IEnumerable<string?> sameKind, IEnumerable<string?> otherKind)
        {
            string kind = request.Type == PermissionType.Delegated ? "delegated permission" : "application permission";
            string other = request.Type == PermissionType.Delegated ? "application permission" : "delegated permission";
            string message;
            if (otherKind.Any(v => string.Equals(v, request.Name, StringComparison.OrdinalIgnoreCase)))
                message = $"{resource.DisplayName} has no {kind} '{request.Name}'; it exists only as an {other}.";
            else
            {
                var suggestions = Closest(request.Name, sameKind.Where(v => v != null).Select(v => v!), 3);
                message = $"{resource.DisplayName} has no {kind} '{request.Name}'." +
                    (suggestions.Count > 0 ? " Did you mean: " + string.Join(", ", suggestions) + "?" : "");
            }
            return new EntraAppKitException(ErrorIds.UnknownPermission, EntraErrorCategory.InvalidArgument, message);
        }

        /// <summary>The candidates nearest to <paramref name="name"/> by edit distance (case-insensitive).</summary>
        public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int count)
        {
            string lower = name.ToLowerInvariant();
            return candidates
                .Select(c => (Name: c, Distance: Distance(lower, c.ToLowerInvariant())))
                .Where(x => x.Distance <= Math.Max(3, lower.Length / 3))
                .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
                .Take(count).Select(x => x.Name).ToList();
        }

        private static int Distance(string a, string b)
        {
            var d = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) d[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                int prev = d[0];
                d[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int temp = d[j];
                    d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), prev + (a[i - 1] == b[j - 1] ? 0 : 1));
                    prev = temp;
                }
            }
            return d[b.Length];
        }
    }
}
