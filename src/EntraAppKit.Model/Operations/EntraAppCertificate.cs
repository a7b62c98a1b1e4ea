using System;

namespace EntraAppKit.Model.Operations
{
    /// <summary>
    /// A certificate New-EntraAppCertificate added to an app: which, how, and the files written. It carries no private key; the
    /// PFX file does. Pipes into Test-EntraAppCredential (ClientId, TenantId, PfxPath as -CertificatePath).
    /// </summary>
    public sealed class EntraAppCertificate
    {
        public string ClientId { get; set; } = "";
        public string DisplayName { get; set; } = "";

        /// <summary>The keyCredential's id on the app (removeKey and Remove-EntraAppCredential take it).</summary>
        public string KeyId { get; set; } = "";

        public string Thumbprint { get; set; } = "";
        public string Subject { get; set; } = "";
        public DateTimeOffset StartDateTime { get; set; }
        public DateTimeOffset EndDateTime { get; set; }
        public int KeySize { get; set; }

        /// <summary>How it was added: AddKey (proof of possession), Patch (the whole keyCredentials, every key kept), None (the app had it).</summary>
        public string Method { get; set; } = "";

        /// <summary>The PFX written (certificate and private key), full path; null when none was.</summary>
        public string? PfxPath { get; set; }

        /// <summary>The DER .cer written (public certificate only); null when none was.</summary>
        public string? CerPath { get; set; }

        /// <summary>The PEM written (public certificate only); null when none was.</summary>
        public string? PemPath { get; set; }

        public string TenantId { get; set; } = "";

        /// <summary>What the command changed.</summary>
        public string[] Changes { get; set; } = Array.Empty<string>();
    }
}
