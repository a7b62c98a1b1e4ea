using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The authorization codes between the authorization endpoint, which issues them, and the token endpoint, which redeems
    /// each once. Short-lived, so kept in memory only (like device codes).
    /// </summary>
    internal sealed class AuthorizationCodes
    {
        private readonly TenantClock _clock;
        private readonly ITenantStore _store;
        private readonly Dictionary<string, AuthorizationCode> _codes = new Dictionary<string, AuthorizationCode>(StringComparer.Ordinal);

        public AuthorizationCodes(TenantClock clock, ITenantStore store) { _clock = clock; _store = store; }

        public string Issue(PendingAuthorization request)
        {
            foreach (var stale in _codes.Where(kv => _clock.Now >= kv.Value.Expires).Select(kv => kv.Key).ToList()) _codes.Remove(stale);
            string code = FlowIds.New(_store.TenantId);
            _codes[code] = new AuthorizationCode(request, _clock.Now);
            return code;
        }

        /// <summary>
        /// The code issued to <paramref name="clientId"/>: AADSTS54005 once redeemed, AADSTS70008 once expired, AADSTS70000 for
        /// one never issued (or issued to another client). It stays unredeemed until <see cref="AuthorizationCode.Redeemed"/> is set.
        /// </summary>
        public AuthorizationCode Find(string code, string clientId)
        {
            if (!_codes.TryGetValue(code, out var found) || !string.Equals(found.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
                throw AadstsException.InvalidGrant();
            if (found.Redeemed) throw AadstsException.CodeRedeemed();
            if (_clock.Now >= found.Expires) throw AadstsException.CodeExpired();
            return found;
        }
    }
}
