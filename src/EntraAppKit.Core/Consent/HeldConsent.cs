using System.Collections.Generic;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Consent
{
    /// <summary>
    /// What a service principal holds tenant-wide, as read for a consent plan: its AllPrincipals grants and its app role
    /// assignments, each null until read. Filled by <see cref="ConsentReconciler.ReadHeldOperations"/> so the reads can share a
    /// $batch with others (Grant-AdminConsent reads them beside the APIs).
    /// </summary>
    internal sealed class HeldConsent
    {
        public List<OAuth2PermissionGrant>? Grants { get; set; }

        public List<AppRoleAssignment>? Assignments { get; set; }
    }
}
