namespace EntraAppKit.Model.Recipes
{
    /// <summary>The values Konnect's Dev Portal "Application Setup" asks for.</summary>
    public sealed class KonnectDcrApp : AppRegistrationOutput
    {
        /// <summary>"Issuer URL": https://sts.windows.net/{tenantId}, with no trailing slash.</summary>
        public string IssuerUrl { get; set; } = "";

        /// <summary>"Consumer claims".</summary>
        public string ConsumerClaim { get; set; } = "";

        /// <summary>"Initial Client ID".</summary>
        public string InitialClientId { get; set; } = "";

        /// <summary>"Initial Client Secret": a SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }

        /// <summary>Kong's name for <see cref="ClientSecret"/>.</summary>
        public object? InitialClientSecret => ClientSecret;
    }
}
