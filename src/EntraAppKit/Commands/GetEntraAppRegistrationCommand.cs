using System.Management.Automation;
using EntraAppKit.Core;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets app registrations by client id, uniqueName, or display name (wildcards allowed).</para>
    /// <para type="description">Returns objects that pipe into Grant-AdminConsent, Add-WriteBackRedirectUri and Remove-EntraAppRegistration,
    /// with the next client secret expiry so none expires unnoticed, and the app's service principal id and state.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraAppRegistration", DefaultParameterSetName = ByDisplayName)]
    [OutputType(typeof(EntraAppRegistration))]
    public sealed class GetEntraAppRegistrationCommand : AppOperationCmdlet
    {
        private const string ByDisplayName = "ByDisplayName";

        /// <summary>Display name; * and ? are wildcards. All apps when omitted.</summary>
        [Parameter(Position = 0, ParameterSetName = ByDisplayName)]
        [SupportsWildcards]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string? DisplayName { get; set; }

        /// <summary>The application (client) id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByClientId", ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string? ClientId { get; set; }

        /// <summary>The uniqueName the app was created with.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByUniqueName")]
        [ValidateNotBlank]
        public string? UniqueName { get; set; }

        /// <summary>Only apps of this sign-in audience (who can sign in: this tenant, any organization, and personal accounts).</summary>
        [Parameter]
        [ValidateSet("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount")]
        public string? SignInAudience { get; set; }

        protected override object? ErrorTarget => ClientId ?? UniqueName ?? DisplayName;

        protected override void ExecuteCmdlet()
        {
            var operations = Operations();
            // Written as each page arrives: a tenant of many pages shows its first apps at once and is never held whole.
            int written = 0;
            RunCoreStreaming<EntraAppRegistration>((onRows, ct) => operations.FindAsync(ClientId, UniqueName, DisplayName, SignInAudience, onRows, ct),
                app => { WriteObject(app); written++; });
            if (written == 0 && (ClientId != null || UniqueName != null || (DisplayName != null && !WildcardPattern.ContainsWildcardCharacters(DisplayName))))
                WriteError(new ErrorRecord(new ItemNotFoundException($"No app registration matches {ErrorTarget}."),
                    ErrorIds.ApplicationNotFound, ErrorCategory.ObjectNotFound, ErrorTarget));
        }
    }
}
