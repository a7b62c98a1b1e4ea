using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>
    /// One Graph route: the methods and path pattern it answers, the permission it demands and the handler that answers it.
    /// Patterns are relative to the version root: <c>applications</c>, <c>applications/{key}/addPassword</c>,
    /// <c>servicePrincipals/{key}/appRoleAssignedTo/{id}</c>, <c>applications/{uniqueName}</c> (that alternate key only).
    /// </summary>
    internal sealed class Route
    {
        public Route(IReadOnlyList<string> methods, string pattern, PermissionRequirement requirement,
            Func<RouteContext, CancellationToken, Task<GraphResponse>> handler, bool isAction = false,
            Func<RouteContext, string, object>? resolveId = null)
        {
            Methods = methods;
            Pattern = pattern;
            Requirement = requirement;
            Handler = handler;
            IsAction = isAction;
            ResolveId = resolveId;
            var segments = pattern.Split('/');
            EntitySet = segments[0];
            int below = 1;
            if (segments.Length > 1 && segments[1].StartsWith("{", StringComparison.Ordinal))
            {
                below = 2;
                string name = segments[1].Trim('{', '}');
                Key = name == "key" ? RouteKey.Item : RouteKey.AlternateKey;
                AlternateKey = Key == RouteKey.AlternateKey ? name : null;
            }
            Below = segments.Skip(below).ToList();
            if (Below.Contains("{id}") != (resolveId != null))
                throw new ArgumentException("A route has a resolver exactly when its pattern has an {id} below its key.", nameof(resolveId));
        }

        /// <summary>The methods it answers; empty for any method.</summary>
        public IReadOnlyList<string> Methods { get; }

        public string Pattern { get; }

        /// <summary>What the router has the authorizer check before the handler runs.</summary>
        public PermissionRequirement Requirement { get; }

        public Func<RouteContext, CancellationToken, Task<GraphResponse>> Handler { get; }

        /// <summary>An OData action (<c>addPassword</c>): a POST-only segment; to any other method the segment does not exist.</summary>
        public bool IsAction { get; }

        /// <summary>Looks up the <c>{id}</c> below the item (a navigation's member), before the method is checked.</summary>
        public Func<RouteContext, string, object>? ResolveId { get; }

        /// <summary>The first segment: the entity set (or $batch).</summary>
        public string EntitySet { get; }

        public RouteKey Key { get; }

        /// <summary>The alternate key of an upsert route (uniqueName, appId).</summary>
        public string? AlternateKey { get; }

        /// <summary>The segments after the set and its key: literals, or <c>{id}</c>.</summary>
        public IReadOnlyList<string> Below { get; }

        public bool Allows(string method) => Methods.Count == 0 || Methods.Contains(method);

        public bool MatchesBelow(IReadOnlyList<string> rest) =>
            rest.Count == Below.Count && Below.Zip(rest, (pattern, segment) => pattern == "{id}" || string.Equals(pattern, segment, StringComparison.OrdinalIgnoreCase)).All(m => m);

        public override string ToString() => (Methods.Count == 0 ? "*" : string.Join(",", Methods)) + " " + Pattern;
    }
}
