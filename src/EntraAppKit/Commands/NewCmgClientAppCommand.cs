using System.Management.Automation;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the Configuration Manager CMG native (client) app.</para>
    /// <para type="description">Single tenant; public client flows on; redirect ms-appx-web://Microsoft.AAD.BrokerPlugin/{clientId};
    /// delegated Microsoft Graph User.Read and the server app's user_impersonation, both admin-consented; ID tokens on.
    /// Takes the server app from the pipeline (New-CmgServerApp | New-CmgClientApp).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CmgClientApp", SupportsShouldProcess = true)]
    [OutputType(typeof(CmgClientApp))]
    public sealed class NewCmgClientAppCommand : RecipeCmdlet<CmgClientApp>
    {
        /// <summary>The app's display name.</summary>
        [Parameter(Position = 0)]
        [ValidateNotBlank]
        [ValidateLength(1, 120)]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string Name { get; set; } = CmgClient.DefaultName;

        /// <summary>The server app's client id; bound from New-CmgServerApp's output.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ServerClientId { get; set; } = "";

        protected override string AppName => Name;

        /// <summary>The server app's object when piped in, kept in the output so the server's new secret stays reachable.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override void ExecuteCmdlet()
        {
            // What the piped server app says of itself, when it is the server named (a deserialized object's properties too).
            bool piped = InputObject != null && string.Equals(Property("ClientId") as string, ServerClientId, System.StringComparison.OrdinalIgnoreCase);
            Run(new CmgClient
            {
                ServerClientId = ServerClientId,
                ServerApp = InputObject,
                ServerServicePrincipalId = piped ? Property("ServicePrincipalId") as string : null,
                ServerScopeId = piped && System.Guid.TryParse(Property("UserImpersonationScopeId")?.ToString(), out var scopeId) ? scopeId : (System.Guid?)null,
                ServerDisplayName = piped ? Property("DisplayName") as string : null,
            });
        }

        private object? Property(string name) => InputObject?.Properties[name]?.Value is PSObject wrapped ? wrapped.BaseObject : InputObject?.Properties[name]?.Value;
    }
}
