using System;
using System.Management.Automation;
using System.Security;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a client secret or a certificate from an app registration, keeping every other key, and refuses its last credential unless -Force.</para>
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

        /// <summary>The credential's key id; bound by property name (New-/Update-EntraAppSecret's, New-EntraAppCertificate's and Get-EntraAppCredential's output).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.CredentialKeyIdCompleter))]
        public Guid KeyId { get; set; }

        /// <summary>Remove the credential even when it is the app's last one.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>A .pfx of one of the app's current certificates: a certificate is then removed by removeKey, signed by it.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string? ProofCertificatePath { get; set; }

        /// <summary>The password of -ProofCertificatePath.</summary>
        [Parameter]
        public SecureString? ProofCertificatePassword { get; set; }

        protected override object? ErrorTarget => KeyId;

        protected override void ExecuteCmdlet()
        {
            var proof = ProofCertificatePath == null ? null
                : CertificateFiles.Read(SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProofCertificatePath), ProofCertificatePassword);
            var operations = new AppSecretOperations(RequireConnection().Session);
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId} {KeyId}",
                ct => operations.PlanRemoveAsync(ClientId, KeyId, Force, proof, ct),
                plan => plan.Changes,
                (plan, ct) => operations.ApplyRemoveAsync(plan, ct),
                removed => WriteVerbose(removed ? $"Removed the credential {KeyId} of {ClientId}." : $"The credential {KeyId} of {ClientId} was already gone."),
                unchanged: plan => $"'{plan.DisplayName}' has no credential {plan.KeyId}: nothing to remove (already removed).");
        }
    }
}
