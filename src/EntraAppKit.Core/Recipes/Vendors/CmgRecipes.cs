using System;
using System.Collections;
using System.Security;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>Input to the Configuration Manager CMG web (server) app recipe (seed 001; graph-ground-truth §3).</summary>
    public sealed class CmgServerOptions
    {
        public string Name { get; set; } = "CMG-ServerApp";
        public string? UniqueName { get; set; }
        public string? AdoptClientId { get; set; }
        public CmgRedirectPlatform RedirectPlatform { get; set; } = CmgRedirectPlatform.PublicClient;

        /// <summary>12 or 24, the two choices the seed offers.</summary>
        public int SecretLifetimeMonths { get; set; } = 12;

        /// <summary>A verified domain for an https://{domain}/{name} Application ID URI instead of api://{tenantId}/{name}.</summary>
        public string? AppIdUriDomain { get; set; }

        /// <summary>Entra user discovery: application permission Directory.Read.All instead of delegated User.Read, with admin consent.</summary>
        public bool EnableUserDiscovery { get; set; }

        public bool NewSecret { get; set; }
    }

    /// <summary>Input to the CMG native (client) app recipe.</summary>
    public sealed class CmgClientOptions
    {
        public string Name { get; set; } = "CMG-ClientApp";
        public string? UniqueName { get; set; }
        public string? AdoptClientId { get; set; }

        /// <summary>The server app's client id (its user_impersonation scope is required and consented).</summary>
        public string ServerClientId { get; set; } = "";
    }

    /// <summary>The two CMG recipes: the web (server) app and the native (client) app.</summary>
    public static class CmgRecipes
    {
        public const string UserImpersonation = "user_impersonation";
        public const string BrokerRedirectUri = "ms-appx-web://Microsoft.AAD.BrokerPlugin/" + AppRecipe.AppIdPlaceholder;

        public static AppRecipe BuildServer(CmgServerOptions o)
        {
            Require(o.Name);
            if (o.SecretLifetimeMonths != 12 && o.SecretLifetimeMonths != 24)
                throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, "Configuration Manager offers secrets of 12 or 24 months.");
            var recipe = new AppRecipe("CmgServer", o.Name, o.UniqueName ?? UniqueNames.Derive("cmg-server", o.Name))
            {
                AdoptClientId = o.AdoptClientId,
                SignInAudience = "AzureADMyOrg",
                EnableIdTokenIssuance = true, // oauth2AllowIdTokenImplicitFlow: true
                ManagesConsent = true, // turning user discovery off revokes Directory.Read.All
                Secret = new SecretRequest("CMG", o.SecretLifetimeMonths),
                NewSecret = o.NewSecret,
            };
            (o.RedirectPlatform == CmgRedirectPlatform.Web ? recipe.WebRedirectUris : recipe.PublicClientRedirectUris).Add("http://localhost");
            if (o.AppIdUriDomain != null)
            {
                recipe.IdentifierUris.Add($"https://{o.AppIdUriDomain.ToLowerInvariant()}/{Uri.EscapeDataString(o.Name)}");
                recipe.RequiredVerifiedDomains.Add(o.AppIdUriDomain);
            }
            else recipe.IdentifierUris.Add($"api://{AppRecipe.TenantIdPlaceholder}/{Uri.EscapeDataString(o.Name)}");
            recipe.Scopes.Add(new ExposedScope
            {
                Value = UserImpersonation,
                Type = "User", // "Who can consent: Admins and users"
                AdminConsentDisplayName = $"Access {o.Name}",
                AdminConsentDescription = $"Allow the application to access {o.Name} on behalf of the signed-in user.",
                UserConsentDisplayName = $"Access {o.Name}",
                UserConsentDescription = $"Allow the application to access {o.Name} on your behalf.",
            });
            if (o.EnableUserDiscovery)
            {
                var directoryRead = new PermissionRequest("Directory.Read.All", PermissionType.Application);
                recipe.Permissions.Add(directoryRead);
                recipe.Consent.Add(directoryRead);
            }
            else recipe.Permissions.Add(new PermissionRequest("User.Read", PermissionType.Delegated));
            return recipe;
        }

        public static CmgServerApp ToServerOutput(AppRegistrationResult result, string appIdUri)
        {
            var o = new CmgServerApp
            {
                AppName = result.DisplayName,
                SecretKey = result.ClientSecret,
                SecretKeyExpiry = result.ClientSecret == null ? (DateTime?)null : result.SecretExpires?.UtcDateTime,
                AppIdUri = new Uri(appIdUri),
            };
            o.CopyCommon(result);
            return o;
        }

        /// <summary>The Application ID URI the server recipe sets, resolved for a tenant.</summary>
        public static string ServerAppIdUri(CmgServerOptions o, string tenantId) => o.AppIdUriDomain != null
            ? $"https://{o.AppIdUriDomain.ToLowerInvariant()}/{Uri.EscapeDataString(o.Name)}"
            : $"api://{tenantId}/{Uri.EscapeDataString(o.Name)}";

        public static AppRecipe BuildClient(CmgClientOptions o)
        {
            Require(o.Name);
            if (!Guid.TryParse(o.ServerClientId, out _))
                throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, "-ServerClientId must be the server app's client id (a GUID).");
            var recipe = new AppRecipe("CmgClient", o.Name, o.UniqueName ?? UniqueNames.Derive("cmg-client", o.Name))
            {
                AdoptClientId = o.AdoptClientId,
                SignInAudience = "AzureADMyOrg",
                AllowPublicClientFlows = true,
                EnableIdTokenIssuance = true,
                ManagesConsent = true,
            };
            recipe.PublicClientRedirectUris.Add(BrokerRedirectUri);
            var userRead = new PermissionRequest("User.Read", PermissionType.Delegated);
            var impersonation = new PermissionRequest(UserImpersonation, PermissionType.Delegated, o.ServerClientId.ToLowerInvariant());
            recipe.Permissions.Add(userRead);
            recipe.Permissions.Add(impersonation);
            recipe.Consent.Add(userRead);
            recipe.Consent.Add(impersonation);
            return recipe;
        }

        public static CmgClientApp ToClientOutput(AppRegistrationResult result, string serverClientId)
        {
            var o = new CmgClientApp { AppName = result.DisplayName, ServerClientId = serverClientId };
            o.CopyCommon(result);
            return o;
        }

        internal static void Require(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, "A name is required.");
        }
    }
}
