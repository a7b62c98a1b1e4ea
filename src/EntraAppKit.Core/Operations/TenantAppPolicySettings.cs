using System.Collections.Generic;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// What Set-EntraTenantAppPolicy is asked to change; a null member is left as the tenant has it.
    /// </summary>
    public sealed class TenantAppPolicySettings
    {
        public bool? UsersCanRegisterApps { get; set; }

        /// <summary><see cref="TenantAppPolicyOperation.DoNotAllow"/>, <see cref="TenantAppPolicyOperation.LowImpact"/> or <see cref="TenantAppPolicyOperation.AllowAll"/>.</summary>
        public string? UserConsent { get; set; }

        public bool? UsersCanCreateTenants { get; set; }
        public bool? UsersCanCreateSecurityGroups { get; set; }
        public bool? AdminConsentWorkflow { get; set; }

        /// <summary>The reviewers, each a user principal name or a user's object id; replaces the current ones.</summary>
        public IReadOnlyList<string>? AdminConsentReviewers { get; set; }

        public bool? AdminConsentNotifyReviewers { get; set; }
        public bool? AdminConsentReminders { get; set; }
        public int? AdminConsentRequestDurationDays { get; set; }
    }
}
