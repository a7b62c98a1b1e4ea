using System;
using System.Collections.Generic;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>Input to the general recipe, for any vendor's instructions (seed 003).</summary>
    public sealed class GeneralAppOptions
    {
        public string Name { get; set; } = "";
        public string? UniqueName { get; set; }
        public string? AdoptClientId { get; set; }
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
        public bool? AllowPublicClientFlows { get; set; }
        public bool EnableIdTokenIssuance { get; set; }

        /// <summary>Grant tenant-wide admin consent for every requested permission.</summary>
        public bool GrantAdminConsent { get; set; }

        /// <summary>Null: no client secret.</summary>
        public int? SecretLifetimeMonths { get; set; } = 12;

        public bool NewSecret { get; set; }
    }

    public static class GeneralRecipe
    {
        public static AppRecipe Build(GeneralAppOptions o)
        {
            CmgRecipes.Require(o.Name);
            var recipe = new AppRecipe("EntraApp", o.Name, o.UniqueName ?? UniqueNames.Derive("app", o.Name))
            {
                AdoptClientId = o.AdoptClientId,
                SignInAudience = o.SignInAudience,
                AllowPublicClientFlows = o.AllowPublicClientFlows,
                EnableIdTokenIssuance = o.EnableIdTokenIssuance,
                Secret = o.SecretLifetimeMonths.HasValue ? new SecretRequest(o.Name, o.SecretLifetimeMonths.Value) : null,
                NewSecret = o.NewSecret,
            };
            Copy(o.WebRedirectUris, recipe.WebRedirectUris);
            Copy(o.SpaRedirectUris, recipe.SpaRedirectUris);
            Copy(o.PublicClientRedirectUris, recipe.PublicClientRedirectUris);
            Copy(o.IdentifierUris, recipe.IdentifierUris);
            foreach (var s in o.Scopes)
            {
                if (string.IsNullOrWhiteSpace(s.Value)) throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, "Every scope needs a Value.");
                recipe.Scopes.Add(new ExposedScope
                {
                    Value = s.Value,
                    Type = string.IsNullOrEmpty(s.Type) ? "User" : s.Type,
                    AdminConsentDisplayName = Or(s.AdminConsentDisplayName, $"Access {o.Name}"),
                    AdminConsentDescription = Or(s.AdminConsentDescription, $"Allow the application to access {o.Name} on behalf of the signed-in user."),
                    UserConsentDisplayName = s.UserConsentDisplayName ?? $"Access {o.Name}",
                    UserConsentDescription = s.UserConsentDescription ?? $"Allow the application to access {o.Name} on your behalf.",
                });
            }
            foreach (var r in o.AppRoles)
            {
                if (string.IsNullOrWhiteSpace(r.Value)) throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, "Every app role needs a Value.");
                recipe.AppRoles.Add(new AppRoleDefinition
                {
                    Value = r.Value, DisplayName = Or(r.DisplayName, r.Value), Description = Or(r.Description, r.Value),
                    AllowedMemberTypes = r.AllowedMemberTypes.Length > 0 ? r.AllowedMemberTypes : new[] { "User", "Application" },
                });
            }
            foreach (var (names, type) in new[] { (o.DelegatedPermissions, PermissionType.Delegated), (o.ApplicationPermissions, PermissionType.Application) })
                foreach (var name in names)
                {
                    var p = PermissionRequest.Parse(name, type);
                    recipe.Permissions.Add(p);
                    if (o.GrantAdminConsent) recipe.Consent.Add(p);
                }
            return recipe;
        }

        public static EntraAppRegistrationResult ToOutput(AppRegistrationResult result, bool asPlainText)
        {
            var o = new EntraAppRegistrationResult { ClientSecret = SecretText.Present(result.ClientSecret, asPlainText), SignInAudience = result.SignInAudience };
            o.CopyCommon(result);
            return o;
        }

        private static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value!;

        private static void Copy(IEnumerable<string> from, IList<string> to)
        {
            foreach (var v in from) to.Add(v);
        }
    }
}
