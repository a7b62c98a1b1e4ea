namespace EntraAppKit.Model.Operations
{
    /// <summary>One permission Grant-AdminConsent handled.</summary>
    public sealed class AdminConsentResult
    {
        public string ClientId { get; set; } = "";
        public string AppName { get; set; } = "";

        /// <summary>The tenant the consent was granted in.</summary>
        public string TenantId { get; set; } = "";

        /// <summary>The API, e.g. "Microsoft Graph".</summary>
        public string Resource { get; set; } = "";

        public string Permission { get; set; } = "";

        /// <summary>"Delegated" or "Application".</summary>
        public string Type { get; set; } = "";

        /// <summary>"Granted" by this run, or "AlreadyGranted".</summary>
        public string Status { get; set; } = "";

        /// <summary>The object piped in (a recipe's output), so a secret made upstream stays reachable from these rows.</summary>
        public object? App { get; set; }
    }
}
