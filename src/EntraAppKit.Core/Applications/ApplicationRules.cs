using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Tenants;

namespace EntraAppKit.Core.Applications
{
    /// <summary>
    /// The rules Graph applies to an application's values, checked before the first write so a refused value never leaves a
    /// half-built app (a create that succeeded and a follow-up PATCH that failed). Values with <c>{appId}</c> are checked with a
    /// stand-in id: Graph assigns the real one on create. Sources: redirect URIs learn.microsoft.com/entra/identity-platform/reply-url,
    /// Application ID URIs learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions, audience limits
    /// learn.microsoft.com/entra/identity-platform/supported-accounts-validation, scopes learn.microsoft.com/graph/resources/permissionscope.
    /// </summary>
    internal static class ApplicationRules
    {
        /// <summary>Stands in for the appId Graph assigns on create (a GUID, as the real one is).</summary>
        internal const string StandInAppId = "00000000-0000-4000-8000-000000000000";

        private static readonly char[] ForbiddenInRedirectUris = { '!', '$', '\'', '(', ')', ',', ';' };

        public static bool IsPersonalAudience(string audience) =>
            audience == "AzureADandPersonalMicrosoftAccount" || audience == "PersonalMicrosoftAccount";

        /// <summary>Checks every value <paramref name="recipe"/> writes to the application; the first refused one fails, named.</summary>
        public static void Check(AppRecipe recipe, TenantFacts tenant)
        {
            bool personal = IsPersonalAudience(recipe.SignInAudience);
            if (recipe.DisplayName.Length > (personal ? 90 : 120))
                throw Refused($"The name '{recipe.DisplayName}' is {recipe.DisplayName.Length} characters long; Entra allows {(personal ? 90 : 120)}{(personal ? " with personal accounts in the audience" : "")}.");

            string Resolve(string? value) => value == null ? null! : value.Replace(AppRecipe.TenantIdPlaceholder, tenant.TenantId).Replace(AppRecipe.AppIdPlaceholder, StandInAppId);
            int redirects = 0;
            foreach (var (platform, uris) in new[] { ("web", recipe.WebRedirectUris), ("SPA", recipe.SpaRedirectUris), ("public client", recipe.PublicClientRedirectUris) })
                foreach (var uri in uris)
                {
                    CheckRedirectUri(uri, Resolve(uri), platform, personal);
                    redirects++;
                }
            if (redirects > (personal ? 100 : 256))
                throw Refused($"The app would have {redirects} redirect URIs; Entra allows {(personal ? 100 : 256)} for this audience.");

            if (personal && recipe.IdentifierUris.Count > 50) throw Refused($"The app would have {recipe.IdentifierUris.Count} Application ID URIs; Entra allows 50 with personal accounts.");
            foreach (var uri in recipe.IdentifierUris) CheckIdentifierUri(uri, Resolve(uri), tenant, personal);

            CheckValues("scope", recipe.Scopes.Select(s => s.Value));
            CheckValues("app role", recipe.AppRoles.Select(r => r.Value));
            if (personal && recipe.AppRoles.Count > 0)
                throw Refused($"App roles ({string.Join(", ", recipe.AppRoles.Select(r => r.Value))}) are not supported when the audience includes personal Microsoft accounts.");
        }

        /// <summary>A redirect URI as Graph checks it; <paramref name="given"/> is what the user wrote (named in the error), <paramref name="resolved"/> with placeholders replaced.</summary>
        public static void CheckRedirectUri(string? given, string? resolved, string platform, bool personal)
        {
            if (string.IsNullOrWhiteSpace(given) || string.IsNullOrWhiteSpace(resolved)) throw Refused($"A {platform} redirect URI is empty.");
            string uri = resolved!;
            if (uri.Length > 256) throw Refused($"'{given}' is not a valid {platform} redirect URI: Entra allows at most 256 characters.");
            if (uri.IndexOfAny(ForbiddenInRedirectUris) >= 0)
                throw Refused($"'{given}' is not a valid {platform} redirect URI: Entra does not allow the characters ! $ ' ( ) , ; in redirect URIs.");
            if (!Uri.TryCreate(uri.Replace("*", "x"), UriKind.Absolute, out var parsed))
                throw Refused($"'{given}' is not a valid {platform} redirect URI: it is not an absolute URI.");
            if (platform != "public client" && parsed.Scheme != "https" && !(parsed.Scheme == "http" && parsed.IsLoopback))
                throw Refused($"'{given}' is not a valid {platform} redirect URI: Entra requires https (http only for localhost).");
            if (personal && (uri.Contains("*") || parsed.Query.Length > 0))
                throw Refused($"'{given}' is not a valid {platform} redirect URI: wildcards and query strings are allowed only when the audience excludes personal accounts.");
        }

        /// <summary>An Application ID URI as Graph checks it: length, an absolute URI, https only on a verified domain (when the tenant's domains are known).</summary>
        public static void CheckIdentifierUri(string? given, string? resolved, TenantFacts tenant, bool personal)
        {
            if (string.IsNullOrWhiteSpace(given) || string.IsNullOrWhiteSpace(resolved)) throw Refused("An Application ID URI is empty.");
            string uri = resolved!;
            int max = personal ? 120 : 255;
            if (uri.Length > max) throw Refused($"'{given}' is not a valid Application ID URI: Entra allows at most {max} characters for this audience.");
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed)) throw Refused($"'{given}' is not a valid Application ID URI: it is not an absolute URI.");
            if (parsed.Scheme == "https" && tenant.VerifiedDomains.Count > 0 &&
                !tenant.VerifiedDomains.Any(d => string.Equals(parsed.Host, d, StringComparison.OrdinalIgnoreCase) || parsed.Host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase)))
                throw Refused($"'{given}' is not a valid Application ID URI: an https one must be on a verified domain of the tenant or its subdomain ({string.Join(", ", tenant.VerifiedDomains)}).");
        }

        /// <summary>Scope and app role values: at most 120 characters, no spaces, not starting with a dot, each once.</summary>
        private static void CheckValues(string what, IEnumerable<string> values)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                if (value.Length > 120 || value.Any(char.IsWhiteSpace) || value.StartsWith(".", StringComparison.Ordinal))
                    throw Refused($"'{value}' is not a valid {what} value: at most 120 characters, no spaces, and not starting with a dot.");
                if (!seen.Add(value)) throw Refused($"The {what} '{value}' is given twice.");
            }
        }

        private static EntraAppKitException Refused(string message) => EntraAppKitException.InvalidInput(message);
    }
}
