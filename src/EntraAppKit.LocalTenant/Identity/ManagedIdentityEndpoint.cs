using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// App Service / Azure Automation / Functions managed identity (learn.microsoft.com/azure/app-service/overview-managed-identity,
    /// "REST endpoint reference", api-version 2019-08-01): GET {IDENTITY_ENDPOINT}?resource=…&amp;api-version=2019-08-01
    /// [&amp;client_id=…|&amp;mi_res_id=…|&amp;principal_id=…] with X-IDENTITY-HEADER: {IDENTITY_HEADER}, for any resource the
    /// token endpoint knows (<see cref="ResourceResolver"/>). Plain HTTP by design: the endpoint is local to the host.
    /// </summary>
    internal sealed class ManagedIdentityEndpoint
    {
        private const string ApiVersion = "2019-08-01";

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly TokenIssuer _issuer;

        public ManagedIdentityEndpoint(ITenantStore store, TenantClock clock, TokenIssuer issuer) { _store = store; _clock = clock; _issuer = issuer; }

        public GraphResponse Token(IdentityContext context)
        {
            var request = context.Request;
            GraphResponse Fail(int status, string message) =>
                OAuthResponses.Plain(status, new JsonObject { ["statusCode"] = status, ["message"] = message, ["correlationId"] = context.CorrelationId });

            if (request.Method != "GET") return Fail(405, "The managed identity endpoint answers GET only.");
            string? secret = request.Header("X-IDENTITY-HEADER");
            if (secret == null || !SecretComparison.AreEqual(_store.IdentityHeader, secret))
                return Fail(401, "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.");
            var query = QueryString.Parse(request.Uri.Query).GroupBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            string? Q(string name) => query.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
            if (Q("api-version") != ApiVersion)
                return Fail(400, $"The api-version '{Q("api-version")}' is not supported: use {ApiVersion}.");
            string? resource = Q("resource");
            if (resource == null) return Fail(400, "The resource parameter is required.");

            var identities = _store.ManagedIdentities.ToList();
            ServicePrincipalEntity? sp;
            if (Q("client_id") is string clientId) sp = identities.FirstOrDefault(s => Entity.SameKey(s.AppId, clientId));
            else if (Q("mi_res_id") is string resourceId) sp = identities.FirstOrDefault(s => s.AlternativeNames.Any(n => Entity.SameKey(Entity.TextOf(n), resourceId)));
            else if ((Q("principal_id") ?? Q("object_id")) is string objectId) sp = identities.FirstOrDefault(s => Entity.SameKey(s.Id, objectId));
            else sp = identities.FirstOrDefault(); // the system-assigned identity: the first one created
            if (sp == null) return Fail(400, "Unable to load requested managed identity.");

            // The endpoint relays Entra's own refusals. A managed identity gets tokens for any resource an app may ask for
            // (Graph, Resource Manager, the tenant's APIs), its roles those it holds on that resource.
            string origin = request.Uri.GetLeftPart(UriPartial.Authority);
            var target = new ResourceResolver(_store, _clock.Now, origin).TryResolve(resource);
            if (target == null) return Fail(400, $"AADSTS500011: {AadstsException.UnknownResource(resource, _store.DisplayName).Message}");
            if (sp.IsDisabled)
                return Fail(400, $"AADSTS7000112: {AadstsException.DisabledApplication(sp.AppId, sp.DisplayName ?? "").Message}");

            string resourceIdOfIdentity = (string)sp.AlternativeNames.Last()!;
            var now = _clock.Now;
            string accessToken = _issuer.MintAppToken(sp, target, "2", v2Endpoint: false, resourceIdOfIdentity, now, origin);
            return OAuthResponses.Plain(200, new JsonObject
            {
                ["access_token"] = accessToken,
                ["expires_on"] = Jwt.Seconds(now + TokenIssuer.AccessTokenLifetime).ToString(CultureInfo.InvariantCulture), // a string: MSAL reads it as one
                ["resource"] = resource,
                ["token_type"] = "Bearer",
                ["client_id"] = sp.AppId,
            });
        }
    }
}
