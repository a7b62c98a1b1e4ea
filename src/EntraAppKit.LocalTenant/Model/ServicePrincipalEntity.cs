using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>A service principal (learn.microsoft.com/graph/api/resources/serviceprincipal).</summary>
    internal sealed class ServicePrincipalEntity : Entity
    {
        public ServicePrincipalEntity(JsonObject json) : base(json) { }

        /// <summary>The application it stands for, an alternate key: /servicePrincipals(appId='…').</summary>
        public string AppId => Text("appId") ?? "";

        public string? DisplayName => Text("displayName");

        public bool IsManagedIdentity => Text("servicePrincipalType") == "ManagedIdentity";

        /// <summary>accountEnabled false: it cannot sign in.</summary>
        public bool IsDisabled => (bool?)Json["accountEnabled"] == false;

        public JsonArray AppRoles => Json["appRoles"]!.AsArray();

        public JsonArray OAuth2PermissionScopes => Json["oauth2PermissionScopes"]!.AsArray();

        /// <summary>A managed identity's names: "isExplicit=…" and its Azure resource id.</summary>
        public JsonArray AlternativeNames => Json["alternativeNames"]!.AsArray();
    }
}
