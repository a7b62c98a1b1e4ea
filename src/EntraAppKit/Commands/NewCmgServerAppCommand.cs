using System.Management.Automation;
using EntraAppKit.Validation;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the Configuration Manager CMG web (server) app.</para>
    /// <para type="description">Single tenant; redirect http://localhost (public client, or Web with -RedirectPlatform Web); a 12- or 24-month
    /// client secret; Application ID URI api://{tenantId}/{name} (or https://{verified domain}/{name}); scope user_impersonation for admins and users;
    /// ID tokens on. -EnableUserDiscovery swaps delegated User.Read for application Directory.Read.All with admin consent.
    /// The output carries the values Import-CMAADServerApplication takes; pipe it to New-CmgClientApp.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CmgServerApp", SupportsShouldProcess = true)]
    [OutputType(typeof(CmgServerApp))]
    public sealed class NewCmgServerAppCommand : RecipeCmdlet<CmgServerApp>
    {
        /// <summary>The app's display name, ConfigMgr's "Application Name".</summary>
        [Parameter(Position = 0)]
        [ValidateNotBlank]
        [ValidateLength(1, 120)]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string Name { get; set; } = CmgServer.DefaultName;

        /// <summary>Where http://localhost goes: PublicClient (the page's manual steps) or Web (its current wording).</summary>
        [Parameter]
        public CmgRedirectPlatform RedirectPlatform { get; set; } = CmgRedirectPlatform.PublicClient;

        /// <summary>12 or 24 months, the choices the ConfigMgr page gives.</summary>
        [Parameter]
        [ValidateSet("12", "24")]
        public int SecretLifetimeMonths { get; set; } = 12;

        /// <summary>Use https://{domain}/{name} as Application ID URI; the domain must be verified in the tenant.</summary>
        [Parameter]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.VerifiedDomainCompleter))]
        public string? AppIdUriDomain { get; set; }

        /// <summary>The App ID URI's last part (api://{tenantId}/ConfigMgrService); the app's name by default.</summary>
        [Parameter]
        [ValidateNotBlank]
        [ValidatePattern(@"^[A-Za-z0-9._~-]+$")]
        public string? AppIdUriPath { get; set; }

        /// <summary>For Entra user discovery: application permission Directory.Read.All (admin-consented) instead of User.Read.</summary>
        [Parameter]
        public SwitchParameter EnableUserDiscovery { get; set; }

        /// <summary>Add a new client secret even if the app already has one.</summary>
        [Parameter]
        public SwitchParameter NewSecret { get; set; }

        protected override string AppName => Name;

        protected override int? SecretLifetime => SecretLifetimeMonths;

        protected override bool AddNewSecret => NewSecret;

        protected override void ExecuteCmdlet() =>
            Run(new CmgServer { RedirectPlatform = RedirectPlatform, AppIdUriDomain = AppIdUriDomain, AppIdUriPath = AppIdUriPath, EnableUserDiscovery = EnableUserDiscovery });
    }
}
