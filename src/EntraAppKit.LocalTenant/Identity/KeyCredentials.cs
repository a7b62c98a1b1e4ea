using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The certificate credentials of an application or a service principal as Graph stores them (resources/keycredential):
    /// the client sends type, usage and key (the base64 DER certificate); Graph fills keyId, customKeyIdentifier (the SHA-1
    /// thumbprint), the validity window and the display name (the certificate's subject) from the certificate. Sign-in
    /// (<see cref="ClientAssertion"/>) and the rolling-key proof of addKey and removeKey both verify signatures with them here.
    /// </summary>
    internal static class KeyCredentials
    {
        /// <summary>The certificate in a keyCredential's key, or null when the key is not a certificate.</summary>
        public static X509Certificate2? Certificate(string base64)
        {
            try { return new X509Certificate2(Convert.FromBase64String(base64)); }
            catch (Exception e) when (e is FormatException || e is CryptographicException) { return null; }
        }

        /// <summary>
        /// Completes and checks the keyCredentials of an application or service principal (<paramref name="resource"/>) about to be
        /// stored. <paramref name="stored"/> is the object as stored before a PATCH: a PATCH replaces the whole collection
        /// ("Including only the new certificate details replaces the existing certificate", microsoftgraph/microsoft-graph-docs
        /// PR 19674), and a client keeps an existing key by sending it back with its keyId and, since GET returns key null
        /// (resources/keycredential), without its material ("to retain the old one(s) you need to supply the prior keyId (not null)
        /// and value (null)", microsoftgraph/microsoft-graph-docs issue 3579): the stored material stays.
        /// </summary>
        public static void Normalize(JsonObject owner, string resource = "Application", JsonObject? stored = null)
        {
            var before = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
            foreach (var node in stored?["keyCredentials"] as JsonArray ?? new JsonArray())
                if (node is JsonObject old && old["keyId"] is JsonValue id && id.TryGetValue<string>(out var text)) before[text] = old;
            foreach (var node in owner["keyCredentials"]?.AsArray() ?? new JsonArray())
            {
                var key = node as JsonObject ?? throw GraphException.InvalidValue("keyCredentials", resource);
                string? type = (string?)key["type"];
                string? usage = (string?)key["usage"];
                if ((type != "AsymmetricX509Cert" && type != "Symmetric" && type != "X509CertAndPassword") || (usage != "Verify" && usage != "Sign"))
                    throw GraphException.InvalidValue("keyCredentials", resource);
                // resources/keycredential: "AsymmetricX509Cert: The usage must be Verify" (X509CertAndPassword signs).
                if (type == "AsymmetricX509Cert" && usage != "Verify") throw GraphException.InvalidValue("keyCredentials", resource);
                if (key["keyId"] == null) key["keyId"] = Guid.NewGuid().ToString();
                string keyId = (string)key["keyId"]!;
                bool hasKey = key["key"] is JsonValue given && given.TryGetValue<string>(out var material) && material.Length > 0;
                if (before.TryGetValue(keyId, out var existing))
                {
                    if (!hasKey) { key["key"] = existing["key"]?.DeepClone(); continue; }
                    // Graph refuses new material under an existing keyId (Azure/azure-powershell issue 6784: "Update to existing
                    // credential with KeyId is not allowed"); the same material sent back is the key kept.
                    if ((string?)key["key"] != (string?)existing["key"]) throw GraphException.BadRequest("Update to existing credential with KeyId is not allowed.");
                }
                if (type != "AsymmetricX509Cert") continue;
                // A certificate credential needs its certificate: "type, usage and key are required" (application-addkey), and
                // a new keyCredential without one is refused (resources/keycredential).
                if (!hasKey) throw GraphException.InvalidValue("keyCredentials", resource);
                using var certificate = Certificate((string)key["key"]!) ?? throw GraphException.InvalidValue("keyCredentials", resource);
                // The window is taken as sent, even outside the certificate's: Azure CLI's recording against Graph
                // (Azure/azure-cli role/tests/latest/recordings/test_app_scenario.yaml, ApplicationsTests) shows it kept as given.
                Complete(key, certificate);
            }
        }

        /// <summary>
        /// Whether a request reads keys: resources/keycredential, key is "Returned only on $select for a single object, that is,
        /// GET applications/{applicationId}?$select=keyCredentials or GET servicePrincipals/{servicePrincipalId}?$select=keyCredentials;
        /// otherwise, it's always null".
        /// </summary>
        public static bool Selected(GraphRequest request)
        {
            foreach (var kv in QueryString.Parse(request.Uri.Query))
                if (kv.Key == "$select" && kv.Value.Split(',').Any(p => p.Trim().Equals("keyCredentials", StringComparison.OrdinalIgnoreCase))) return true;
            return false;
        }

        /// <summary>Sets every keyCredential's key of an answered object to null (see <see cref="Selected"/>).</summary>
        public static JsonObject WithoutKeys(JsonObject answered)
        {
            if (answered["keyCredentials"] is JsonArray list)
                foreach (var node in list)
                    if (node is JsonObject key && key.ContainsKey("key")) key["key"] = null;
            return answered;
        }

        /// <summary>A collection page with every item's keys null.</summary>
        public static JsonObject PageWithoutKeys(JsonObject page)
        {
            if (page["value"] is JsonArray items)
                foreach (var item in items)
                    if (item is JsonObject o) WithoutKeys(o);
            return page;
        }

        /// <summary>Fills what the client left out of <paramref name="key"/> from its certificate, as Graph does.</summary>
        public static void Complete(JsonObject key, X509Certificate2 certificate)
        {
            if (key["customKeyIdentifier"] == null) key["customKeyIdentifier"] = Convert.ToBase64String(certificate.GetCertHash());
            if (key["startDateTime"] == null) key["startDateTime"] = Timestamp(certificate.NotBefore);
            if (key["endDateTime"] == null) key["endDateTime"] = Timestamp(certificate.NotAfter);
            if (key["displayName"] == null) key["displayName"] = certificate.Subject;
        }

        /// <summary>
        /// The certificates that verify signatures for <paramref name="owners"/> (an application, or an application and its
        /// service principal): keyCredentials of type AsymmetricX509Cert and usage Verify whose key is a certificate. The
        /// caller disposes each certificate.
        /// </summary>
        public static IEnumerable<(JsonObject Credential, X509Certificate2 Certificate)> VerifyingCertificates(IEnumerable<JsonObject> owners)
        {
            foreach (var owner in owners)
                foreach (var node in owner["keyCredentials"]?.AsArray() ?? new JsonArray())
                {
                    if (!(node is JsonObject key) || (string?)key["type"] != "AsymmetricX509Cert" || (string?)key["usage"] != "Verify" || !(key["key"] is JsonValue k)) continue;
                    if (!k.TryGetValue<string>(out var text)) continue;
                    var certificate = Certificate(text);
                    if (certificate != null) yield return (key, certificate);
                }
        }

        /// <summary>The keyCredential's validity window; Graph copies it from the certificate, and it bounds the key's use.</summary>
        public static (DateTimeOffset Start, DateTimeOffset End) Window(JsonObject credential, X509Certificate2 certificate) =>
            (Time(credential["startDateTime"]) ?? new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
             Time(credential["endDateTime"]) ?? new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));

        public static bool IsValidAt(JsonObject credential, X509Certificate2 certificate, DateTimeOffset now)
        {
            var (start, end) = Window(credential, certificate);
            return now >= start && now < end;
        }

        /// <summary>The padding of a JWS algorithm certificate credentials use (RS256, PS256), or null for any other.</summary>
        public static RSASignaturePadding? Padding(string? alg) =>
            alg == "RS256" ? RSASignaturePadding.Pkcs1 : alg == "PS256" ? RSASignaturePadding.Pss : null;

        /// <summary>Whether <paramref name="certificate"/>'s public key verifies <paramref name="jwt"/>'s SHA-256 signature.</summary>
        public static bool Verifies(X509Certificate2 certificate, Jwt jwt, RSASignaturePadding padding)
        {
            using var rsa = certificate.GetRSAPublicKey();
            return rsa != null && rsa.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256, padding);
        }

        private static DateTimeOffset? Time(JsonNode? node) =>
            node is JsonValue v && v.TryGetValue<string>(out var text) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;

        private static string Timestamp(DateTime local) =>
            local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
