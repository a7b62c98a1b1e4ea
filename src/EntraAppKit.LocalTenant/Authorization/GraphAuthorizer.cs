using System.Linq;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Authorization
{
    /// <summary>
    /// Graph authorises each request from the token: app-only callers by their roles, delegated callers by their scp (the
    /// built-in administrator is a Global Administrator, so its role never narrows its scopes). The router asks it for each
    /// route's <see cref="PermissionRequirement"/>; handlers ask it for the rules that depend on the object.
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
        /// Changing an application: Application.ReadWrite.All, or Application.ReadWrite.OwnedBy on an application the caller owns
        /// ("allows the calling app to … update and delete applications and service principals it owns").
        /// </summary>
        public void DemandApplicationWrite(Caller caller, ApplicationEntity application)
        {
            if (caller.Has(GraphPermissions.ApplicationReadWriteAll)) return;
            if (caller.Has(GraphPermissions.ApplicationReadWriteOwnedBy) && Owns(caller, application)) return;
            throw Denied();
        }

        /// <summary>Changing a service principal: the same rule, applied to its backing application (none: ReadWrite.All only).</summary>
        public void DemandServicePrincipalWrite(Caller caller, ServicePrincipalEntity servicePrincipal)
        {
            if (caller.Has(GraphPermissions.ApplicationReadWriteAll)) return;
            var application = _store.FindApplicationByAppId(servicePrincipal.AppId);
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
