using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Adds a certificate credential to an app, made here (self-signed, written to a PFX) or taken from a file or the certificate store, keeping every existing key.</para>
    /// <para type="description">With -ProofCertificatePath the certificate is added by Graph's addKey, signed by one of the app's current
    /// certificates; otherwise by a PATCH that sends every existing key back with the new one. It never removes a key: when Graph does not
    /// return an existing key's material, nothing is changed (ExistingKeyUnavailable). The private key only goes to the PFX file.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "EntraAppCertificate", SupportsShouldProcess = true, DefaultParameterSetName = GenerateSet)]
    [OutputType(typeof(EntraAppCertificate))]
    public sealed class NewEntraAppCertificateCommand : AppOperationCmdlet
    {
        private const string GenerateSet = "Generate";
        private const string PathSet = "CertificatePath";
        private const string ThumbprintSet = "Thumbprint";

        /// <summary>The app's client id; bound from recipe output and Get-EntraAppRegistration.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>The new certificate's subject; CN={the app's display name} when omitted.</summary>
        [Parameter(ParameterSetName = GenerateSet)]
        [ValidateNotBlank]
        public string? Subject { get; set; }

        /// <summary>The RSA key size of the new certificate: 2048 (the default) or 3072.</summary>
        [Parameter(ParameterSetName = GenerateSet)]
        [ValidateSet("2048", "3072")]
        public int KeySize { get; set; } = SelfSignedCertificates.DefaultKeySize;

        /// <summary>How many months the new certificate is valid (default 12, at most 60).</summary>
        [Parameter(ParameterSetName = GenerateSet)]
        [ValidateRange(1, SelfSignedCertificates.MaxMonths)]
        public int Months { get; set; } = SelfSignedCertificates.DefaultMonths;

        /// <summary>Where the new certificate and its private key are written (a PFX); never overwritten.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GenerateSet)]
        [ValidateNotBlank]
        public string? PfxPath { get; set; }

        /// <summary>The PFX's password: required for a new PFX; opens a -CertificatePath .pfx.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GenerateSet)]
        [Parameter(ParameterSetName = PathSet)]
        public SecureString? PfxPassword { get; set; }

        /// <summary>Also write the new public certificate, DER encoded (.cer), e.g. for a vendor's portal.</summary>
        [Parameter(ParameterSetName = GenerateSet)]
        [ValidateNotBlank]
        public string? CerPath { get; set; }

        /// <summary>Also write the new public certificate, PEM encoded.</summary>
        [Parameter(ParameterSetName = GenerateSet)]
        [ValidateNotBlank]
        public string? PemPath { get; set; }

        /// <summary>An existing certificate to add: a public .cer/.pem, or a .pfx opened with -PfxPassword.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotBlank]
        public string? CertificatePath { get; set; }

        /// <summary>An existing certificate in the CurrentUser or LocalMachine 'My' store (Windows only).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [ValidateNotBlank]
        public string? Thumbprint { get; set; }

        /// <summary>A .pfx of one of the app's current certificates: the certificate is then added by addKey, signed by it.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string? ProofCertificatePath { get; set; }

        /// <summary>The password of -ProofCertificatePath.</summary>
        [Parameter]
        public SecureString? ProofCertificatePassword { get; set; }

        protected override object? ErrorTarget => ClientId;

        private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        protected override void ExecuteCmdlet()
        {
            X509Certificate2? given = null;
            if (ParameterSetName == PathSet) given = CertificateFiles.Read(Resolve(CertificatePath!), PfxPassword);
            else if (ParameterSetName == ThumbprintSet)
            {
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                    throw new EntraAppKitException(ErrorIds.CertificateStoreUnavailable, EntraErrorCategory.InvalidOperation,
                        "-Thumbprint reads the Windows certificate store, which this system does not have. Pass the certificate's file with -CertificatePath instead.");
                given = CertificateStore.Find(Thumbprint!);
            }
            var proof = ProofCertificatePath == null ? null : CertificateFiles.Read(Resolve(ProofCertificatePath), ProofCertificatePassword);

            string? pfx = ParameterSetName == GenerateSet ? Resolve(PfxPath!) : null;
            string? cer = CerPath == null ? null : Resolve(CerPath);
            string? pem = PemPath == null ? null : Resolve(PemPath);
            var files = new List<string>();
            foreach (var file in new[] { pfx, cer, pem })
            {
                if (file == null) continue;
                if (System.IO.File.Exists(file) || files.Contains(file))
                    throw EntraAppKitException.InvalidInput($"{file} already exists (or is named twice); certificate files are never overwritten. Choose another path.");
                files.Add(file);
            }
            var subject = Subject;
            if (subject != null) SelfSignedCertificates.ParseSubject(subject);
            int keySize = KeySize, months = Months;

            var operation = new AppCertificateOperation(RequireConnection().Session);
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => operation.PlanAsync(ClientId, given,
                    given != null ? null : new Func<string, X509Certificate2>(name => SelfSignedCertificates.Create(subject ?? SelfSignedCertificates.SubjectFor(name), keySize, months, DateTimeOffset.UtcNow)),
                    proof, files, ct),
                plan => plan.Changes,
                (plan, ct) =>
                {
                    // The files first: a key Graph holds whose private key was never written would be of no use to anyone.
                    if (pfx != null) CertificateFiles.WritePfx(plan.Certificate, pfx, PfxPassword!);
                    if (cer != null) CertificateFiles.WriteCer(plan.Certificate, cer);
                    if (pem != null) CertificateFiles.WritePem(plan.Certificate, pem);
                    return operation.ApplyAsync(plan, ct);
                },
                result =>
                {
                    result.PfxPath = pfx ?? (CertificatePath != null && CertificateFiles.IsPfx(CertificatePath) ? Resolve(CertificatePath) : null);
                    result.CerPath = cer;
                    result.PemPath = pem;
                    WriteObject(result);
                },
                unchanged: plan => $"'{plan.DisplayName}' already has certificate {plan.Certificate.Thumbprint}.");
        }
    }
}
