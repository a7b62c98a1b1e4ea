using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The token endpoints /{tenant}/oauth2/v2.0/token and /{tenant}/oauth2/token (v1: resource= instead of scope=). Grants:
    /// client_credentials with a secret or a certificate assertion, for Graph, Resource Manager or an API of the tenant
    /// (<see cref="ResourceResolver"/>), (v2-oauth2-client-creds-grant-flow), device_code
    /// (<see cref="DeviceCodeEndpoint"/>) and refresh_token (v2-oauth2-auth-code-flow "Refresh the access token").
    /// </summary>
    internal sealed class TokenEndpoint
    {
        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly TenantPathResolver _tenants;
        private readonly TokenIssuer _issuer;
        private readonly TokenResponses _responses;
        private readonly ClientSecretVerifier _secrets;
        private readonly UserConsent _consent;
        private readonly DeviceCodeEndpoint _deviceCodes;

        public TokenEndpoint(ITenantStore store, TenantClock clock, TenantPathResolver tenants, TokenIssuer issuer, TokenResponses responses,
            ClientSecretVerifier secrets, UserConsent consent, DeviceCodeEndpoint deviceCodes)
        {
            _store = store; _clock = clock; _tenants = tenants; _issuer = issuer; _responses = responses;
            _secrets = secrets; _consent = consent; _deviceCodes = deviceCodes;
        }

        public GraphResponse Token(IdentityContext context)
        {
            var request = context.Request;
            if (request.Method != "POST") throw AadstsException.PostOnly(request.Method);
            var tenant = _tenants.Resolve(context.Tenant);
            var form = new OAuthForm(request);
            string grantType = form.Required("grant_type");
            switch (grantType)
            {
                case "client_credentials": return ClientCredentials(context, tenant, form);
                case "device_code":
                case DeviceCodeEndpoint.DeviceCodeGrant: return _deviceCodes.Redeem(context, tenant, form);
                case "refresh_token": return Refresh(context, tenant, form);
                default: throw AadstsException.UnsupportedGrant(grantType);
            }
        }

        private GraphResponse ClientCredentials(IdentityContext context, TenantPath tenant, OAuthForm form)
        {
            if (tenant != TenantPath.Tenant) throw AadstsException.NoTenant();
            var basic = OAuthForm.BasicCredentials(context.Request);
            string clientId = basic?.Id ?? form.Required("client_id");
            string origin = context.Request.Uri.GetLeftPart(UriPartial.Authority);
            var resources = new ResourceResolver(_store, _clock.Now, origin);
            var scopes = context.IsV1
                ? ScopeRequest.FromResource(form.Required("resource"), resources)
                : ScopeRequest.ForClientCredentials(form.Required("scope"), resources);
            var app = _store.FindVisibleApplicationByAppId(clientId, _clock.Now) ?? throw AadstsException.UnknownClient(clientId, _store.DisplayName);

            // An application signs in to a tenant through its service principal there (app-objects-and-service-principals),
            // whose own secrets and certificates sign in too (serviceprincipal-addpassword, serviceprincipal-addkey).
            var sp = _store.FindVisibleServicePrincipalByAppId(clientId, _clock.Now);
            string appIdAcr;
            string? secret = basic?.Secret ?? form["client_secret"];
            string? assertion = form["client_assertion"];
            if (secret != null)
            {
                _secrets.Demand(app, sp, secret);
                appIdAcr = "1";
            }
            else if (assertion != null)
            {
                if (form["client_assertion_type"] != ClientAssertion.AssertionType) throw AadstsException.MissingParameter("client_assertion_type");
                var owners = sp == null ? new[] { app.Json } : new[] { app.Json, sp.Json };
                ClientAssertion.Validate(assertion, app.AppId, app.Json, owners, IsOwnTokenEndpoint, _clock.Now);
                appIdAcr = "2";
            }
            else throw AadstsException.MissingCredential();

            if (sp == null) throw AadstsException.MissingServicePrincipal(clientId, _store.TenantId);
            if (sp.IsDisabled) throw AadstsException.DisabledApplication(clientId, sp.DisplayName ?? "");

            var now = _clock.Now;
            string accessToken = _issuer.MintAppToken(sp, scopes.Resource, appIdAcr, !context.IsV1, null, now, origin);
            return context.IsV1
                ? OAuthResponses.Token(200, TokenResponses.V1Body(accessToken, form["resource"]!, null, now))
                : OAuthResponses.Token(200, new JsonObject
                {
                    ["token_type"] = "Bearer",
                    ["scope"] = scopes.Raw,
                    ["expires_in"] = TokenResponses.ExpiresIn,
                    ["ext_expires_in"] = TokenResponses.ExpiresIn,
                    ["access_token"] = accessToken,
                });
        }

        /// <summary>A client assertion's aud: this tenant's token endpoint (v2 or v1) or issuer, by tenant id or domain, on any host.</summary>
        private bool IsOwnTokenEndpoint(string audience)
        {
            if (!Uri.TryCreate(audience, UriKind.Absolute, out var uri)) return false;
            var segments = uri.AbsolutePath.Trim('/').Split('/');
            if (segments.Length == 0 || !_tenants.IsThisTenant(segments[0])) return false;
            string rest = string.Join("/", segments.Skip(1));
            return rest == "oauth2/v2.0/token" || rest == "oauth2/token" || rest == "v2.0" || rest.Length == 0;
        }

        private GraphResponse Refresh(IdentityContext context, TenantPath tenant, OAuthForm form)
        {
            string clientId = form.Required("client_id");
            string token = form.Required("refresh_token");
            if (!_issuer.IsOwnRefreshToken(token, clientId, out var rt)) throw AadstsException.InvalidGrant();
            if (!(rt.Time("exp") > _clock.Now)) throw AadstsException.RefreshTokenExpired(rt.Time("iat") ?? _clock.Now);
            var client = _consent.ClientOf(clientId, tenant);
            if (!client.IsPublic) throw AadstsException.MissingCredential();
            string origin = context.Request.Uri.GetLeftPart(UriPartial.Authority);
            // A refresh token of Entra's is good for any resource the user may sign in to (Graph, here or under the server's own
            // base URL, Resource Manager, the tenant's APIs): az signs in for Resource Manager and then asks for Graph with the same refresh token.
            string? resource = context.IsV1 ? form.Required("resource") : null;
            var resources = new ResourceResolver(_store, _clock.Now, origin);
            var scopes = resource != null
                ? ScopeRequest.FromResource(resource, resources)
                : ScopeRequest.ForUser(form["scope"] ?? rt.Claim("scope") ?? throw AadstsException.MissingParameter("scope"), resources);
            // A refresh reflects today's consent, and cannot add to it: that needs the user.
            var granted = _consent.ConsentedScopes(client, scopes, consent: false);
            return _responses.ForUser(context, client, scopes, granted, form);
        }
    }
}
