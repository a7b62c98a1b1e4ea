using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The device code flow (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code): POST
    /// /{tenant}/oauth2/v2.0/devicecode issues a code, and the token endpoint redeems it with grant_type device_code. The
    /// built-in administrator is the user who signs in: by itself one interval after the code was issued when the tenant needs
    /// no authentication (in-process -LocalTenant, --no-auth), and otherwise once the administrator approves the user code
    /// (<see cref="Approve"/>, the server's /_localtenant/devicecode with the admin token).
    /// </summary>
    internal sealed class DeviceCodeEndpoint
    {
        public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly RuntimeSettings _settings;
        private readonly TenantPathResolver _tenants;
        private readonly UserConsent _consent;
        private readonly TokenResponses _responses;

        /// <summary>Device authorizations waiting to be redeemed, by device_code. Short-lived, so kept in memory only.</summary>
        private readonly Dictionary<string, PendingDeviceCode> _pending = new Dictionary<string, PendingDeviceCode>(StringComparer.Ordinal);

        public DeviceCodeEndpoint(ITenantStore store, TenantClock clock, RuntimeSettings settings, TenantPathResolver tenants, UserConsent consent, TokenResponses responses)
        {
            _store = store; _clock = clock; _settings = settings; _tenants = tenants; _consent = consent; _responses = responses;
        }

        public GraphResponse Issue(IdentityContext context)
        {
            var request = context.Request;
            if (request.Method != "POST") throw AadstsException.PostOnly(request.Method);
            var tenant = _tenants.Resolve(context.Tenant);
            var form = new OAuthForm(request);
            string clientId = form.Required("client_id");
            string scope = form.Required("scope");
            _consent.ClientOf(clientId, tenant);
            var scopes = ScopeRequest.ForUser(scope, new ResourceResolver(_store, _clock.Now, context.Request.Uri.GetLeftPart(UriPartial.Authority)));

            foreach (var stale in _pending.Where(kv => _clock.Now >= kv.Value.Expires).Select(kv => kv.Key).ToList()) _pending.Remove(stale);
            string deviceCode = FlowIds.New(_store.TenantId);
            string userCode = NewUserCode();
            bool approval = _settings.RequireAuthentication;
            _pending[deviceCode] = new PendingDeviceCode(clientId, userCode, scopes, _clock.Now, _settings.DeviceCodeIntervalSeconds, approval);
            const string verificationUri = "https://microsoft.com/devicelogin";
            string admin = BuiltInAdministrator.UserPrincipalName(_store.InitialDomain);
            return OAuthResponses.Token(200, new JsonObject
            {
                ["user_code"] = userCode,
                ["device_code"] = deviceCode,
                ["verification_uri"] = verificationUri,
                ["expires_in"] = (int)PendingDeviceCode.Lifetime.TotalSeconds,
                ["interval"] = _settings.DeviceCodeIntervalSeconds,
                ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {userCode} to authenticate." + (approval
                    ? $" (Local tenant: the built-in administrator {admin} approves the code with the server's admin token: POST /_localtenant/devicecode with {{\"user_code\":\"{userCode}\"}}.)"
                    : $" (Local tenant: the built-in administrator {admin} signs in by itself; there is nothing to enter.)"),
            });
        }

        /// <summary>
        /// Polling: authorization_pending until the interval has passed since the code was issued, then the built-in
        /// administrator is signed in (and consents, see <see cref="UserConsent.ConsentedScopes"/>) and the code is spent.
        /// </summary>
        public GraphResponse Redeem(IdentityContext context, TenantPath tenant, OAuthForm form)
        {
            string clientId = form.Required("client_id");
            string code = form["device_code"] ?? form["code"] ?? throw AadstsException.MissingParameter("device_code");
            if (!_pending.TryGetValue(code, out var pending) || !string.Equals(pending.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
                throw AadstsException.InvalidGrant();
            if (_clock.Now >= pending.Expires)
            {
                _pending.Remove(code);
                throw AadstsException.DeviceCodeExpired();
            }
            var client = _consent.ClientOf(clientId, tenant);
            if (!client.IsPublic) throw AadstsException.MissingCredential();
            if (_clock.Now < pending.SignedIn) throw AadstsException.AuthorizationPending();
            _pending.Remove(code);
            var granted = _consent.ConsentedScopes(client, pending.Scopes, consent: true);
            return _responses.ForUser(context, client, pending.Scopes, granted, form);
        }

        /// <summary>
        /// The administrator approves the code a user was shown (letters compared without regard to case, spaces and hyphens
        /// ignored). False when no live code has it.
        /// </summary>
        public bool Approve(string userCode)
        {
            string wanted = new string((userCode ?? "").Where(char.IsLetterOrDigit).ToArray());
            var pending = _pending.Values.FirstOrDefault(p => _clock.Now < p.Expires && string.Equals(p.UserCode, wanted, StringComparison.OrdinalIgnoreCase));
            if (pending == null) return false;
            pending.Approved = _clock.Now;
            return true;
        }

        /// <summary>Entra's user codes: 9 letters and digits, without look-alikes.</summary>
        private static string NewUserCode()
        {
            const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            var bytes = new byte[9];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return new string(bytes.Select(b => alphabet[b % alphabet.Length]).ToArray());
        }
    }
}
