using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>Reading the authorization endpoint's answers as a script does: the pages' fields and form action, their text, and the redirect's parameters.</summary>
    public static class SignInPages
    {
        public static string Field(string html, string name)
        {
            var m = Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"");
            Assert.True(m.Success, $"No field {name} in: {html}");
            return WebUtility.HtmlDecode(m.Groups[1].Value);
        }

        public static string FormAction(string html) => WebUtility.HtmlDecode(Regex.Match(html, "<form method=\"post\" action=\"([^\"]*)\"").Groups[1].Value);

        public static string PageText(GraphCall call) => WebUtility.HtmlDecode(Regex.Replace(call.Text, "<[^>]+>", " "));

        /// <summary>The parameters of a redirect's query or fragment.</summary>
        public static Dictionary<string, string> Returned(GraphCall call, string expectedTarget, char separator)
        {
            Assert.True(call.Status == 302, call.ToString());
            string location = call.Header("Location")!;
            Assert.StartsWith(expectedTarget + separator, location);
            return location.Substring(expectedTarget.Length + 1).Split('&')
                .Select(p => p.Split('=', 2)).ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p[1]));
        }
    }
}
