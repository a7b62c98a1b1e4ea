using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// Certificate credentials (learn.microsoft.com/entra/identity-platform/certificate-credentials): a JWT signed with the
    /// certificate's private key. The header's x5t (SHA-1) or x5t#S256 (SHA-256) thumbprint names one of the application's
    /// keyCredentials of type AsymmetricX509Cert and usage Verify; the claims are aud = the token endpoint, iss = sub = client_id,
    /// exp (and nbf) around now.
    /// </summary>
    internal static class ClientAssertion
    {
        public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

        /// <summary>Entra tolerates five minutes of clock skew on assertion lifetimes.</summary>
        public static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

        /// <summary>
        /// Throws Entra's error for the first rule <paramref name="assertion"/> breaks; <paramref name="isOwnTokenEndpoint"/> says
        /// whether an aud names this tenant's token endpoint. <paramref name="owners"/> hold the certificates: the application,
        /// then its service principal in this tenant (a service principal's own keyCredentials sign in too).
        /// </summary>
        public static void Validate(string assertion, string clientId, JsonObject application, IEnumerable<JsonObject> owners, Func<string, bool> isOwnTokenEndpoint, DateTimeOffset now)
        {
            if (!Jwt.TryParse(assertion, out var jwt)) throw AadstsException.MalformedAssertion();
            string? alg = jwt.HeaderString("alg");
            var padding = KeyCredentials.Padding(alg);
            if (padding == null) throw AadstsException.BadAssertion($"Client assertion is signed with '{alg}'; certificate credentials use RS256 or PS256.");

            string? x5t = jwt.HeaderString("x5t");
            string? x5tS256 = jwt.HeaderString("x5t#S256");
            var certificate = FindCertificate(owners, x5t, x5tS256, out var credential);
            if (certificate == null)
                throw AadstsException.BadAssertion($"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{Hex(x5tS256 ?? x5t)}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/{(string?)application["id"]}']");
            using (certificate)
            {
                var (start, end) = KeyCredentials.Window(credential!, certificate);
                if (now >= end || now < start)
                    throw AadstsException.BadAssertion(string.Format(CultureInfo.InvariantCulture,
                        "The certificate with identifier used to sign the client assertion is expired on application. [Reason - The key used is expired., Thumbprint of key used by client: '{0}', Found key 'Start={1:MM/dd/yyyy HH:mm:ss}, End={2:MM/dd/yyyy HH:mm:ss}']",
                        certificate.Thumbprint, start.UtcDateTime, end.UtcDateTime));
                if (!KeyCredentials.Verifies(certificate, jwt, padding))
                    throw AadstsException.BadAssertion("Client assertion failed signature validation.");
            }

            if (!string.Equals(jwt.Claim("iss"), clientId, StringComparison.OrdinalIgnoreCase) || !string.Equals(jwt.Claim("sub"), clientId, StringComparison.OrdinalIgnoreCase))
                throw new AadstsException(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .");
            var audiences = jwt.Payload["aud"] is JsonArray list ? list.Select(a => (string?)a).ToList() : new[] { jwt.Claim("aud") }.ToList();
            if (!audiences.Any(a => a != null && isOwnTokenEndpoint(a)))
                throw AadstsException.BadAssertion("Client assertion audience claim does not match the token endpoint of the tenant.");
            var exp = jwt.Time("exp");
            var nbf = jwt.Time("nbf");
            if (exp == null || exp.Value <= now - Skew || (nbf.HasValue && nbf.Value > now + Skew))
                throw AadstsException.AssertionOutsideLifetime(now, nbf, exp);
        }

        /// <summary>The verifying certificate whose thumbprint the header names, and its keyCredential.</summary>
        private static X509Certificate2? FindCertificate(IEnumerable<JsonObject> owners, string? x5t, string? x5tS256, out JsonObject? credential)
        {
            credential = null;
            if (x5t == null && x5tS256 == null) return null;
            X509Certificate2? found = null;
            foreach (var (key, certificate) in KeyCredentials.VerifyingCertificates(owners))
            {
                if (found != null) { certificate.Dispose(); continue; }
                using var sha256 = SHA256.Create();
                bool matches = (x5t != null && x5t == Base64Url.Encode(certificate.GetCertHash())) ||
                               (x5tS256 != null && x5tS256 == Base64Url.Encode(sha256.ComputeHash(certificate.RawData)));
                if (matches) { credential = key; found = certificate; }
                else certificate.Dispose();
            }
            return found;
        }

        private static string Hex(string? base64Url)
        {
            if (base64Url == null) return "";
            try { return BitConverter.ToString(Base64Url.Decode(base64Url)).Replace("-", ""); }
            catch (FormatException) { return base64Url; }
        }
    }
}
