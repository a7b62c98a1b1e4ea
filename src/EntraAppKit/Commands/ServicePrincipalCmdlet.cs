using EntraAppKit.Core.Operations;

namespace EntraAppKit.Commands
{
    /// <summary>Cmdlets on service principals (enterprise applications), found by the ClientId they take from the pipeline.</summary>
    public abstract class ServicePrincipalCmdlet : EntraAppKitCmdlet
    {
        protected ServicePrincipalOperations ServicePrincipals() => new ServicePrincipalOperations(RequireConnection().Session);
    }
}
