using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>A delegated permission grant (learn.microsoft.com/graph/api/resources/oauth2permissiongrant).</summary>
    internal sealed class GrantEntity : Entity
    {
        public GrantEntity(JsonObject json) : base(json) { }

        /// <summary>The client's service principal id.</summary>
        public string? ClientId => Text("clientId");

        /// <summary>The resource's (API's) service principal id.</summary>
        public string? ResourceId => Text("resourceId");

        /// <summary>"AllPrincipals" (admin consent for everyone) or "Principal" (one user).</summary>
        public string? ConsentType => Text("consentType");

        public string? PrincipalId => Text("principalId");

        /// <summary>Space-separated permission values.</summary>
        public string? Scope
        {
            get => Text("scope");
            set => Json["scope"] = value;
        }
    }
}
