using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// An application's certificate credentials as Graph stores them (resources/keycredential): the client sends type, usage
    /// and key (the base64 DER certificate); Graph fills keyId, customKeyIdentifier (the SHA-1 thumbprint), the validity
    /// window and the display name (the certificate's subject) from the certificate.
    /// </summary>
    internal static class KeyCredentials
    {
        /// <summary>The certificate in a keyCredential's key, or null when the key is not a certificate.</summary>
        public static X509Certificate2? Certificate(string base64)
        {
            try { return new X509Certificate2(Convert.FromBase64String(base64)); }
            catch (Exception e) when (e is FormatException || e is CryptographicException) { return null; }
        }

        /// <summary>Completes and checks the keyCredentials of an application about to be stored.</summary>
        public static void Normalize(JsonObject app)
        {
            foreach (var node in app["keyCredentials"]?.AsArray() ?? new JsonArray())
            {
                var key = node!.AsObject();
                string? type = (string?)key["type"];
                string? usage = (string?)key["usage"];
                if ((type != "AsymmetricX509Cert" && type != "Symmetric" && type != "X509CertAndPassword") || (usage != "Verify" && usage != "Sign"))
                    throw GraphException.InvalidValue("keyCredentials", "Application");
                if (key["keyId"] == null) key["keyId"] = Guid.NewGuid().ToString();
                if (type != "AsymmetricX509Cert" || !(key["key"] is JsonValue k)) continue;
                using var certificate = Certificate((string)k!) ?? throw GraphException.InvalidValue("keyCredentials", "Application");
                if (key["customKeyIdentifier"] == null) key["customKeyIdentifier"] = Convert.ToBase64String(certificate.GetCertHash());
                if (key["startDateTime"] == null) key["startDateTime"] = Timestamp(certificate.NotBefore);
                if (key["endDateTime"] == null) key["endDateTime"] = Timestamp(certificate.NotAfter);
                if (key["displayName"] == null) key["displayName"] = certificate.Subject;
            }
        }

        private static string Timestamp(DateTime local) =>
            local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
