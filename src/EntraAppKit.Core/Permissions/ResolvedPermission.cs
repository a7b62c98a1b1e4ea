using System;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Permissions
{
    /// <summary>A permission resolved against the resource's service principal in the tenant.</summary>
    internal sealed class ResolvedPermission
    {
        public ResolvedPermission(PermissionRequest request, ServicePrincipal resource, Guid id)
        {
            Request = request; Resource = resource; Id = id;
        }

        public PermissionRequest Request { get; }
        public ServicePrincipal Resource { get; }
        public Guid Id { get; }
        public string ResourceAppId => Resource.AppId!;
        public string GraphType => Request.Type == PermissionType.Delegated ? "Scope" : "Role";
    }
}
