using System;
using System.Collections.Generic;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>A client secret to add to an existing app (New-/Update-EntraAppSecret), planned before it is added (for -WhatIf).</summary>
    public sealed class AppSecretPlan : IChangePlan
    {
        internal AppSecretPlan(Application app, TenantFacts tenant, string secretName, DateTimeOffset endDateTime, bool rotation, PlannedChange change)
        {
            Application = app; Tenant = tenant; SecretName = secretName; EndDateTime = endDateTime; Rotation = rotation;
            Changes = new[] { change };
        }

        internal Application Application { get; }
        internal TenantFacts Tenant { get; }
        internal bool Rotation { get; }

        /// <summary>The new secret's display name, unique on the app.</summary>
        public string SecretName { get; }

        public DateTimeOffset EndDateTime { get; }
        public string DisplayName => Application.DisplayName ?? "";
        public IReadOnlyList<PlannedChange> Changes { get; }
    }
}
