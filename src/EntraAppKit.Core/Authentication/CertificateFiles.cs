using System;
using System.IO;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>Reads and writes the certificate files New-EntraAppCertificate takes and makes (.pfx, .cer, .pem).</summary>
    public static class CertificateFiles
    {
        /// <summary>
        /// A certificate from a file: a .pfx/.p12 opened with <paramref name="password"/> (with its private key), or a public
        /// .cer (DER) or .pem/.crt certificate. Errors name the file, never its content or password.
        /// </summary>
        public static X509Certificate2 Read(string path, SecureString? password)
        {
            if (!File.Exists(path)) throw new EntraAppKitException(ErrorIds.InvalidCertificate, EntraErrorCategory.ObjectNotFound, $"No certificate file at {path}.");
            try
            {
                if (IsPfx(path))
                    return password == null ? new X509Certificate2(path, (string?)null, X509KeyStorageFlags.Exportable) : new X509Certificate2(path, password, X509KeyStorageFlags.Exportable);
                string text = File.ReadAllText(path);
                int begin = text.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal);
                if (begin >= 0)
                {
                    int start = begin + "-----BEGIN CERTIFICATE-----".Length;
                    int end = text.IndexOf("-----END CERTIFICATE-----", start, StringComparison.Ordinal);
                    if (end < 0) throw new CryptographicException("unterminated PEM");
                    return new X509Certificate2(Convert.FromBase64String(text.Substring(start, end - start)));
                }
                return new X509Certificate2(File.ReadAllBytes(path));
            }
            catch (Exception e) when (e is CryptographicException || e is FormatException)
            {
                throw new EntraAppKitException(ErrorIds.InvalidCertificate, EntraErrorCategory.InvalidArgument,
                    IsPfx(path) ? $"{path} could not be opened as a PFX: a wrong or missing password, or not a PFX file." : $"{path} is not a .cer (DER) or .pem certificate.");
            }
        }

        public static bool IsPfx(string path)
        {
            string ext = Path.GetExtension(path);
            return ext.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || ext.Equals(".p12", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The certificate and its private key as a PFX protected by <paramref name="password"/>.</summary>
        public static void WritePfx(X509Certificate2 certificate, string path, SecureString password) =>
            WriteNew(path, certificate.Export(X509ContentType.Pfx, password));

        /// <summary>The public certificate, DER encoded.</summary>
        public static void WriteCer(X509Certificate2 certificate, string path) => WriteNew(path, certificate.RawData);

        /// <summary>The public certificate, PEM encoded (RFC 7468).</summary>
        public static void WritePem(X509Certificate2 certificate, string path)
        {
            var pem = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
            string b64 = Convert.ToBase64String(certificate.RawData);
            for (int i = 0; i < b64.Length; i += 64) pem.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            pem.Append("-----END CERTIFICATE-----\n");
            WriteNew(path, Encoding.ASCII.GetBytes(pem.ToString()));
        }

        /// <summary>Writes a file that must not exist yet: a certificate file is never overwritten (it may hold the only copy of a key).</summary>
        private static void WriteNew(string path, byte[] bytes)
        {
            try
            {
                string? dir = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                stream.Write(bytes, 0, bytes.Length);
            }
            catch (IOException e) when (File.Exists(path))
            {
                throw new EntraAppKitException(ErrorIds.InvalidRecipeInput, EntraErrorCategory.ResourceExists,
                    $"{path} already exists; certificate files are never overwritten. Choose another path or remove the file.", e);
            }
        }
    }
}
