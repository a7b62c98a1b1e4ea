using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>Matches a request to an identity route of the <see cref="RouteTable"/>; every other path is Graph's.</summary>
    internal sealed class IdentityRouter
    {
        private readonly IReadOnlyList<IdentityRoute> _routes;

        public IdentityRouter(RouteTable table) { _routes = table.IdentityRoutes; }

        public IdentityRoute? Match(Uri uri, out string tenant)
        {
            var segments = Uri.UnescapeDataString(uri.AbsolutePath).Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var route in _routes)
                if (route.TryMatch(segments, out tenant)) return route;
            tenant = "";
            return null;
        }
    }
}
