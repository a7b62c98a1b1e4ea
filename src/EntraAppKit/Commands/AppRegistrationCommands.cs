using System;
using System.Linq;
using System.Management.Automation;
using EntraAppKit.Core;
using EntraAppKit.Core.Operations;

namespace EntraAppKit.Commands
{
    /// <summary>Cmdlets that act on one existing app, found by the ClientId they take from the pipeline.</summary>
    public abstract class AppOperationCmdlet : EntraAppKitCmdlet
    {
        protected AppRegistrationOperations Operations() => new AppRegistrationOperations(RequireConnection().Session);

        /// <summary>Asks ShouldProcess for every planned change; true when all are approved and there is at least one.</summary>
        protected bool Approve(AppOperationPlan plan) =>
            plan.Changes.Count > 0 && plan.Changes.Aggregate(true, (ok, c) => ShouldProcess(c.Description, c.Description + "?", c.Action) && ok);
    }

    /// <summary>
    /// <para type="synopsis">Gets app registrations by client id, uniqueName, or display name (wildcards allowed).</para>
    /// <para type="description">Returns objects that pipe into Grant-AdminConsent, Add-WriteBackRedirectUri and Remove-EntraAppRegistration,
    /// with the next client secret expiry so none expires unnoticed.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraAppRegistration", DefaultParameterSetName = ByDisplayName)]
    [OutputType(typeof(EntraAppRegistration))]
    public sealed class GetEntraAppRegistrationCommand : AppOperationCmdlet
    {
        private const string ByDisplayName = "ByDisplayName";

        /// <summary>Display name; * and ? are wildcards. All apps when omitted.</summary>
        [Parameter(Position = 0, ParameterSetName = ByDisplayName)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? DisplayName { get; set; }

        /// <summary>The application (client) id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByClientId", ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
        public string? ClientId { get; set; }

        /// <summary>The uniqueName the app was created with.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "ByUniqueName")]
        [ValidateNotNullOrEmpty]
        public string? UniqueName { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var operations = Operations();
                var apps = RunCore(ct => operations.FindAsync(ClientId, UniqueName, DisplayName, ct));
                if (apps.Count == 0 && (ClientId != null || UniqueName != null || (DisplayName != null && !WildcardPattern.ContainsWildcardCharacters(DisplayName))))
                    WriteError(new ErrorRecord(new ItemNotFoundException($"No app registration matches {ClientId ?? UniqueName ?? DisplayName}."),
                        ErrorIds.ApplicationNotFound, ErrorCategory.ObjectNotFound, ClientId ?? UniqueName ?? DisplayName));
                foreach (var app in apps) WriteObject(app);
            }
            catch (Exception e) { WriteCoreError(e, ClientId ?? UniqueName ?? DisplayName); }
        }
    }

    /// <summary>
    /// <para type="synopsis">Adds the return URLs WriteBackExtreme's console shows to the app's Web platform.</para>
    /// <para type="description">Keeps every existing redirect URI; https is required (localhost excepted); URIs already present change nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "WriteBackRedirectUri", SupportsShouldProcess = true)]
    [OutputType(typeof(EntraAppRegistration))]
    public sealed class AddWriteBackRedirectUriCommand : AppOperationCmdlet
    {
        /// <summary>The app's client id; bound from New-WriteBackAppRegistration or Get-EntraAppRegistration output.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
        public string ClientId { get; set; } = "";

        /// <summary>One or more return URLs, as the WriteBackExtreme Management Console shows them.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string[] Uri { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            try
            {
                var operations = Operations();
                var plan = RunCore(ct => operations.PlanAddWebRedirectUrisAsync(ClientId, Uri, ct));
                if (plan.Changes.Count == 0) WriteVerbose($"'{plan.DisplayName}' already has every one of these redirect URIs.");
                else if (!Approve(plan)) return;
                WriteObject(RunCore(ct => operations.ApplyAddWebRedirectUrisAsync(plan, ct)));
            }
            catch (Exception e) { WriteCoreError(e, ClientId); }
        }
    }

    /// <summary>
    /// <para type="synopsis">Grants tenant-wide admin consent for the permissions an app requires.</para>
    /// <para type="description">Makes sure the service principal exists, assigns every required application permission, and grants delegated
    /// permissions with one AllPrincipals grant per API (merging into an existing grant). -Permission restricts it to some. Idempotent.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Grant, "AdminConsent", SupportsShouldProcess = true)]
    [OutputType(typeof(AdminConsentResult))]
    public sealed class GrantAdminConsentCommand : AppOperationCmdlet
    {
        /// <summary>The app's client id; bound from any of our app objects.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
        public string ClientId { get; set; } = "";

        /// <summary>Only these permissions, as 'Permission' or 'Resource/Permission'.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.PermissionNameCompleter))]
        public string[]? Permission { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var operations = Operations();
                var plan = RunCore(ct => operations.PlanAdminConsentAsync(ClientId, Permission, ct));
                if (plan.Changes.Count > 0 && !Approve(plan)) return;
                foreach (var row in RunCore(ct => operations.ApplyAdminConsentAsync(plan, ct))) WriteObject(row);
            }
            catch (Exception e) { WriteCoreError(e, ClientId); }
        }
    }

    /// <summary>
    /// <para type="synopsis">Removes an app registration, and with it its service principal, grants and assignments.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "EntraAppRegistration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveEntraAppRegistrationCommand : AppOperationCmdlet
    {
        /// <summary>The app's client id; bound from any of our app objects.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
        public string ClientId { get; set; } = "";

        protected override void ProcessRecord()
        {
            try
            {
                var operations = Operations();
                var plan = RunCore(ct => operations.PlanRemoveAsync(ClientId, ct));
                if (!Approve(plan)) return;
                RunCore(async ct => { await operations.ApplyRemoveAsync(plan, ct).ConfigureAwait(false); return true; });
            }
            catch (Exception e) { WriteCoreError(e, ClientId); }
        }
    }
}
