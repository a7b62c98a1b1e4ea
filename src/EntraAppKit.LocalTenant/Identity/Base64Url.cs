using System;
using System.Text;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>base64url without padding (RFC 7515 section 2), the encoding of every JWT part.</summary>
    internal static class Base64Url
    {
        public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

        /// <summary>Decodes base64url; throws <see cref="FormatException"/> for anything else.</summary>
        public static byte[] Decode(string text)
        {
            string b64 = text.Replace('-', '+').Replace('_', '/');
            switch (b64.Length % 4)
            {
                case 0: break;
                case 2: b64 += "=="; break;
                case 3: b64 += "="; break;
                default: throw new FormatException("Not base64url.");
            }
            return Convert.FromBase64String(b64);
        }
    }
}
