using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>How the identity endpoints answer JSON.</summary>
    internal static class OAuthResponses
    {
        /// <summary>A token endpoint answer: token responses must not be cached (RFC 6749 section 5.1); Entra sends both headers.</summary>
        public static GraphResponse Token(int status, JsonObject body)
        {
            var response = new GraphResponse(status, body.ToJsonString(GraphJson.Options), "application/json; charset=utf-8");
            response.Headers["Cache-Control"] = "no-store, no-cache";
            response.Headers["Pragma"] = "no-cache";
            return response;
        }

        /// <summary>A discovery document or key set, which clients may cache for a day.</summary>
        public static GraphResponse Cacheable(JsonObject body)
        {
            var response = new GraphResponse(200, body.ToJsonString(GraphJson.Options), "application/json; charset=utf-8");
            response.Headers["Cache-Control"] = "max-age=86400, private";
            return response;
        }

        /// <summary>The managed identity endpoint's answers, which carry no cache headers.</summary>
        public static GraphResponse Plain(int status, JsonObject body) =>
            new GraphResponse(status, body.ToJsonString(GraphJson.Options), "application/json; charset=utf-8");
    }
}
