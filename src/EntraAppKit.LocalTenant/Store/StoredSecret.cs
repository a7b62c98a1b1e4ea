using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>A client secret's salted SHA-256. Secrets are random and long, so a slow KDF buys nothing here.</summary>
    internal sealed class StoredSecret
    {
        public StoredSecret(string applicationId, string salt, string hash) { ApplicationId = applicationId; Salt = salt; Hash = hash; }

        /// <summary>The object id of the application (or service principal) the secret belongs to; the state file keeps the name applicationId.</summary>
        public string ApplicationId { get; }
        public string Salt { get; }
        public string Hash { get; }

        public static StoredSecret Create(string applicationId, string secret)
        {
            var salt = new byte[16];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(salt);
            var saltText = Convert.ToBase64String(salt);
            return new StoredSecret(applicationId, saltText, Compute(saltText, secret));
        }

        public bool Matches(string secret)
        {
            var a = Convert.FromBase64String(Hash);
            var b = Convert.FromBase64String(Compute(Salt, secret));
            int diff = a.Length ^ b.Length;
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }

        private static string Compute(string salt, string secret)
        {
            using var sha = SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(Convert.FromBase64String(salt).Concat(Encoding.UTF8.GetBytes(secret)).ToArray()));
        }
    }
}
