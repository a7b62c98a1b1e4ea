namespace EntraAppKit.Core.Operations
{
    /// <summary>Which service principals Get-EntraServicePrincipal returns by the tenant their application is registered in.</summary>
    public enum ServicePrincipalOwner
    {
        /// <summary>Every one.</summary>
        Any,

        /// <summary>Apps registered in the connected tenant (appOwnerOrganizationId is its id).</summary>
        Home,

        /// <summary>Apps registered in another tenant, Microsoft's first-party apps included.</summary>
        Foreign,
    }
}
