using System.Linq;
using Xunit;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>Tab completion in the real engine (TabExpansion2): permission names by kind, the tenant's verified domains, -Environment.</summary>
    public class CompletionTests
    {
        private static string[] Complete(ModuleSession s, string input) =>
            s.RunClean($"(TabExpansion2 -inputScript '{input.Replace("'", "''")}' -cursorColumn {input.Length}).CompletionMatches.CompletionText")
                .Where(o => o != null).Select(o => (string)o.BaseObject).ToArray();

        [Fact]
        public void Permission_names_complete_by_kind()
        {
            using var s = new ModuleSession();
            var delegated = Complete(s, "New-RewstAppRegistration -DelegatedPermission Mail.Rea");
            Assert.Contains("Mail.Read", delegated);
            Assert.Contains("Mail.ReadWrite", delegated);
            Assert.All(delegated, d => Assert.StartsWith("Mail.Rea", d, System.StringComparison.OrdinalIgnoreCase));
            Assert.Contains("Application.ReadWrite.OwnedBy", Complete(s, "New-EntraAppRegistration -Name x -ApplicationPermission Application.ReadWrite.O"));
            Assert.DoesNotContain("Application.ReadWrite.OwnedBy", Complete(s, "New-EntraAppRegistration -Name x -DelegatedPermission Application.ReadWrite.O")); // application only
        }

        [Fact]
        public void Verified_domains_and_environments_complete()
        {
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            Assert.Equal(new[] { "contoso.onmicrosoft.com" }, Complete(s, "New-CmgServerApp -AppIdUriDomain cont"));
            Assert.Equal(new[] { "USGov", "USGovDoD" }, Complete(s, "Connect-EntraAppKit -Environment USG"));
        }
    }
}
