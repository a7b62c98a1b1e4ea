using System.Security.Cryptography;
using System.Text;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>SHA-256 of a text in a given encoding: PKCE's S256 and c_hash (ASCII), pairwise subjects and session states (UTF-8).</summary>
    internal static class Hashes
    {
        public static byte[] Sha256(string text, Encoding encoding)
        {
            using var sha = SHA256.Create();
            return sha.ComputeHash(encoding.GetBytes(text));
        }
    }
}
