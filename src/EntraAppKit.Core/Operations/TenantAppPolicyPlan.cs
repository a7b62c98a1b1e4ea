using System.Collections.Generic;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Planning;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Set-EntraTenantAppPolicy's plan: the values that differ from the tenant's, each a change "from X to Y", and the two
    /// writes they make (a PATCH of the authorization policy with only the changed members, a PUT of the whole admin consent
    /// request policy).
    /// </summary>
    public sealed class TenantAppPolicyPlan : IChangePlan
    {
        internal TenantAppPolicyPlan(string tenantId, IReadOnlyList<PlannedChange> changes, AuthorizationPolicy? authorizationPatch,
            AdminConsentRequestPolicy? requestPolicy, TokenClaims? caller)
        {
            TenantId = tenantId; Changes = changes; AuthorizationPatch = authorizationPatch; RequestPolicy = requestPolicy; Caller = caller;
        }

        public string TenantId { get; }
        public IReadOnlyList<PlannedChange> Changes { get; }

        /// <summary>The PATCH body of /policies/authorizationPolicy; null when nothing there changes.</summary>
        internal AuthorizationPolicy? AuthorizationPatch { get; }

        /// <summary>The PUT body of /policies/adminConsentRequestPolicy; null when nothing there changes.</summary>
        internal AdminConsentRequestPolicy? RequestPolicy { get; }

        internal TokenClaims? Caller { get; }
    }
}
