using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>Input to the Rewst "owned app registration" recipe (seed 000; graph-ground-truth §2).</summary>
    public sealed class RewstOptions
    {
        public string Name { get; set; } = "Rewst Integration";

        /// <summary>Overrides the derived uniqueName.</summary>
        public string? UniqueName { get; set; }

        /// <summary>Adopt an existing app registration by its client id.</summary>
        public string? AdoptClientId { get; set; }

        /// <summary>Accessible from multiple tenants; Rewst's Auth Subject is then <c>common</c>.</summary>
        public bool MultiTenant { get; set; }

        /// <summary>Microsoft Graph delegated permissions Rewst's actions need, besides User.Read (always required).</summary>
        public IList<string> DelegatedPermissions { get; } = new List<string>();

        /// <summary>Grant tenant-wide admin consent now instead of at Rewst's Authorize step.</summary>
        public bool PreConsent { get; set; }

        public int SecretLifetimeMonths { get; set; } = 12;

        public bool NewSecret { get; set; }
    }

    /// <summary>The Rewst recipe: web redirect to Rewst's callback, ID tokens on, Graph User.Read, a client secret.</summary>
    public static class RewstRecipe
    {
        /// <summary>The redirect URI the seed gives (graph-ground-truth §2).</summary>
        public const string RedirectUri = "https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback";

        public static AppRecipe Build(RewstOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.Name)) throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument, "A name is required.");
            var recipe = new AppRecipe("Rewst", options.Name, options.UniqueName ?? UniqueNames.Derive("rewst", options.Name))
            {
                AdoptClientId = options.AdoptClientId,
                SignInAudience = options.MultiTenant ? "AzureADMultipleOrgs" : "AzureADMyOrg",
                EnableIdTokenIssuance = true, // AADSTS700054 otherwise (Rewst troubleshooting)
                Secret = new SecretRequest("Rewst", options.SecretLifetimeMonths),
                NewSecret = options.NewSecret,
            };
            recipe.WebRedirectUris.Add(RedirectUri);
            // User.Read "will always be required, even for Owned App Registrations".
            foreach (var name in new[] { "User.Read" }.Concat(options.DelegatedPermissions).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var permission = new PermissionRequest(name, PermissionType.Delegated);
                recipe.Permissions.Add(permission);
                if (options.PreConsent) recipe.Consent.Add(permission);
            }
            return recipe;
        }

        public static RewstAppRegistration ToOutput(AppRegistrationResult result, bool asPlainText) => new RewstAppRegistration
        {
            ClientSecret = SecretText.Present(result.ClientSecret, asPlainText),
            AuthSubject = result.SignInAudience == "AzureADMyOrg" ? result.TenantId : "common",
            RedirectUri = RedirectUri,
        }.CopyCommon(result);
    }

    /// <summary>Derives stable uniqueNames from a recipe and the app's name.</summary>
    public static class UniqueNames
    {
        public static string Derive(string recipe, string name)
        {
            var slug = new string(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
            while (slug.Contains("--")) slug = slug.Replace("--", "-");
            return $"entraappkit-{recipe}-{slug.Trim('-')}";
        }
    }

    /// <summary>Secrets leave the core as SecureString; plain text only when the user asks.</summary>
    public static class SecretText
    {
        /// <summary>A read-only SecureString of <paramref name="text"/>; null for null.</summary>
        public static System.Security.SecureString? ToSecureString(string? text)
        {
            if (text == null) return null;
            var secure = new System.Security.SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        public static object? Present(SecureString? secret, bool asPlainText)
        {
            if (secret == null || !asPlainText) return secret;
            var ptr = System.Runtime.InteropServices.Marshal.SecureStringToGlobalAllocUnicode(secret);
            try { return System.Runtime.InteropServices.Marshal.PtrToStringUni(ptr); }
            finally { System.Runtime.InteropServices.Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
        }
    }
}
