using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>Adding one certificate to an app, planned before anything is written (for -WhatIf): how, and what it keeps.</summary>
    public sealed class AppCertificatePlan : IChangePlan
    {
        internal AppCertificatePlan(Application app, TenantFacts tenant, X509Certificate2 certificate, bool generated, X509Certificate2? proof,
            string? existingKeyId, IReadOnlyList<PlannedChange> changes)
        {
            Application = app; Tenant = tenant; Certificate = certificate; Generated = generated; Proof = proof;
            ExistingKeyId = existingKeyId; Changes = changes;
        }

        internal Application Application { get; }
        internal TenantFacts Tenant { get; }

        /// <summary>The certificate to add; a generated one holds its private key, which only the files written get.</summary>
        public X509Certificate2 Certificate { get; }

        /// <summary>Whether the certificate was made by this run (so its private key must be written to a file).</summary>
        public bool Generated { get; }

        /// <summary>The app's own certificate that signs addKey's proof of possession; null for the PATCH path.</summary>
        internal X509Certificate2? Proof { get; }

        /// <summary>The keyId of the same certificate when the app already holds it (then nothing is added).</summary>
        internal string? ExistingKeyId { get; }

        /// <summary>AddKey (proof of possession) or Patch (the whole keyCredentials collection, every existing key kept).</summary>
        public string Method => Proof != null ? "AddKey" : "Patch";

        public string DisplayName => Application.DisplayName ?? "";
        public IReadOnlyList<PlannedChange> Changes { get; }
    }
}
