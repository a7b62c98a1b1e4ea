using System.Management.Automation;
using EntraAppKit.Validation;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the app registration Kong Konnect's Dev Portal uses for dynamic client registration.</para>
    /// <para type="description">Single tenant; Microsoft Graph Application.Read.All, Application.ReadWrite.All and Application.ReadWrite.OwnedBy
    /// (application) and User.Read (delegated), admin-consented; a client secret. -LeastPrivilege requests only Application.ReadWrite.OwnedBy and
    /// User.Read, as Kong now recommends, and revokes the broader grants of an earlier run.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "KonnectDcrApp", SupportsShouldProcess = true)]
    [OutputType(typeof(KonnectDcrApp))]
    public sealed class NewKonnectDcrAppCommand : SecretRecipeCmdlet<KonnectDcrApp>
    {
        /// <summary>The app's display name.</summary>
        [Parameter(Position = 0)]
        [ValidateNotBlank]
        [ValidateLength(1, 120)]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string Name { get; set; } = KonnectDcr.DefaultName;

        /// <summary>Only Application.ReadWrite.OwnedBy and User.Read (Kong's current guidance).</summary>
        [Parameter]
        public SwitchParameter LeastPrivilege { get; set; }

        protected override string AppName => Name;

        protected override void ExecuteCmdlet() => Run(new KonnectDcr { LeastPrivilege = LeastPrivilege });
    }
}
