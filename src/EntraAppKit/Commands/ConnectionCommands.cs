using System.Management.Automation;
using EntraAppKit.Core;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects EntraAppKit to a tenant.</para>
    /// <para type="description">-LocalTenant connects to the offline local tenant (in memory, or persisted with -Path) as its built-in administrator.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "EntraAppKit", DefaultParameterSetName = LocalTenantSet)]
    [OutputType(typeof(EntraAppKitContext))]
    public sealed class ConnectEntraAppKitCommand : EntraAppKitCmdlet
    {
        private const string LocalTenantSet = "LocalTenant";

        /// <summary>Connect to the offline local tenant.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LocalTenantSet)]
        public SwitchParameter LocalTenant { get; set; }

        /// <summary>A JSON file that keeps the local tenant between sessions (created if missing).</summary>
        [Parameter(ParameterSetName = LocalTenantSet)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        protected override void EndProcessing()
        {
            string? path = Path == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                var connection = RunCore(ct => EntraAppKitConnection.ConnectLocalTenantAsync(path, ct));
                WriteObject(EntraAppKitContext.From(connection));
            }
            catch (System.Exception e)
            {
                ThrowCoreError(e, path);
            }
        }
    }

    /// <summary>
    /// <para type="synopsis">Shows the current EntraAppKit connection.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraAppKitContext")]
    [OutputType(typeof(EntraAppKitContext))]
    public sealed class GetEntraAppKitContextCommand : EntraAppKitCmdlet
    {
        protected override void EndProcessing()
        {
            var connection = EntraAppKitConnection.Current;
            if (connection != null) WriteObject(EntraAppKitContext.From(connection));
        }
    }

    /// <summary>
    /// <para type="synopsis">Forgets the current EntraAppKit connection.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "EntraAppKit")]
    [OutputType(typeof(void))]
    public sealed class DisconnectEntraAppKitCommand : EntraAppKitCmdlet
    {
        protected override void EndProcessing() => EntraAppKitConnection.Disconnect();
    }
}
