using System.Collections.Generic;
using EntraAppKit.Core.Consent;
using EntraAppKit.Core.Planning;

namespace EntraAppKit.Core.Operations
{
    /// <summary>Revoke-EntraAppConsent's plan: the consent reconciler's revocation for one app, and nothing else.</summary>
    public sealed class ConsentRevocationPlan : IChangePlan
    {
        internal ConsentRevocationPlan(string clientId, ConsentRevocation revocation, string? unchanged)
        {
            ClientId = clientId; Revocation = revocation; Unchanged = unchanged;
        }

        internal ConsentRevocation Revocation { get; }

        public string ClientId { get; }

        /// <summary>Why nothing is to be revoked (the app does not hold what was named), for -Verbose; null when something is.</summary>
        public string? Unchanged { get; }

        public IReadOnlyList<PlannedChange> Changes => Revocation.Changes;
    }
}
