namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>What kind of resource a token is for.</summary>
    internal enum TokenResourceKind
    {
        MicrosoftGraph,
        ResourceManager,

        /// <summary>An API registered in this tenant (an application that exposes scopes or app roles, with a service principal here).</summary>
        TenantApi,
    }
}
