using System.Management.Automation;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Provisions an app's service principal (enterprise application) in the connected tenant: for an app of this tenant or another tenant's multi-tenant app.</para>
    /// <para type="description">An existing service principal is returned unchanged, so a re-run makes no write.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "EntraServicePrincipal", SupportsShouldProcess = true)]
    [OutputType(typeof(EntraServicePrincipal))]
    public sealed class NewEntraServicePrincipalCommand : ServicePrincipalCmdlet
    {
        /// <summary>The application (client) id; bound from any of our app and service principal objects.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var operations = ServicePrincipals();
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => operations.PlanNewAsync(ClientId, ct),
                plan => plan.Changes,
                operations.ApplyNewAsync,
                WriteObject,
                unchanged: plan => $"'{plan.DisplayName}' has its service principal in this tenant already: nothing to create.");
        }
    }
}
