using System.Management.Automation;
using EntraAppKit.Validation;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the app registration WriteBackExtreme's OAuth configuration uses.</para>
    /// <para type="description">Single tenant (or -MultiTenant), no redirect URI yet, a client secret, the service principal.
    /// Then add the two return URLs the WriteBackExtreme console shows with Add-WriteBackRedirectUri.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "WriteBackAppRegistration", SupportsShouldProcess = true)]
    [OutputType(typeof(WriteBackAppRegistration))]
    public sealed class NewWriteBackAppRegistrationCommand : SecretRecipeCmdlet<WriteBackAppRegistration>
    {
        /// <summary>The app's display name (WriteBackExtreme suggests including "WriteBackExtreme").</summary>
        [Parameter(Position = 0)]
        [ValidateNotBlank]
        [ValidateLength(1, 120)]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string Name { get; set; } = WriteBack.DefaultName;

        /// <summary>Accounts in any organizational directory.</summary>
        [Parameter]
        public SwitchParameter MultiTenant { get; set; }

        protected override string AppName => Name;

        protected override void ExecuteCmdlet() => Run(new WriteBack { MultiTenant = MultiTenant });
    }
}
