using EntraAppKit.Core.Operations;

namespace EntraAppKit.Commands
{
    /// <summary>Cmdlets that act on existing apps, found by the ClientId they take from the pipeline.</summary>
    public abstract class AppOperationCmdlet : EntraAppKitCmdlet
    {
        protected AppRegistrationOperations Operations() => new AppRegistrationOperations(RequireConnection().Session);
    }
}
