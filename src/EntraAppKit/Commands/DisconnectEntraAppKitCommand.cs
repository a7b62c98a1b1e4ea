using System.Management.Automation;
using EntraAppKit.Core.Connections;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets the current EntraAppKit connection and its in-memory tokens.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "EntraAppKit")]
    [OutputType(typeof(void))]
    public sealed class DisconnectEntraAppKitCommand : EntraAppKitCmdlet
    {
        protected override void ExecuteCmdlet() => EntraAppKitConnection.Disconnect(ConnectionScope);
    }
}
