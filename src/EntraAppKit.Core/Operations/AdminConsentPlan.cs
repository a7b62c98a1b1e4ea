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
        internal AdminConsentPlan(Application app, ConsentPlan consent, TokenClaims? caller)
        {
            Application = app; Consent = consent; Caller = caller;
        }

        internal Application Application { get; }
        internal ConsentPlan Consent { get; }
        internal TokenClaims? Caller { get; }

        public string DisplayName => Application.DisplayName ?? "";
        public string ClientId => Application.AppId ?? "";
        public IReadOnlyList<PlannedChange> Changes => Consent.Changes;
    }
}
