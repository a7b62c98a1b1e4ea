using System.Management.Automation;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a service principal (enterprise application) from the connected tenant; the app registration, if any, stays.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "EntraServicePrincipal", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveEntraServicePrincipalCommand : ServicePrincipalCmdlet
    {
        /// <summary>The application (client) id; bound from any of our app and service principal objects.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ServicePrincipalClientIdCompleter))]
        public string ClientId { get; set; } = "";

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var operations = ServicePrincipals();
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => operations.PlanRemoveAsync(ClientId, ct),
                plan => plan.Changes,
                async (plan, ct) => { await operations.ApplyRemoveAsync(plan, ct).ConfigureAwait(false); return true; },
                _ => { });
        }
    }
}
