using System;
using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Revokes permissions an app holds: removes delegated scopes from its grants, deletes its app role assignments.</para>
    /// <para type="description">A delegated permission is removed from each grant that holds it (the grant's scope is updated; a grant left
    /// empty is deleted); an application permission's app role assignment is deleted. Takes Get-EntraAppConsent rows from the pipeline.
    /// What the app does not hold is not changed, so a re-run makes no write.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "EntraAppConsent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RevokeEntraAppConsentCommand : EntraAppKitCmdlet
    {
        /// <summary>The app's client id; bound from Get-EntraAppConsent rows and any of our app objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>The permissions to revoke, by value (User.Read, Directory.Read.All).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.PermissionNameCompleter))]
        public string[] Permission { get; set; } = Array.Empty<string>();

        /// <summary>The API, by display name or appId; Microsoft Graph when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotBlank]
        public string? Resource { get; set; }

        /// <summary>Delegated or Application: needed only when the app holds the name as both.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("Delegated", "Application")]
        public string? Kind { get; set; }

        /// <summary>Only the admin's grant for all users (AllPrincipals) or only users' own grants (Principal); both when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("AllPrincipals", "Principal")]
        public string? ConsentType { get; set; }

        /// <summary>Only this user's own grant (the user's object id).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Guid? PrincipalId { get; set; }

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var connection = RequireConnection();
            var consent = new AppConsentOperation(connection.Session, connection.Tenant);
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => consent.PlanRevokeAsync(ClientId, Permission, Resource, Kind, ConsentType, PrincipalId, ct),
                plan => plan.Changes,
                consent.ApplyRevokeAsync,
                _ => { },
                plan => plan.Unchanged ?? "Nothing to revoke.");
        }
    }
}
