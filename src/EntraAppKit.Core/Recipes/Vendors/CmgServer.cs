using System;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>
    /// Configuration Manager's cloud management gateway web (server) app
    /// (learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps): single tenant, http://localhost,
    /// a 12- or 24-month secret, an App ID URI, the user_impersonation scope, ID tokens; optionally Entra user discovery.
    /// </summary>
    public sealed class CmgServer : IVendorRecipe<CmgServerApp>
    {
        public const string DefaultName = "CMG-ServerApp";
        public const string UserImpersonation = "user_impersonation";

        /// <summary>Where http://localhost goes: PublicClient (the page's manual steps) or Web (its current wording).</summary>
        public CmgRedirectPlatform RedirectPlatform { get; set; } = CmgRedirectPlatform.PublicClient;

        /// <summary>A verified domain for an https://{domain}/{name} Application ID URI instead of api://{tenantId}/{name}.</summary>
        public string? AppIdUriDomain { get; set; }

        /// <summary>
        /// The App ID URI's last part, e.g. ConfigMgrService as in the page's api://{tenantId}/ConfigMgrService; the app's name when null.
        /// </summary>
        public string? AppIdUriPath { get; set; }

        /// <summary>Entra user discovery: application permission Directory.Read.All instead of delegated User.Read, with admin consent.</summary>
        public bool EnableUserDiscovery { get; set; }

        public AppRecipe Build(RecipeInput input)
        {
            input.RequireName();
            if (input.SecretLifetimeMonths != 12 && input.SecretLifetimeMonths != 24)
                throw EntraAppKitException.InvalidInput("Configuration Manager offers secrets of 12 or 24 months.");
            var recipe = input.NewRecipe("CmgServer", "cmg-server", "CMG");
            recipe.SignInAudience = "AzureADMyOrg";
            recipe.EnableIdTokenIssuance = true; // oauth2AllowIdTokenImplicitFlow: true
            recipe.ManagesConsent = true; // turning user discovery off revokes Directory.Read.All
            (RedirectPlatform == CmgRedirectPlatform.Web ? recipe.WebRedirectUris : recipe.PublicClientRedirectUris).Add("http://localhost");
            string name = Uri.EscapeDataString(string.IsNullOrWhiteSpace(AppIdUriPath) ? input.Name : AppIdUriPath!.Trim('/'));
            if (AppIdUriDomain != null)
            {
                recipe.IdentifierUris.Add($"https://{AppIdUriDomain.ToLowerInvariant()}/{name}");
                recipe.RequiredVerifiedDomains.Add(AppIdUriDomain);
            }
            else recipe.IdentifierUris.Add($"api://{AppRecipe.TenantIdPlaceholder}/{name}");
            recipe.Scopes.Add(new ExposedScope
            {
                Value = UserImpersonation,
                Type = "User", // "Who can consent: Admins and users"
                AdminConsentDisplayName = $"Access {input.Name}",
                AdminConsentDescription = $"Allow the application to access {input.Name} on behalf of the signed-in user.",
                UserConsentDisplayName = $"Access {input.Name}",
                UserConsentDescription = $"Allow the application to access {input.Name} on your behalf.",
            });
            if (EnableUserDiscovery)
            {
                var directoryRead = new PermissionRequest("Directory.Read.All", PermissionType.Application);
                recipe.Permissions.Add(directoryRead);
                recipe.Consent.Add(directoryRead);
            }
            else recipe.Permissions.Add(new PermissionRequest("User.Read", PermissionType.Delegated));
            // Either variant manages both: turning user discovery on or off swaps one for the other.
            recipe.ManagedPermissions.Add(new PermissionRequest("User.Read", PermissionType.Delegated));
            recipe.ManagedPermissions.Add(new PermissionRequest("Directory.Read.All", PermissionType.Application));
            return recipe;
        }

        public CmgServerApp Shape(AppRegistrationResult result, RecipeInput input) => result.CopyTo(new CmgServerApp
        {
            AppName = result.DisplayName,
            SecretKey = result.ClientSecret, // Import-CMAADServerApplication takes a SecureString
            SecretKeyExpiry = result.ClientSecret == null ? (DateTime?)null : result.SecretExpires?.UtcDateTime,
            AppIdUri = new Uri(result.IdentifierUris[0]),
            UserImpersonationScopeId = result.ScopeIds.TryGetValue(UserImpersonation, out var scopeId) ? scopeId : (Guid?)null,
        });
    }
}
