using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant
{
    // App Service / Azure Automation / Functions managed identity (learn.microsoft.com/azure/app-service/overview-managed-identity,
    // "REST endpoint reference", api-version 2019-08-01): GET {IDENTITY_ENDPOINT}?resource=…&api-version=2019-08-01
    // [&client_id=…|&mi_res_id=…|&principal_id=…] with X-IDENTITY-HEADER: {IDENTITY_HEADER}. Plain HTTP by design: the
    // endpoint is local to the host.
    public sealed partial class LocalTenantEngine
    {
        private const string ManagedIdentityApiVersion = "2019-08-01";

        private GraphResponse ManagedIdentityToken(GraphRequest request, string correlationId)
        {
            GraphResponse Fail(int status, string message) =>
                MiJson(status, new JsonObject { ["statusCode"] = status, ["message"] = message, ["correlationId"] = correlationId });

            if (request.Method != "GET") return Fail(405, "The managed identity endpoint answers GET only.");
            string? secret = request.Header("X-IDENTITY-HEADER");
            if (secret == null || !FixedTimeEquals(secret, _state.IdentityHeader))
                return Fail(401, "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.");
            var query = QueryString.Parse(request.Uri.Query).GroupBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            string? Q(string name) => query.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
            if (Q("api-version") != ManagedIdentityApiVersion)
                return Fail(400, $"The api-version '{Q("api-version")}' is not supported: use {ManagedIdentityApiVersion}.");
            string? resource = Q("resource");
            if (resource == null) return Fail(400, "The resource parameter is required.");

            var identities = _state.ServicePrincipals.All.Where(IsManagedIdentity).ToList();
            JsonObject? sp;
            if (Q("client_id") is string clientId) sp = identities.FirstOrDefault(s => Eq(s["appId"], clientId));
            else if (Q("mi_res_id") is string resourceId) sp = identities.FirstOrDefault(s => s["alternativeNames"]!.AsArray().Any(n => Eq(n, resourceId)));
            else if ((Q("principal_id") ?? Q("object_id")) is string objectId) sp = identities.FirstOrDefault(s => Eq(s["id"], objectId));
            else sp = identities.FirstOrDefault(); // the system-assigned identity: the first one created
            if (sp == null) return Fail(400, "Unable to load requested managed identity.");

            // The endpoint relays Entra's own refusals.
            string? audience = ScopeRequest.GraphAudience(resource);
            if (audience == null) return Fail(400, $"AADSTS500011: {AadstsException.UnknownResource(resource, _state.DisplayName).Message}");
            if ((bool?)sp["accountEnabled"] == false)
                return Fail(400, $"AADSTS7000112: {AadstsException.DisabledApplication((string)sp["appId"]!, (string?)sp["displayName"] ?? "").Message}");

            string resourceIdOfIdentity = (string)sp["alternativeNames"]!.AsArray().Last()!;
            var now = Now;
            string accessToken = MintAppToken(sp, audience, "2", v2: false, resourceIdOfIdentity, now);
            return MiJson(200, new JsonObject
            {
                ["access_token"] = accessToken,
                ["expires_on"] = Jwt.Seconds(now + AccessTokenLifetime).ToString(CultureInfo.InvariantCulture), // a string: MSAL reads it as one
                ["resource"] = resource,
                ["token_type"] = "Bearer",
                ["client_id"] = (string)sp["appId"]!,
            });
        }

        private static GraphResponse MiJson(int status, JsonObject body) =>
            new GraphResponse(status, body.ToJsonString(GraphJson.Options), "application/json; charset=utf-8");

        private static bool FixedTimeEquals(string a, string b)
        {
            int diff = a.Length ^ b.Length;
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }
    }
}
