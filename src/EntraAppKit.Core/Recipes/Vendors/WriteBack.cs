using System.Linq;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>
    /// WriteBackExtreme's OAuth configuration
    /// (docs.infotopics.com/writebackextreme/product-guide/management-console/setup-security/oauth-setup/microsoft-entra): single
    /// tenant (or multitenant), no redirect URI until the console shows its return URLs (Add-WriteBackRedirectUri), a client secret.
    /// </summary>
    public sealed class WriteBack : IVendorRecipe<WriteBackAppRegistration>
    {
        public const string DefaultName = "WriteBackExtreme";

        public bool MultiTenant { get; set; }

        public AppRecipe Build(RecipeInput input)
        {
            var recipe = input.NewRecipe("WriteBack", "writeback", "WriteBackExtreme");
            recipe.SignInAudience = MultiTenant ? "AzureADMultipleOrgs" : "AzureADMyOrg";
            return recipe;
        }

        public WriteBackAppRegistration Shape(AppRegistrationResult result, RecipeInput input)
        {
            var output = result.CopyTo(new WriteBackAppRegistration
            {
                ClientSecret = SecretText.Present(result.ClientSecret, input.AsPlainText),
                // Its first return URL: none until Add-WriteBackRedirectUri adds the console's (then a re-run, or Get-EntraAdminConsentUrl, gives it).
                AdminConsentUrl = result.MultiTenantAdminConsentUrl(result.WebRedirectUris.FirstOrDefault()),
            });
            if (result.ClientSecret != null && result.SecretExpires.HasValue)
                // WriteBackExtreme "will not notify you when the secret expires".
                output.Warnings = output.Warnings.Concat(new[] { $"WriteBackExtreme does not warn before its client secret expires: renew it before {result.SecretExpires.Value.UtcDateTime:yyyy-MM-dd} (New-WriteBackAppRegistration -NewSecret)." }).ToArray();
            return output;
        }
    }
}
