using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// What applying a recipe produced: the common facts every recipe cmdlet returns. Each vendor shapes it into an object
    /// named the way the vendor's console names the values (<see cref="IVendorRecipe{TOutput}.Shape"/>).
    /// </summary>
    public sealed class AppRegistrationResult
    {
        public string DisplayName { get; internal set; } = "";
        public string ClientId { get; internal set; } = "";
        public string ObjectId { get; internal set; } = "";
        public string? ServicePrincipalId { get; internal set; }
        public string TenantId { get; internal set; } = "";
        public string TenantName { get; internal set; } = "";
        public string UniqueName { get; internal set; } = "";
        public string SignInAudience { get; internal set; } = "";

        /// <summary>The recipe's Application ID URIs, placeholders resolved.</summary>
        public IReadOnlyList<string> IdentifierUris { get; internal set; } = Array.Empty<string>();

        /// <summary>The ids of the scopes the application exposes, by value (user_impersonation → its id).</summary>
        public IReadOnlyDictionary<string, Guid> ScopeIds { get; internal set; } = new Dictionary<string, Guid>();

        /// <summary>The application's web redirect URIs as the run left them (the recipe's, and others' it kept).</summary>
        public IReadOnlyList<string> WebRedirectUris { get; internal set; } = Array.Empty<string>();

        /// <summary>The cloud the connection signs in to: where the app's admin consent URL points.</summary>
        public CloudEnvironment Cloud { get; internal set; } = CloudEnvironment.Global;

        /// <summary>
        /// The URL a customer's administrator opens to consent to a multitenant app (<see cref="AdminConsentUrl"/>, tenant
        /// organizations, the cloud's Microsoft Graph /.default) with <paramref name="redirectUri"/>; null for an app of one tenant,
        /// which no other tenant can consent to, and when there is no redirect URI for the answer to go to.
        /// </summary>
        public string? MultiTenantAdminConsentUrl(string? redirectUri) =>
            SignInAudience == "AzureADMyOrg" || string.IsNullOrWhiteSpace(redirectUri) ? null : AdminConsentUrl.Build(Cloud, ClientId, redirectUri!);

        /// <summary>The new client secret, or null when the run added none (Graph shows a secret's value once).</summary>
        public SecureString? ClientSecret { get; internal set; }

        /// <summary>Expiry of the secret added by this run, or else of the latest existing secret.</summary>
        public DateTimeOffset? SecretExpires { get; internal set; }

        /// <summary>The SHA-1 thumbprint of the recipe's certificate, which the app holds; null when the recipe has none.</summary>
        public string? CertificateThumbprint { get; internal set; }

        /// <summary>When the recipe's certificate expires; null when the recipe has none.</summary>
        public DateTimeOffset? CertificateExpires { get; internal set; }

        public IReadOnlyList<string> Changes { get; internal set; } = Array.Empty<string>();

        /// <summary>Things the caller should know (e.g. an existing secret cannot be read back).</summary>
        public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();

        /// <summary>Copies the common facts into a vendor's output object.</summary>
        public T CopyTo<T>(T output) where T : AppRegistrationOutput
        {
            output.DisplayName = DisplayName;
            output.ClientId = ClientId;
            output.ObjectId = ObjectId;
            output.ServicePrincipalId = ServicePrincipalId;
            output.TenantId = TenantId;
            output.TenantName = TenantName;
            output.UniqueName = UniqueName;
            output.SecretExpires = SecretExpires;
            output.Changes = Changes.ToArray();
            output.Warnings = Warnings.ToArray();
            return output;
        }
    }
}
