using System;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>
    /// Configuration Manager's cloud management gateway native (client) app
    /// (learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps): public client flows, the broker
    /// redirect URI, Microsoft Graph User.Read and the server app's user_impersonation, both admin-consented. No secret.
    /// </summary>
    public sealed class CmgClient : IVendorRecipe<CmgClientApp>
    {
        public const string DefaultName = "CMG-ClientApp";
        public const string BrokerRedirectUri = "ms-appx-web://Microsoft.AAD.BrokerPlugin/" + AppRecipe.AppIdPlaceholder;

        /// <summary>The server app's client id (its user_impersonation scope is required and consented).</summary>
        public string ServerClientId { get; set; } = "";

        /// <summary>The server app's object when it was piped in; the output keeps it (and so the server's secret).</summary>
        public object? ServerApp { get; set; }

        public AppRecipe Build(RecipeInput input)
        {
            if (!Guid.TryParse(ServerClientId, out _))
                throw EntraAppKitException.InvalidInput("-ServerClientId must be the server app's client id (a GUID).");
            var recipe = input.NewRecipe("CmgClient", "cmg-client", "");
            recipe.Secret = null;
            recipe.SignInAudience = "AzureADMyOrg";
            recipe.AllowPublicClientFlows = true;
            recipe.EnableIdTokenIssuance = true;
            recipe.ManagesConsent = true;
            recipe.PublicClientRedirectUris.Add(BrokerRedirectUri);
            var userRead = new PermissionRequest("User.Read", PermissionType.Delegated);
            var impersonation = new PermissionRequest(CmgServer.UserImpersonation, PermissionType.Delegated, ServerClientId.ToLowerInvariant());
            recipe.Permissions.Add(userRead);
            recipe.Permissions.Add(impersonation);
            recipe.Consent.Add(userRead);
            recipe.Consent.Add(impersonation);
            return recipe;
        }

        public CmgClientApp Shape(AppRegistrationResult result, RecipeInput input) =>
            result.CopyTo(new CmgClientApp { AppName = result.DisplayName, ServerClientId = ServerClientId, ServerApp = ServerApp });
    }
}
