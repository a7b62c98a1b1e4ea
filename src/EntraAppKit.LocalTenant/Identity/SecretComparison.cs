using System.Text;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// Compares a secret a caller sent with the one expected (the managed identity's IDENTITY_HEADER, the administrator's
    /// runtime password) in constant time: both are hashed first, so neither the time taken nor the lengths tell how much
    /// of the secret was right. netstandard2.0 has no CryptographicOperations.FixedTimeEquals.
    /// </summary>
    internal static class SecretComparison
    {
        public static bool AreEqual(string expected, string given)
        {
            byte[] a = Hashes.Sha256(expected, Encoding.UTF8), b = Hashes.Sha256(given, Encoding.UTF8);
            int difference = 0;
            for (int i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }
    }
}
