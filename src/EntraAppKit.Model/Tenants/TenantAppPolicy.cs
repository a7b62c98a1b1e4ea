namespace EntraAppKit.Model.Tenants
{
    /// <summary>
    /// The tenant's settings for app registration and consent (Get-EntraTenantAppPolicy, Set-EntraTenantAppPolicy): Microsoft
    /// Graph's authorizationPolicy (defaultUserRolePermissions) and adminConsentRequestPolicy, with friendly names.
    /// </summary>
    public sealed class TenantAppPolicy
    {
        public string TenantId { get; set; } = "";

        /// <summary>Whether users without an admin role may register applications (defaultUserRolePermissions.allowedToCreateApps).</summary>
        public bool UsersCanRegisterApps { get; set; }

        /// <summary>
        /// What users may consent to for themselves: DoNotAllow (no ManagePermissionGrantsForSelf policy), LowImpact
        /// (microsoft-user-default-low), AllowAll (microsoft-user-default-legacy), or Custom (any other policy).
        /// </summary>
        public string UserConsent { get; set; } = "";

        /// <summary>The user consent policies as Graph names them (defaultUserRolePermissions.permissionGrantPoliciesAssigned, ManagePermissionGrantsForSelf.* only).</summary>
        public string[] UserConsentPolicies { get; set; } = System.Array.Empty<string>();

        /// <summary>Whether users may create tenants (defaultUserRolePermissions.allowedToCreateTenants); null when Graph does not say.</summary>
        public bool? UsersCanCreateTenants { get; set; }

        /// <summary>Whether users may create security groups (defaultUserRolePermissions.allowedToCreateSecurityGroups).</summary>
        public bool UsersCanCreateSecurityGroups { get; set; }

        /// <summary>Whether users may request admin consent (adminConsentRequestPolicy.isEnabled).</summary>
        public bool AdminConsentWorkflow { get; set; }

        /// <summary>Who reviews the requests: users by user principal name (or the reviewer query Graph holds, when it is not a user).</summary>
        public string[] AdminConsentReviewers { get; set; } = System.Array.Empty<string>();

        /// <summary>Whether reviewers are emailed about new requests (adminConsentRequestPolicy.notifyReviewers).</summary>
        public bool AdminConsentNotifyReviewers { get; set; }

        /// <summary>Whether reviewers get reminders (adminConsentRequestPolicy.remindersEnabled).</summary>
        public bool AdminConsentReminders { get; set; }

        /// <summary>Days a request stays open (adminConsentRequestPolicy.requestDurationInDays).</summary>
        public int AdminConsentRequestDurationDays { get; set; }
    }
}
