using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// Microsoft Graph's permissions with their real GUIDs and text (Data/microsoft-graph-permissions.json, generated from
    /// Microsoft's catalog by tools/generate-graph-catalog.mjs). Seeds the Microsoft Graph service principal of every new tenant.
    /// </summary>
    public static class PermissionCatalog
    {
        /// <summary>Microsoft Graph's appId (learn.microsoft.com/graph/permissions-grant-via-msgraph).</summary>
        public const string MicrosoftGraphAppId = "00000003-0000-0000-c000-000000000000";

        /// <summary>The Microsoft Services tenant that owns Microsoft's first-party applications.</summary>
        internal const string MicrosoftServicesTenantId = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

        private static readonly Lazy<JsonObject> Data = new Lazy<JsonObject>(() =>
        {
            using var stream = typeof(PermissionCatalog).Assembly.GetManifestResourceStream("EntraAppKit.LocalTenant.Data.microsoft-graph-permissions.json")
                ?? throw new InvalidOperationException("The embedded Microsoft Graph permission catalog is missing from the assembly.");
            return JsonNode.Parse(stream)!.AsObject();
        });

        public static int AppRoleCount => Data.Value["appRoles"]!.AsArray().Count;

        public static int ScopeCount => Data.Value["oauth2PermissionScopes"]!.AsArray().Count;

        /// <summary>Builds the Microsoft Graph service principal as a tenant holds it (v1.0 has no servicePrincipal.createdDateTime).</summary>
        internal static JsonObject BuildMicrosoftGraphServicePrincipal(GraphSchema schema, string id)
        {
            var sp = ServicePrincipalDefaults.New(schema);
            sp["id"] = id;
            sp["accountEnabled"] = true;
            sp["appId"] = MicrosoftGraphAppId;
            sp["appDisplayName"] = "Microsoft Graph";
            sp["displayName"] = "Microsoft Graph";
            sp["appOwnerOrganizationId"] = MicrosoftServicesTenantId;
            sp["servicePrincipalType"] = "Application";
            sp["signInAudience"] = "AzureADMultipleOrgs";
            sp["servicePrincipalNames"] = new JsonArray(
                "00000003-0000-0000-c000-000000000000/ags.windows.net", MicrosoftGraphAppId, "https://canary.graph.microsoft.com",
                "https://graph.microsoft.com", "https://ags.windows.net", "https://graph.microsoft.us", "https://graph.microsoft.com/",
                "https://dod-graph.microsoft.us", "https://canary.graph.microsoft.com/", "https://graph.microsoft.us/", "https://dod-graph.microsoft.us/");
            var roles = new JsonArray();
            foreach (var r in Data.Value["appRoles"]!.AsArray())
                roles.Add(new JsonObject
                {
                    ["allowedMemberTypes"] = new JsonArray("Application"),
                    ["description"] = r!["description"]?.DeepClone(),
                    ["displayName"] = r["displayName"]?.DeepClone(),
                    ["id"] = r["id"]!.DeepClone(),
                    ["isEnabled"] = r["isEnabled"]?.DeepClone() ?? true,
                    ["origin"] = "Application",
                    ["value"] = r["value"]!.DeepClone(),
                });
            sp["appRoles"] = roles;
            var scopes = new JsonArray();
            foreach (var s in Data.Value["oauth2PermissionScopes"]!.AsArray())
                scopes.Add(new JsonObject
                {
                    ["adminConsentDescription"] = s!["adminConsentDescription"]?.DeepClone(),
                    ["adminConsentDisplayName"] = s["adminConsentDisplayName"]?.DeepClone(),
                    ["id"] = s["id"]!.DeepClone(),
                    ["isEnabled"] = s["isEnabled"]?.DeepClone() ?? true,
                    ["type"] = s["type"]!.DeepClone(),
                    ["userConsentDescription"] = s["userConsentDescription"]?.DeepClone(),
                    ["userConsentDisplayName"] = s["userConsentDisplayName"]?.DeepClone(),
                    ["value"] = s["value"]!.DeepClone(),
                });
            sp["oauth2PermissionScopes"] = scopes;
            return sp;
        }
    }
}
