using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>
    /// Kong Konnect Dev Portal dynamic client registration with Azure (developer.konghq.com/how-to/azure-ad-dcr/): single tenant,
    /// Microsoft Graph application permissions to manage the apps Konnect registers, User.Read, admin consent, a client secret.
    /// </summary>
    public sealed class KonnectDcr : IVendorRecipe<KonnectDcrApp>
    {
        public const string DefaultName = "Konnect DCR";

        /// <summary>What Kong's original page asks for; its current guidance needs only Application.ReadWrite.OwnedBy.</summary>
        public static readonly string[] OriginalApplicationPermissions = { "Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy" };

        /// <summary>Kong's current guidance: only Application.ReadWrite.OwnedBy and User.Read.</summary>
        public bool LeastPrivilege { get; set; }

        public AppRecipe Build(RecipeInput input)
        {
            var recipe = input.NewRecipe("KonnectDcr", "konnect-dcr", "Konnect DCR");
            recipe.SignInAudience = "AzureADMyOrg"; // "Accounts in this organizational directory only"
            recipe.ManagesConsent = true; // -LeastPrivilege revokes what it no longer requests
            foreach (var role in LeastPrivilege ? new[] { "Application.ReadWrite.OwnedBy" } : OriginalApplicationPermissions)
            {
                var p = new PermissionRequest(role, PermissionType.Application);
                recipe.Permissions.Add(p);
                recipe.Consent.Add(p);
            }
            var userRead = new PermissionRequest("User.Read", PermissionType.Delegated);
            recipe.Permissions.Add(userRead);
            recipe.Consent.Add(userRead);
            // Either variant manages all of Kong's permissions: switching to -LeastPrivilege removes the broad ones.
            foreach (var role in OriginalApplicationPermissions) recipe.ManagedPermissions.Add(new PermissionRequest(role, PermissionType.Application));
            recipe.ManagedPermissions.Add(userRead);
            if (!LeastPrivilege)
                recipe.Warnings.Add("Application.ReadWrite.All lets Konnect change every application in the tenant. Kong's current guidance needs only Application.ReadWrite.OwnedBy: use -LeastPrivilege.");
            return recipe;
        }

        public KonnectDcrApp Shape(AppRegistrationResult result, RecipeInput input) => result.CopyTo(new KonnectDcrApp
        {
            IssuerUrl = "https://sts.windows.net/" + result.TenantId, // Kong: do not include a trailing slash
            ConsumerClaim = "appid",
            InitialClientId = result.ClientId,
            ClientSecret = SecretText.Present(result.ClientSecret, input.AsPlainText),
        });
    }
}
