using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the client secrets and certificates of an app, or of every application and service principal of the tenant, with the days each has left.</para>
    /// <para type="description">One row per credential (Kind Secret or Certificate) of the application and of its service principal, with
    /// DaysLeft and Status (Valid, ExpiringSoon, Expired). -ExpiringWithinDays and -Expired keep the credentials that need attention. The
    /// whole tenant is read a page at a time and each row is written as its page arrives.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraAppCredential")]
    [OutputType(typeof(EntraAppCredential))]
    public sealed class GetEntraAppCredentialCommand : EntraAppKitCmdlet
    {
        /// <summary>The app's client id; bound from any of our app objects (and from service principal objects by AppId). Every credential of the tenant when omitted.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("AppId")]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string? ClientId { get; set; }

        /// <summary>Only credentials not yet expired that end within this many days; also the ExpiringSoon window (30 days by default).</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int ExpiringWithinDays { get; set; }

        /// <summary>Only expired credentials (with -ExpiringWithinDays: those and the expiring ones).</summary>
        [Parameter]
        public SwitchParameter Expired { get; set; }

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var connection = RequireConnection();
            var credentials = new AppCredentialOperation(connection.Session, connection.Tenant);
            int? within = MyInvocation.BoundParameters.ContainsKey(nameof(ExpiringWithinDays)) ? ExpiringWithinDays : (int?)null;
            RunCoreStreaming<EntraAppCredential>((onRows, ct) => credentials.ListAsync(ClientId, within, Expired.IsPresent, onRows, ct), row => WriteObject(row));
        }
    }
}
