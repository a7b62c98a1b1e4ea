using System.Linq;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>
    /// Every bound on what a client controls, in one place: sizes Graph documents, and depths that keep one request from
    /// exhausting the stack or memory of the whole tenant. Both front doors and every parser read them from here.
    /// </summary>
    public static class RequestLimits
    {
        /// <summary>"Write requests in Microsoft Graph API have a size limit of 4 MB" (learn.microsoft.com/graph/use-the-api).</summary>
        public const int MaxBodyBytes = 4 * 1024 * 1024;

        /// <summary>
        /// The longest request URL (path and query), also for a $batch item's url, which no HTTP server would otherwise bound:
        /// Kestrel's default request-line limit (8 KB), what a direct URL to the server was always capped at.
        /// </summary>
        public const int MaxUrlLength = 8 * 1024;

        /// <summary>All request headers together: Kestrel's default (32 KB), answered with Graph's body in both front doors.</summary>
        public const int MaxHeaderBytes = 32 * 1024;

        /// <summary>How deeply a JSON body may nest; System.Text.Json's default, stated so batch and payload agree.</summary>
        public const int MaxJsonDepth = 64;

        /// <summary>How deeply a $filter may nest parentheses and not: the parser recurses once per level.</summary>
        public const int MaxFilterDepth = 100;

        /// <summary>
        /// Entries over all collections of one application ("the total number of entries in all the collections combined has
        /// been capped at 1200", learn.microsoft.com/entra/identity-platform/reference-app-manifest, Manifest limits).
        /// </summary>
        public const int MaxApplicationCollectionEntries = 1200;

        /// <summary>Graph's 413 for a body over <see cref="MaxBodyBytes"/> (learn.microsoft.com/graph/errors: "The request size exceeds the maximum limit.").</summary>
        public static GraphException BodyTooLarge() =>
            new GraphException(413, "RequestEntityTooLarge", "The request size exceeds the maximum limit.");

        /// <summary>414 for a URL over <see cref="MaxUrlLength"/> (RFC 9110 section 15.5.15), in Graph's error body.</summary>
        internal static GraphException UrlTooLong() =>
            new GraphException(414, "RequestUriTooLong", $"The request URL is longer than {MaxUrlLength} characters.");

        /// <summary>431 for headers over <see cref="MaxHeaderBytes"/> (RFC 6585 section 5), in Graph's error body.</summary>
        internal static GraphException HeadersTooLarge() =>
            new GraphException(431, "RequestHeaderFieldsTooLarge", $"The request headers are larger than {MaxHeaderBytes} bytes.");

        /// <summary>Checks a Graph request's size before anything reads it.</summary>
        internal static void Check(GraphRequest request)
        {
            if (request.Uri.PathAndQuery.Length > MaxUrlLength) throw UrlTooLong();
            if (request.Headers.Sum(h => h.Key.Length + (h.Value?.Length ?? 0) + 4) > MaxHeaderBytes) throw HeadersTooLarge();
            if (request.Body.Length > MaxBodyBytes) throw BodyTooLarge();
        }
    }
}
