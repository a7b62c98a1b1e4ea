using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the permissions an app (or every app of the tenant) holds: one row per delegated scope and per application permission.</para>
    /// <para type="description">Reads the app's oauth2PermissionGrants and app role assignments and names everything: the client, the API,
    /// the permission's value, Delegated or Application, AllPrincipals or the user who consented for themselves. Rows pipe into Revoke-EntraAppConsent.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraAppConsent")]
    [OutputType(typeof(EntraAppConsent))]
    public sealed class GetEntraAppConsentCommand : EntraAppKitCmdlet
    {
        /// <summary>The app's client id; bound from any of our app objects (and from service principal objects by AppId). Every app's consent when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("AppId")]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string? ClientId { get; set; }

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var connection = RequireConnection();
            var consent = new AppConsentOperation(connection.Session, connection.Tenant);
            foreach (var row in RunCore(ct => consent.ListAsync(ClientId, ct))) WriteObject(row);
        }
    }
}
