using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>
    /// Everything a local tenant holds, and the only way handlers reach it: the tenant's facts, its directory objects as typed
    /// views over their JSON, and the lookups by id, appId, uniqueName and reference. Not thread-safe: the engine's lock
    /// admits one caller at a time, and the engine saves the store after each successful write.
    /// </summary>
    internal interface ITenantStore
    {
        // ----- The tenant -----

        string TenantId { get; }

        /// <summary>The initial domain's prefix: {Name}.onmicrosoft.com.</summary>
        string Name { get; }

        string DisplayName { get; }

        string CreatedDateTime { get; }

        /// <summary>The default identifier-URI policy (learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions).</summary>
        bool EnforceIdentifierUriPolicy { get; }

        string InitialDomain { get; }

        IReadOnlyList<string> CustomDomains { get; }

        /// <summary>The initial domain, then the custom ones.</summary>
        IReadOnlyList<string> AllDomains { get; }

        void AddCustomDomain(string name);

        string MicrosoftGraphServicePrincipalId { get; }

        /// <summary>The object id of the built-in administrator (admin@{initial domain}).</summary>
        string AdministratorId { get; }

        /// <summary>The managed identity endpoint's shared secret (IDENTITY_HEADER).</summary>
        string IdentityHeader { get; }

        /// <summary>Signs every token the tenant issues.</summary>
        SigningKey SigningKey { get; }

        /// <summary>Whether <see cref="SigningKey"/> exists yet: it is made when first needed.</summary>
        bool HasSigningKey { get; }

        /// <summary>
        /// Whether users without an admin role may register applications: the authorization policy's
        /// defaultUserRolePermissions.allowedToCreateApps (learn.microsoft.com/graph/api/resources/defaultuserrolepermissions), true by default.
        /// </summary>
        bool UsersCanRegisterApplications { get; set; }

        /// <summary>The tenant's authorization policy (learn.microsoft.com/graph/api/resources/authorizationpolicy), as GET answers it.</summary>
        JsonObject AuthorizationPolicy { get; }

        /// <summary>
        /// The tenant's admin consent request policy (learn.microsoft.com/graph/api/resources/adminconsentrequestpolicy), as GET
        /// answers it; PUT replaces it.
        /// </summary>
        JsonObject AdminConsentRequestPolicy { get; set; }

        // ----- Users -----

        IEnumerable<UserEntity> Users { get; }

        UserEntity? FindUser(string id);

        /// <summary>The user with this userPrincipalName (compared without regard to case).</summary>
        UserEntity? FindUserByUserPrincipalName(string userPrincipalName);

        /// <summary>Adds a user with its password's salted hash.</summary>
        void AddUser(UserEntity user, StoredSecret password);

        /// <summary>Re-reads the indexed keys (userPrincipalName) of a user whose JSON changed in place.</summary>
        void Reindex(UserEntity user);

        /// <summary>The salted hash of the user's password.</summary>
        StoredSecret? PasswordOf(string userId);

        void SetPassword(string userId, StoredSecret password);

        /// <summary>Removes the user with its password, its role assignments, its ownerships and the grants made for it alone.</summary>
        void RemoveUser(UserEntity user);

        /// <summary>Password hashes by user id.</summary>
        IEnumerable<KeyValuePair<string, StoredSecret>> Passwords { get; }

        // ----- Directory role assignments -----

        IEnumerable<RoleAssignmentEntity> RoleAssignments { get; }

        RoleAssignmentEntity? FindRoleAssignment(string id);

        /// <summary>The role assignments a user or service principal holds, in creation order.</summary>
        IReadOnlyList<RoleAssignmentEntity> RoleAssignmentsOf(string principalId);

        void AddRoleAssignment(RoleAssignmentEntity assignment);

        void RemoveRoleAssignment(RoleAssignmentEntity assignment);

        // ----- Applications -----

        IEnumerable<ApplicationEntity> Applications { get; }

        IEnumerable<ApplicationEntity> VisibleApplications(DateTimeOffset now);

        bool IsVisible(ApplicationEntity application, DateTimeOffset now);

        ApplicationEntity? FindApplication(string id);

        ApplicationEntity? FindApplicationByAppId(string appId);

        /// <summary>The first application with this appId that replication has made visible at <paramref name="now"/>.</summary>
        ApplicationEntity? FindVisibleApplicationByAppId(string appId, DateTimeOffset now);

        ApplicationEntity? FindApplicationByUniqueName(string uniqueName);

        /// <summary>Every application with this uniqueName (at most one, unless a state file was edited by hand).</summary>
        IReadOnlyList<ApplicationEntity> ApplicationsByUniqueName(string uniqueName);

        /// <summary>An application other than <paramref name="exceptId"/> that already has <paramref name="identifierUri"/>.</summary>
        ApplicationEntity? FindApplicationByIdentifierUri(string identifierUri, string exceptId);

        void AddApplication(ApplicationEntity application, DateTimeOffset visibleAt);

        /// <summary>Copies the properties of <paramref name="updated"/> into the stored application and re-reads its keys.</summary>
        void ReplaceApplication(ApplicationEntity application, JsonObject updated);

        /// <summary>Removes the application with its owners and its client secrets (not its service principal).</summary>
        void RemoveApplication(ApplicationEntity application);

        bool IsOwner(ApplicationEntity application, string principalId);

        void AddOwner(ApplicationEntity application, string principalId);

        /// <summary>The owners (user or service principal ids) of an application or service principal, in the order added.</summary>
        IReadOnlyList<string> OwnersOf(string objectId);

        /// <summary>Adds an owner to an application or service principal; false when it already is one.</summary>
        bool AddOwner(string objectId, string principalId);

        /// <summary>Removes an owner; false when it was not one.</summary>
        bool RemoveOwner(string objectId, string principalId);

        /// <summary>Owners by directory object id (applications and service principals; ids are unique across both).</summary>
        IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Owners { get; }

        // ----- Client secrets: only a salted hash is kept, never the secret text -----

        StoredSecret? FindSecret(string keyId);

        void AddSecret(string keyId, StoredSecret secret);

        void RemoveSecret(string keyId);

        /// <summary>Secrets by keyId.</summary>
        IEnumerable<KeyValuePair<string, StoredSecret>> Secrets { get; }

        // ----- Service principals -----

        IEnumerable<ServicePrincipalEntity> ServicePrincipals { get; }

        IEnumerable<ServicePrincipalEntity> VisibleServicePrincipals(DateTimeOffset now);

        bool IsVisible(ServicePrincipalEntity servicePrincipal, DateTimeOffset now);

        ServicePrincipalEntity? FindServicePrincipal(string id);

        ServicePrincipalEntity? FindServicePrincipalByAppId(string appId);

        ServicePrincipalEntity? FindVisibleServicePrincipalByAppId(string appId, DateTimeOffset now);

        /// <summary>Managed identities in creation order: the first is the system-assigned one.</summary>
        IEnumerable<ServicePrincipalEntity> ManagedIdentities { get; }

        ServicePrincipalEntity MicrosoftGraphServicePrincipal { get; }

        /// <summary>Whether it is a service principal every tenant has (Microsoft Graph's): rebuilt from the catalog, never saved or deleted.</summary>
        bool IsBuiltIn(ServicePrincipalEntity servicePrincipal);

        void AddServicePrincipal(ServicePrincipalEntity servicePrincipal, DateTimeOffset visibleAt);

        /// <summary>Removes the service principal with the grants and app role assignments that name it.</summary>
        void RemoveServicePrincipal(ServicePrincipalEntity servicePrincipal);

        // ----- oauth2PermissionGrants -----

        IEnumerable<GrantEntity> Grants { get; }

        GrantEntity? FindGrant(string id);

        /// <summary>The grants whose client is this service principal, in creation order.</summary>
        IReadOnlyList<GrantEntity> GrantsOfClient(string clientServicePrincipalId);

        void AddGrant(GrantEntity grant);

        void RemoveGrant(GrantEntity grant);

        // ----- App role assignments -----

        IEnumerable<AssignmentEntity> Assignments { get; }

        AssignmentEntity? FindAssignment(string id);

        /// <summary>The assignments this service principal holds (its appRoleAssignments), in creation order.</summary>
        IReadOnlyList<AssignmentEntity> AssignmentsOf(string principalId);

        /// <summary>The assignments of this service principal's roles (its appRoleAssignedTo), in creation order.</summary>
        IReadOnlyList<AssignmentEntity> AssignmentsTo(string resourceId);

        void AddAssignment(AssignmentEntity assignment);

        void RemoveAssignment(AssignmentEntity assignment);
    }
}
