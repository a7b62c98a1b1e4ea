using System;
using System.Collections.Generic;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Model.Recipes;
using Microsoft.Graph.Models;
using PermissionType = EntraAppKit.Core.Permissions.PermissionType;

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

        /// <summary>The piped server app's service principal's object id, the resource of the user_impersonation grant.</summary>
        public string? ServerServicePrincipalId { get; set; }

        /// <summary>The piped server app's user_impersonation scope id.</summary>
        public Guid? ServerScopeId { get; set; }

        /// <summary>The piped server app's display name, for the changes listed.</summary>
        public string? ServerDisplayName { get; set; }

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
            // The server app this session has just made (New-CmgServerApp | New-CmgClientApp) may not have replicated yet: its output
            // gives what the client needs of it. A delegated grant names the resource by its service principal's object id
            // (learn.microsoft.com/graph/api/oauth2permissiongrant-post), which the server's output carries; requiredResourceAccess
            // names the scope by id (learn.microsoft.com/graph/api/resources/requiredresourceaccess).
            if (ServerServicePrincipalId != null && ServerScopeId.HasValue)
                recipe.KnownResources[impersonation.Resource] = new ServicePrincipal
                {
                    Id = ServerServicePrincipalId,
                    AppId = impersonation.Resource,
                    DisplayName = ServerDisplayName ?? ServerClientId,
                    Oauth2PermissionScopes = new List<PermissionScope>
                    {
                        new PermissionScope { Id = ServerScopeId, Value = CmgServer.UserImpersonation, Type = "User", IsEnabled = true },
                    },
                };
            return recipe;
        }

        public CmgClientApp Shape(AppRegistrationResult result, RecipeInput input) =>
            result.CopyTo(new CmgClientApp { AppName = result.DisplayName, ServerClientId = ServerClientId, ServerApp = ServerApp });
    }
}
