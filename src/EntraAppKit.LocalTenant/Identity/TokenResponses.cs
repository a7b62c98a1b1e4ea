using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>The token endpoint's successful answers, v2.0 and v1 (v1-oauth2-client-creds-grant-flow), with the tokens they carry.</summary>
    internal sealed class TokenResponses
    {
        private readonly TokenIssuer _issuer;
        private readonly TenantClock _clock;

        public TokenResponses(TokenIssuer issuer, TenantClock clock) { _issuer = issuer; _clock = clock; }

        /// <summary>expires_in: Entra reports one second less than the token's lifetime.</summary>
        public static int ExpiresIn => (int)TokenIssuer.AccessTokenLifetime.TotalSeconds - 1;

        /// <summary>v1 answers numbers as strings and adds expires_on, not_before and resource (v1-oauth2-client-creds-grant-flow).</summary>
        public static JsonObject V1Body(string accessToken, string resource, string? scope, DateTimeOffset now)
        {
            var body = new JsonObject { ["token_type"] = "Bearer" };
            if (scope != null) body["scope"] = scope;
            body["expires_in"] = ExpiresIn.ToString(CultureInfo.InvariantCulture);
            body["ext_expires_in"] = ExpiresIn.ToString(CultureInfo.InvariantCulture);
            body["expires_on"] = Jwt.Seconds(now + TokenIssuer.AccessTokenLifetime).ToString(CultureInfo.InvariantCulture);
            body["not_before"] = Jwt.Seconds(now).ToString(CultureInfo.InvariantCulture);
            body["resource"] = resource;
            body["access_token"] = accessToken;
            return body;
        }

        /// <summary>
        /// A user flow's answer: the access token, the granted scopes, a refresh token (offline_access, and always on v1), an ID
        /// token (openid; with the authorization request's <paramref name="nonce"/>) and client_info when MSAL asks for it (client_info=1).
        /// The user is <paramref name="userId"/>, or the built-in administrator (device code).
        /// </summary>
        public GraphResponse ForUser(IdentityContext context, UserClient client, ScopeRequest scopes, List<string> granted, OAuthForm form, string? nonce = null,
            string appIdAcr = "0", string? userId = null)
        {
            var now = _clock.Now;
            string accessToken = _issuer.MintUserToken(client.AppId, client.DisplayName, granted, scopes.Resource, !context.IsV1, now, TokenIssuer.AccessTokenLifetime,
                context.Request.Uri.GetLeftPart(UriPartial.Authority), userId: userId, appIdAcr: appIdAcr);
            JsonObject body;
            if (context.IsV1) body = V1Body(accessToken, form["resource"] ?? scopes.Audience, string.Join(" ", granted), now);
            else
            {
                body = new JsonObject
                {
                    ["token_type"] = "Bearer",
                    ["scope"] = scopes.Answer(granted),
                    ["expires_in"] = ExpiresIn,
                    ["ext_expires_in"] = ExpiresIn,
                    ["access_token"] = accessToken,
                };
            }
            if (context.IsV1 || scopes.Oidc.Contains("offline_access")) body["refresh_token"] = _issuer.MintRefreshToken(client.AppId, scopes.Raw, now, userId, appIdAcr);
            if (!context.IsV1 && scopes.Oidc.Contains("openid")) body["id_token"] = _issuer.MintIdToken(client.AppId, context.Request.Uri.GetLeftPart(UriPartial.Authority), now, nonce, userId: userId);
            if (form["client_info"] == "1") body["client_info"] = _issuer.ClientInfo(userId);
            return OAuthResponses.Token(200, body);
        }
    }
}
