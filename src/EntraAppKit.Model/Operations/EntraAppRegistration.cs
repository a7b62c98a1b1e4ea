using System;

namespace EntraAppKit.Model.Operations
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

        /// <summary>
        /// The new client secret of the recipe output piped in (Add-WriteBackRedirectUri passes it on); null otherwise, since Graph
        /// never returns a secret.
        /// </summary>
        public object? ClientSecret { get; set; }

        /// <summary>How many client secrets the app has.</summary>
        public int SecretCount { get; set; }

        /// <summary>When the next client secret expires (the soonest of those still valid), so expiry never goes unnoticed.</summary>
        public DateTimeOffset? NextSecretExpiry { get; set; }

        public DateTimeOffset? CreatedDateTime { get; set; }

        /// <summary>The object id of the app's service principal (enterprise application) in this tenant; null when it has none.</summary>
        public string? ServicePrincipalId { get; set; }

        /// <summary>Whether the app's service principal lets users and the app sign in (its accountEnabled); null when it has none.</summary>
        public bool? ServicePrincipalEnabled { get; set; }

        /// <summary>What the command that returned this object changed.</summary>
        public string[] Changes { get; set; } = Array.Empty<string>();
    }
}
