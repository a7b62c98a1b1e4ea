using System.Management.Automation;
using EntraAppKit.Core;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets service principals (enterprise applications) by client id, object id, or display name (wildcards allowed).</para>
    /// <para type="description">-Home keeps the apps registered in the connected tenant, -Foreign those registered in another tenant.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraServicePrincipal", DefaultParameterSetName = ByDisplayName)]
    [OutputType(typeof(EntraServicePrincipal))]
    public sealed class GetEntraServicePrincipalCommand : ServicePrincipalCmdlet
    {
        private const string ByDisplayName = "ByDisplayName";

        /// <summary>Display name; * and ? are wildcards. All service principals when omitted.</summary>
        [Parameter(Position = 0, ParameterSetName = ByDisplayName)]
        [SupportsWildcards]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.ServicePrincipalNameCompleter))]
        public string? DisplayName { get; set; }

        /// <summary>The application (client) id; bound from any of our app and service principal objects.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByClientId", ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ServicePrincipalClientIdCompleter))]
        public string? ClientId { get; set; }

        /// <summary>The service principal's object id (not the application's).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByObjectId")]
        [ValidateNotBlank]
        public string? ObjectId { get; set; }

        /// <summary>Only apps registered in another tenant (appOwnerOrganizationId is not the connected tenant), Microsoft's included.</summary>
        [Parameter]
        public SwitchParameter Foreign { get; set; }

        /// <summary>Only apps registered in the connected tenant.</summary>
        [Parameter]
        public SwitchParameter Home { get; set; }

        protected override object? ErrorTarget => ClientId ?? ObjectId ?? DisplayName;

        protected override void ExecuteCmdlet()
        {
            if (Foreign && Home)
                throw EntraAppKitException.InvalidInput("-Foreign and -Home exclude each other: omit both to get every service principal.");
            var owner = Foreign ? ServicePrincipalOwner.Foreign : Home ? ServicePrincipalOwner.Home : ServicePrincipalOwner.Any;
            var operations = ServicePrincipals();
            var found = RunCore(ct => operations.FindAsync(ClientId, ObjectId, DisplayName, owner, ct));
            if (found.Count == 0 && (ClientId != null || ObjectId != null || (DisplayName != null && !WildcardPattern.ContainsWildcardCharacters(DisplayName))))
                WriteError(new ErrorRecord(new ItemNotFoundException($"No {(Foreign ? "foreign " : Home ? "home " : "")}service principal matches {ErrorTarget}."),
                    ErrorIds.ServicePrincipalNotFound, ErrorCategory.ObjectNotFound, ErrorTarget));
            foreach (var sp in found) WriteObject(sp);
        }
    }
}
