using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Query;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>
    /// Matches a Graph request to a route of the <see cref="RouteTable"/>, asks the <see cref="GraphAuthorizer"/>, and calls
    /// the handler. The order of its checks is the order of Graph's answers, so it is fixed: the version root, the entity set
    /// (400 "Resource not found for the segment"), the set's permission gate (403), a read-only set's methods (405); then for
    /// an item the key (the alternate-key 400, 404), the segments below it (400), a navigation member (404), the method (405),
    /// and last the route's own permission (403). A route an application may call on itself (<see cref="PermissionRequirement.IsMetByItself"/>)
    /// defers the set's 403 until its item is known.
    /// </summary>
    internal sealed class GraphRouter
    {
        private static readonly Regex VersionRoot = new Regex(@"^/(?<version>v1\.0|beta)(?=/|$)", RegexOptions.CultureInvariant);

        private static readonly Regex SegmentWithKey = new Regex(
            @"^(?<set>[A-Za-z0-9$]+)(\((?:(?<key>[A-Za-z]+)=)?'(?<value>(?:[^']|'')*)'\))?$", RegexOptions.CultureInvariant);

        private readonly RouteTable _table;
        private readonly GraphAuthorizer _authorizer;

        public GraphRouter(RouteTable table, GraphAuthorizer authorizer) { _table = table; _authorizer = authorizer; }

        /// <summary>The path and query below the version root: <c>/applications?$top=1</c>.</summary>
        public static string RelativePath(Uri uri)
        {
            string path = Uri.UnescapeDataString(uri.AbsolutePath);
            var m = VersionRoot.Match(path);
            if (m.Success) path = path.Substring(m.Length);
            if (path.Length == 0) path = "/";
            return path + uri.Query;
        }

        /// <summary>
        /// The route that runs outside the tenant's lock: $batch, whose items take the lock one by one. It is recognised by the
        /// path below any version root (or none), before the version is checked.
        /// </summary>
        public Route? MatchOutsideLock(string relative) =>
            relative == "/$batch" || relative.StartsWith("/$batch?", StringComparison.Ordinal) ? _table.Batch : null;

        public Task<GraphResponse> DispatchOutsideLockAsync(Route route, GraphRequest request, CancellationToken cancellationToken)
        {
            if (!route.Allows(request.Method)) throw GraphException.MethodNotAllowed();
            QueryOptions.Check(request);
            var context = new RouteContext(request, null);
            Authorize(route, context);
            return route.Handler(context, cancellationToken);
        }

        /// <summary>Answers a request under the tenant's lock.</summary>
        public Task<GraphResponse> DispatchAsync(GraphRequest request, string relative, CancellationToken cancellationToken)
        {
            string absolute = Uri.UnescapeDataString(request.Uri.AbsolutePath);
            if (!VersionRoot.IsMatch(absolute) || absolute.StartsWith("/beta", StringComparison.Ordinal))
                throw new GraphException(400, "BadRequest", "Invalid version: the local tenant serves Microsoft Graph v1.0 only.");
            QueryOptions.Check(request);
            // Split before unescaping: %2F is a character of a key (GET /applications/%2F), never a path separator.
            var segments = request.Uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(Uri.UnescapeDataString).ToList();
            if (segments.Count == 0) throw GraphException.NoRoute("");
            var first = SegmentWithKey.Match(segments[0]);
            if (!first.Success) throw GraphException.NoRoute(segments[0]);
            string setName = first.Groups["set"].Value;
            string? keyName = first.Groups["value"].Success ? (first.Groups["key"].Success ? first.Groups["key"].Value : "id") : null;
            string? keyValue = first.Groups["value"].Success ? first.Groups["value"].Value.Replace("''", "'") : null;
            // /applications/{id}: the segment after the set is its key, except /$count.
            if (keyName == null && segments.Count > 1 && !string.Equals(segments[1], "$count", StringComparison.OrdinalIgnoreCase)) { keyName = "id"; keyValue = segments[1]; segments.RemoveAt(1); }
            var rest = segments.Skip(1).ToList();

            var set = _table.FindEntitySet(setName) ?? throw GraphException.NoRoute(setName);
            var routes = _table.RoutesOf(setName);
            var context = new RouteContext(request, keyValue);
            // An action an application may call on itself without any permission (addKey) cannot be gated before its item is
            // known: its gate's refusal waits until the item shows whether the caller is that item.
            bool maybeItself = keyName != null && context.Caller.IsAppOnly &&
                routes.Any(r => r.Requirement.IsMetByItself && r.Key == RouteKey.Item && r.MatchesBelow(rest) && r.Allows(request.Method));
            GraphException? gateRefusal = null;
            try { _authorizer.Demand(context.Caller, set.GateFor(request.Method)); }
            catch (GraphException e) when (maybeItself) { gateRefusal = e; }
            if (set.Methods != null && !set.Methods.Contains(request.Method)) throw GraphException.MethodNotAllowed();

            Route route;
            if (keyName == null) route = Select(routes, RouteKey.None, rest, context);
            else
            {
                var upsert = rest.Count == 0
                    ? routes.FirstOrDefault(r => r.Key == RouteKey.AlternateKey && string.Equals(r.AlternateKey, keyName, StringComparison.OrdinalIgnoreCase) && r.Allows(request.Method))
                    : null;
                if (upsert != null) route = upsert;
                else
                {
                    // An item with nothing below it refuses further segments before it is looked up.
                    if (rest.Count > 0 && !routes.Any(r => r.Key == RouteKey.Item && r.Below.Count > 0)) throw GraphException.NoRoute(rest[0]);
                    context.Item = set.ResolveKey(keyName, keyValue!);
                    route = Select(routes, RouteKey.Item, rest, context);
                }
            }
            if (route.Requirement.IsMetByItself && _authorizer.IsItself(context.Caller, context.Item)) return route.Handler(context, cancellationToken);
            if (gateRefusal != null) throw gateRefusal;
            Authorize(route, context);
            return route.Handler(context, cancellationToken);
        }

        /// <summary>The route for the segments below the set or item: unknown segments are 400, a member not found 404, other methods 405.</summary>
        private static Route Select(IReadOnlyList<Route> routes, RouteKey key, IReadOnlyList<string> rest, RouteContext context)
        {
            string method = context.Request.Method;
            var matching = routes.Where(r => r.Key == key && r.MatchesBelow(rest) && (!r.IsAction || method == "POST")).ToList();
            if (matching.Count == 0) throw GraphException.NoRoute(rest.Count > 0 ? rest[0] : "");
            var resolver = matching.FirstOrDefault(r => r.ResolveId != null);
            if (resolver != null)
            {
                int at = resolver.Below.ToList().IndexOf("{id}");
                context.Member = resolver.ResolveId!(context, rest[at]);
            }
            return matching.FirstOrDefault(r => r.Allows(method)) ?? throw GraphException.MethodNotAllowed();
        }

        private void Authorize(Route route, RouteContext context)
        {
            if (route.Requirement.ChecksPayloadFirst) _ = context.Body;
            _authorizer.Demand(context.Caller, route.Requirement);
        }
    }
}
