using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// An authorization code the authorization endpoint issued, waiting to be redeemed once at the token endpoint
    /// (v2-oauth2-auth-code-flow: "Authorization codes are short lived. Typically, they expire after about 10 minutes.").
    /// </summary>
    internal sealed class AuthorizationCode
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

        public AuthorizationCode(PendingAuthorization request, DateTimeOffset issued)
        {
            ClientId = request.Client.AppId; RedirectUri = request.RedirectUri; Platform = request.Platform; Scopes = request.Scopes;
            Nonce = request.Nonce; CodeChallenge = request.CodeChallenge; CodeChallengeMethod = request.CodeChallengeMethod;
            UserId = request.User!.Id; Expires = issued + Lifetime;
        }

        public string ClientId { get; }
        public string RedirectUri { get; }
        public RedirectPlatform Platform { get; }
        public ScopeRequest Scopes { get; }
        public string? Nonce { get; }
        public string? CodeChallenge { get; }
        public string? CodeChallengeMethod { get; }
        public string UserId { get; }
        public DateTimeOffset Expires { get; }
        public bool Redeemed { get; set; }
    }
}
