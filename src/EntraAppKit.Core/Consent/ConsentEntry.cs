using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Consent
{
    /// <summary>One permission an app holds, as the user sees it (<see cref="Row"/>), with the Graph object that holds it: the grant or the assignment.</summary>
    internal sealed class ConsentEntry
    {
        public ConsentEntry(EntraAppConsent row, OAuth2PermissionGrant? grant, AppRoleAssignment? assignment)
        {
            Row = row; Grant = grant; Assignment = assignment;
        }

        public EntraAppConsent Row { get; }

        /// <summary>The delegated grant whose scope holds the permission; null for an application permission.</summary>
        public OAuth2PermissionGrant? Grant { get; }

        /// <summary>The app role assignment of an application permission; null for a delegated one.</summary>
        public AppRoleAssignment? Assignment { get; }

        public bool IsDelegated => Grant != null;
    }
}
