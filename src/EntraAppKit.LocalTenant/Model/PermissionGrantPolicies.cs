using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// Graph's built-in permission grant policies (learn.microsoft.com/graph/api/resources/permissiongrantpolicy), read-only in
    /// the local tenant: their ids, names and condition sets as permissiongrantpolicy-list and permissiongrantpolicy-get show
    /// them. An authorization policy assigns them to the default user role as "ManagePermissionGrantsForSelf.{id}"
    /// (defaultUserRolePermissions.permissionGrantPoliciesAssigned, learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent).
    /// </summary>
    internal static class PermissionGrantPolicies
    {
        /// <summary>The prefix of an assignment that governs what users consent to for themselves.</summary>
        public const string ForSelf = "ManagePermissionGrantsForSelf.";

        public const string UserDefaultLow = "microsoft-user-default-low";
        public const string UserDefaultLegacy = "microsoft-user-default-legacy";
        public const string CompanyAdmin = "microsoft-company-admin";
        public const string AllApplicationPermissions = "microsoft-all-application-permissions";

        /// <summary>
        /// The delegated Microsoft Graph permissions the local tenant classifies "low" (learn.microsoft.com/entra/identity/enterprise-apps/configure-permission-classifications:
        /// the permissions admins typically classify low impact, "openid, profile, email, offline_access" and "User.Read").
        /// Every local tenant has them classified so, as if its administrator had followed that advice; nothing else is low.
        /// </summary>
        public static readonly IReadOnlyList<string> LowImpactGraphScopes = new[] { "openid", "profile", "email", "offline_access", "User.Read" };

        /// <summary>Every built-in policy of a tenant; the low policy's first condition set names the tenant itself.</summary>
        public static IReadOnlyList<JsonObject> All(string tenantId) => new[]
        {
            // permissiongrantpolicy-list, as Graph answers it.
            Policy(AllApplicationPermissions, "All application permissions, for any client app",
                "Includes all application permissions (app roles), for all APIs, for any client application.",
                Conditions("bddda1ec-0174-44d5-84e2-47fb0ac01595", "all", "application", "all", verifiedOnly: false)),
            Policy(CompanyAdmin, "Company Admin Policy", "Permissions consentable by Company Administrators.",
                Conditions("1f06f3a1-42d3-4243-8fbc-5d0c30d4de4c", "all", "application", "all", verifiedOnly: false),
                Conditions("08619a19-ae6f-406c-b9a0-ea6af1f1558d", "all", "delegated", "all", verifiedOnly: false)),
            // Its display name is Graph's; no Microsoft page shows its description or condition set, so those are the local
            // tenant's: every delegated permission (a user still consents only to permissions of type "User").
            Policy(UserDefaultLegacy, "Default User Legacy Policy", "All delegated permissions are consentable by member type users by default.",
                Conditions("8a0ecfa6-2f5e-4b35-8a12-8c4b34e04f5d", "all", "delegated", "all", verifiedOnly: false)),
            // permissiongrantpolicy-get's example: low-classified delegated permissions for apps registered in this tenant, or
            // for apps of any tenant from a verified publisher.
            Policy(UserDefaultLow, "Default User Low Risk Policy", "All low risk permissions are consentable by member type users by default.",
                Conditions("cb0c20dd-919d-40c5-ba6d-7ffb233b4b0b", "low", "delegated", tenantId, verifiedOnly: false),
                Conditions("8ce99f96-730c-4ebd-8397-07ee65942b97", "low", "delegated", "all", verifiedOnly: true)),
        };

        /// <summary>The built-in policy with this id (case-insensitive, as Graph's keys), or null.</summary>
        public static JsonObject? Find(string id, string tenantId) =>
            All(tenantId).FirstOrDefault(p => string.Equals((string?)p["id"], id, StringComparison.OrdinalIgnoreCase));

        /// <summary>The ids of the policies <paramref name="assigned"/> gives users for their own consent ("ManagePermissionGrantsForSelf.{id}").</summary>
        public static IReadOnlyList<string> ForSelfIds(IEnumerable<string> assigned) =>
            assigned.Where(a => a.StartsWith(ForSelf, StringComparison.OrdinalIgnoreCase)).Select(a => a.Substring(ForSelf.Length)).ToList();

        private static JsonObject Policy(string id, string displayName, string description, params JsonObject[] includes) => new JsonObject
        {
            ["id"] = id,
            ["deletedDateTime"] = null,
            ["displayName"] = displayName,
            ["description"] = description,
            ["includes"] = new JsonArray(includes.Select(i => (JsonNode?)i).ToArray()),
            ["excludes"] = new JsonArray(),
        };

        private static JsonObject Conditions(string id, string classification, string permissionType, string tenants, bool verifiedOnly) => new JsonObject
        {
            ["id"] = id,
            ["permissionClassification"] = classification,
            ["permissionType"] = permissionType,
            ["resourceApplication"] = "any",
            ["permissions"] = new JsonArray("all"),
            ["clientApplicationIds"] = new JsonArray("all"),
            ["clientApplicationTenantIds"] = new JsonArray(tenants),
            ["clientApplicationPublisherIds"] = new JsonArray("all"),
            ["clientApplicationsFromVerifiedPublisherOnly"] = verifiedOnly,
        };
    }
}
