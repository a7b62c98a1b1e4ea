using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Tenants;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes the tenant's app registration and consent settings.</para>
    /// <para type="description">Changes only the values given that differ from the tenant's (each one a -WhatIf line "from X to Y"):
    /// PATCH of the authorization policy's defaultUserRolePermissions, PUT of the admin consent request policy. It checks the
    /// connection's permissions (Policy.ReadWrite.Authorization, Policy.ReadWrite.ConsentRequest) before any write, and writes
    /// the settings as they are afterwards.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "EntraTenantAppPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(TenantAppPolicy))]
    public sealed class SetEntraTenantAppPolicyCommand : EntraAppKitCmdlet
    {
        /// <summary>Whether users without an admin role may register applications.</summary>
        [Parameter]
        public bool UsersCanRegisterApps { get; set; }

        /// <summary>What users may consent to for themselves: DoNotAllow, LowImpact or AllowAll.</summary>
        [Parameter]
        [ValidateNotBlank]
        [ValidateSet(TenantAppPolicyOperation.DoNotAllow, TenantAppPolicyOperation.LowImpact, TenantAppPolicyOperation.AllowAll)]
        public string? UserConsent { get; set; }

        /// <summary>Whether users may create tenants.</summary>
        [Parameter]
        public bool UsersCanCreateTenants { get; set; }

        /// <summary>Whether users may create security groups.</summary>
        [Parameter]
        public bool UsersCanCreateSecurityGroups { get; set; }

        /// <summary>Whether users may request admin consent for what they cannot consent to.</summary>
        [Parameter]
        public bool AdminConsentWorkflow { get; set; }

        /// <summary>The users who review admin consent requests, by user principal name or object id; replaces the current ones.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string[]? AdminConsentReviewer { get; set; }

        /// <summary>Whether reviewers are emailed about new requests.</summary>
        [Parameter]
        public bool AdminConsentNotifyReviewers { get; set; }

        /// <summary>Whether reviewers get reminder emails.</summary>
        [Parameter]
        public bool AdminConsentReminders { get; set; }

        /// <summary>Days a request stays open, 1 to 30.</summary>
        [Parameter]
        [ValidateRange(1, 30)]
        public int AdminConsentRequestDurationDays { get; set; }

        protected override void ExecuteCmdlet()
        {
            var bound = MyInvocation.BoundParameters;
            var settings = new TenantAppPolicySettings
            {
                UsersCanRegisterApps = bound.ContainsKey(nameof(UsersCanRegisterApps)) ? UsersCanRegisterApps : (bool?)null,
                UserConsent = UserConsent,
                UsersCanCreateTenants = bound.ContainsKey(nameof(UsersCanCreateTenants)) ? UsersCanCreateTenants : (bool?)null,
                UsersCanCreateSecurityGroups = bound.ContainsKey(nameof(UsersCanCreateSecurityGroups)) ? UsersCanCreateSecurityGroups : (bool?)null,
                AdminConsentWorkflow = bound.ContainsKey(nameof(AdminConsentWorkflow)) ? AdminConsentWorkflow : (bool?)null,
                AdminConsentReviewers = AdminConsentReviewer,
                AdminConsentNotifyReviewers = bound.ContainsKey(nameof(AdminConsentNotifyReviewers)) ? AdminConsentNotifyReviewers : (bool?)null,
                AdminConsentReminders = bound.ContainsKey(nameof(AdminConsentReminders)) ? AdminConsentReminders : (bool?)null,
                AdminConsentRequestDurationDays = bound.ContainsKey(nameof(AdminConsentRequestDurationDays)) ? AdminConsentRequestDurationDays : (int?)null,
            };
            var operation = new TenantAppPolicyOperation(RequireConnection().Session);
            Execute(MyInvocation.MyCommand.Name,
                ct => operation.PlanAsync(settings, ct),
                plan => plan.Changes,
                operation.ApplyAsync,
                WriteObject,
                unchanged: plan => $"Tenant {plan.TenantId} already has these settings.");
        }
    }
}
