using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Applications
{
    /// <summary>
    /// Which keyCredential of an application holds a certificate, and how adding one is described: shared by a recipe's plan
    /// and New-EntraAppCertificate, apart from the code that writes keys, which plans reading the tenant must not reach.
    /// </summary>
    public static class CertificateCredentials
    {
        /// <summary>The app's keyCredential holding <paramref name="cert"/>: its key material, else its thumbprint as customKeyIdentifier.</summary>
        public static KeyCredential? Find(Application app, X509Certificate2 cert)
        {
            byte[] der = cert.RawData;
            byte[] hash = cert.GetCertHash();
            return (app.KeyCredentials ?? new List<KeyCredential>()).FirstOrDefault(k =>
                (k.Key != null && k.Key.SequenceEqual(der)) || (k.Key == null && k.CustomKeyIdentifier != null && k.CustomKeyIdentifier.SequenceEqual(hash)));
        }

        /// <summary>"Add certificate CN=x (thumbprint …, valid until …) to application 'name'" and how.</summary>
        public static string DescribeAdd(X509Certificate2 cert, string appName, int existingKeys, string? clientId = null, bool byAddKey = false) =>
            $"Add certificate {cert.Subject} (thumbprint {cert.Thumbprint}, valid until {cert.NotAfter.ToUniversalTime():yyyy-MM-dd}) to application '{appName}'" +
            (clientId != null ? $" (client id {clientId})" : "") + " " +
            (byAddKey ? "by addKey, keeping its other keys" : $"by PATCH, keeping its {existingKeys} existing key(s)");
    }
}
