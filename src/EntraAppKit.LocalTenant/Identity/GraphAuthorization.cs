using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant
{
    // Graph authorises each request from the token: app-only callers by their roles, delegated callers by their scp (the
    // built-in administrator is a Global Administrator, so its role never narrows its scopes). Each list below is the
    // permissions table of the API's reference page, least privileged first (graph-ground-truth §0.1–§0.9, §9).
    public sealed partial class LocalTenantEngine
    {
        /// <summary>GET /applications, /servicePrincipals and their items (application-list, serviceprincipal-list).</summary>
        private static readonly string[] ReadApplications =
            { "Application.Read.All", "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>Creating applications and service principals (§0.3, §0.7); OwnedBy also changes what the caller owns.</summary>
        private static readonly string[] WriteApplications = { "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All" };

        /// <summary>POST/DELETE appRoleAssignedTo (§0.8): "AppRoleAssignment.ReadWrite.All and Application.Read.All" (the read half is <see cref="ReadApplications"/>).</summary>
        private static readonly string[] WriteAssignments = { "AppRoleAssignment.ReadWrite.All" };

        /// <summary>GET oauth2PermissionGrants (oauth2permissiongrant-list/get).</summary>
        private static readonly string[] ReadGrants =
            { "DelegatedPermissionGrant.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>POST/PATCH/DELETE oauth2PermissionGrants (§0.9).</summary>
        private static readonly string[] WriteGrants = { "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All" };

        /// <summary>GET /organization (§0.1); delegated User.Read also reads it, limited to id, displayName and verifiedDomains.</summary>
        private static readonly string[] ReadOrganization = { "Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        /// <summary>GET /domains (domain-list).</summary>
        private static readonly string[] ReadDomains = { "Domain.Read.All", "Domain.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All" };

        private static Caller CallerOf(GraphRequest request) =>
            request.Caller ?? throw new InvalidOperationException("The request reached a handler without being authenticated.");

        /// <summary>Graph's 403 for a token without the permission (§7).</summary>
        private static GraphException Denied(string message = "Insufficient privileges to complete the operation.") =>
            new GraphException(403, "Authorization_RequestDenied", message);

        private static void Demand(GraphRequest request, string[] anyOf)
        {
            if (!CallerOf(request).HasAny(anyOf)) throw Denied();
        }

        private bool Owns(Caller caller, JsonObject app) =>
            _state.Owners.TryGetValue((string)app["id"]!, out var owners) && owners.Contains(caller.ObjectId, StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Changing an application: Application.ReadWrite.All, or Application.ReadWrite.OwnedBy on an application the caller owns
        /// ("allows the calling app to … update and delete applications and service principals it owns").
        /// </summary>
        private void DemandApplicationWrite(GraphRequest request, JsonObject app)
        {
            var caller = CallerOf(request);
            if (caller.Has("Application.ReadWrite.All")) return;
            if (caller.Has("Application.ReadWrite.OwnedBy") && Owns(caller, app)) return;
            throw Denied();
        }

        /// <summary>Changing a service principal: the same rule, applied to its backing application (none: ReadWrite.All only).</summary>
        private void DemandServicePrincipalWrite(GraphRequest request, JsonObject sp)
        {
            var caller = CallerOf(request);
            if (caller.Has("Application.ReadWrite.All")) return;
            var app = _state.Applications.All.FirstOrDefault(a => Eq(a["appId"], (string)sp["appId"]!));
            if (caller.Has("Application.ReadWrite.OwnedBy") && app != null && Owns(caller, app)) return;
            throw Denied();
        }

        /// <summary>The creator of an application becomes its owner: the service principal for an app, the user for a delegated call.</summary>
        private void AddOwner(JsonObject app, Caller caller)
        {
            string id = (string)app["id"]!;
            if (!_state.Owners.TryGetValue(id, out var owners)) _state.Owners[id] = owners = new List<string>();
            if (!owners.Contains(caller.ObjectId, StringComparer.OrdinalIgnoreCase)) owners.Add(caller.ObjectId);
        }
    }
}
