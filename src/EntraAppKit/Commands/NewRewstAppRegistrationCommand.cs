using System.Management.Automation;
using EntraAppKit.Validation;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the app registration Rewst's Microsoft cloud integration uses.</para>
    /// <para type="description">Web redirect URI https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback, ID token issuance on,
    /// Microsoft Graph User.Read (delegated), a client secret, and the service principal. Safe to re-run: keyed by uniqueName.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "RewstAppRegistration", SupportsShouldProcess = true)]
    [OutputType(typeof(RewstAppRegistration))]
    public sealed class NewRewstAppRegistrationCommand : SecretRecipeCmdlet<RewstAppRegistration>
    {
        /// <summary>The app registration's display name.</summary>
        [Parameter(Position = 0)]
        [ValidateNotBlank]
        [ValidateLength(1, 120)]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string Name { get; set; } = Rewst.DefaultName;

        /// <summary>Accounts in any organizational directory; Rewst's Auth Subject becomes 'common'.</summary>
        [Parameter]
        public SwitchParameter MultiTenant { get; set; }

        /// <summary>Extra Microsoft Graph delegated permissions Rewst's actions need (User.Read is always included).</summary>
        [Parameter]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.PermissionNameCompleter))]
        public string[]? DelegatedPermission { get; set; }

        /// <summary>Grant tenant-wide admin consent now instead of at Rewst's Authorize step.</summary>
        [Parameter]
        public SwitchParameter PreConsent { get; set; }

        protected override string AppName => Name;

        protected override void ExecuteCmdlet()
        {
            var rewst = new Rewst { MultiTenant = MultiTenant, PreConsent = PreConsent };
            foreach (var p in DelegatedPermission ?? new string[0]) rewst.DelegatedPermissions.Add(p);
            Run(rewst);
        }
    }
}
