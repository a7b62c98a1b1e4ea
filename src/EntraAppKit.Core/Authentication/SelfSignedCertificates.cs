using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>
    /// Makes the self-signed certificates New-EntraAppCertificate adds to apps: RSA 2048 or 3072, signed SHA-256 with PKCS#1
    /// v1.5 padding (what Entra's certificate credentials take, learn.microsoft.com/entra/identity-platform/certificate-credentials),
    /// an end entity for client authentication.
    /// </summary>
    /// <remarks>
    /// The engine targets netstandard2.0, which lacks <c>CertificateRequest</c>; every runtime the module runs on has it
    /// (.NET Framework 4.7.2+, which Windows PowerShell 5.1 needs for the Graph SDK, in System.Core; .NET in
    /// System.Security.Cryptography), beside <see cref="RSACertificateExtensions"/>. It is reached there by reflection, and its
    /// absence is a clear error rather than a missing-method crash.
    /// </remarks>
    public static class SelfSignedCertificates
    {
        public const int DefaultKeySize = 2048;
        public const int DefaultMonths = 12;

        /// <summary>The longest lifetime accepted; Entra itself takes longer certificates, but a long-lived credential is the risk this guards.</summary>
        public const int MaxMonths = 60;

        private const string RequestTypeName = "System.Security.Cryptography.X509Certificates.CertificateRequest";

        /// <summary>The subject for an app's certificate: CN= its display name, quoted when the name holds a character a DN reserves.</summary>
        public static string SubjectFor(string displayName)
        {
            string name = displayName.Trim();
            bool quote = name.IndexOfAny(new[] { ',', '+', '=', '"', '\\', '<', '>', ';', '#' }) >= 0;
            return quote ? "CN=\"" + name.Replace("\"", "\"\"") + "\"" : "CN=" + name;
        }

        /// <summary>The subject parsed as X.500, or InvalidRecipeInput naming it.</summary>
        public static X500DistinguishedName ParseSubject(string subject)
        {
            try
            {
                var dn = new X500DistinguishedName(subject);
                if (string.IsNullOrWhiteSpace(dn.Name)) throw new CryptographicException("empty");
                return dn;
            }
            catch (Exception e) when (e is CryptographicException || e is ArgumentException)
            {
                throw EntraAppKitException.InvalidInput($"-Subject '{subject}' is not an X.500 distinguished name (for example CN=Contoso Sync).");
            }
        }

        /// <summary>A new self-signed certificate with its private key, valid from now (less five minutes of clock skew) for <paramref name="months"/>.</summary>
        public static X509Certificate2 Create(string subject, int keySize, int months, DateTimeOffset now)
        {
            if (keySize != 2048 && keySize != 3072) throw EntraAppKitException.InvalidInput($"-KeySize {keySize} is not supported: use 2048 or 3072.");
            if (months < 1 || months > MaxMonths) throw EntraAppKitException.InvalidInput($"-Months {months} is out of range: use 1 to {MaxMonths}.");
            var dn = ParseSubject(subject);
            var requestType = RequestType() ?? throw new EntraAppKitException(ErrorIds.CertificateGenerationUnavailable, EntraErrorCategory.ResourceUnavailable,
                "This .NET runtime cannot make certificates (System.Security.Cryptography.X509Certificates.CertificateRequest is missing; " +
                "Windows PowerShell needs .NET Framework 4.7.2 or later). Make the certificate elsewhere and pass it with -CertificatePath.");
            using var rsa = RSA.Create();
            rsa.KeySize = keySize;
            var ctor = requestType.GetConstructor(new[] { typeof(X500DistinguishedName), typeof(RSA), typeof(HashAlgorithmName), typeof(RSASignaturePadding) })!;
            object request = ctor.Invoke(new object[] { dn, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1 });
            var extensions = (Collection<X509Extension>)requestType.GetProperty("CertificateExtensions")!.GetValue(request)!;
            extensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            extensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            extensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication") }, false));
            var publicKey = (PublicKey)requestType.GetProperty("PublicKey")!.GetValue(request)!;
            extensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
            var create = requestType.GetMethod("CreateSelfSigned", new[] { typeof(DateTimeOffset), typeof(DateTimeOffset) })!;
            var start = now.AddMinutes(-5);
            try
            {
                return (X509Certificate2)create.Invoke(request, new object[] { start, now.AddMonths(months) })!;
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw new EntraAppKitException(ErrorIds.CertificateGenerationUnavailable, EntraErrorCategory.ResourceUnavailable,
                    "The certificate could not be made: " + e.InnerException.Message, e.InnerException);
            }
        }

        private static Type? RequestType() =>
            typeof(RSACertificateExtensions).Assembly.GetType(RequestTypeName)
            ?? Type.GetType(RequestTypeName + ", System.Security.Cryptography")
            ?? Type.GetType(RequestTypeName + ", System.Core, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089")
            ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(RequestTypeName)).FirstOrDefault(t => t != null);
    }
}
