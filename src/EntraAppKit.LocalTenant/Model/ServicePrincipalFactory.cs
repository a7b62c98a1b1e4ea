using System;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// The service principals a tenant gets: one for an application registered here, one for a Microsoft first-party client on
    /// first consent, and managed identities (learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals).
    /// </summary>
    internal sealed class ServicePrincipalFactory
    {
        private readonly GraphSchema _schema;

        public ServicePrincipalFactory(GraphSchema schema) { _schema = schema; }

        /// <summary>The home-tenant service principal of <paramref name="app"/>, before the creator's own values are merged in.</summary>
        public JsonObject ForApplication(ApplicationEntity app, string tenantId)
        {
            var sp = ServicePrincipalDefaults.New(_schema);
            sp["id"] = Guid.NewGuid().ToString();
            sp["appId"] = app.AppId;
            // No createdDateTime or publisherName: those are beta-only, not in the v1.0 servicePrincipal (graph-v1.0-schema.json).
            sp["servicePrincipalType"] = "Application";
            sp["appOwnerOrganizationId"] = tenantId;
            sp["displayName"] = (string?)app.Json["displayName"];
            MirrorApplication(sp, app);
            return sp;
        }

        /// <summary>A Microsoft first-party client's service principal: its application lives in Microsoft's tenant.</summary>
        public JsonObject ForFirstPartyClient(string appId, string displayName)
        {
            var sp = ServicePrincipalDefaults.New(_schema);
            sp["id"] = Guid.NewGuid().ToString();
            sp["appDisplayName"] = displayName;
            sp["appId"] = appId;
            sp["appOwnerOrganizationId"] = PermissionCatalog.MicrosoftServicesTenantId;
            sp["displayName"] = displayName;
            sp["servicePrincipalNames"] = new JsonArray(appId);
            sp["servicePrincipalType"] = "Application";
            sp["signInAudience"] = "AzureADMultipleOrgs";
            return sp;
        }

        /// <summary>A managed identity: servicePrincipalType "ManagedIdentity", its own appId, no application object.</summary>
        public JsonObject ForManagedIdentity(string displayName, string azureResourceId, bool systemAssigned)
        {
            var sp = ServicePrincipalDefaults.New(_schema);
            string appId = Guid.NewGuid().ToString();
            sp["id"] = Guid.NewGuid().ToString();
            sp["alternativeNames"] = new JsonArray(systemAssigned ? "isExplicit=False" : "isExplicit=True", azureResourceId);
            sp["appId"] = appId;
            sp["appOwnerOrganizationId"] = PermissionCatalog.MicrosoftServicesTenantId; // managed identities' applications are Microsoft's
            sp["displayName"] = displayName;
            sp["servicePrincipalNames"] = new JsonArray(appId, azureResourceId);
            sp["servicePrincipalType"] = "ManagedIdentity";
            return sp;
        }

        /// <summary>The home-tenant service principal mirrors its application's definition.</summary>
        public static void MirrorApplication(JsonObject sp, ApplicationEntity application)
        {
            var app = application.Json;
            string appId = application.AppId;
            sp["appDisplayName"] = (string?)app["displayName"];
            sp["displayName"] = (string?)app["displayName"];
            sp["appDescription"] = app["description"]?.DeepClone();
            sp["signInAudience"] = app["signInAudience"]?.DeepClone();
            sp["appRoles"] = app["appRoles"]!.DeepClone();
            sp["oauth2PermissionScopes"] = app["api"]?["oauth2PermissionScopes"]?.DeepClone() ?? new JsonArray();
            var names = new JsonArray(appId);
            foreach (var uri in app["identifierUris"]!.AsArray()) names.Add((string)uri!);
            sp["servicePrincipalNames"] = names;
            var replyUrls = new JsonArray();
            foreach (var platform in new[] { "web", "spa", "publicClient" })
                foreach (var uri in app[platform]?["redirectUris"]?.AsArray() ?? new JsonArray()) replyUrls.Add((string)uri!);
            sp["replyUrls"] = replyUrls;
            sp["homepage"] = app["web"]?["homePageUrl"]?.DeepClone();
            sp["logoutUrl"] = app["web"]?["logoutUrl"]?.DeepClone();
            sp["info"] = app["info"]?.DeepClone();
        }
    }
}
