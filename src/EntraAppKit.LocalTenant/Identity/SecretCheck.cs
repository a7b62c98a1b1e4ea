namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>How a presented client secret compares with an application's credentials.</summary>
    internal enum SecretCheck
    {
        Valid,

        /// <summary>It matches only credentials whose endDateTime has passed.</summary>
        Expired,

        Invalid,
    }
}
