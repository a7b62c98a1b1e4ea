using System;
using System.Linq;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>Input to the WriteBackExtreme OAuth recipe (seed 002; graph-ground-truth §4).</summary>
    public sealed class WriteBackOptions
    {
        public string Name { get; set; } = "WriteBackExtreme";
        public string? UniqueName { get; set; }
        public string? AdoptClientId { get; set; }
        public bool MultiTenant { get; set; }
        public int SecretLifetimeMonths { get; set; } = 12;
        public bool NewSecret { get; set; }
    }

    /// <summary>Input to the Kong Konnect Dev Portal DCR recipe (seed 004; graph-ground-truth §5).</summary>
    public sealed class KonnectDcrOptions
    {
        public string Name { get; set; } = "Konnect DCR";
        public string? UniqueName { get; set; }
        public string? AdoptClientId { get; set; }

        /// <summary>Kong's current guidance: only Application.ReadWrite.OwnedBy and User.Read.</summary>
        public bool LeastPrivilege { get; set; }

        public int SecretLifetimeMonths { get; set; } = 12;
        public bool NewSecret { get; set; }
    }

    public static class WriteBackRecipe
    {
        public static AppRecipe Build(WriteBackOptions o)
        {
            CmgRecipes.Require(o.Name);
            var recipe = new AppRecipe("WriteBack", o.Name, o.UniqueName ?? UniqueNames.Derive("writeback", o.Name))
            {
                AdoptClientId = o.AdoptClientId,
                SignInAudience = o.MultiTenant ? "AzureADMultipleOrgs" : "AzureADMyOrg",
                Secret = new SecretRequest("WriteBackExtreme", o.SecretLifetimeMonths),
                NewSecret = o.NewSecret,
            };
            return recipe;
        }

        public static WriteBackAppRegistration ToOutput(AppRegistrationResult result, bool asPlainText)
        {
            var o = new WriteBackAppRegistration { ClientSecret = SecretText.Present(result.ClientSecret, asPlainText) };
            o.CopyCommon(result);
            if (result.ClientSecret != null && result.SecretExpires.HasValue)
                // WriteBackExtreme "will not notify when this expires" (seed 002).
                o.Warnings = o.Warnings.Concat(new[] { $"WriteBackExtreme does not warn before its client secret expires: renew it before {result.SecretExpires.Value.UtcDateTime:yyyy-MM-dd} (New-WriteBackAppRegistration -NewSecret)." }).ToArray();
            return o;
        }
    }

    public static class KonnectDcrRecipe
    {
        public static readonly string[] SeedApplicationPermissions = { "Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy" };

        public static AppRecipe Build(KonnectDcrOptions o)
        {
            CmgRecipes.Require(o.Name);
            var recipe = new AppRecipe("KonnectDcr", o.Name, o.UniqueName ?? UniqueNames.Derive("konnect-dcr", o.Name))
            {
                AdoptClientId = o.AdoptClientId,
                SignInAudience = "AzureADMyOrg", // "Accounts in this organizational directory only"
                ManagesConsent = true, // -LeastPrivilege revokes what it no longer requests
                Secret = new SecretRequest("Konnect DCR", o.SecretLifetimeMonths),
                NewSecret = o.NewSecret,
            };
            var roles = o.LeastPrivilege ? new[] { "Application.ReadWrite.OwnedBy" } : SeedApplicationPermissions;
            foreach (var role in roles)
            {
                var p = new PermissionRequest(role, PermissionType.Application);
                recipe.Permissions.Add(p);
                recipe.Consent.Add(p);
            }
            var userRead = new PermissionRequest("User.Read", PermissionType.Delegated);
            recipe.Permissions.Add(userRead);
            recipe.Consent.Add(userRead);
            if (!o.LeastPrivilege)
                recipe.Warnings.Add("Application.ReadWrite.All lets Konnect change every application in the tenant. Kong's current guidance needs only Application.ReadWrite.OwnedBy: use -LeastPrivilege.");
            return recipe;
        }

        public static KonnectDcrApp ToOutput(AppRegistrationResult result, bool asPlainText)
        {
            var o = new KonnectDcrApp
            {
                IssuerUrl = "https://sts.windows.net/" + result.TenantId, // Kong: do not include a trailing slash
                InitialClientId = result.ClientId,
                InitialClientSecret = SecretText.Present(result.ClientSecret, asPlainText),
            };
            o.CopyCommon(result);
            return o;
        }
    }
}
