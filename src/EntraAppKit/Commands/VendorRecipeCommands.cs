using System.Management.Automation;
using EntraAppKit.Core;
using EntraAppKit.Core.Recipes.Vendors;

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
    public sealed class NewCmgServerAppCommand : RecipeCmdlet
    {
        /// <summary>The app's display name, ConfigMgr's "Application Name".</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 120)]
        public string Name { get; set; } = "CMG-ServerApp";

        /// <summary>Where http://localhost goes: PublicClient (the seed) or Web (Microsoft's current page).</summary>
        [Parameter]
        public CmgRedirectPlatform RedirectPlatform { get; set; } = CmgRedirectPlatform.PublicClient;

        /// <summary>12 or 24 months, the choices the ConfigMgr page gives.</summary>
        [Parameter]
        [ValidateSet("12", "24")]
        public int SecretLifetimeMonths { get; set; } = 12;

        /// <summary>Use https://{domain}/{name} as Application ID URI; the domain must be verified in the tenant.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.VerifiedDomainCompleter))]
        public string? AppIdUriDomain { get; set; }

        /// <summary>For Entra user discovery: application permission Directory.Read.All (admin-consented) instead of User.Read.</summary>
        [Parameter]
        public SwitchParameter EnableUserDiscovery { get; set; }

        /// <summary>Add a new client secret even if the app already has one.</summary>
        [Parameter]
        public SwitchParameter NewSecret { get; set; }

        protected override void ProcessRecord()
        {
            var options = new CmgServerOptions
            {
                Name = Name, UniqueName = UniqueName, AdoptClientId = ClientId, RedirectPlatform = RedirectPlatform,
                SecretLifetimeMonths = SecretLifetimeMonths, AppIdUriDomain = AppIdUriDomain, EnableUserDiscovery = EnableUserDiscovery, NewSecret = NewSecret,
            };
            var result = RunRecipe(() => CmgRecipes.BuildServer(options));
            if (result != null) WriteObject(CmgRecipes.ToServerOutput(result, CmgRecipes.ServerAppIdUri(options, result.TenantId)));
        }
    }

    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the Configuration Manager CMG native (client) app.</para>
    /// <para type="description">Single tenant; public client flows on; redirect ms-appx-web://Microsoft.AAD.BrokerPlugin/{clientId};
    /// delegated Microsoft Graph User.Read and the server app's user_impersonation, both admin-consented; ID tokens on.
    /// Takes the server app from the pipeline (New-CmgServerApp | New-CmgClientApp).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CmgClientApp", SupportsShouldProcess = true)]
    [OutputType(typeof(CmgClientApp))]
    public sealed class NewCmgClientAppCommand : RecipeCmdlet
    {
        /// <summary>The app's display name.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 120)]
        public string Name { get; set; } = "CMG-ClientApp";

        /// <summary>The server app's client id; bound from New-CmgServerApp's output.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidatePattern(@"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
        public string ServerClientId { get; set; } = "";

        protected override void ProcessRecord()
        {
            var options = new CmgClientOptions { Name = Name, UniqueName = UniqueName, AdoptClientId = ClientId, ServerClientId = ServerClientId };
            var result = RunRecipe(() => CmgRecipes.BuildClient(options));
            if (result != null) WriteObject(CmgRecipes.ToClientOutput(result, ServerClientId));
        }
    }

    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the app registration WriteBackExtreme's OAuth configuration uses.</para>
    /// <para type="description">Single tenant (or -MultiTenant), no redirect URI yet, a client secret, the service principal.
    /// Then add the two return URLs the WriteBackExtreme console shows with Add-WriteBackRedirectUri.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "WriteBackAppRegistration", SupportsShouldProcess = true)]
    [OutputType(typeof(WriteBackAppRegistration))]
    public sealed class NewWriteBackAppRegistrationCommand : SecretRecipeCmdlet
    {
        /// <summary>The app's display name (WriteBackExtreme suggests including "WriteBackExtreme").</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 120)]
        public string Name { get; set; } = "WriteBackExtreme";

        /// <summary>Accounts in any organizational directory.</summary>
        [Parameter]
        public SwitchParameter MultiTenant { get; set; }

        protected override void ProcessRecord()
        {
            var options = new WriteBackOptions
            {
                Name = Name, UniqueName = UniqueName, AdoptClientId = ClientId, MultiTenant = MultiTenant,
                SecretLifetimeMonths = SecretLifetimeMonths, NewSecret = NewSecret,
            };
            var result = RunRecipe(() => WriteBackRecipe.Build(options));
            if (result != null) WriteObject(WriteBackRecipe.ToOutput(result, AsPlainText));
        }
    }

    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the app registration Kong Konnect's Dev Portal uses for dynamic client registration.</para>
    /// <para type="description">Single tenant; Microsoft Graph Application.Read.All, Application.ReadWrite.All and Application.ReadWrite.OwnedBy
    /// (application) and User.Read (delegated), admin-consented; a client secret. -LeastPrivilege requests only Application.ReadWrite.OwnedBy and
    /// User.Read, as Kong now recommends, and revokes the broader grants of an earlier run.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "KonnectDcrApp", SupportsShouldProcess = true)]
    [OutputType(typeof(KonnectDcrApp))]
    public sealed class NewKonnectDcrAppCommand : SecretRecipeCmdlet
    {
        /// <summary>The app's display name.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 120)]
        public string Name { get; set; } = "Konnect DCR";

        /// <summary>Only Application.ReadWrite.OwnedBy and User.Read (Kong's current guidance).</summary>
        [Parameter]
        public SwitchParameter LeastPrivilege { get; set; }

        protected override void ProcessRecord()
        {
            var options = new KonnectDcrOptions
            {
                Name = Name, UniqueName = UniqueName, AdoptClientId = ClientId, LeastPrivilege = LeastPrivilege,
                SecretLifetimeMonths = SecretLifetimeMonths, NewSecret = NewSecret,
            };
            var result = RunRecipe(() => KonnectDcrRecipe.Build(options));
            if (result != null) WriteObject(KonnectDcrRecipe.ToOutput(result, AsPlainText));
        }
    }
}
