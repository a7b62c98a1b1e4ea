using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Tenants;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets the tenant's app registration and consent settings.</para>
    /// <para type="description">Reads Microsoft Graph's authorizationPolicy and adminConsentRequestPolicy: whether users may register
    /// applications, what they may consent to (DoNotAllow, LowImpact, AllowAll), and the admin consent workflow. It writes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "EntraTenantAppPolicy")]
    [OutputType(typeof(TenantAppPolicy))]
    public sealed class GetEntraTenantAppPolicyCommand : EntraAppKitCmdlet
    {
        protected override void ExecuteCmdlet()
        {
            var operation = new TenantAppPolicyOperation(RequireConnection().Session);
            WriteObject(RunCore(operation.GetAsync));
        }
    }
}
