using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// Matches an authorization request's redirect_uri against the application's registered ones
    /// (learn.microsoft.com/entra/identity-platform/reply-url): exactly, case included ("Redirect URIs are case-sensitive"),
    /// except that for http loopback URIs "the port component … is ignored for the purposes of matching a redirect URI"
    /// (reply-url, "Localhost exceptions", after RFC 8252 sections 7.3 and 8.3): http://localhost:5001/cb matches a
    /// registered http://localhost/cb. The platform that registered the match decides how its code is redeemed.
    /// </summary>
    internal static class RedirectUris
    {
        /// <summary>Where Microsoft's own public clients may be sent (they are registered in Microsoft's tenant, not here).</summary>
        public const string NativeClient = "https://login.microsoftonline.com/common/oauth2/nativeclient";

        public static IEnumerable<(string Uri, RedirectPlatform Platform)> Registered(ApplicationEntity app)
        {
            foreach (var (property, platform) in new[] { ("web", RedirectPlatform.Web), ("spa", RedirectPlatform.Spa), ("publicClient", RedirectPlatform.PublicClient) })
                foreach (var uri in app.Json[property]?["redirectUris"] as JsonArray ?? new JsonArray())
                    if (Entity.TextOf(uri) is string text && text.Length > 0) yield return (text, platform);
        }

        /// <summary>The platform of the registered URI <paramref name="requested"/> matches, or null.</summary>
        public static RedirectPlatform? Match(ApplicationEntity app, string requested)
        {
            foreach (var (uri, platform) in Registered(app))
                if (Same(uri, requested)) return platform;
            return null;
        }

        /// <summary>A Microsoft first-party public client (az, Connect-MgGraph) is sent to a loopback listener or the native client page.</summary>
        public static bool IsFirstPartyRedirect(string requested) =>
            requested == NativeClient || (Uri.TryCreate(requested, UriKind.Absolute, out var uri) && IsLoopbackHttp(uri));

        private static bool Same(string registered, string requested)
        {
            if (string.Equals(registered, requested, StringComparison.Ordinal)) return true;
            if (!Uri.TryCreate(registered, UriKind.Absolute, out var a) || !Uri.TryCreate(requested, UriKind.Absolute, out var b)) return false;
            if (!IsLoopbackHttp(a) || !IsLoopbackHttp(b)) return false;
            // Host, path and query as written; only the port may differ.
            return string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) &&
                   string.Equals(a.AbsolutePath, b.AbsolutePath, StringComparison.Ordinal) &&
                   string.Equals(a.Query, b.Query, StringComparison.Ordinal);
        }

        private static bool IsLoopbackHttp(Uri uri) =>
            uri.Scheme == Uri.UriSchemeHttp && (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase) || uri.Host == "127.0.0.1" || uri.Host == "[::1]");
    }
}
