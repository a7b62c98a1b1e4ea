using System;
using System.Text.RegularExpressions;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>
    /// Entra's own answer to a refused sign-in, from Azure.Identity's exception: the "AADSTS…: text" part first, without MSAL's
    /// preamble or the trace and correlation ids (learn.microsoft.com/entra/identity-platform/reference-error-codes).
    /// </summary>
    public static class EntraSignInError
    {
        private static readonly Regex Aadsts = new Regex(@"AADSTS\d+:.*?(?=\s+Trace ID:|$)", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        public static string Describe(Exception e)
        {
            for (var x = e; x != null; x = x.InnerException)
            {
                var m = Aadsts.Match(x.Message);
                if (m.Success) return m.Value.Trim();
            }
            return (e.InnerException ?? e).Message;
        }
    }
}
