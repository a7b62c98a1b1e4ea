using System.Security.Cryptography;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>Ids of grants, assignments and device codes look like Graph's: 43 URL-safe base64 characters.</summary>
    internal static class OpaqueId
    {
        public static string New()
        {
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return Base64Url.Encode(bytes);
        }
    }
}
