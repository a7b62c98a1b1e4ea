using System;

namespace EntraAppKit.Model.Recipes
{
    /// <summary>The general recipe's output: the common facts and the secret, or the certificate given instead.</summary>
    public sealed class EntraAppRegistrationResult : AppRegistrationOutput
    {
        /// <summary>The thumbprint of the certificate given with -CertificatePath or -Certificate; null without one.</summary>
        public string? CertificateThumbprint { get; set; }

        /// <summary>When that certificate expires; null without one.</summary>
        public DateTimeOffset? CertificateExpires { get; set; }

        /// <summary>A SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }

        public string SignInAudience { get; set; } = "";
    }
}
