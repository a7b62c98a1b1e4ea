using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The tenant's token-signing key: RSA 2048, RS256, published in the JWKS under <see cref="KeyId"/>. Created when the tenant
    /// first needs it and kept in its state file, so tokens issued before a reopen still validate after it.
    /// </summary>
    internal sealed class SigningKey
    {
        private readonly object _lock = new object(); // an RSA instance is not documented as thread-safe
        private readonly RSA _rsa;
        private readonly RSAParameters _parameters;

        private SigningKey(RSAParameters parameters)
        {
            _parameters = parameters;
            _rsa = RSA.Create();
            _rsa.ImportParameters(parameters);
            KeyId = Thumbprint(parameters);
        }

        /// <summary>The JWK thumbprint (RFC 7638): a stable, collision-free kid derived from the public key.</summary>
        public string KeyId { get; }

        public static SigningKey Create()
        {
            using var rsa = NewRsa2048();
            return new SigningKey(rsa.ExportParameters(true));
        }

        /// <summary>
        /// RSA.Create(int) is not in netstandard2.0, and on .NET Framework RSA.Create() is an RSACryptoServiceProvider whose
        /// size is fixed by its constructor; fall back to that constructor when setting KeySize did not take.
        /// </summary>
        private static RSA NewRsa2048()
        {
            var rsa = RSA.Create();
            rsa.KeySize = 2048;
            if (rsa.ExportParameters(false).Modulus!.Length == 256) return rsa;
            rsa.Dispose();
            return new RSACryptoServiceProvider(2048);
        }

        public byte[] Sign(byte[] data)
        {
            lock (_lock) return _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        public bool Verify(byte[] data, byte[] signature)
        {
            lock (_lock) return _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        /// <summary>The public key as Entra publishes it in its JWKS (no x5c: the tenant has no certificate for it).</summary>
        public JsonObject ToPublicJwk(string? issuer)
        {
            var jwk = new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = KeyId,
                ["n"] = Base64Url.Encode(_parameters.Modulus!),
                ["e"] = Base64Url.Encode(_parameters.Exponent!),
            };
            if (issuer != null) jwk["issuer"] = issuer;
            return jwk;
        }

        /// <summary>The private key as a JWK (RFC 7518 section 6.3), for the state file.</summary>
        public JsonObject ToPrivateJwk() => new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = KeyId,
            ["n"] = Base64Url.Encode(_parameters.Modulus!),
            ["e"] = Base64Url.Encode(_parameters.Exponent!),
            ["d"] = Base64Url.Encode(_parameters.D!),
            ["p"] = Base64Url.Encode(_parameters.P!),
            ["q"] = Base64Url.Encode(_parameters.Q!),
            ["dp"] = Base64Url.Encode(_parameters.DP!),
            ["dq"] = Base64Url.Encode(_parameters.DQ!),
            ["qi"] = Base64Url.Encode(_parameters.InverseQ!),
        };

        /// <summary>Reads <see cref="ToPrivateJwk"/>; throws FormatException or CryptographicException when it is damaged.</summary>
        public static SigningKey FromPrivateJwk(JsonObject jwk)
        {
            byte[] Part(string name) => Base64Url.Decode((string?)jwk[name] ?? throw new FormatException($"The signing key has no '{name}'."));
            if ((string?)jwk["kty"] != "RSA") throw new FormatException("The signing key is not an RSA key.");
            var key = new SigningKey(new RSAParameters
            {
                Modulus = Part("n"), Exponent = Part("e"), D = Part("d"), P = Part("p"), Q = Part("q"),
                DP = Part("dp"), DQ = Part("dq"), InverseQ = Part("qi"),
            });
            // A key whose private half does not match its public half would sign tokens nobody can verify.
            byte[] probe = Encoding.ASCII.GetBytes("probe");
            if (!key.Verify(probe, key.Sign(probe))) throw new FormatException("The signing key's parts do not belong together.");
            return key;
        }

        private static string Thumbprint(RSAParameters p)
        {
            // RFC 7638 section 3: the required members in lexicographic order, no whitespace.
            string canonical = "{\"e\":\"" + Base64Url.Encode(p.Exponent!) + "\",\"kty\":\"RSA\",\"n\":\"" + Base64Url.Encode(p.Modulus!) + "\"}";
            using var sha = SHA256.Create();
            return Base64Url.Encode(sha.ComputeHash(Encoding.UTF8.GetBytes(canonical)));
        }
    }
}
