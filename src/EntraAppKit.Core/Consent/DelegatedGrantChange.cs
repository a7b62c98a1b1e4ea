using System.Collections.Generic;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Consent
{
    /// <summary>What one API's AllPrincipals grant must become: created, patched to <see cref="Scopes"/>, or deleted when empty.</summary>
    internal sealed class DelegatedGrantChange
    {
        public DelegatedGrantChange(string resourceId, string resourceName, OAuth2PermissionGrant? existing, List<string> scopes)
        {
            ResourceId = resourceId; ResourceName = resourceName; Existing = existing; Scopes = scopes;
        }

        public string ResourceId { get; }
        public string ResourceName { get; }
        public OAuth2PermissionGrant? Existing { get; }
        public List<string> Scopes { get; }
    }
}
