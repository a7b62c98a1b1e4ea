using System.Linq;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Authorization
{
    /// <summary>
    /// Graph authorises each request from the token: app-only callers by their roles, delegated callers by their scp and,
    /// acting as their user, by the user's directory roles (wids): a member without an administrator role changes only what it
    /// owns and gives no tenant-wide consent. The router asks it for each route's <see cref="PermissionRequirement"/>;
    /// handlers ask it for the rules that depend on the object or on the user's roles.
    /// </summary>
    internal sealed class GraphAuthorizer
    {
        private readonly ITenantStore _store;

        public GraphAuthorizer(ITenantStore store) { _store = store; }

        /// <summary>Graph's 403 for a token without the permission (learn.microsoft.com/graph/errors).</summary>
        public static GraphException Denied(string message = "Insufficient privileges to complete the operation.") =>
            new GraphException(403, "Authorization_RequestDenied", message);

        public static bool Satisfies(Caller caller, PermissionRequirement requirement) =>
            !(requirement.AppOnlyRefusal != null && caller.IsAppOnly) &&
            (requirement.IsEachBatchItem || caller.HasAny(requirement.AnyOf) || (!caller.IsAppOnly && requirement.DelegatedAnyOf.Any(caller.Has)));

        public void Demand(Caller caller, PermissionRequirement requirement)
        {
            // Graph answers an app-only token on /me with this 400 before it looks at the token's roles.
            if (requirement.AppOnlyRefusal != null && caller.IsAppOnly) throw new GraphException(400, "BadRequest", requirement.AppOnlyRefusal);
            if (!Satisfies(caller, requirement)) throw Denied();
        }

        public bool Owns(Caller caller, ApplicationEntity application) => _store.IsOwner(application, caller.ObjectId);

        /// <summary>Whether Application.ReadWrite.OwnedBy is all the caller has to write applications with.</summary>
        public bool IsLimitedToOwnedApplications(Caller caller) => !caller.Has(GraphPermissions.ApplicationReadWriteAll);

        /// <summary>
        /// Whether a signed-in user manages every application, not only those it owns: Global Administrator, Application
        /// Administrator or Cloud Application Administrator ("Can create and manage all aspects of app registrations and
        /// enterprise apps", learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). A delegated
        /// token acts only as its user: "effective permissions are the intersection" of its scopes and the user's rights
        /// (learn.microsoft.com/graph/permissions-overview).
        /// </summary>
        public static bool ManagesAllApplications(Caller caller) =>
            caller.IsAppOnly || caller.IsBuiltInAdmin ||
            caller.HoldsAnyRole(DirectoryRoles.GlobalAdministrator, DirectoryRoles.ApplicationAdministrator, DirectoryRoles.CloudApplicationAdministrator);

        /// <summary>
        /// Registering an application as a signed-in user: any member may while the tenant lets users register applications
        /// (authorizationPolicy defaultUserRolePermissions.allowedToCreateApps); otherwise only Application Developer ("Can
        /// create application registrations independent of the 'Users can register applications' setting") and the
        /// administrators of applications (permissions-reference). App-only callers need only their role.
        /// </summary>
        public void DemandApplicationCreate(Caller caller)
        {
            if (caller.IsAppOnly || _store.UsersCanRegisterApplications || ManagesAllApplications(caller)) return;
            if (caller.HoldsAnyRole(DirectoryRoles.ApplicationDeveloper)) return;
            throw Denied();
        }

        /// <summary>
        /// Changing an application: Application.ReadWrite.All, or Application.ReadWrite.OwnedBy on an application the caller owns
        /// ("allows the calling app to … update and delete applications and service principals it owns"). A signed-in user
        /// without an application administrator role changes only what it owns, whatever its token's scopes.
        /// </summary>
        public void DemandApplicationWrite(Caller caller, ApplicationEntity application)
        {
            if (caller.Has(GraphPermissions.ApplicationReadWriteAll) && (ManagesAllApplications(caller) || Owns(caller, application))) return;
            if (caller.Has(GraphPermissions.ApplicationReadWriteOwnedBy) && Owns(caller, application)) return;
            throw Denied();
        }

        /// <summary>Changing a service principal: the same rule, applied to its backing application (none: ReadWrite.All only).</summary>
        public void DemandServicePrincipalWrite(Caller caller, ServicePrincipalEntity servicePrincipal)
        {
            var application = _store.FindApplicationByAppId(servicePrincipal.AppId);
            if (caller.Has(GraphPermissions.ApplicationReadWriteAll) &&
                (ManagesAllApplications(caller) || _store.OwnersOf(servicePrincipal.Id).Any(o => Entity.SameKey(o, caller.ObjectId)) ||
                 (application != null && Owns(caller, application)))) return;
            if (caller.Has(GraphPermissions.ApplicationReadWriteOwnedBy) && application != null && Owns(caller, application)) return;
            throw Denied();
        }

        /// <summary>
        /// Whether an app-only caller is <paramref name="item"/> itself: its own service principal, or the application that
        /// service principal stands for. addKey and removeKey need no permission then: "An application does not need any
        /// specific permission to roll its own keys" (learn.microsoft.com/graph/api/application-addkey, application-removekey).
        /// </summary>
        public bool IsItself(Caller caller, object? item)
        {
            if (!caller.IsAppOnly) return false;
            switch (item)
            {
                case ServicePrincipalEntity sp: return sp.Id == caller.ObjectId;
                case ApplicationEntity app:
                    var own = _store.FindServicePrincipal(caller.ObjectId);
                    return own != null && own.AppId == app.AppId;
                default: return false;
            }
        }

        /// <summary>
        /// Tenant-wide consent by a signed-in user: only the roles <see cref="DirectoryRoles.MayConsentForOrganization"/> names
        /// (grant-admin-consent). <paramref name="graphAppRole"/> is true for an application permission of Microsoft Graph.
        /// App-only callers need only their role.
        /// </summary>
        public void DemandTenantWideConsent(Caller caller, bool graphAppRole)
        {
            if (caller.IsAppOnly || caller.IsBuiltInAdmin) return;
            if (DirectoryRoles.MayConsentForOrganization(caller.DirectoryRoles, graphAppRole)) return;
            throw Denied();
        }

        /// <summary>
        /// Writing a grant for one user (consentType Principal) as a signed-in user: oauth2permissiongrant-post and -update name
        /// the roles "supported for this operation": Application Administrator, Application Developer, Cloud Application
        /// Administrator, Directory Writers, Privileged Role Administrator, User Administrator (Global Administrator holds every
        /// permission). A member without one of them creates no grant through Graph.
        /// </summary>
        public void DemandPrincipalGrantWrite(Caller caller)
        {
            if (caller.IsAppOnly || caller.IsBuiltInAdmin) return;
            if (caller.HoldsAnyRole(DirectoryRoles.GlobalAdministrator, DirectoryRoles.ApplicationAdministrator, DirectoryRoles.ApplicationDeveloper,
                DirectoryRoles.CloudApplicationAdministrator, DirectoryRoles.PrivilegedRoleAdministrator, DirectoryRoles.UserAdministrator)) return;
            throw Denied();
        }

        /// <summary>
        /// Assigning (or removing) an app role of <paramref name="resource"/> as a signed-in user. Microsoft Graph's app roles are
        /// tenant-wide consent (<see cref="DemandTenantWideConsent"/>: Global or Privileged Role Administrator,
        /// "the least privileged role supported for Microsoft Graph ... app roles"); another API's also by a User, Application or
        /// Cloud Application Administrator, or by a member who owns the resource application: "The roles listed above are not
        /// required when the signed-in user is a native member of the tenant (member user) and is an owner of the resource
        /// application" (serviceprincipal-post-approleassignedto).
        /// </summary>
        public void DemandAppRoleAssignment(Caller caller, ServicePrincipalEntity resource)
        {
            if (caller.IsAppOnly || caller.IsBuiltInAdmin) return;
            bool graph = _store.IsBuiltIn(resource);
            if (graph) { DemandTenantWideConsent(caller, graphAppRole: true); return; }
            if (caller.HoldsAnyRole(DirectoryRoles.GlobalAdministrator, DirectoryRoles.PrivilegedRoleAdministrator, DirectoryRoles.UserAdministrator,
                DirectoryRoles.ApplicationAdministrator, DirectoryRoles.CloudApplicationAdministrator)) return;
            var application = _store.FindApplicationByAppId(resource.AppId);
            if (_store.OwnersOf(resource.Id).Any(o => Entity.SameKey(o, caller.ObjectId)) || (application != null && Owns(caller, application))) return;
            throw Denied();
        }

        /// <summary>
        /// Assigning directory roles, or changing the authorization policy, as a signed-in user: Global Administrator or
        /// Privileged Role Administrator ("Can manage role assignments in Microsoft Entra ID", permissions-reference;
        /// rbacapplication-post-roleassignments; authorizationpolicy-update: "the user needs to have the Privileged Role
        /// Administrator Microsoft Entra role").
        /// </summary>
        public void DemandRoleManagement(Caller caller)
        {
            if (caller.IsAppOnly || caller.IsBuiltInAdmin) return;
            if (caller.HoldsAnyRole(DirectoryRoles.GlobalAdministrator, DirectoryRoles.PrivilegedRoleAdministrator)) return;
            throw Denied();
        }

        /// <summary>
        /// Changing the admin consent request policy as a signed-in user (learn.microsoft.com/graph/api/adminconsentrequestpolicy-update:
        /// "Cloud Application Administrator", "Application Administrator"), or a Global Administrator.
        /// </summary>
        public void DemandApplicationAdministration(Caller caller)
        {
            if (caller.IsAppOnly || caller.IsBuiltInAdmin) return;
            if (caller.HoldsAnyRole(DirectoryRoles.GlobalAdministrator, DirectoryRoles.ApplicationAdministrator, DirectoryRoles.CloudApplicationAdministrator)) return;
            throw Denied();
        }

        /// <summary>
        /// Creating, changing or deleting users as a signed-in user: Global Administrator or User Administrator ("Can manage all
        /// aspects of users", permissions-reference); a member without them reads users but changes none.
        /// </summary>
        public void DemandUserManagement(Caller caller)
        {
            if (caller.IsAppOnly || caller.IsBuiltInAdmin) return;
            if (caller.HoldsAnyRole(DirectoryRoles.GlobalAdministrator, DirectoryRoles.UserAdministrator)) return;
            throw Denied();
        }

        /// <summary>Microsoft Graph's own service principal cannot be deleted, whoever asks.</summary>
        public void DemandDeletable(ServicePrincipalEntity servicePrincipal)
        {
            if (_store.IsBuiltIn(servicePrincipal)) throw Denied();
        }

        /// <summary>
        /// Whether the caller reads the whole organization: "Applications granted the User.Read permission are able to read only
        /// the id, displayName, and verifiedDomains properties" (learn.microsoft.com/graph/api/organization-list).
        /// </summary>
        public bool ReadsWholeOrganization(Caller caller) => caller.HasAny(GraphPermissions.ReadOrganization);
    }
}
