using System.Collections.Generic;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>
    /// The general recipe, for any vendor's instructions: audience, redirect URIs per platform, Application ID URIs, exposed
    /// scopes, app roles, permissions by friendly name, public client flows, ID tokens, an optional secret and admin consent.
    /// </summary>
    public sealed class General : IVendorRecipe<EntraAppRegistrationResult>
    {
        public string SignInAudience { get; set; } = "AzureADMyOrg";
        public IList<string> WebRedirectUris { get; } = new List<string>();
        public IList<string> SpaRedirectUris { get; } = new List<string>();
        public IList<string> PublicClientRedirectUris { get; } = new List<string>();
        public IList<string> IdentifierUris { get; } = new List<string>();
        public IList<ExposedScope> Scopes { get; } = new List<ExposedScope>();
        public IList<AppRoleDefinition> AppRoles { get; } = new List<AppRoleDefinition>();

        /// <summary>"Resource/Permission" or a bare Microsoft Graph permission name.</summary>
        public IList<string> DelegatedPermissions { get; } = new List<string>();

        public IList<string> ApplicationPermissions { get; } = new List<string>();

        /// <summary>"Allow public client flows"; null leaves it as it is.</summary>
        public bool? AllowPublicClientFlows { get; set; }

        public bool EnableIdTokenIssuance { get; set; }

        /// <summary>Grant tenant-wide admin consent for every requested permission.</summary>
        public bool GrantAdminConsent { get; set; }

        public AppRecipe Build(RecipeInput input)
        {
            var recipe = input.NewRecipe("EntraApp", "app", input.Name);
            recipe.SignInAudience = SignInAudience;
            recipe.AllowPublicClientFlows = AllowPublicClientFlows;
            recipe.EnableIdTokenIssuance = EnableIdTokenIssuance;
            foreach (var uri in WebRedirectUris) recipe.WebRedirectUris.Add(uri);
            foreach (var uri in SpaRedirectUris) recipe.SpaRedirectUris.Add(uri);
            foreach (var uri in PublicClientRedirectUris) recipe.PublicClientRedirectUris.Add(uri);
            foreach (var uri in IdentifierUris) recipe.IdentifierUris.Add(uri);
            foreach (var s in Scopes)
            {
                if (s == null || string.IsNullOrWhiteSpace(s.Value)) throw EntraAppKitException.InvalidInput("Every scope needs a Value.");
                recipe.Scopes.Add(new ExposedScope
                {
                    Value = s.Value,
                    Type = string.IsNullOrEmpty(s.Type) ? "User" : s.Type,
                    AdminConsentDisplayName = Or(s.AdminConsentDisplayName, $"Access {input.Name}"),
                    AdminConsentDescription = Or(s.AdminConsentDescription, $"Allow the application to access {input.Name} on behalf of the signed-in user."),
                    UserConsentDisplayName = s.UserConsentDisplayName ?? $"Access {input.Name}",
                    UserConsentDescription = s.UserConsentDescription ?? $"Allow the application to access {input.Name} on your behalf.",
                });
            }
            foreach (var r in AppRoles)
            {
                if (r == null || string.IsNullOrWhiteSpace(r.Value)) throw EntraAppKitException.InvalidInput("Every app role needs a Value.");
                recipe.AppRoles.Add(new AppRoleDefinition
                {
                    Value = r.Value, DisplayName = Or(r.DisplayName, r.Value), Description = Or(r.Description, r.Value),
                    AllowedMemberTypes = r.AllowedMemberTypes.Length > 0 ? r.AllowedMemberTypes : new[] { "User", "Application" },
                });
            }
            foreach (var (names, type) in new[] { (DelegatedPermissions, PermissionType.Delegated), (ApplicationPermissions, PermissionType.Application) })
                foreach (var name in names)
                {
                    var p = PermissionRequest.Parse(name, type);
                    recipe.Permissions.Add(p);
                    if (GrantAdminConsent) recipe.Consent.Add(p);
                }
            return recipe;
        }

        public EntraAppRegistrationResult Shape(AppRegistrationResult result, RecipeInput input) => result.CopyTo(new EntraAppRegistrationResult
        {
            ClientSecret = SecretText.Present(result.ClientSecret, input.AsPlainText),
            SignInAudience = result.SignInAudience,
            CertificateThumbprint = result.CertificateThumbprint,
            CertificateExpires = result.CertificateExpires,
        });

        private static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value!;
    }
}
