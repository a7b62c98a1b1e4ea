using System.Management.Automation;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Enables or disables a service principal, requires user assignment, or hides it from My Apps.</para>
    /// <para type="description">Only the values that differ are written, each listed by -WhatIf.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "EntraServicePrincipal", SupportsShouldProcess = true)]
    [OutputType(typeof(EntraServicePrincipal))]
    public sealed class SetEntraServicePrincipalCommand : ServicePrincipalCmdlet
    {
        /// <summary>The application (client) id; bound from any of our app and service principal objects.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ServicePrincipalClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>Whether users and the app can sign in (accountEnabled).</summary>
        [Parameter]
        public bool AccountEnabled { get; set; }

        /// <summary>Whether only assigned users and groups can sign in (appRoleAssignmentRequired).</summary>
        [Parameter]
        public bool AppRoleAssignmentRequired { get; set; }

        /// <summary>Whether the app is hidden from users' My Apps (the tag HideApp).</summary>
        [Parameter]
        public bool HideFromMyApps { get; set; }

        protected override object? ErrorTarget => ClientId;

        private bool? Given(string name, bool value) => MyInvocation.BoundParameters.ContainsKey(name) ? value : (bool?)null;

        protected override void ExecuteCmdlet()
        {
            var operations = ServicePrincipals();
            bool? enabled = Given(nameof(AccountEnabled), AccountEnabled);
            bool? required = Given(nameof(AppRoleAssignmentRequired), AppRoleAssignmentRequired);
            bool? hidden = Given(nameof(HideFromMyApps), HideFromMyApps);
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => operations.PlanSetAsync(ClientId, enabled, required, hidden, ct),
                plan => plan.Changes,
                operations.ApplySetAsync,
                WriteObject,
                unchanged: plan => $"'{plan.DisplayName}' already has these values: nothing to change.");
        }
    }
}
