using System;

namespace EntraAppKit.Model.Operations
{
    /// <summary>
    /// A client secret New-EntraAppSecret or Update-EntraAppSecret added. Its value (<see cref="ClientSecret"/>) is a SecureString
    /// unless -AsPlainText; Graph never shows it again. Pipes into Test-EntraAppCredential (ClientId, TenantId, ClientSecret) and
    /// Remove-EntraAppCredential (ClientId, KeyId).
    /// </summary>
    public sealed class EntraAppSecret
    {
        public string ClientId { get; set; } = "";

        /// <summary>The display name of the app the secret belongs to.</summary>
        public string AppDisplayName { get; set; } = "";

        /// <summary>The secret's key id: what Remove-EntraAppCredential takes.</summary>
        public Guid KeyId { get; set; }

        /// <summary>The secret's description: who added it and when ("EntraAppKit by admin@contoso.com 2026-11-29"), or -DisplayName.</summary>
        public string DisplayName { get; set; } = "";

        /// <summary>The first characters of the secret, as the portal shows them.</summary>
        public string? Hint { get; set; }

        public DateTimeOffset? StartDateTime { get; set; }

        /// <summary>When the secret expires.</summary>
        public DateTimeOffset? EndDateTime { get; set; }

        public string TenantId { get; set; } = "";

        /// <summary>The secret: a SecureString, or its text with -AsPlainText.</summary>
        public object? ClientSecret { get; set; }

        /// <summary>
        /// Update-EntraAppSecret: the key ids of the secrets the app had before, all still valid; the overlap ends when you remove
        /// them (Remove-EntraAppCredential) once everything that used them has the new secret. Empty from New-EntraAppSecret.
        /// </summary>
        public Guid[] PreviousKeyIds { get; set; } = Array.Empty<Guid>();

        /// <summary>Update-EntraAppSecret: whether a client-credentials sign-in with the new secret succeeded; null when not tried.</summary>
        public bool? SignInVerified { get; set; }

        /// <summary>What the command changed.</summary>
        public string[] Changes { get; set; } = Array.Empty<string>();
    }
}
