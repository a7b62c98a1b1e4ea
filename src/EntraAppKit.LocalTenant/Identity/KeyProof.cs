using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The proof of possession addKey and removeKey demand (learn.microsoft.com/graph/application-rollkey-prooftoken): "a
    /// self-signed JSON Web Token (JWT). This token must be signed using the private key of one of the application's existing
    /// valid certificates", with aud 00000002-0000-0000-c000-000000000000, iss the id of the application or servicePrincipal
    /// object, nbf, and exp "the value of nbf + 10 minutes". An object without a valid certificate therefore has nothing a
    /// proof can be checked against: the docs send it to PATCH keyCredentials instead (application-addkey).
    /// </summary>
    internal static class KeyProof
    {
        public const string Audience = "00000002-0000-0000-c000-000000000000";

        /// <summary>learn.microsoft.com/graph/api/application-addkey: "Expiration time should be nbf + 10 mins."</summary>
        public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

        /// <summary>Throws Graph's answer unless <paramref name="proof"/> proves possession of a valid certificate of <paramref name="owner"/>.</summary>
        public static void Demand(JsonNode? proof, string objectId, JsonObject owner, DateTimeOffset now)
        {
            // Without a proof Graph refuses the action as unauthorised, whatever the caller's permissions: Add-MgApplicationKey
            // "requires Proof to be provided ... or else it would fail with the Insufficient privileges to complete the
            // operation error" (github.com/microsoftgraph/msgraph-sdk-powershell/issues/779).
            if (proof == null) throw GraphAuthorizer.Denied();
            if (!(proof is JsonValue value && value.TryGetValue<string>(out var token))) throw Malformed();
            var parts = token.Split('.');
            // application-rollkey-prooftoken: a '=' padding character in the header or payload is Authentication_MissingOrMalformed.
            if (parts.Length != 3 || parts[0].Contains('=') || parts[1].Contains('=') || !Jwt.TryParse(token, out var jwt)) throw Malformed();
            var padding = KeyCredentials.Padding(jwt.HeaderString("alg")) ?? throw Malformed();

            bool signed = false;
            foreach (var (credential, certificate) in KeyCredentials.VerifyingCertificates(new[] { owner }))
                using (certificate)
                    signed = signed || (KeyCredentials.IsValidAt(credential, certificate, now) && KeyCredentials.Verifies(certificate, jwt, padding));
            if (!signed) throw Malformed();

            // A wrong aud is this same 401 (github.com/microsoftgraph/microsoft-graph-docs/issues/10686, with Microsoft Graph's
            // 00000003-… as aud; microsoft-graph-docs-contrib/issues/1076 likewise). Graph's answers to a wrong iss or a proof
            // outside its lifetime were not found published; they are taken to be the same refusal of the token.
            var audiences = jwt.Payload["aud"] is JsonArray list ? list.Select(a => (string?)a) : new[] { jwt.Claim("aud") };
            if (!audiences.Contains(Audience)) throw Malformed();
            if (!Guid.TryParse(jwt.Claim("iss"), out var issuer) || !Guid.TryParse(objectId, out var id) || issuer != id) throw Malformed();
            var nbf = jwt.Time("nbf");
            var exp = jwt.Time("exp");
            // The same clock skew Entra allows client assertions.
            if (nbf == null || exp == null || exp.Value - nbf.Value > MaxLifetime || exp.Value <= nbf.Value ||
                nbf.Value > now + ClientAssertion.Skew || exp.Value <= now - ClientAssertion.Skew)
                throw Malformed();
        }

        /// <summary>Graph's 401 for a proof it cannot accept (microsoft-graph-docs issues 10686, 14626 show the body).</summary>
        private static GraphException Malformed() => new GraphException(401, "Authentication_MissingOrMalformed", "Access Token missing or malformed.");
    }
}
