namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>What the {tenant} segment of an identity endpoint names.</summary>
    internal enum TenantPath
    {
        /// <summary>This tenant, by id or by one of its domains.</summary>
        Tenant,

        /// <summary>"organizations": any work or school tenant.</summary>
        Organizations,

        /// <summary>"common": any tenant or a personal account.</summary>
        Common,
    }
}
