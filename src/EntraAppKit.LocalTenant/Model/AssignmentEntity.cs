using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>An app role assignment (learn.microsoft.com/graph/api/resources/approleassignment).</summary>
    internal sealed class AssignmentEntity : Entity
    {
        public AssignmentEntity(JsonObject json) : base(json) { }

        /// <summary>The service principal that holds the role.</summary>
        public string? PrincipalId => Text("principalId");

        /// <summary>The service principal that defines the role.</summary>
        public string? ResourceId => Text("resourceId");

        public string? AppRoleId => Text("appRoleId");
    }
}
