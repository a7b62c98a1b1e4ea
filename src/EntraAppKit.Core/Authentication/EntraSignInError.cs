using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Authentication;
using System.Text.RegularExpressions;

namespace EntraAppKit.Core.Authentication
{
    /// <summary>
    /// Entra's own answer to a refused sign-in, from Azure.Identity's exception: the "AADSTS…: text" part first, without MSAL's
    /// preamble or the trace and correlation ids (learn.microsoft.com/entra/identity-platform/reference-error-codes).
    /// A sign-in that never reached the authority because TLS failed says so instead.
    /// </summary>
    public static class EntraSignInError
    {
        private static readonly Regex Aadsts = new Regex(@"AADSTS\d+:.*?(?=\s+Trace ID:|$)", RegexOptions.Singleline | RegexOptions.CultureInvariant);

        public static string Describe(Exception e)
        {
            foreach (var x in Chain(e))
            {
                var m = Aadsts.Match(x.Message);
                if (m.Success) return m.Value.Trim();
            }
            // Azure.Core retries a failed connection and reports "Retry failed after 4 tries" with the outer HttpRequestException
            // texts ("The SSL connection could not be established, see inner exception"): the reason is in the innermost one.
            var tls = TlsFailure(e);
            if (tls != null)
                return $"the TLS connection to the login authority failed: {Sentence(tls.Message)} If the authority's certificate is not trusted, trust its certificate authority (Linux and macOS: SSL_CERT_FILE when PowerShell starts; Windows: Cert:\\CurrentUser\\Root).";
            return (e.InnerException ?? e).Message;
        }

        // .NET's "...certificate chain: PartialChain" has no full stop; the advice after it starts a sentence.
        private static string Sentence(string text)
        {
            text = text.Trim();
            return text.EndsWith(".", StringComparison.Ordinal) ? text : text + ".";
        }

        /// <summary>The TLS handshake failure (an untrusted certificate, a name mismatch) behind a failed sign-in, or null.</summary>
        public static AuthenticationException? TlsFailure(Exception e) => Chain(e).OfType<AuthenticationException>().FirstOrDefault();

        /// <summary>The exception and every inner one, through AggregateException's several (Azure.Core's retries).</summary>
        private static IEnumerable<Exception> Chain(Exception e)
        {
            var pending = new Queue<Exception>();
            pending.Enqueue(e);
            while (pending.Count > 0)
            {
                var x = pending.Dequeue();
                yield return x;
                if (x is AggregateException aggregate) foreach (var inner in aggregate.InnerExceptions) pending.Enqueue(inner);
                else if (x.InnerException != null) pending.Enqueue(x.InnerException);
            }
        }
    }
}
