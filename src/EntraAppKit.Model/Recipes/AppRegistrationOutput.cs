using System;

namespace EntraAppKit.Model.Recipes
{
    /// <summary>The facts every recipe cmdlet returns, besides the values its vendor's console asks for.</summary>
    public abstract class AppRegistrationOutput
    {
        public string DisplayName { get; set; } = "";

        /// <summary>The application (client) id; our cmdlets bind to it by property name.</summary>
        public string ClientId { get; set; } = "";

        public string ObjectId { get; set; } = "";
        public string? ServicePrincipalId { get; set; }
        public string TenantId { get; set; } = "";

        /// <summary>The tenant's initial domain (contoso.onmicrosoft.com).</summary>
        public string TenantName { get; set; } = "";

        public string UniqueName { get; set; } = "";

        /// <summary>When the secret added by this run expires; else the latest existing secret's expiry.</summary>
        public DateTimeOffset? SecretExpires { get; set; }

        /// <summary>What this run changed (empty when the tenant already matched).</summary>
        public string[] Changes { get; set; } = Array.Empty<string>();

        /// <summary>What the user should know; the cmdlet also writes each one to the warning stream.</summary>
        public string[] Warnings { get; set; } = Array.Empty<string>();
    }
}
