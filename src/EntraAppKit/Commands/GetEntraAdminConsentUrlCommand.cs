using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the admin consent URL an MSP sends to a customer's administrator for a multitenant app.</para>
    /// <para type="description">Builds Microsoft's v2 admin consent URL ({authority}/{tenant}/v2.0/adminconsent) at the connection's login
    /// authority, with the app's first web redirect URI unless -RedirectUri is given. It reads the app and writes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraAdminConsentUrl")]
    [OutputType(typeof(string))]
    public sealed class GetEntraAdminConsentUrlCommand : EntraAppKitCmdlet
    {
        /// <summary>The app's client id; bound from any of our app objects (ClientId), or a Graph application's AppId.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("AppId")]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>The customer's tenant: its id (a GUID) or a verified domain; organizations by default. Not common.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string Tenant { get; set; } = "organizations";

        /// <summary>Where the answer goes; the app's first web redirect URI when omitted.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string? RedirectUri { get; set; }

        /// <summary>Space-separated scopes; the cloud's Microsoft Graph /.default when omitted.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string? Scope { get; set; }

        /// <summary>A value the endpoint hands back with its answer.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string? State { get; set; }

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var operation = new AdminConsentUrlOperation(RequireConnection().Session);
            var (url, warnings) = RunCore(ct => operation.GetAsync(ClientId, Tenant, RedirectUri, Scope, State, ct));
            foreach (var warning in warnings) WriteWarning(warning);
            WriteObject(url);
        }
    }
}
