using System;
using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a client secret from an app registration, refusing its last credential unless -Force.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "EntraAppCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveEntraAppCredentialCommand : EntraAppKitCmdlet
    {
        /// <summary>The app's client id; bound by property name.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>The credential's key id; bound by property name (New-/Update-EntraAppSecret's output).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        public Guid KeyId { get; set; }

        /// <summary>Remove the credential even when it is the app's last one.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override object? ErrorTarget => KeyId;

        protected override void ExecuteCmdlet()
        {
            var operations = new AppSecretOperations(RequireConnection().Session);
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId} {KeyId}",
                ct => operations.PlanRemoveAsync(ClientId, KeyId, Force, ct),
                plan => plan.Changes,
                (plan, ct) => operations.ApplyRemoveAsync(plan, ct),
                removed => WriteVerbose(removed ? $"Removed the credential {KeyId} of {ClientId}." : $"The credential {KeyId} of {ClientId} was already gone."),
                unchanged: plan => $"'{plan.DisplayName}' has no credential {plan.KeyId}: nothing to remove (already removed).");
        }
    }
}
