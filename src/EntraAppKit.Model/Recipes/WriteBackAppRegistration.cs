namespace EntraAppKit.Model.Recipes
{
    /// <summary>What the WriteBackExtreme "+ OAuth Configuration" form asks for.</summary>
    public sealed class WriteBackAppRegistration : AppRegistrationOutput
    {
        /// <summary>A SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }

        /// <summary>
        /// The admin consent URL to send a customer's administrator (tenant organizations, Microsoft Graph /.default, the
        /// app's first web redirect URI): null for a single-tenant app, and until the app has a redirect URI (Add-WriteBackRedirectUri). Get-EntraAdminConsentUrl makes one for a given tenant.
        /// </summary>
        public string? AdminConsentUrl { get; set; }
    }
}
