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
        /// <summary>Microsoft Graph's appId (graph-ground-truth §0.2).</summary>
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

    /// <summary>What a fresh service principal and application look like before their creator's values are applied.</summary>
    internal static class ServicePrincipalDefaults
    {
        /// <summary>The complex properties Graph returns as objects (not null) on a service principal.</summary>
        public static readonly HashSet<string> Materialized = new HashSet<string>(StringComparer.Ordinal)
        {
            "informationalUrl", "samlSingleSignOnSettings", "verifiedPublisher",
        };

        public static JsonObject New(GraphSchema schema)
        {
            var sp = schema.Defaults("servicePrincipal", Materialized);
            sp["accountEnabled"] = true;
            sp["appRoleAssignmentRequired"] = false;
            return sp;
        }
    }

    internal static class ApplicationDefaults
    {
        /// <summary>The complex properties Graph returns as objects (not null) on a new application (application-post-applications sample).</summary>
        public static readonly HashSet<string> Materialized = new HashSet<string>(StringComparer.Ordinal)
        {
            "apiApplication", "implicitGrantSettings", "informationalUrl", "parentalControlSettings", "publicClientApplication",
            "spaApplication", "webApplication", "verifiedPublisher",
        };

        public static JsonObject New(GraphSchema schema)
        {
            var app = schema.Defaults("application", Materialized);
            app["parentalControlSettings"]!["legalAgeGroupRule"] = "Allow";
            Normalize(app);
            return app;
        }

        /// <summary>
        /// The implicit-grant flags are plain booleans in the directory: Graph answers false, never null, when they are not set
        /// (graph-ground-truth §0.3, sample 201 response), also after a PATCH that replaces <c>web</c> without them.
        /// </summary>
        public static void Normalize(JsonObject app)
        {
            if (!(app["web"]?["implicitGrantSettings"] is JsonObject flags)) return;
            foreach (var name in new[] { "enableAccessTokenIssuance", "enableIdTokenIssuance" })
                if (flags[name] == null) flags[name] = false;
        }
    }
}
