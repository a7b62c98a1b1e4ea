using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EntraAppKit.LocalTenant.Server
{
    /// <summary>
    /// The server's TLS identity for --https: a self-signed CA (its certificate in a PEM file clients trust through
    /// REQUESTS_CA_BUNDLE or NODE_EXTRA_CA_CERTS) and a server certificate for 127.0.0.1 and localhost that it signed (a PKCS#12
    /// file with the server's key). Both files are owner-only, like the state file. The CA's private key is never written: it
    /// signs the one server certificate and is dropped, so a copied file can never mint a certificate for another site that
    /// the trusting clients would accept. Extra DNS names (--tls-host) go into the server certificate only: a client routed
    /// here by a hosts entry (MSAL's instance discovery at login.microsoftonline.com) then accepts it. Reused across restarts while the pair chains and is valid, so clients keep trusting
    /// it; an expired, damaged or mismatched pair is replaced by a new CA and certificate (clients then reload the PEM).
    /// </summary>
    public sealed class TlsCertificates : IDisposable
    {
        /// <summary>How long a new pair is valid. Renewal needs the CA's key, which is not kept, so both are renewed together.</summary>
        public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

        /// <summary>A pair this close to expiry is renewed at start-up rather than expire while the server runs.</summary>
        public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);

        private static readonly string[] NoNames = new string[0];

        private TlsCertificates(string caPath, string serverPath, X509Certificate2 ca, X509Certificate2 server, bool reused)
        {
            CaPath = caPath; ServerPath = serverPath; Authority = ca; Server = server; Reused = reused;
        }

        /// <summary>The CA certificate, PEM: what clients trust.</summary>
        public string CaPath { get; }

        /// <summary>The server certificate and its private key, PKCS#12 without a password (owner-only).</summary>
        public string ServerPath { get; }

        public X509Certificate2 Authority { get; }

        /// <summary>The certificate Kestrel serves, with its private key.</summary>
        public X509Certificate2 Server { get; }

        /// <summary>Whether the files on disk were reused (false: a new pair was made and written).</summary>
        public bool Reused { get; }

        /// <summary>The files beside a state file: FILE.ca.pem and FILE.tls.pfx.</summary>
        public static TlsCertificates BesideStateFile(string statePath, DateTimeOffset now, IReadOnlyCollection<string>? hostNames = null) =>
            LoadOrCreate(System.IO.Path.GetFullPath(statePath) + ".ca.pem", System.IO.Path.GetFullPath(statePath) + ".tls.pfx", now, hostNames);

        /// <summary>The files in a folder of their own (created if missing): localtenant-ca.pem and localtenant-tls.pfx.</summary>
        public static TlsCertificates InFolder(string folder, DateTimeOffset now, IReadOnlyCollection<string>? hostNames = null)
        {
            string full = System.IO.Path.GetFullPath(folder);
            Directory.CreateDirectory(full);
            return LoadOrCreate(System.IO.Path.Combine(full, "localtenant-ca.pem"), System.IO.Path.Combine(full, "localtenant-tls.pfx"), now, hostNames);
        }

        /// <summary>The pair at these paths, made anew unless it is valid and names every one of <paramref name="hostNames"/> (extra DNS names).</summary>
        public static TlsCertificates LoadOrCreate(string caPath, string serverPath, DateTimeOffset now, IReadOnlyCollection<string>? hostNames = null)
        {
            var names = hostNames ?? NoNames;
            var existing = TryLoad(caPath, serverPath, now, names, reused: true);
            if (existing != null) return existing;

            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=EntraAppKit local tenant CA " + now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                caKey, HashAlgorithmName.SHA256);
            // Python 3.13's default context is X509_STRICT: a CA needs critical basicConstraints, keyUsage and a key identifier.
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
            // Backdated a little so a client whose clock is slightly behind accepts it at once.
            var notBefore = now.AddMinutes(-5);
            using var ca = caRequest.CreateSelfSigned(notBefore, now + Lifetime);

            using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
            var alternativeNames = new SubjectAlternativeNameBuilder();
            alternativeNames.AddIpAddress(IPAddress.Loopback);
            alternativeNames.AddDnsName("localhost");
            foreach (var name in names) alternativeNames.AddDnsName(name);
            serverRequest.CertificateExtensions.Add(alternativeNames.Build(true));
            serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
            serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            var serial = new byte[16];
            RandomNumberGenerator.Fill(serial);
            serial[0] &= 0x7F; // a positive serial number
            using var signed = serverRequest.Create(ca, notBefore, ca.NotAfter, serial);
            using var withKey = signed.CopyWithPrivateKey(serverKey);

            WriteOwnerOnly(serverPath, withKey.Export(X509ContentType.Pkcs12));
            WriteOwnerOnly(caPath, System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n"));
            // Read back from disk: what a restart will load is what serves now.
            return TryLoad(caPath, serverPath, now, names, reused: false) ?? throw new InvalidOperationException("The TLS certificates just written could not be read back.");
        }

        /// <summary>The pair on disk when it chains (the server certificate signed by the CA, for 127.0.0.1 and <paramref name="names"/>) and is valid at <paramref name="now"/> plus a day; else null.</summary>
        private static TlsCertificates? TryLoad(string caPath, string serverPath, DateTimeOffset now, IReadOnlyCollection<string> names, bool reused)
        {
            if (!File.Exists(caPath) || !File.Exists(serverPath)) return null;
            X509Certificate2? ca = null, server = null;
            try
            {
                ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
                server = X509CertificateLoader.LoadPkcs12FromFile(serverPath, null);
                if (!server.HasPrivateKey || !IsValid(ca, server, now.Add(RenewBefore)) || !IsValid(ca, server, now)
                    || names.Any(name => !server.MatchesHostname(name))) throw new CryptographicException("stale");
                return new TlsCertificates(caPath, serverPath, ca, server, reused);
            }
            catch (Exception e) when (e is CryptographicException || e is IOException || e is ArgumentException || e is UnauthorizedAccessException)
            {
                ca?.Dispose();
                server?.Dispose();
                return null;
            }
        }

        /// <summary>Whether <paramref name="server"/> chains to <paramref name="ca"/> alone at <paramref name="at"/>, and names 127.0.0.1.</summary>
        public static bool IsValid(X509Certificate2 ca, X509Certificate2 server, DateTimeOffset at)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = at.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
            return chain.Build(server) && chain.ChainElements.Count == 2 && chain.ChainElements[1].Certificate.Thumbprint == ca.Thumbprint
                && server.MatchesHostname("127.0.0.1") && server.MatchesHostname("localhost");
        }

        /// <summary>Written to a temporary file created owner-only, then moved over the old one: never a readable or half-written key.</summary>
        private static void WriteOwnerOnly(string path, byte[] bytes)
        {
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            try
            {
                using (var stream = new FileStream(temp, options)) stream.Write(bytes, 0, bytes.Length);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        public void Dispose()
        {
            Authority.Dispose();
            Server.Dispose();
        }
    }
}
