using System;
using System.Collections.Generic;
using System.Security;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>Facts about the connected tenant (GET /organization, graph-ground-truth §0.1).</summary>
    public sealed class TenantFacts
    {
        public TenantFacts(string tenantId, string displayName, string initialDomain, string defaultDomain, IReadOnlyList<string> verifiedDomains)
        {
            TenantId = tenantId; DisplayName = displayName; InitialDomain = initialDomain; DefaultDomain = defaultDomain; VerifiedDomains = verifiedDomains;
        }

        public string TenantId { get; }
        public string DisplayName { get; }
        public string InitialDomain { get; }
        public string DefaultDomain { get; }
        public IReadOnlyList<string> VerifiedDomains { get; }
    }

    /// <summary>One change a run makes (or, with -WhatIf, would make).</summary>
    public sealed class PlannedChange
    {
        public PlannedChange(string target, string action, string description)
        {
            Target = target; Action = action; Description = description;
        }

        /// <summary>What is changed, e.g. "application 'Rewst Integration'".</summary>
        public string Target { get; }

        /// <summary>The verb, e.g. "Create", "Add client secret".</summary>
        public string Action { get; }

        /// <summary>A full sentence for -WhatIf and the result's Changes.</summary>
        public string Description { get; }

        public override string ToString() => Description;
    }

    /// <summary>
    /// What applying a recipe produced: the common facts every recipe cmdlet returns. Vendor cmdlets wrap it in
    /// an object named the way the vendor's console names the values.
    /// </summary>
    public sealed class AppRegistrationResult
    {
        public string DisplayName { get; internal set; } = "";
        public string ClientId { get; internal set; } = "";
        public string ObjectId { get; internal set; } = "";
        public string? ServicePrincipalId { get; internal set; }
        public string TenantId { get; internal set; } = "";
        public string TenantName { get; internal set; } = "";
        public string UniqueName { get; internal set; } = "";
        public string SignInAudience { get; internal set; } = "";

        /// <summary>The new client secret, or null when the run added none (its value is shown once by Graph).</summary>
        public SecureString? ClientSecret { get; internal set; }

        /// <summary>Expiry of the secret added by this run, or else of the latest existing secret.</summary>
        public DateTimeOffset? SecretExpires { get; internal set; }

        public IReadOnlyList<string> Changes { get; internal set; } = Array.Empty<string>();

        /// <summary>Things the caller should know (e.g. an existing secret cannot be read back).</summary>
        public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();
    }
}
