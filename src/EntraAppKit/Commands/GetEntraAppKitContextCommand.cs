using System.Management.Automation;
using EntraAppKit.Model;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows who is connected, to which tenant and cloud, how, with which permissions, and when the token expires.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraAppKitContext")]
    [OutputType(typeof(EntraAppKitContext))]
    public sealed class GetEntraAppKitContextCommand : EntraAppKitCmdlet
    {
        protected override void ExecuteCmdlet()
        {
            var connection = Connection;
            if (connection == null) WriteWarning("Not connected. Run Connect-EntraAppKit first (Connect-EntraAppKit -LocalTenant works offline).");
            else WriteObject(RunCore(ct => connection.GetContextAsync(ct)));
        }
    }
}
