using System.Collections.Generic;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Consent;
using EntraAppKit.Core.Planning;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>Tenant-wide admin consent for what an existing app requires: the consent reconciler's plan, and nothing for the application.</summary>
    public sealed class AdminConsentPlan : IChangePlan
    {
        internal AdminConsentPlan(Application app, ConsentPlan consent, TokenClaims? caller, string tenantId)
        {
            Application = app; Consent = consent; Caller = caller; TenantId = tenantId;
        }

        internal Application Application { get; }
        internal ConsentPlan Consent { get; }
        internal TokenClaims? Caller { get; }

        public string DisplayName => Application.DisplayName ?? "";
        public string ClientId => Application.AppId ?? "";

        /// <summary>The tenant the consent is granted in (its rows carry it, so a fan-out's results keep where they came from).</summary>
        public string TenantId { get; }
        public IReadOnlyList<PlannedChange> Changes => Consent.Changes;
    }
}
