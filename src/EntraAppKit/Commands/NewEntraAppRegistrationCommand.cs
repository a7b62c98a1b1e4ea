using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Validation;
using EntraAppKit.Core;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) an app registration from any vendor's instructions.</para>
    /// <para type="description">The general recipe: audience, redirect URIs per platform, Application ID URIs, exposed scopes, app roles,
    /// required permissions by friendly name ('Resource/Permission' or bare Microsoft Graph names), public client flows, ID tokens,
    /// a client secret and optional admin consent. Safe to re-run: keyed by uniqueName.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "EntraAppRegistration", SupportsShouldProcess = true)]
    [OutputType(typeof(EntraAppRegistrationResult))]
    public sealed class NewEntraAppRegistrationCommand : SecretRecipeCmdlet<EntraAppRegistrationResult>
    {
        /// <summary>The app's display name.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotBlank]
        [ValidateLength(1, 120)]
        [ArgumentCompleter(typeof(Completion.AppNameCompleter))]
        public string Name { get; set; } = "";

        /// <summary>Who can sign in. AzureADMyOrg (single tenant) by default; Graph's own default would be personal accounts too.</summary>
        [Parameter]
        [ValidateSet("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount")]
        public string SignInAudience { get; set; } = "AzureADMyOrg";

        /// <summary>Web redirect URIs; {appId} and {tenantId} are replaced.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string[]? WebRedirectUri { get; set; }

        /// <summary>Single-page application redirect URIs.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string[]? SpaRedirectUri { get; set; }

        /// <summary>Mobile and desktop redirect URIs (e.g. ms-appx-web://Microsoft.AAD.BrokerPlugin/{appId}).</summary>
        [Parameter]
        [ValidateNotBlank]
        public string[]? PublicClientRedirectUri { get; set; }

        /// <summary>Application ID URIs (e.g. api://{appId} or api://{tenantId}/name).</summary>
        [Parameter]
        [ValidateNotBlank]
        public string[]? IdentifierUri { get; set; }

        /// <summary>Scopes to expose: names, or hashtables with Value, Type (User/Admin) and consent text.</summary>
        [Parameter]
        [ValidateNotBlank]
        public ExposedScope[]? Scope { get; set; }

        /// <summary>App roles to define: names, or hashtables with Value, DisplayName, Description, AllowedMemberTypes.</summary>
        [Parameter]
        [ValidateNotBlank]
        public AppRoleDefinition[]? AppRole { get; set; }

        /// <summary>Delegated permissions: 'Resource/Permission' or bare Microsoft Graph names.</summary>
        [Parameter]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.PermissionNameCompleter))]
        public string[]? DelegatedPermission { get; set; }

        /// <summary>Application permissions: 'Resource/Permission' or bare Microsoft Graph names.</summary>
        [Parameter]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(Completion.PermissionNameCompleter))]
        public string[]? ApplicationPermission { get; set; }

        /// <summary>"Allow public client flows".</summary>
        [Parameter]
        public SwitchParameter AllowPublicClientFlows { get; set; }

        /// <summary>Issue ID tokens from the authorization endpoint (hybrid flow).</summary>
        [Parameter]
        public SwitchParameter EnableIdTokenIssuance { get; set; }

        /// <summary>Grant tenant-wide admin consent for every requested permission.</summary>
        [Parameter]
        public SwitchParameter GrantAdminConsent { get; set; }

        /// <summary>Add no client secret (public clients, SPAs, certificate-only apps).</summary>
        [Parameter]
        public SwitchParameter NoSecret { get; set; }

        /// <summary>A certificate the app gets instead of a client secret: a public .cer/.pem, or a .pfx opened with -CertificatePassword.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string? CertificatePath { get; set; }

        /// <summary>The password of a -CertificatePath .pfx.</summary>
        [Parameter]
        public SecureString? CertificatePassword { get; set; }

        /// <summary>A certificate object the app gets instead of a client secret (only its public part is sent).</summary>
        [Parameter]
        [ValidateNotNull]
        public X509Certificate2? Certificate { get; set; }

        private X509Certificate2? _certificate;

        protected override string AppName => Name;

        protected override object? ErrorTarget => Name;

        protected override int? SecretLifetime => NoSecret || _certificate != null ? (int?)null : SecretLifetimeMonths;

        protected override X509Certificate2? RecipeCertificate => _certificate;

        protected override void ExecuteCmdlet()
        {
            if (NoSecret && (NewSecret || MyInvocation.BoundParameters.ContainsKey(nameof(SecretLifetimeMonths))))
                throw EntraAppKitException.InvalidInput("-NoSecret cannot be combined with -NewSecret or -SecretLifetimeMonths.");
            if (CertificatePath != null && Certificate != null)
                throw EntraAppKitException.InvalidInput("Give the certificate with -CertificatePath or -Certificate, not both.");
            if ((CertificatePath != null || Certificate != null) && (NoSecret || NewSecret || AsPlainText || MyInvocation.BoundParameters.ContainsKey(nameof(SecretLifetimeMonths))))
                throw EntraAppKitException.InvalidInput("A certificate replaces the client secret: -CertificatePath and -Certificate cannot be combined with -NoSecret, -NewSecret, -SecretLifetimeMonths or -AsPlainText.");
            _certificate = Certificate ?? (CertificatePath == null ? null
                : CertificateFiles.Read(SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath), CertificatePassword));
            var recipe = new General
            {
                SignInAudience = SignInAudience,
                AllowPublicClientFlows = MyInvocation.BoundParameters.ContainsKey(nameof(AllowPublicClientFlows)) ? AllowPublicClientFlows.IsPresent : (bool?)null,
                EnableIdTokenIssuance = EnableIdTokenIssuance,
                GrantAdminConsent = GrantAdminConsent,
            };
            Add(WebRedirectUri, recipe.WebRedirectUris);
            Add(SpaRedirectUri, recipe.SpaRedirectUris);
            Add(PublicClientRedirectUri, recipe.PublicClientRedirectUris);
            Add(IdentifierUri, recipe.IdentifierUris);
            Add(DelegatedPermission, recipe.DelegatedPermissions);
            Add(ApplicationPermission, recipe.ApplicationPermissions);
            Add(Scope, recipe.Scopes);
            Add(AppRole, recipe.AppRoles);
            Run(recipe);
        }

        private static void Add<T>(T[]? from, IList<T> to)
        {
            foreach (var v in from ?? new T[0]) to.Add(v);
        }
    }
}
