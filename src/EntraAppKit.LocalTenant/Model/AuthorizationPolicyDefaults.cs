using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// A new tenant's authorization policy (learn.microsoft.com/graph/api/resources/authorizationpolicy), as
    /// authorizationpolicy-get's example shows it; authorizationpolicy-update gives the defaults it states ("everyone is the
    /// default setting" of allowInvitesFrom, allowUserConsentForRiskyApps "Default value is false").
    /// </summary>
    internal static class AuthorizationPolicyDefaults
    {
        public const string Id = "authorizationPolicy";

        /// <summary>The Guest User role (authorizationpolicy-update, guestUserRoleId): guests' default, limited access.</summary>
        public const string GuestUserRoleId = "10dae51f-b6af-4016-8d66-8c2a99b929b3";

        public static JsonObject New(bool allowedToCreateApps) => new JsonObject
        {
            ["id"] = Id,
            ["allowInvitesFrom"] = "everyone",
            ["allowedToSignUpEmailBasedSubscriptions"] = true,
            ["allowedToUseSSPR"] = true,
            ["allowEmailVerifiedUsersToJoinOrganization"] = true,
            ["allowUserConsentForRiskyApps"] = false,
            ["blockMsolPowerShell"] = null,
            ["description"] = "Used to manage authorization related settings across the company.",
            ["displayName"] = "Authorization Policy",
            ["guestUserRoleId"] = GuestUserRoleId,
            ["defaultUserRolePermissions"] = new JsonObject
            {
                ["allowedToCreateApps"] = allowedToCreateApps,
                ["allowedToCreateSecurityGroups"] = true,
                ["allowedToCreateTenants"] = true,
                ["allowedToReadBitlockerKeysForOwnedDevice"] = true,
                ["allowedToReadOtherUsers"] = true,
                // Users may consent to low-risk permissions for themselves: the default user consent policy.
                ["permissionGrantPoliciesAssigned"] = new JsonArray("ManagePermissionGrantsForSelf.microsoft-user-default-legacy"),
            },
        };
    }
}
