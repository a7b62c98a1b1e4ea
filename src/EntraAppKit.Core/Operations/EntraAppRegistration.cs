using System;
using System.Linq;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>An existing app registration as Get-EntraAppRegistration returns it; pipes into our other cmdlets by ClientId.</summary>
    public sealed class EntraAppRegistration
    {
        public string DisplayName { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string ObjectId { get; set; } = "";
        public string? UniqueName { get; set; }
        public string SignInAudience { get; set; } = "";
        public string TenantId { get; set; } = "";
        public string TenantName { get; set; } = "";
        public string[] WebRedirectUris { get; set; } = Array.Empty<string>();
        public string[] SpaRedirectUris { get; set; } = Array.Empty<string>();
        public string[] PublicClientRedirectUris { get; set; } = Array.Empty<string>();
        public string[] IdentifierUris { get; set; } = Array.Empty<string>();

        /// <summary>How many client secrets the app has.</summary>
        public int SecretCount { get; set; }

        /// <summary>When the next client secret expires (the soonest of those still valid), so expiry never goes unnoticed.</summary>
        public DateTimeOffset? NextSecretExpiry { get; set; }

        public DateTimeOffset? CreatedDateTime { get; set; }

        /// <summary>What the command that returned this object changed.</summary>
        public string[] Changes { get; set; } = Array.Empty<string>();

        internal static EntraAppRegistration From(Application app, Recipes.TenantFacts tenant, string[]? changes = null)
        {
            var now = DateTimeOffset.UtcNow;
            var secrets = app.PasswordCredentials ?? new System.Collections.Generic.List<PasswordCredential>();
            return new EntraAppRegistration
            {
                DisplayName = app.DisplayName ?? "",
                ClientId = app.AppId ?? "",
                ObjectId = app.Id ?? "",
                UniqueName = app.UniqueName,
                SignInAudience = app.SignInAudience ?? "",
                TenantId = tenant.TenantId,
                TenantName = tenant.InitialDomain,
                WebRedirectUris = app.Web?.RedirectUris?.ToArray() ?? Array.Empty<string>(),
                SpaRedirectUris = app.Spa?.RedirectUris?.ToArray() ?? Array.Empty<string>(),
                PublicClientRedirectUris = app.PublicClient?.RedirectUris?.ToArray() ?? Array.Empty<string>(),
                IdentifierUris = app.IdentifierUris?.ToArray() ?? Array.Empty<string>(),
                SecretCount = secrets.Count,
                NextSecretExpiry = secrets.Where(p => p.EndDateTime > now).Select(p => p.EndDateTime).OrderBy(d => d).FirstOrDefault(),
                CreatedDateTime = app.CreatedDateTime,
                Changes = changes ?? Array.Empty<string>(),
            };
        }
    }

    /// <summary>One permission Grant-AdminConsent handled.</summary>
    public sealed class AdminConsentResult
    {
        public string ClientId { get; set; } = "";
        public string AppName { get; set; } = "";

        /// <summary>The API, e.g. "Microsoft Graph".</summary>
        public string Resource { get; set; } = "";

        public string Permission { get; set; } = "";

        /// <summary>"Delegated" or "Application".</summary>
        public string Type { get; set; } = "";

        /// <summary>"Granted" by this run, or "AlreadyGranted".</summary>
        public string Status { get; set; } = "";
    }
}
