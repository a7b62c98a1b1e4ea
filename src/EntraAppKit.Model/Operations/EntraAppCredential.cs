using System;

namespace EntraAppKit.Model.Operations
{
    /// <summary>
    /// One credential of an application or a service principal (Get-EntraAppCredential): a client secret
    /// (learn.microsoft.com/graph/api/resources/passwordcredential) or a certificate
    /// (learn.microsoft.com/graph/api/resources/keycredential), with how long it has left. Flat, so rows suit Export-Csv and
    /// Group-Object; pipes into the app cmdlets by ClientId.
    /// </summary>
    public sealed class EntraAppCredential
    {
        /// <summary>The display name of the application or service principal that holds the credential.</summary>
        public string AppName { get; set; } = "";

        /// <summary>The application (client) id.</summary>
        public string ClientId { get; set; } = "";

        /// <summary>"Application" (the app registration's credential) or "ServicePrincipal" (the service principal's own).</summary>
        public string ObjectType { get; set; } = "";

        /// <summary>The object id of the application or service principal.</summary>
        public string ObjectId { get; set; } = "";

        /// <summary>"Secret" (a passwordCredential) or "Certificate" (a keyCredential).</summary>
        public string Kind { get; set; } = "";

        /// <summary>The credential's keyId (what removePassword and removeKey take).</summary>
        public Guid? KeyId { get; set; }

        /// <summary>The credential's display name (a certificate's is usually its subject).</summary>
        public string? DisplayName { get; set; }

        /// <summary>A secret's first three characters, as Graph keeps them; null for a certificate.</summary>
        public string? Hint { get; set; }

        public DateTimeOffset? StartDateTime { get; set; }

        public DateTimeOffset? EndDateTime { get; set; }

        /// <summary>Whole days until EndDateTime (rounded down), negative once expired; null when the credential has no end.</summary>
        public int? DaysLeft { get; set; }

        /// <summary>"Valid", "ExpiringSoon" (ends within 30 days, or within -ExpiringWithinDays) or "Expired".</summary>
        public string Status { get; set; } = "";

        /// <summary>A certificate's customKeyIdentifier as hex: its SHA-1 thumbprint when a Graph client set it from the certificate.</summary>
        public string? Thumbprint { get; set; }

        /// <summary>A certificate's subject ("CN=…"), where its display name is one; null otherwise.</summary>
        public string? Subject { get; set; }

        /// <summary>The connected tenant's id (to group rows gathered from several tenants).</summary>
        public string TenantId { get; set; } = "";
    }
}
