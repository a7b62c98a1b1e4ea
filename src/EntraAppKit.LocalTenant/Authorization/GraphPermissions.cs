using System.Linq;
namespace EntraAppKit.LocalTenant.Authorization
{
    /// <summary>
    /// The Microsoft Graph permissions the local tenant's routes demand. Each list is the "Permissions" table of the API's
    /// reference page, least privileged first (learn.microsoft.com/graph/permissions-reference); holding any one is enough.
    /// </summary>
    internal static class GraphPermissions
    {
        public const string ApplicationReadWriteAll = "Application.ReadWrite.All";

        /// <summary>"Allows the calling app to … update and delete applications and service principals it owns."</summary>
        public const string ApplicationReadWriteOwnedBy = "Application.ReadWrite.OwnedBy";

        public const string UserRead = "User.Read";

        public const string DirectoryReadWriteAll = "Directory.ReadWrite.All";

        /// <summary>
        /// GET /applications, /servicePrincipals and their items (learn.microsoft.com/graph/api/application-list,
        /// /graph/api/serviceprincipal-list); every write permission also reads.
        /// </summary>
        public static readonly string[] ReadApplications =
            { "Application.Read.All", ApplicationReadWriteOwnedBy, ApplicationReadWriteAll, "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>
        /// Creating and changing applications and service principals (learn.microsoft.com/graph/api/application-post-applications,
        /// /graph/api/serviceprincipal-post-serviceprincipals); OwnedBy only on what the caller owns.
        /// </summary>
        public static readonly string[] WriteApplications = { ApplicationReadWriteOwnedBy, ApplicationReadWriteAll };

        /// <summary>
        /// POST/DELETE appRoleAssignedTo (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto):
        /// "AppRoleAssignment.ReadWrite.All and Application.Read.All" (the read half is <see cref="ReadApplications"/>).
        /// </summary>
        public static readonly string[] WriteAssignments = { "AppRoleAssignment.ReadWrite.All" };

        /// <summary>GET oauth2PermissionGrants (learn.microsoft.com/graph/api/oauth2permissiongrant-list, /graph/api/oauth2permissiongrant-get).</summary>
        public static readonly string[] ReadGrants =
            { "DelegatedPermissionGrant.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>POST/PATCH/DELETE oauth2PermissionGrants (learn.microsoft.com/graph/api/oauth2permissiongrant-post).</summary>
        public static readonly string[] WriteGrants = { "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All" };

        /// <summary>
        /// GET /organization (learn.microsoft.com/graph/api/organization-list); delegated User.Read also reads it, limited to
        /// id, displayName and verifiedDomains.
        /// </summary>
        public static readonly string[] ReadOrganization = { "Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>GET /domains (learn.microsoft.com/graph/api/domain-list).</summary>
        public static readonly string[] ReadDomains = { "Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };
    
        /// <summary>
        /// GET /me (learn.microsoft.com/graph/api/user-get): delegated only, User.Read least privileged; "Application: Not
        /// supported" for /me, which Graph answers with a 400 whatever the app's roles.
        /// </summary>
        public static readonly string[] ReadMe =
            { UserRead, "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>Graph's 400 to an app-only token on /me (its BadRequest as clients report it, e.g. microsoftgraph/msgraph-sdk-php#1163).</summary>
        public const string MeNeedsDelegated = "/me request is only valid with delegated authentication flow.";
    
        /// <summary>
        /// POST …/owners/$ref and DELETE …/owners/{id}/$ref (learn.microsoft.com/graph/api/application-post-owners,
        /// /graph/api/application-delete-owners, /graph/api/serviceprincipal-post-owners): Application.ReadWrite.OwnedBy (on what
        /// the caller owns), Application.ReadWrite.All, Directory.ReadWrite.All. Listing owners is <see cref="ReadApplications"/>.
        /// </summary>
        public static readonly string[] WriteOwners = { ApplicationReadWriteOwnedBy, ApplicationReadWriteAll, DirectoryReadWriteAll };

        /// <summary>
        /// GET /users and /users/{id | userPrincipalName} (learn.microsoft.com/graph/api/user-list, /graph/api/user-get):
        /// User.ReadBasic.All least privileged (delegated), User.Read.All (application), and every broader one.
        /// </summary>
        public static readonly string[] ReadUsers =
            { "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>
        /// POST /users, PATCH and DELETE /users/{id} (learn.microsoft.com/graph/api/user-post-users, /graph/api/user-update,
        /// /graph/api/user-delete): User.ReadWrite.All, Directory.ReadWrite.All.
        /// </summary>
        public static readonly string[] WriteUsers = { "User.ReadWrite.All", DirectoryReadWriteAll };

        /// <summary>
        /// GET role assignments and definitions (learn.microsoft.com/graph/api/rbacapplication-list-roleassignments,
        /// /graph/api/unifiedroleassignment-get, /graph/api/rbacapplication-list-roledefinitions).
        /// </summary>
        public static readonly string[] ReadDirectoryRoles =
            { "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>
        /// POST and DELETE role assignments (learn.microsoft.com/graph/api/rbacapplication-post-roleassignments,
        /// /graph/api/unifiedroleassignment-delete): RoleManagement.ReadWrite.Directory only.
        /// </summary>
        public static readonly string[] WriteDirectoryRoles = { "RoleManagement.ReadWrite.Directory" };

        /// <summary>GET /policies/authorizationPolicy (learn.microsoft.com/graph/api/authorizationpolicy-get).</summary>
        public static readonly string[] ReadAuthorizationPolicy = { "Policy.Read.All", "Policy.ReadWrite.Authorization" };

        /// <summary>PATCH /policies/authorizationPolicy (learn.microsoft.com/graph/api/authorizationpolicy-update).</summary>
        public static readonly string[] WriteAuthorizationPolicy = { "Policy.ReadWrite.Authorization" };

        /// <summary>
        /// GET /policies/adminConsentRequestPolicy (learn.microsoft.com/graph/api/adminconsentrequestpolicy-get): Policy.Read.All,
        /// Policy.ReadWrite.ConsentRequest. Microsoft's permission catalog also lists Directory.Read.All and Directory.ReadWrite.All
        /// for the path; the local tenant keeps to the page, as it does for the authorization policy, so that no Directory.*
        /// permission opens /policies.
        /// </summary>
        public static readonly string[] ReadConsentRequestPolicy = { "Policy.Read.All", "Policy.ReadWrite.ConsentRequest" };

        /// <summary>PUT /policies/adminConsentRequestPolicy (learn.microsoft.com/graph/api/adminconsentrequestpolicy-update; its least privileged permission).</summary>
        public static readonly string[] WriteConsentRequestPolicy = { "Policy.ReadWrite.ConsentRequest" };

        /// <summary>
        /// GET /policies/permissionGrantPolicies and /{id} (learn.microsoft.com/graph/api/permissiongrantpolicy-list,
        /// permissiongrantpolicy-get): Policy.Read.PermissionGrant, or Policy.ReadWrite.PermissionGrant.
        /// </summary>
        public static readonly string[] ReadPermissionGrantPolicies = { "Policy.Read.PermissionGrant", "Policy.ReadWrite.PermissionGrant" };

        /// <summary>Writes to permission grant policies (permissiongrantpolicy-post-permissiongrantpolicies, -update, -delete).</summary>
        public static readonly string[] WritePermissionGrantPolicies = { "Policy.ReadWrite.PermissionGrant" };

        /// <summary>The gate of /policies for reads: any permission that reads one of its policies.</summary>
        public static readonly string[] ReadAnyPolicy = ReadAuthorizationPolicy.Concat(ReadConsentRequestPolicy).Concat(ReadPermissionGrantPolicies).Distinct().ToArray();

        /// <summary>The gate of /policies for writes: any permission that writes one of its policies.</summary>
        public static readonly string[] WriteAnyPolicy = WriteAuthorizationPolicy.Concat(WriteConsentRequestPolicy).Concat(WritePermissionGrantPolicies).Distinct().ToArray();
    }
}
