using System;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// An app role assignment as Graph stores it (learn.microsoft.com/graph/api/resources/approleassignment): an application
    /// permission granted to a service principal (by POST …/appRoleAssignedTo and by an administrator's consent for the
    /// organization), or a user assigned to an app.
    /// </summary>
    internal static class AppRoleAssignmentFactory
    {
        public static AssignmentEntity ForServicePrincipal(ServicePrincipalEntity principal, ServicePrincipalEntity resource, string appRoleId, DateTimeOffset now) =>
            New(principal.Id, principal.Json["displayName"], "ServicePrincipal", resource, appRoleId, now);

        public static AssignmentEntity ForUser(UserEntity user, ServicePrincipalEntity resource, string appRoleId, DateTimeOffset now) =>
            New(user.Id, user.Json["displayName"], "User", resource, appRoleId, now);

        private static AssignmentEntity New(string principalId, JsonNode? principalName, string principalType, ServicePrincipalEntity resource, string appRoleId, DateTimeOffset now) =>
            new AssignmentEntity(new JsonObject
            {
                ["id"] = OpaqueId.New(),
                ["deletedDateTime"] = null,
                ["appRoleId"] = appRoleId.ToLowerInvariant(),
                ["createdDateTime"] = GraphTimestamp.Precise(now),
                ["principalDisplayName"] = principalName?.DeepClone(),
                ["principalId"] = principalId,
                ["principalType"] = principalType,
                ["resourceDisplayName"] = resource.Json["displayName"]?.DeepClone(),
                ["resourceId"] = resource.Id,
            });
    }
}
