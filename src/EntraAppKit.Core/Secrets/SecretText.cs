using System.Runtime.InteropServices;
using System.Security;

namespace EntraAppKit.Core.Secrets
{
    /// <summary>Secrets leave the core as SecureString; plain text only when the user asks (-AsPlainText).</summary>
    public static class SecretText
    {
        /// <summary>A read-only SecureString of <paramref name="text"/>; null for null.</summary>
        public static SecureString? ToSecureString(string? text)
        {
            if (text == null) return null;
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>The secret's text, for the moment a credential needs it; never logged.</summary>
        public static string ToPlainText(SecureString secret)
        {
            var ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try { return Marshal.PtrToStringUni(ptr)!; }
            finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
        }

        /// <summary>What an output property carries: the SecureString, or its text with -AsPlainText; null stays null.</summary>
        public static object? Present(SecureString? secret, bool asPlainText) =>
            secret == null || !asPlainText ? secret : ToPlainText(secret);
    }
}
