using System;

namespace EntraAppKit.Model.Authentication
{
    /// <summary>What Test-EntraAppCredential found.</summary>
    public sealed class AppCredentialTestResult
    {
        public string ClientId { get; set; } = "";
        public string TenantId { get; set; } = "";

        /// <summary>"ClientSecret" or "Certificate".</summary>
        public string CredentialType { get; set; } = "";

        /// <summary>True when Entra issued a token for Microsoft Graph with this credential.</summary>
        public bool Success { get; set; }

        /// <summary>The application permissions in the token (its roles claim): what the app can really do.</summary>
        public string[] Roles { get; set; } = Array.Empty<string>();

        public DateTimeOffset? TokenExpiresOn { get; set; }

        /// <summary>When the tested secret expires, if known (piped from a recipe's output).</summary>
        public DateTimeOffset? SecretExpires { get; set; }

        /// <summary>Entra's answer when it refused (AADSTS code and text); never contains the secret.</summary>
        public string? Error { get; set; }

        /// <summary>The object piped in (a recipe's output), so the secret it carries stays reachable.</summary>
        public object? App { get; set; }
    }
}
