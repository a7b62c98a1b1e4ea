using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The token endpoints /{tenant}/oauth2/v2.0/token and /{tenant}/oauth2/token (v1: resource= instead of scope=). Grants:
    /// client_credentials with a secret or a certificate assertion, for Graph, Resource Manager or an API of the tenant
    /// (<see cref="ResourceResolver"/>), (v2-oauth2-client-creds-grant-flow), device_code
    /// (<see cref="DeviceCodeEndpoint"/>), authorization_code (<see cref="AuthorizeEndpoint"/>'s codes), refresh_token
    /// (v2-oauth2-auth-code-flow "Refresh the access token") and on-behalf-of (jwt-bearer, v2-oauth2-on-behalf-of-flow).
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
        private readonly AuthorizationCodes _codes;
        private readonly TenantNeighbours _neighbours;

        /// <summary>The on-behalf-of flow's grant type (with requested_token_use=on_behalf_of).</summary>
        public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

        public TokenEndpoint(ITenantStore store, TenantClock clock, TenantPathResolver tenants, TokenIssuer issuer, TokenResponses responses,
            ClientSecretVerifier secrets, UserConsent consent, DeviceCodeEndpoint deviceCodes, AuthorizationCodes codes, TenantNeighbours neighbours)
        {
            _store = store; _clock = clock; _tenants = tenants; _issuer = issuer; _responses = responses;
            _secrets = secrets; _consent = consent; _deviceCodes = deviceCodes; _codes = codes; _neighbours = neighbours;
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
                case "authorization_code": return RedeemCode(context, tenant, form);
                case JwtBearerGrant: return OnBehalfOf(context, tenant, form);
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
            // A multi-tenant application of another tenant signs in here once it has a service principal here (admin consent).
            var local = _store.FindVisibleApplicationByAppId(clientId, _clock.Now);
            var foreign = local == null ? _neighbours.FindApplication(clientId) : null;
            var app = local ?? foreign?.Application ?? throw AadstsException.UnknownClient(clientId, _store.DisplayName);

            var sp = _store.FindVisibleServicePrincipalByAppId(clientId, _clock.Now);
            string appIdAcr = Authenticate(context.Request, form, app, sp, foreign) ?? throw AadstsException.MissingCredential();

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

        /// <summary>
        /// Checks the client's credential, if it sent one: a secret (client_secret or client_secret_basic) or a certificate
        /// assertion. An application signs in to a tenant through its service principal there (app-objects-and-service-principals),
        /// whose own secrets and certificates sign in too (serviceprincipal-addpassword, serviceprincipal-addkey). Returns
        /// appidacr ("1" secret, "2" certificate), or null when no credential was sent.
        /// </summary>
        private string? Authenticate(GraphRequest request, OAuthForm form, ApplicationEntity app, ServicePrincipalEntity? sp, ForeignApplication? foreign = null)
        {
            string? secret = OAuthForm.BasicCredentials(request)?.Secret ?? form["client_secret"];
            string? assertion = form["client_assertion"];
            if (secret != null)
            {
                _secrets.Demand(app, sp, secret, foreign);
                return "1";
            }
            if (assertion != null)
            {
                if (form["client_assertion_type"] != ClientAssertion.AssertionType) throw AadstsException.MissingParameter("client_assertion_type");
                var owners = sp == null ? new[] { app.Json } : new[] { app.Json, sp.Json };
                ClientAssertion.Validate(assertion, app.AppId, app.Json, owners, IsOwnTokenEndpoint, _clock.Now);
                return "2";
            }
            return null;
        }

        /// <summary>
        /// A user client's credential: checked when sent (a registered application's); when none is sent the client must be
        /// allowed to be public (<paramref name="mayBePublic"/>), or it is Entra's AADSTS7000218.
        /// </summary>
        /// <returns>The token's appidacr: "0" public, "1" secret, "2" certificate.</returns>
        private string AuthenticateUserClient(GraphRequest request, OAuthForm form, UserClient client, bool mayBePublic)
        {
            string? credential;
            if (client.Application != null) credential = Authenticate(request, form, client.Application, _store.FindVisibleServicePrincipalByAppId(client.AppId, _clock.Now), client.Foreign);
            // A Microsoft first-party client has no credentials in this tenant: any it sends is not one of its own.
            else if (OAuthForm.BasicCredentials(request) != null || form["client_secret"] != null || form["client_assertion"] != null) throw AadstsException.InvalidSecret(client.AppId);
            else credential = null;
            if (credential == null && !mayBePublic) throw AadstsException.MissingCredential();
            return credential ?? "0";
        }

        /// <summary>
        /// grant_type=authorization_code (v2-oauth2-auth-code-flow "Redeem a code for an access token"): the code once, within
        /// its 10 minutes, by the client it was issued to, with the redirect_uri of the authorization request. A web redirect's
        /// code needs the client's secret or certificate unless the app allows public client flows (isFallbackPublicClient); a
        /// SPA redirect's code is redeemed cross-origin (an Origin header) and any other code is not; with a code_challenge the
        /// code_verifier must match it (RFC 7636 section 4.6). The answer is the user flow's, with the request's nonce in the ID token.
        /// </summary>
        private GraphResponse RedeemCode(IdentityContext context, TenantPath tenant, OAuthForm form)
        {
            var request = context.Request;
            string clientId = OAuthForm.BasicCredentials(request)?.Id ?? form.Required("client_id");
            var code = _codes.Find(form.Required("code"), clientId);
            string redirectUri = form.Required("redirect_uri");
            if (!string.Equals(redirectUri, code.RedirectUri, StringComparison.Ordinal)) throw AadstsException.CodeRedirectMismatch(redirectUri, code.RedirectUri);
            var client = _consent.ClientOf(clientId, tenant);
            bool crossOrigin = request.Header("Origin") != null;
            if (code.Platform == RedirectPlatform.Spa && !crossOrigin) throw AadstsException.SpaNeedsCrossOrigin();
            if (code.Platform != RedirectPlatform.Spa && crossOrigin) throw AadstsException.CrossOriginNotSpa();
            string appIdAcr = AuthenticateUserClient(request, form, client, code.Platform != RedirectPlatform.Web || client.IsPublic);
            if (code.CodeChallenge != null)
            {
                string verifier = form.Required("code_verifier");
                string expected = code.CodeChallengeMethod == "S256" ? Base64Url.Encode(Hashes.Sha256(verifier, System.Text.Encoding.ASCII)) : verifier;
                if (!string.Equals(expected, code.CodeChallenge, StringComparison.Ordinal)) throw AadstsException.CodeVerifierMismatch();
            }
            code.Redeemed = true;
            var granted = _consent.ConsentedScopes(client, code.Scopes, consent: false, userId: code.UserId);
            return _responses.ForUser(context, client, code.Scopes, granted, form, code.Nonce, appIdAcr, code.UserId);
        }

        /// <summary>
        /// The on-behalf-of flow (learn.microsoft.com/entra/identity-platform/v2-oauth2-on-behalf-of-flow): a confidential
        /// client (its secret or certificate) presents the user's access token it was called with (assertion, whose aud must be
        /// the client itself: its appId or one of its App ID URIs) and gets a token for a downstream resource (scope), carrying
        /// what the user has consented to for the client on that resource (AADSTS65001 otherwise: "the middle-tier application
        /// … must be granted consent"), and a refresh token with offline_access.
        /// </summary>
        private GraphResponse OnBehalfOf(IdentityContext context, TenantPath tenant, OAuthForm form)
        {
            var request = context.Request;
            if (form["requested_token_use"] != "on_behalf_of") throw AadstsException.MissingParameter("requested_token_use");
            string clientId = OAuthForm.BasicCredentials(request)?.Id ?? form.Required("client_id");
            string assertion = form.Required("assertion");
            var client = _consent.ClientOf(clientId, tenant);
            var app = client.Application ?? throw AadstsException.UnknownClient(clientId, _store.DisplayName);
            string appIdAcr = Authenticate(request, form, app, _store.FindVisibleServicePrincipalByAppId(clientId, _clock.Now), client.Foreign) ?? throw AadstsException.MissingCredential();
            if (!_issuer.IsOwnUserAccessToken(assertion, out var user)) throw AadstsException.AssertionSignatureInvalid();
            if (!(user.Time("exp") > _clock.Now)) throw AadstsException.AssertionExpired(_clock.Now, user.Time("exp"));
            string audience = user.Claim("aud") ?? "";
            bool forThisClient = string.Equals(audience, app.AppId, StringComparison.OrdinalIgnoreCase) ||
                app.IdentifierUris.Any(u => string.Equals(Entity.TextOf(u), audience, StringComparison.OrdinalIgnoreCase));
            if (!forThisClient) throw AadstsException.AssertionAudienceMismatch(audience, app.AppId, app.DisplayName ?? "");
            var scopes = ScopeRequest.ForUser(form.Required("scope"), new ResourceResolver(_store, _clock.Now, request.Uri.GetLeftPart(UriPartial.Authority)));
            var granted = _consent.ConsentedScopes(client, scopes, consent: false, userId: user.Claim("oid"));
            // The new token is the same user's: the incoming token's oid.
            return _responses.ForUser(context, client, scopes, granted, form, appIdAcr: appIdAcr, userId: user.Claim("oid"));
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
            // A refresh token dies with its user's sign-in: a disabled account is refused (reference-error-codes, AADSTS50057).
            if (_store.FindUser(rt.Claim("sub") ?? "") is { AccountEnabled: false }) throw AadstsException.DisabledUser();
            var client = _consent.ClientOf(clientId, tenant);
            // A confidential client (a web app that signed a user in by code) refreshes with its credential (v2-oauth2-auth-code-flow
            // "Refresh the access token": client_secret "required for web apps"); a token issued to a public client (a Mobile and
            // desktop or SPA redirect's code, appidacr "0") refreshes without one, whatever isFallbackPublicClient says now.
            bool issuedToPublicClient = rt.Claim("appidacr") == "0";
            string appIdAcr = AuthenticateUserClient(context.Request, form, client, client.IsPublic || issuedToPublicClient);
            string origin = context.Request.Uri.GetLeftPart(UriPartial.Authority);
            // A refresh token of Entra's is good for any resource the user may sign in to (Graph, here or under the server's own
            // base URL, Resource Manager, the tenant's APIs): az signs in for Resource Manager and then asks for Graph with the same refresh token.
            string? resource = context.IsV1 ? form.Required("resource") : null;
            var resources = new ResourceResolver(_store, _clock.Now, origin);
            var scopes = resource != null
                ? ScopeRequest.FromResource(resource, resources)
                : ScopeRequest.ForUser(form["scope"] ?? rt.Claim("scope") ?? throw AadstsException.MissingParameter("scope"), resources);
            // A refresh reflects today's consent, and cannot add to it: that needs the user.
            var granted = _consent.ConsentedScopes(client, scopes, consent: false, userId: rt.Claim("sub"));
            return _responses.ForUser(context, client, scopes, granted, form, appIdAcr: appIdAcr, userId: rt.Claim("sub"));
        }
    }
}
