using System;
using System.Collections.Generic;
using EntraAppKit.Core.Planning;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// A credential to remove from an app (Remove-EntraAppCredential), planned before it is removed (for -WhatIf). No change when
    /// the key id is not on the app (already removed: a re-run is a no-op).
    /// </summary>
    public sealed class CredentialRemovalPlan : IChangePlan
    {
        internal CredentialRemovalPlan(Application app, Guid keyId, PasswordCredential? secret, IReadOnlyList<PlannedChange> changes)
        {
            Application = app; KeyId = keyId; Secret = secret; Changes = changes;
        }

        internal Application Application { get; }
        internal PasswordCredential? Secret { get; }
        public Guid KeyId { get; }
        public string DisplayName => Application.DisplayName ?? "";
        public IReadOnlyList<PlannedChange> Changes { get; }
    }
}
