using System.Management.Automation;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes an app registration, and with it its service principal, grants and assignments.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "EntraAppRegistration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveEntraAppRegistrationCommand : AppOperationCmdlet
    {
        /// <summary>The app's client id; bound from any of our app objects.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var operations = Operations();
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => operations.PlanRemoveAsync(ClientId, ct),
                plan => plan.Changes,
                async (plan, ct) => { await operations.ApplyRemoveAsync(plan, ct).ConfigureAwait(false); return true; },
                _ => { });
        }
    }
}
