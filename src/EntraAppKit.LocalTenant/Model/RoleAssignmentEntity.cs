using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>A directory role assignment (learn.microsoft.com/graph/api/resources/unifiedroleassignment), tenant-wide ("/").</summary>
    internal sealed class RoleAssignmentEntity : Entity
    {
        public RoleAssignmentEntity(JsonObject json) : base(json) { }

        /// <summary>The user or service principal that holds the role.</summary>
        public string? PrincipalId => Text("principalId");

        /// <summary>The role's template id (built-in roles' definition ids are their template ids).</summary>
        public string? RoleDefinitionId => Text("roleDefinitionId");

        public string? DirectoryScopeId => Text("directoryScopeId");
    }
}
