namespace EntraAppKit.Model.Recipes
{
    /// <summary>What Rewst's integration form asks for, plus the common facts.</summary>
    public sealed class RewstAppRegistration : AppRegistrationOutput
    {
        /// <summary>Rewst's "Client Secret": a SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }

        /// <summary>Rewst's "Auth Subject": <c>tenant_id</c> (single tenant: Rewst then needs <see cref="AppRegistrationOutput.TenantId"/> in its Tenant ID field) or <c>common</c> (multitenant).</summary>
        public string AuthSubject { get; set; } = "";

        /// <summary>The redirect URI the app registration carries for Rewst.</summary>
        public string RedirectUri { get; set; } = "";

        /// <summary>
        /// The admin consent URL to send a customer's administrator (tenant organizations, Microsoft Graph /.default, the
        /// redirect URI the app carries for the vendor): null for a single-tenant app. Get-EntraAdminConsentUrl makes one for a given tenant.
        /// </summary>
        public string? AdminConsentUrl { get; set; }
    }
}
