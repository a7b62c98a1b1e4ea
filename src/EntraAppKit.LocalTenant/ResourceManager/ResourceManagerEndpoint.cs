using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.ResourceManager
{
    /// <summary>
    /// The two Azure Resource Manager calls az makes after it signs in (azure/cli/core/_profile.py, SubscriptionFinder: tenants
    /// then subscriptions): GET /tenants (learn.microsoft.com/rest/api/resources/tenants/list), which lists this tenant, and GET
    /// /subscriptions (learn.microsoft.com/rest/api/resources/subscriptions/list), which is empty: the local tenant has no Azure
    /// subscriptions, so az needs --allow-no-subscriptions. Both need a Resource Manager token the tenant issued and an
    /// api-version, and refuse in ARM's error shape {"error":{"code","message"}}.
    /// </summary>
    internal sealed class ResourceManagerEndpoint
    {
        private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;

        public ResourceManagerEndpoint(ITenantStore store, TenantClock clock) { _store = store; _clock = clock; }

        public GraphResponse Subscriptions(IdentityContext context) =>
            Answer(context, () => new JsonObject { ["value"] = new JsonArray() });

        public GraphResponse Tenants(IdentityContext context) =>
            Answer(context, () => new JsonObject
            {
                ["value"] = new JsonArray(new JsonObject
                {
                    ["id"] = "/tenants/" + _store.TenantId,
                    ["tenantId"] = _store.TenantId,
                    ["tenantCategory"] = "Home",
                    ["displayName"] = _store.DisplayName,
                    ["domains"] = new JsonArray(_store.AllDomains.Select(d => (JsonNode?)d).ToArray()),
                    ["defaultDomain"] = _store.InitialDomain,
                    ["tenantType"] = "AAD",
                }),
            });

        private GraphResponse Answer(IdentityContext context, Func<JsonObject> body)
        {
            var request = context.Request;
            if (request.Method != "GET")
                return Error(405, "MethodNotAllowed", $"The requested resource does not support http method '{request.Method}'.");
            var refusal = Authenticate(request);
            if (refusal != null) return refusal;
            bool hasVersion = QueryString.Parse(request.Uri.Query).Any(kv => string.Equals(kv.Key, "api-version", StringComparison.OrdinalIgnoreCase) && kv.Value.Length > 0);
            if (!hasVersion)
                return Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
            return new GraphResponse(200, body().ToJsonString(GraphJson.Options), "application/json; charset=utf-8");
        }

        /// <summary>ARM's 401s: no token, a token it cannot validate, or one obtained for another audience (Graph's, for instance).</summary>
        private GraphResponse? Authenticate(GraphRequest request)
        {
            string header = request.Header("Authorization") ?? "";
            string token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header.Substring(7).Trim() : "";
            if (token.Length == 0)
                return Unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", "The authentication failed because of missing 'Authorization' header.");
            var key = _store.SigningKey;
            var now = _clock.Now;
            if (!Jwt.TryParse(token, out var jwt) || jwt.HeaderString("alg") != "RS256" || jwt.HeaderString("kid") != key.KeyId
                || !key.Verify(jwt.SigningInput, jwt.Signature) || jwt.Claim("iss") != TokenIssuer.StsIssuerOf(_store.TenantId)
                || jwt.Claim("tid") != _store.TenantId || !(jwt.Time("nbf") is DateTimeOffset nbf && nbf <= now + ClockSkew))
                return Unauthorized("InvalidAuthenticationToken", "The access token is invalid.", "The access token is invalid.");
            if (!(jwt.Time("exp") > now))
                return Unauthorized("ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.", "The access token has expired.");
            string audience = jwt.Claim("aud") ?? "";
            if (ScopeRequest.ResourceManagerAudience(audience) == null)
                return Unauthorized("InvalidAuthenticationTokenAudience",
                    $"The access token has been obtained for wrong audience or resource '{audience}'. It should exactly match with one of the allowed audiences " +
                    "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
                    "The access token has been obtained from wrong audience or resource.");
            return null;
        }

        private GraphResponse Unauthorized(string code, string message, string description)
        {
            var response = Error(401, code, message);
            response.Headers["WWW-Authenticate"] =
                $"Bearer authorization_uri=\"https://login.windows.net/{_store.TenantId}\", error=\"invalid_token\", error_description=\"{description}\"";
            return response;
        }

        private static GraphResponse Error(int status, string code, string message) =>
            new GraphResponse(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString(GraphJson.Options),
                "application/json; charset=utf-8");
    }
}
