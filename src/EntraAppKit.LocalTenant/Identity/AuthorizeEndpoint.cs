using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The authorization endpoint, GET or POST /{tenant}/oauth2/v2.0/authorize and v1's /{tenant}/oauth2/authorize (resource=
    /// instead of scope=): learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow and v2-protocols-oidc. It checks
    /// the client and its redirect URI first, and shows their errors on the page (the redirect URI cannot be trusted with
    /// them); every later error goes to the redirect URI (error, error_description, error_uri, state). Then the sign-in page
    /// (<see cref="UserSignIn"/>), the consent page when the user has not consented to everything asked for (or prompt=consent),
    /// and the answer: a code (<see cref="AuthorizationCodes"/>), an ID token and/or an access token, by query, fragment or
    /// form_post. A signed-in user gets a session cookie (ESTSAUTH), which skips the sign-in page, and lets prompt=none work.
    /// </summary>
    internal sealed class AuthorizeEndpoint
    {
        /// <summary>Entra's session cookie (learn.microsoft.com/entra/identity/authentication/concept-authentication-web-browser-cookies).</summary>
        public const string SessionCookie = "ESTSAUTH";

        private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(24);

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly TenantPathResolver _tenants;
        private readonly UserConsent _consent;
        private readonly UserSignIn _signIn;
        private readonly AuthorizationCodes _codes;
        private readonly TokenIssuer _issuer;
        private readonly OrganizationConsent _organization;
        private readonly Dictionary<string, PendingAuthorization> _pending = new Dictionary<string, PendingAuthorization>(StringComparer.Ordinal);
        private readonly Dictionary<string, (string UserId, DateTimeOffset Expires)> _sessions = new Dictionary<string, (string, DateTimeOffset)>(StringComparer.Ordinal);

        public AuthorizeEndpoint(ITenantStore store, TenantClock clock, TenantPathResolver tenants, UserConsent consent, UserSignIn signIn, AuthorizationCodes codes,
            TokenIssuer issuer, OrganizationConsent organization)
        {
            _store = store; _clock = clock; _tenants = tenants; _consent = consent; _signIn = signIn; _codes = codes; _issuer = issuer; _organization = organization;
        }

        public GraphResponse Authorize(IdentityContext context) => Serve(context, Start);

        /// <summary>
        /// The admin consent endpoint, /{tenant}/v2.0/adminconsent (client_id, scope, redirect_uri, state) and v1's
        /// /{tenant}/adminconsent (no scope: the application's required permissions): learn.microsoft.com/entra/identity-platform/v2-admin-consent.
        /// An administrator signs in and accepts for the organization; the answer at the redirect URI is admin_consent=True
        /// with the tenant and state, or error and error_description.
        /// </summary>
        public GraphResponse AdminConsent(IdentityContext context) => Serve(context, StartAdminConsent);

        /// <summary>
        /// The parameters a pending request began with, which it gives up: the local cloud starts it anew in the home tenant of
        /// the user who signed in at /common or /organizations. Null when no live request has <paramref name="ctx"/>.
        /// </summary>
        public IReadOnlyList<KeyValuePair<string, string>>? TakeParameters(string ctx)
        {
            if (!_pending.TryGetValue(ctx, out var pending) || _clock.Now >= pending.Expires) return null;
            _pending.Remove(ctx);
            return pending.Parameters;
        }

        private GraphResponse Serve(IdentityContext context, Func<IdentityContext, OAuthForm, GraphResponse> start)
        {
            var request = context.Request;
            if (request.Method != "GET" && request.Method != "POST") return new GraphResponse(405);
            // POST carries its parameters in the body (form_post-style requests, and the pages' own forms); the query counts too.
            var query = QueryString.Parse(request.Uri.Query);
            var form = new OAuthForm(request.Method == "POST" ? new OAuthForm(request).Pairs.Concat(query) : query);
            string? ctx = form["ctx"];
            try
            {
                return ctx != null ? Continue(context, ctx, form) : start(context, form);
            }
            catch (AadstsException e)
            {
                // Entra's error page ends the request: the ctx it came back with is no longer good.
                if (ctx != null) _pending.Remove(ctx);
                return AuthorizePages.Error(e, _clock.Now, context.TraceId, context.CorrelationId);
            }
        }

        /// <summary>A new request: client and redirect URI (errors on the page), then the rest (errors in the redirect).</summary>
        private GraphResponse Start(IdentityContext context, OAuthForm form)
        {
            var tenant = _tenants.Resolve(context.Tenant);
            string clientId = form.Required("client_id");
            var client = _consent.ClientOf(clientId, tenant);
            var (redirectUri, platform) = RedirectOf(client, form["redirect_uri"]);

            var types = new HashSet<string>((form["response_type"] ?? "").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
            // Entra's default: query for a code alone, fragment once a token is in the answer (v2-oauth2-auth-code-flow "response_mode").
            string mode = form["response_mode"] is string m && (m == "query" || m == "fragment" || m == "form_post") ? m
                : types.Contains("id_token") || types.Contains("token") ? "fragment" : "query";
            string? state = form["state"];
            try
            {
                var pending = Validate(context, form, client, redirectUri, platform, types, mode);
                pending.State = state;
                pending.Parameters = form.Pairs.ToList();
                return SignInHandedOff(context, pending) ?? Proceed(context, pending);
            }
            catch (AadstsException e) when (!e.ShownOnPage)
            {
                return Redirect(redirectUri, mode, e.RedirectParameters(_clock.Now, context.TraceId, context.CorrelationId), state);
            }
        }

        /// <summary>
        /// The registered redirect URI the request names, and its platform. A missing redirect_uri means the application's
        /// first one. Microsoft's own clients, registered in Microsoft's tenant, may use a loopback listener or the native
        /// client page. Errors here are shown on the page: AADSTS50011 for a URI the app did not register, AADSTS500113 for an
        /// app with none.
        /// </summary>
        private static (string Uri, RedirectPlatform Platform) RedirectOf(UserClient client, string? requested)
        {
            if (client.Application == null)
            {
                if (requested != null && RedirectUris.IsFirstPartyRedirect(requested)) return (requested, RedirectPlatform.PublicClient);
                throw AadstsException.RedirectUriMismatch(requested ?? "", client.AppId);
            }
            if (requested == null)
            {
                var registered = RedirectUris.Registered(client.Application).ToList();
                if (registered.Count == 0) throw AadstsException.NoReplyAddress(client.AppId);
                return registered[0];
            }
            var platform = RedirectUris.Match(client.Application, requested) ?? throw AadstsException.RedirectUriMismatch(requested, client.AppId);
            return (requested, platform);
        }

        private PendingAuthorization Validate(IdentityContext context, OAuthForm form, UserClient client, string redirectUri, RedirectPlatform platform,
            ISet<string> types, string mode)
        {
            if (types.Count == 0) throw AadstsException.MissingParameter("response_type");
            foreach (var t in types)
                if (t != "code" && t != "id_token" && t != "token") throw AadstsException.UnsupportedResponseType(form["response_type"]!);
            // Implicit grant settings (web.implicitGrantSettings): ID tokens and access tokens from this endpoint are each opt-in.
            var implicitGrant = client.Application?.Json["web"]?["implicitGrantSettings"];
            if (types.Contains("id_token") && client.Application != null && (bool?)implicitGrant?["enableIdTokenIssuance"] != true) throw AadstsException.IdTokenNotEnabled();
            if (types.Contains("token") && client.Application != null && (bool?)implicitGrant?["enableAccessTokenIssuance"] != true) throw AadstsException.AccessTokenNotEnabled();
            // v2-protocols-oidc: "nonce … Required" when an ID token is requested.
            if (types.Contains("id_token") && form["nonce"] == null) throw AadstsException.MissingParameter("nonce");

            var resources = new ResourceResolver(_store, _clock.Now, context.Request.Uri.GetLeftPart(UriPartial.Authority));
            var scopes = context.IsV1
                ? ScopeRequest.FromResource(form.Required("resource"), resources)
                : ScopeRequest.ForUser(form.Required("scope"), resources);

            string? challenge = form["code_challenge"];
            string? method = null;
            if (challenge != null)
            {
                // RFC 7636 section 4.3: "plain" when the method is not sent.
                method = form["code_challenge_method"] ?? "plain";
                if (method != "S256" && method != "plain") throw AadstsException.InvalidCodeChallengeMethod();
            }
            // v2-oauth2-auth-code-flow "code_challenge": "Required for single page apps using the authorization code flow."
            else if (platform == RedirectPlatform.Spa && types.Contains("code")) throw AadstsException.PkceRequiredForSpa();

            foreach (var stale in _pending.Where(kv => _clock.Now >= kv.Value.Expires).Select(kv => kv.Key).ToList()) _pending.Remove(stale);
            var pending = new PendingAuthorization(FlowIds.New(_store.TenantId), client, redirectUri, platform, types, mode, scopes, _clock.Now)
            {
                Nonce = form["nonce"],
                CodeChallenge = challenge,
                CodeChallengeMethod = method,
                Prompt = form["prompt"],
                LoginHint = form["login_hint"],
                User = SessionUser(context.Request),
            };
            // prompt=login and select_account ask for the sign-in page whatever the session.
            if (pending.Prompt == "login" || pending.Prompt == "select_account") pending.User = null;
            if (pending.Prompt == "none")
            {
                // v2-oauth2-auth-code-flow "prompt": none "ensures that the user isn't presented with any interactive prompt".
                if (pending.User == null) throw AadstsException.LoginRequired();
                if (_consent.MissingScopes(client, scopes, pending.User.Id).Count > 0) throw AadstsException.InteractiveConsentRequired(client.AppId, client.DisplayName);
            }
            return pending;
        }

        /// <summary>A page's form came back: the sign-in (login, passwd) or the consent (acceptConsent).</summary>
        private GraphResponse Continue(IdentityContext context, string ctx, OAuthForm form)
        {
            if (!_pending.TryGetValue(ctx, out var pending) || _clock.Now >= pending.Expires)
            {
                _pending.Remove(ctx);
                throw AadstsException.FlowTokenExpired();
            }
            try
            {
                if (pending.User == null) return SignIn(context, pending, form["login"] ?? "", form["passwd"] ?? "");
                if (!pending.ConsentShown) return Proceed(context, pending);
                if (pending.NeedsAdminApproval) throw AadstsException.AdminApprovalRequired();
                string? accept = form["acceptConsent"];
                if (accept == "false") throw AadstsException.ConsentDeclined();
                if (accept != "true") throw AadstsException.MissingParameter("acceptConsent");
                return Answer(context, pending, consent: true);
            }
            catch (AadstsException e) when (!e.ShownOnPage)
            {
                _pending.Remove(pending.Id);
                return Redirect(pending.RedirectUri, pending.ResponseMode, e.RedirectParameters(_clock.Now, context.TraceId, context.CorrelationId), pending.State);
            }
        }

        /// <summary>
        /// The sign-in form came back. A wrong name or password is shown on the sign-in page, which asks again (as Entra's
        /// does); a user of another tenant at this tenant's endpoint is AADSTS50020 on Entra's error page, and the request ends.
        /// </summary>
        private GraphResponse SignIn(IdentityContext context, PendingAuthorization pending, string login, string password)
        {
            try { pending.User = _signIn.SignIn(login, password, pending.Client); }
            catch (AadstsException e) when (!e.ShownOnPage)
            {
                _pending[pending.Id] = pending;
                return AuthorizePages.SignIn(Action(context), pending.Id, login.Length > 0 ? login : pending.LoginHint, pending.Client.DisplayName,
                    e.Description(_clock.Now, context.TraceId, context.CorrelationId));
            }
            var answer = Proceed(context, pending);
            answer.Headers["Set-Cookie"] = NewSession(context.Request, pending.User.Id);
            return answer;
        }

        /// <summary>
        /// A request the local cloud handed over from /common or /organizations, with the sign-in the user gave there: this, the
        /// user's home tenant, signs the user in at once. Null for any other request.
        /// </summary>
        private GraphResponse? SignInHandedOff(IdentityContext context, PendingAuthorization pending) =>
            context.Request.SignInHandOff is (string login, string password) && pending.User == null ? SignIn(context, pending, login, password) : null;

        /// <summary>
        /// A new admin consent request: the client and its redirect URI (errors on the page, as for the authorization
        /// endpoint), then what it asks for: v2's scope (required; ".default" for the static permissions), v1's required permissions.
        /// </summary>
        private GraphResponse StartAdminConsent(IdentityContext context, OAuthForm form)
        {
            var tenant = _tenants.Resolve(context.Tenant);
            string clientId = form.Required("client_id");
            var client = _consent.ClientOf(clientId, tenant);
            if (client.Application == null) throw AadstsException.UnknownClient(clientId, _store.DisplayName);
            var (redirectUri, platform) = RedirectOf(client, form["redirect_uri"]);
            string? state = form["state"];
            try
            {
                var resources = new ResourceResolver(_store, _clock.Now, context.Request.Uri.GetLeftPart(UriPartial.Authority));
                ScopeRequest? named = context.IsV1 ? null : ScopeRequest.ForUser(form.Required("scope"), resources);
                var requests = _organization.Requests(client, named, resources);
                var pending = new PendingAuthorization(FlowIds.New(_store.TenantId), client, redirectUri, platform, new HashSet<string>(), "query",
                    named ?? ScopeRequest.ForUser("https://graph.microsoft.com/.default", resources), _clock.Now)
                {
                    State = state,
                    Prompt = "admin_consent",
                    AdminConsent = requests,
                    Parameters = form.Pairs.ToList(),
                    User = SessionUser(context.Request),
                };
                return SignInHandedOff(context, pending) ?? Proceed(context, pending);
            }
            catch (AadstsException e) when (!e.ShownOnPage)
            {
                return Redirect(redirectUri, "query", e.RedirectParameters(_clock.Now, context.TraceId, context.CorrelationId), state);
            }
        }

        /// <summary>The next page: sign-in without a user, consent when something is missing (or prompt asks for it), else the answer.</summary>
        private GraphResponse Proceed(IdentityContext context, PendingAuthorization pending)
        {
            // The sign-in is refused before any consent when the app admits assigned users only (AADSTS50105, on the page).
            if (pending.User != null) _consent.DemandAssignment(pending.Client, pending.User.Id);
            _pending[pending.Id] = pending;
            if (pending.User == null)
                return AuthorizePages.SignIn(Action(context), pending.Id, pending.LoginHint, pending.Client.DisplayName, null);
            if (pending.AdminConsent != null)
            {
                // The admin consent endpoint always asks, and only an administrator may answer (AADSTS90093 otherwise).
                bool applicationPermissions = pending.AdminConsent.Any(r => r.Application.Count > 0);
                if (!_consent.MayConsentForOrganization(pending.User.Id, applicationPermissions)) throw AadstsException.CannotConsentForOrganization();
                pending.ConsentShown = true;
                var asked = pending.AdminConsent.SelectMany(r => r.Delegated.Concat(r.Application.Select(a => a.Value))).Distinct(StringComparer.OrdinalIgnoreCase);
                return AuthorizePages.Consent(Action(context), pending.Id, pending.Client, pending.User.UserPrincipalName, asked, forOrganization: true);
            }
            var missing = _consent.MissingScopes(pending.Client, pending.Scopes, pending.User.Id);
            bool ask = pending.Prompt == "consent" || pending.Prompt == "admin_consent";
            if (missing.Count > 0 || ask)
            {
                pending.ConsentShown = true;
                // What the user may not consent to: admin-only permissions, and what the tenant's user consent setting keeps from users.
                var needApproval = _consent.NotUserConsentable(pending.Client, pending.Scopes.Resource, missing, pending.User.Id);
                if (needApproval.Count > 0)
                {
                    pending.NeedsAdminApproval = true;
                    return AuthorizePages.AdminApproval(Action(context), pending.Id, pending.Client, needApproval, _consent.AdminConsentRequestsEnabled);
                }
                var listed = missing.Count > 0 ? missing : pending.Scopes.Permissions.ToList();
                listed.AddRange(pending.Scopes.Oidc.Where(o => !listed.Contains(o)));
                return AuthorizePages.Consent(Action(context), pending.Id, pending.Client, pending.User.UserPrincipalName, listed, pending.Prompt == "admin_consent");
            }
            return Answer(context, pending, consent: false);
        }

        /// <summary>The answer at the redirect URI: code, id_token, access_token as asked, then state.</summary>
        private GraphResponse Answer(IdentityContext context, PendingAuthorization pending, bool consent)
        {
            _pending.Remove(pending.Id);
            if (pending.AdminConsent != null)
            {
                // v2-admin-consent "Successful response": admin_consent=True, tenant, scope (v2), state.
                _organization.Grant(pending.Client, pending.AdminConsent);
                var consented = new List<KeyValuePair<string, string>>
                {
                    new KeyValuePair<string, string>("admin_consent", "True"),
                    new KeyValuePair<string, string>("tenant", _store.TenantId),
                };
                if (!context.IsV1) consented.Add(new KeyValuePair<string, string>("scope", pending.Scopes.Raw));
                return Redirect(pending.RedirectUri, "query", consented, pending.State);
            }
            var granted = _consent.ConsentedScopes(pending.Client, pending.Scopes, consent, forOrganization: pending.Prompt == "admin_consent", userId: pending.User!.Id);
            var now = _clock.Now;
            string authority = context.Request.Uri.GetLeftPart(UriPartial.Authority);
            var fields = new List<KeyValuePair<string, string>>();
            string? code = null;
            if (pending.ResponseTypes.Contains("code"))
            {
                code = _codes.Issue(pending);
                fields.Add(new KeyValuePair<string, string>("code", code));
            }
            if (pending.ResponseTypes.Contains("token"))
            {
                string token = _issuer.MintUserToken(pending.Client.AppId, pending.Client.DisplayName, granted, pending.Scopes.Resource, !context.IsV1, now, TokenIssuer.AccessTokenLifetime, authority, userId: pending.User!.Id);
                fields.Add(new KeyValuePair<string, string>("access_token", token));
                fields.Add(new KeyValuePair<string, string>("token_type", "Bearer"));
                fields.Add(new KeyValuePair<string, string>("expires_in", TokenResponses.ExpiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                fields.Add(new KeyValuePair<string, string>("scope", pending.Scopes.Answer(granted)));
            }
            if (pending.ResponseTypes.Contains("id_token"))
                fields.Add(new KeyValuePair<string, string>("id_token", _issuer.MintIdToken(pending.Client.AppId, authority, now, pending.Nonce, code, pending.User!.Id)));
            // Entra reports which session the answer came from; MSAL reads it (session_state, v2-protocols-oidc).
            fields.Add(new KeyValuePair<string, string>("session_state", SessionState(pending.User!.Id, pending.Client.AppId)));
            return Redirect(pending.RedirectUri, pending.ResponseMode, fields, pending.State);
        }

        /// <summary>
        /// A 302 to the redirect URI with the parameters in its query or fragment, or for form_post a page that posts them.
        /// A redirect URI with no path gets its "/" (reply-url: "Redirect URIs not configured with a path segment are
        /// returned with a trailing slash ('/') in the response. This applies only when the response mode is query or fragment.").
        /// </summary>
        private static GraphResponse Redirect(string redirectUri, string mode, IEnumerable<KeyValuePair<string, string>> parameters, string? state)
        {
            var all = parameters.ToList();
            if (state != null) all.Add(new KeyValuePair<string, string>("state", state));
            if (mode == "form_post") return AuthorizePages.FormPost(redirectUri, all);
            string target = redirectUri;
            if (Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && uri.AbsolutePath == "/" && uri.Query.Length == 0 && !redirectUri.EndsWith("/", StringComparison.Ordinal))
                target += "/";
            string encoded = string.Join("&", all.Select(p => WebUtility.UrlEncode(p.Key) + "=" + WebUtility.UrlEncode(p.Value)));
            target += mode == "fragment" ? "#" + encoded : (target.Contains('?') ? "&" : "?") + encoded;
            var response = new GraphResponse(302);
            response.Headers["Location"] = target;
            response.Headers["Cache-Control"] = "no-store, no-cache";
            return response;
        }

        /// <summary>Where the pages post back: the authorize URL itself, without its query.</summary>
        private static string Action(IdentityContext context) => context.Request.Uri.GetLeftPart(UriPartial.Path);

        private SignedInUser? SessionUser(GraphRequest request)
        {
            foreach (var part in (request.Header("Cookie") ?? "").Split(';'))
            {
                int eq = part.IndexOf('=');
                if (eq < 0 || part.Substring(0, eq).Trim() != SessionCookie) continue;
                string id = part.Substring(eq + 1).Trim();
                if (_sessions.TryGetValue(id, out var session) && _clock.Now < session.Expires) return _signIn.Find(session.UserId);
            }
            return null;
        }

        private string NewSession(GraphRequest request, string userId)
        {
            foreach (var stale in _sessions.Where(kv => _clock.Now >= kv.Value.Expires).Select(kv => kv.Key).ToList()) _sessions.Remove(stale);
            string id = OpaqueId.New();
            _sessions[id] = (userId, _clock.Now + SessionLifetime);
            string secure = request.Uri.Scheme == Uri.UriSchemeHttps ? "; Secure" : "";
            return $"{SessionCookie}={id}; Path=/; HttpOnly; SameSite=None{secure}";
        }

        /// <summary>A stable, opaque value per user and client.</summary>
        private static string SessionState(string userId, string appId) =>
            new Guid(Hashes.Sha256(userId + "|" + appId.ToLowerInvariant(), Encoding.UTF8).Take(16).ToArray()).ToString();
    }
}
