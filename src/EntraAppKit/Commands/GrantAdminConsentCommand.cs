using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Grants tenant-wide admin consent for the permissions an app requires.</para>
    /// <para type="description">Makes sure the service principal exists, assigns every required application permission, and grants delegated
    /// permissions with one AllPrincipals grant per API (merging into an existing grant). -Permission restricts it to some. Idempotent.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Grant, "AdminConsent", SupportsShouldProcess = true)]
    [OutputType(typeof(AdminConsentResult))]
    public sealed class GrantAdminConsentCommand : EntraAppKitCmdlet
    {
        /// <summary>The app's client id; bound from any of our app objects.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>Only these permissions, as 'Permission' or 'Resource/Permission'.</summary>
        [Parameter]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.RequiredPermissionCompleter))]
        public string[]? Permission { get; set; }

        /// <summary>The app's object when piped in (a recipe's output), kept in every row so a secret made upstream stays reachable.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var consent = new AdminConsentOperation(RequireConnection().Session);
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => consent.PlanAsync(ClientId, Permission, ct),
                plan => plan.Changes,
                consent.ApplyAsync,
                rows =>
                {
                    foreach (var row in rows)
                    {
                        row.App = InputObject;
                        WriteObject(row);
                    }
                });
        }
    }
}
