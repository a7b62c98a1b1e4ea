using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using EntraAppKit.Core.Planning;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// A credential to remove from an app (Remove-EntraAppCredential), planned before it is removed (for -WhatIf): a client secret
    /// or a certificate. No change when the key id is not on the app (already removed: a re-run is a no-op).
    /// </summary>
    public sealed class CredentialRemovalPlan : IChangePlan
    {
        internal CredentialRemovalPlan(Application app, Guid keyId, PasswordCredential? secret, KeyCredential? certificate, X509Certificate2? proof,
            IReadOnlyList<PlannedChange> changes)
        {
            Application = app; KeyId = keyId; Secret = secret; Certificate = certificate; Proof = proof; Changes = changes;
        }

        internal Application Application { get; }
        internal PasswordCredential? Secret { get; }

        /// <summary>The certificate to remove; the application was then read with its keys' material.</summary>
        internal KeyCredential? Certificate { get; }

        /// <summary>The app's own certificate that signs removeKey's proof of possession; null for the PATCH path.</summary>
        internal X509Certificate2? Proof { get; }

        public Guid KeyId { get; }
        public string DisplayName => Application.DisplayName ?? "";
        public IReadOnlyList<PlannedChange> Changes { get; }
    }
}
