namespace EntraAppKit.Core
{
    /// <summary>Who is connected, to which tenant, how (Get-EntraAppKitContext).</summary>
    public sealed class EntraAppKitContext
    {
        public string TenantId { get; set; } = "";
        public string TenantName { get; set; } = "";
        public string TenantDisplayName { get; set; } = "";
        public string AuthenticationMethod { get; set; } = "";
        public string GraphEndpoint { get; set; } = "";

        /// <summary>The local tenant's state file, when connected to a persisted local tenant.</summary>
        public string? LocalTenantPath { get; set; }

        public static EntraAppKitContext From(EntraAppKitConnection connection) => new EntraAppKitContext
        {
            TenantId = connection.Tenant.TenantId,
            TenantName = connection.Tenant.InitialDomain,
            TenantDisplayName = connection.Tenant.DisplayName,
            AuthenticationMethod = connection.AuthenticationMethod,
            GraphEndpoint = connection.Session.GraphEndpoint,
            LocalTenantPath = connection.Session.LocalTenant?.Path,
        };
    }
}
