using System;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Permissions
{
    /// <summary>A permission resolved against the resource's service principal in the tenant.</summary>
    internal sealed class ResolvedPermission
    {
        public ResolvedPermission(PermissionRequest request, ServicePrincipal resource, Guid id, string value)
        {
            Request = request; Resource = resource; Id = id; Value = value;
        }

        public PermissionRequest Request { get; }
        public ServicePrincipal Resource { get; }
        public Guid Id { get; }

        /// <summary>The permission's value as the API spells it (User.Read for "user.read" or its GUID).</summary>
        public string Value { get; }
        public string ResourceAppId => Resource.AppId!;
        public string GraphType => Request.Type == PermissionType.Delegated ? "Scope" : "Role";
    }
}
