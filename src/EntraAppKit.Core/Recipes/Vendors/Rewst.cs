using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>
    /// Rewst's "owned app registration" (docs.rewst.help/documentation/integrations/cloud/microsoft-cloud-integration-bundle/owned-app-registration):
    /// a web redirect to Rewst's callback, ID tokens on, Microsoft Graph User.Read, a client secret.
    /// </summary>
    public sealed class Rewst : IVendorRecipe<RewstAppRegistration>
    {
        public const string DefaultName = "Rewst Integration";

        /// <summary>The redirect URI Rewst's page gives.</summary>
        public const string RedirectUri = "https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback";

        /// <summary>Accessible from multiple tenants; Rewst's Auth Subject is then <c>common</c>.</summary>
        public bool MultiTenant { get; set; }

        /// <summary>Microsoft Graph delegated permissions Rewst's actions need, besides User.Read (always required).</summary>
        public IList<string> DelegatedPermissions { get; } = new List<string>();

        /// <summary>Grant tenant-wide admin consent now instead of at Rewst's Authorize step.</summary>
        public bool PreConsent { get; set; }

        public AppRecipe Build(RecipeInput input)
        {
            var recipe = input.NewRecipe("Rewst", "rewst", "Rewst");
            recipe.SignInAudience = MultiTenant ? "AzureADMultipleOrgs" : "AzureADMyOrg";
            recipe.EnableIdTokenIssuance = true; // AADSTS700054 otherwise (Rewst's troubleshooting section)
            recipe.WebRedirectUris.Add(RedirectUri);
            // User.Read "will always be required, even for Owned App Registrations".
            foreach (var name in new[] { "User.Read" }.Concat(DelegatedPermissions).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var permission = new PermissionRequest(name, PermissionType.Delegated);
                recipe.Permissions.Add(permission);
                if (PreConsent) recipe.Consent.Add(permission);
            }
            return recipe;
        }

        public RewstAppRegistration Shape(AppRegistrationResult result, RecipeInput input) => result.CopyTo(new RewstAppRegistration
        {
            ClientSecret = SecretText.Present(result.ClientSecret, input.AsPlainText),
            // Rewst's Auth Subject field takes one of two words; the tenant's GUID goes in its separate Tenant ID field.
            AuthSubject = result.SignInAudience == "AzureADMyOrg" ? "tenant_id" : "common",
            RedirectUri = RedirectUri,
            AdminConsentUrl = result.MultiTenantAdminConsentUrl(RedirectUri),
        });
    }
}
