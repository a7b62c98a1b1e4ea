using System.Collections.Generic;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// A write on a service principal (provision, update, remove), planned from one read before it is made, so -WhatIf lists
    /// each change and a plan without changes writes nothing.
    /// </summary>
    public sealed class ServicePrincipalPlan : IChangePlan
    {
        internal ServicePrincipalPlan(string clientId, TenantFacts tenant, ServicePrincipal? existing, IReadOnlyList<PlannedChange> changes)
        {
            ClientId = clientId; Tenant = tenant; Existing = existing; Changes = changes;
        }

        /// <summary>The application (client) id of the service principal.</summary>
        public string ClientId { get; }

        /// <summary>The service principal's display name; its client id while it does not exist.</summary>
        public string DisplayName => Existing?.DisplayName ?? ClientId;

        internal TenantFacts Tenant { get; }

        /// <summary>The service principal as read by the plan; null when it does not exist yet.</summary>
        internal ServicePrincipal? Existing { get; }

        internal bool? AccountEnabled { get; set; }
        internal bool? AppRoleAssignmentRequired { get; set; }
        internal bool? HideFromMyApps { get; set; }

        public IReadOnlyList<PlannedChange> Changes { get; }
    }
}
