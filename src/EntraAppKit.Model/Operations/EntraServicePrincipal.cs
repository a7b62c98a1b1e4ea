using System;

namespace EntraAppKit.Model.Operations
{
    /// <summary>
    /// A service principal (an enterprise application) of the connected tenant, as Get-EntraServicePrincipal and the other
    /// service principal cmdlets return it (learn.microsoft.com/graph/api/resources/serviceprincipal); pipes into our other
    /// cmdlets by ClientId.
    /// </summary>
    public sealed class EntraServicePrincipal
    {
        public string DisplayName { get; set; } = "";

        /// <summary>The application (client) id: the service principal's appId.</summary>
        public string ClientId { get; set; } = "";

        /// <summary>The service principal's object id (not the application's).</summary>
        public string ObjectId { get; set; } = "";

        /// <summary>Whether users and the app itself can sign in (false: disabled for this tenant).</summary>
        public bool AccountEnabled { get; set; }

        /// <summary>Whether only users and groups assigned to the app can sign in to it.</summary>
        public bool AppRoleAssignmentRequired { get; set; }

        public string[] Tags { get; set; } = Array.Empty<string>();

        /// <summary>Hidden from users' My Apps and the Microsoft 365 launcher: the tag HideApp.</summary>
        public bool HiddenFromMyApps { get; set; }

        /// <summary>The tag WindowsAzureActiveDirectoryIntegratedApp, which Entra's portal gives the apps it registers.</summary>
        public bool IsIntegratedApp { get; set; }

        /// <summary>The tenant the application is registered in (appOwnerOrganizationId).</summary>
        public string? HomeTenantId { get; set; }

        /// <summary>Whether the application is registered in another tenant (HomeTenantId differs from TenantId), Microsoft's included.</summary>
        public bool IsForeign { get; set; }

        /// <summary>Whether an application with this client id is registered in the connected tenant.</summary>
        public bool HasAppRegistration { get; set; }

        /// <summary>Application, ManagedIdentity, Legacy or SocialIdp.</summary>
        public string? ServicePrincipalType { get; set; }

        public string? SignInAudience { get; set; }

        /// <summary>The connected tenant, which the service principal belongs to (so results of several tenants can be grouped).</summary>
        public string TenantId { get; set; } = "";

        /// <summary>The connected tenant's initial domain.</summary>
        public string TenantName { get; set; } = "";

        /// <summary>What the command that returned this object changed.</summary>
        public string[] Changes { get; set; } = Array.Empty<string>();
    }
}
