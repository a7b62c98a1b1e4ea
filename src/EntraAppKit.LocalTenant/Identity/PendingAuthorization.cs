using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// An authorization request between its pages: what was asked (client, redirect, response, scopes, PKCE, prompt) and
    /// who has signed in so far. The pages carry only its id (<c>ctx</c>, as Entra's own sign-in pages do).
    /// </summary>
    internal sealed class PendingAuthorization
    {
        /// <summary>How long a sign-in page stays usable.</summary>
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

        public PendingAuthorization(string id, UserClient client, string redirectUri, RedirectPlatform platform, ISet<string> responseTypes, string responseMode,
            ScopeRequest scopes, DateTimeOffset created)
        {
            Id = id; Client = client; RedirectUri = redirectUri; Platform = platform; ResponseTypes = responseTypes; ResponseMode = responseMode;
            Scopes = scopes; Expires = created + Lifetime;
        }

        public string Id { get; }
        public UserClient Client { get; }
        public string RedirectUri { get; }
        public RedirectPlatform Platform { get; }

        /// <summary>"code", "id_token", "token".</summary>
        public ISet<string> ResponseTypes { get; }

        /// <summary>"query", "fragment" or "form_post".</summary>
        public string ResponseMode { get; }

        public ScopeRequest Scopes { get; }
        public DateTimeOffset Expires { get; }
        public string? State { get; set; }
        public string? Nonce { get; set; }
        public string? CodeChallenge { get; set; }
        public string? CodeChallengeMethod { get; set; }
        public string? Prompt { get; set; }
        public string? LoginHint { get; set; }

        /// <summary>The request's parameters as the client sent them: what the home tenant starts anew with after /common's hand-off.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; set; } = Array.Empty<KeyValuePair<string, string>>();

        /// <summary>
        /// For the admin consent endpoint (/adminconsent, /v2.0/adminconsent): the permissions asked for, per resource; the
        /// answer is admin_consent=True, not a code or a token. Null for the authorization endpoint.
        /// </summary>
        public IReadOnlyList<OrganizationConsentRequest>? AdminConsent { get; set; }

        /// <summary>The user once signed in (by password or an existing session).</summary>
        public SignedInUser? User { get; set; }

        /// <summary>Whether the page shown was "Need admin approval": whatever comes back, the answer is AADSTS90094.</summary>
        public bool NeedsAdminApproval { get; set; }

        /// <summary>Whether the consent page has been shown, so its answer is expected next.</summary>
        public bool ConsentShown { get; set; }
    }
}
