using System;
using System.Collections.Generic;
using EntraAppKit.LocalTenant.Diagnostics;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>
    /// One identity endpoint at the path login.microsoftonline.com (or App Service, for <c>msi/token</c>) serves it, the host
    /// ignored: <c>{tenant}/oauth2/v2.0/token</c>. Any method reaches the handler, which answers the wrong ones in its
    /// endpoint's own way (a bare 405, AADSTS900561, the managed identity endpoint's JSON).
    /// </summary>
    internal sealed class IdentityRoute
    {
        private readonly string[] _segments;

        public IdentityRoute(string pattern, bool isV1, Func<IdentityContext, GraphResponse> handler, RequestKind kind = RequestKind.Identity)
        {
            Pattern = pattern; IsV1 = isV1; Handler = handler; Kind = kind;
            _segments = pattern.Split('/');
        }

        /// <summary>How the request log marks it: a sign-in endpoint, or Resource Manager's (answered the same way, outside Graph).</summary>
        public RequestKind Kind { get; }

        public string Pattern { get; }

        /// <summary>Whether it is an Azure AD v1 endpoint (resource= instead of scope=, v1 documents).</summary>
        public bool IsV1 { get; }

        public Func<IdentityContext, GraphResponse> Handler { get; }

        /// <summary>Matches the path's segments; <paramref name="tenant"/> is the {tenant} segment as sent ("" when the pattern has none).</summary>
        public bool TryMatch(IReadOnlyList<string> segments, out string tenant)
        {
            tenant = "";
            if (segments.Count != _segments.Length) return false;
            for (int i = 0; i < _segments.Length; i++)
            {
                if (_segments[i] == "{tenant}")
                {
                    // The Graph version roots are never a tenant: /v1.0/... is Graph's, whatever follows.
                    if (segments[i] == "v1.0" || segments[i] == "beta") return false;
                    tenant = segments[i];
                }
                else if (_segments[i] != segments[i]) return false;
            }
            return true;
        }

        public override string ToString() => Pattern;
    }
}
