using System.Linq;
using Xunit;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>Tab completion in the real engine (TabExpansion2): permission names by kind, the tenant's verified domains, -Environment.</summary>
    public class CompletionTests
    {
        private static string[] Complete(ModuleSession s, string input, string field = "CompletionText") =>
            s.RunClean($"(TabExpansion2 -inputScript '{input.Replace("'", "''")}' -cursorColumn {input.Length}).CompletionMatches.{field}")
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

        [Fact]
        public void Client_ids_complete_from_the_tenants_apps_and_names_find_their_ids()
        {
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            string server = (string)s.RunClean("(New-CmgServerApp -Name 'CMG Completion').ClientId").Single().BaseObject;
            string other = (string)s.RunClean("(New-WriteBackAppRegistration -Name 'Other App' -WarningAction SilentlyContinue).ClientId").Single().BaseObject;
            // By client id prefix, with the display name in the list.
            Assert.Equal(new[] { server }, Complete(s, "New-CmgClientApp -ServerClientId " + server.Substring(0, 8)));
            Assert.Contains($"{other} (Other App)", Complete(s, "Grant-AdminConsent -ClientId " + other.Substring(0, 6), "ListItemText"));
            // Names complete from existing registrations, quoted when they hold a space.
            Assert.Equal(new[] { "'CMG Completion'" }, Complete(s, "Get-EntraAppRegistration -DisplayName CMG"));
            Assert.Contains("'CMG Completion'", Complete(s, "New-CmgServerApp -Name CMG"));
        }

        [Fact]
        public void Key_ids_complete_from_the_app_named_by_ClientId_with_what_each_credential_is()
        {
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            string app = (string)s.RunClean("(New-WriteBackAppRegistration -Name 'Key Completion' -WarningAction SilentlyContinue).ClientId").Single().BaseObject;
            string second = s.RunClean($"(New-EntraAppSecret -ClientId {app} -DisplayName 'rotation 2').KeyId").Single().BaseObject.ToString()!;
            var items = Complete(s, $"Remove-EntraAppCredential -ClientId {app} -KeyId ", "ListItemText");
            Assert.Equal(2, items.Length);
            Assert.Contains(items, i => i.StartsWith(second + " (secret 'rotation 2", System.StringComparison.Ordinal) && i.Contains(", valid, ends "));
            Assert.Equal(new[] { second }, Complete(s, $"Remove-EntraAppCredential -ClientId {app} -KeyId {second.Substring(0, 6)}"));
            Assert.Empty(Complete(s, "Remove-EntraAppCredential -KeyId ")); // no app named yet: nothing to offer
        }

        [Fact]
        public void Grant_AdminConsent_offers_the_apps_own_permissions_and_Graph_names_complete_with_the_API()
        {
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            string app = (string)s.RunClean("(New-EntraAppRegistration -Name 'Needs Mail' -DelegatedPermission User.Read, Mail.Send -ApplicationPermission User.Read.All -NoSecret).ClientId").Single().BaseObject;
            Assert.Equal(new[] { "Mail.Send", "User.Read", "User.Read.All" }, Complete(s, $"Grant-AdminConsent -ClientId {app} -Permission ").OrderBy(x => x));
            Assert.Equal(new[] { "User.Read", "User.Read.All" }, Complete(s, $"Grant-AdminConsent -ClientId {app} -Permission User").OrderBy(x => x));
            Assert.Contains("'Microsoft Graph/User.Read'", Complete(s, "New-EntraAppRegistration -Name x -DelegatedPermission 'Microsoft Graph/User.Re"));
        }
    }
}
