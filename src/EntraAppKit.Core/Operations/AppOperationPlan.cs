using System.Collections.Generic;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>A write on an existing app registration (redirect URIs, removal), planned before it is made (for -WhatIf).</summary>
    public sealed class AppOperationPlan : IChangePlan
    {
        internal AppOperationPlan(Application app, TenantFacts tenant, IReadOnlyList<PlannedChange> changes)
        {
            Application = app; Tenant = tenant; Changes = changes;
        }

        internal Application Application { get; }
        internal TenantFacts Tenant { get; }
        internal List<string> NewWebRedirectUris { get; } = new List<string>();

        public string DisplayName => Application.DisplayName ?? "";
        public IReadOnlyList<PlannedChange> Changes { get; }
    }
}
