using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>The tenant's own facts at one moment (names, domains, policies, identity): a write compares and restores them.</summary>
    internal sealed class TenantFacts
    {
        private readonly string[] _texts;
        private readonly bool _enforceIdentifierUriPolicy;
        private readonly SigningKey _signingKey;
        private readonly JsonObject _authorizationPolicy;
        private readonly JsonObject _adminConsentRequestPolicy;
        private readonly string[] _customDomains;

        private TenantFacts(InMemoryTenantStore store)
        {
            _texts = new[]
            {
                store.TenantId, store.Name, store.DisplayName, store.CreatedDateTime, store.MicrosoftGraphServicePrincipalId,
                store.AdministratorId, store.IdentityHeader,
            };
            _enforceIdentifierUriPolicy = store.EnforceIdentifierUriPolicy;
            _signingKey = store.SigningKey;
            _authorizationPolicy = (JsonObject)store.AuthorizationPolicy.DeepClone();
            _adminConsentRequestPolicy = (JsonObject)store.AdminConsentRequestPolicy.DeepClone();
            _customDomains = store.CustomDomains.ToArray();
        }

        public static TenantFacts Of(InMemoryTenantStore store) => new TenantFacts(store);

        public bool SameAs(TenantFacts other) =>
            _texts.SequenceEqual(other._texts) && _enforceIdentifierUriPolicy == other._enforceIdentifierUriPolicy &&
            ReferenceEquals(_signingKey, other._signingKey) && _customDomains.SequenceEqual(other._customDomains) &&
            JsonNode.DeepEquals(_authorizationPolicy, other._authorizationPolicy) &&
            JsonNode.DeepEquals(_adminConsentRequestPolicy, other._adminConsentRequestPolicy);

        public void Restore(InMemoryTenantStore store)
        {
            store.TenantId = _texts[0];
            store.Name = _texts[1];
            store.DisplayName = _texts[2];
            store.CreatedDateTime = _texts[3];
            store.MicrosoftGraphServicePrincipalId = _texts[4];
            store.AdministratorId = _texts[5];
            store.IdentityHeader = _texts[6];
            store.EnforceIdentifierUriPolicy = _enforceIdentifierUriPolicy;
            store.SigningKey = _signingKey;
            store.AuthorizationPolicy = (JsonObject)_authorizationPolicy.DeepClone();
            store.AdminConsentRequestPolicy = (JsonObject)_adminConsentRequestPolicy.DeepClone();
            store.SetCustomDomains(_customDomains);
        }
    }
}
