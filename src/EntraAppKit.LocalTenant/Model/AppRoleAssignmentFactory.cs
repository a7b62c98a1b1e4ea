using System;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// An application permission granted to a service principal, as Graph stores it (learn.microsoft.com/graph/api/resources/approleassignment):
    /// by POST …/appRoleAssignedTo and by an administrator's consent for the organization.
    /// </summary>
    internal static class AppRoleAssignmentFactory
    {
        public static AssignmentEntity ForServicePrincipal(ServicePrincipalEntity principal, ServicePrincipalEntity resource, string appRoleId, DateTimeOffset now) =>
            new AssignmentEntity(new JsonObject
            {
                ["id"] = OpaqueId.New(),
                ["deletedDateTime"] = null,
                ["appRoleId"] = appRoleId.ToLowerInvariant(),
                ["createdDateTime"] = GraphTimestamp.Precise(now),
                ["principalDisplayName"] = principal.Json["displayName"]?.DeepClone(),
                ["principalId"] = principal.Id,
                ["principalType"] = "ServicePrincipal",
                ["resourceDisplayName"] = resource.Json["displayName"]?.DeepClone(),
                ["resourceId"] = resource.Id,
            });
    }
}
