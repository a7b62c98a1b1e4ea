using System;

namespace EntraAppKit.Model.Operations
{
    /// <summary>
    /// One permission an app holds in the tenant (Get-EntraAppConsent): a scope of a delegated grant
    /// (learn.microsoft.com/graph/api/resources/oauth2permissiongrant) or an app role assignment of an application permission
    /// (learn.microsoft.com/graph/api/resources/approleassignment). Pipes into Revoke-EntraAppConsent by property name.
    /// </summary>
    public sealed class EntraAppConsent
    {
        /// <summary>The client app's display name (its service principal's).</summary>
        public string Client { get; set; } = "";

        /// <summary>The client app's application (client) id.</summary>
        public string ClientId { get; set; } = "";

        /// <summary>The API, e.g. "Microsoft Graph".</summary>
        public string Resource { get; set; } = "";

        /// <summary>The API's appId, e.g. 00000003-0000-0000-c000-000000000000 for Microsoft Graph.</summary>
        public string ResourceAppId { get; set; } = "";

        /// <summary>The permission's value, e.g. "User.Read", never its id.</summary>
        public string Permission { get; set; } = "";

        /// <summary>"Delegated" (a scope of an oauth2PermissionGrant) or "Application" (an app role assignment).</summary>
        public string Kind { get; set; } = "";

        /// <summary>
        /// "AllPrincipals" (admin consent for every user) or "Principal" (one user's own consent). An application permission is
        /// always the organization's: AllPrincipals.
        /// </summary>
        public string ConsentType { get; set; } = "";

        /// <summary>The user who consented for themselves (their userPrincipalName), for a Principal grant; null otherwise.</summary>
        public string? Principal { get; set; }

        /// <summary>The user's object id, for a Principal grant; null otherwise.</summary>
        public Guid? PrincipalId { get; set; }

        /// <summary>
        /// When the consent was given, where Graph records it: an app role assignment's createdDateTime. An oauth2PermissionGrant
        /// has no such property in Graph v1.0, so a delegated permission's is null.
        /// </summary>
        public DateTimeOffset? GrantedDateTime { get; set; }

        /// <summary>The id of the oauth2PermissionGrant (delegated) or the appRoleAssignment (application) that holds the permission.</summary>
        public string GrantId { get; set; } = "";

        /// <summary>The connected tenant's id (to group rows gathered from several tenants).</summary>
        public string TenantId { get; set; } = "";
    }
}
