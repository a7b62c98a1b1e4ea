using System;
using System.IO;
using System.Linq;
using Xunit;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>Connect-EntraAppKit with a real credential against the local tenant's token endpoints, and Test-EntraAppCredential, through the cmdlets.</summary>
    public class SignInTests
    {
        [Fact]
        public void A_recipe_output_pipes_into_Test_EntraAppCredential()
        {
            using var s = new ModuleSession();
            var result = s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-KonnectDcrApp -WarningAction SilentlyContinue | Test-EntraAppCredential").Single();
            Assert.True((bool)result.Properties["Success"].Value, (string?)result.Properties["Error"].Value);
            Assert.Equal(new[] { "Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy" }, (string[])result.Properties["Roles"].Value);
            Assert.NotNull(result.Properties["SecretExpires"].Value);
        }

        [Fact]
        public void An_automation_app_signs_in_to_the_local_tenant_with_its_client_secret()
        {
            string path = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json");
            try
            {
                using var s = new ModuleSession();
                var app = s.RunClean($@"Connect-EntraAppKit -LocalTenant -Path '{path}' | Out-Null
                    New-EntraAppRegistration -Name Automation -ApplicationPermission Application.ReadWrite.OwnedBy -GrantAdminConsent -AsPlainText").Single();
                string clientId = (string)app.Properties["ClientId"].Value;
                string secret = (string)app.Properties["ClientSecret"].Value;
                var context = s.RunClean($@"$secret = [securestring]::new(); '{secret}'.ToCharArray() | ForEach-Object {{ $secret.AppendChar($_) }}
                    Connect-EntraAppKit -LocalTenant -Path '{path}' -ClientId {clientId} -ClientSecret $secret").Single();
                Assert.Equal(clientId, context.Properties["Account"].Value);
                Assert.Equal(new[] { "Application.ReadWrite.OwnedBy" }, (string[])context.Properties["Roles"].Value);
                Assert.Equal("ClientSecret", context.Properties["AuthenticationMethod"].Value);
                // It signed in at the login authority's URLs, which the local tenant answers in-process; its built-in administrator signs in nowhere.
                Assert.Equal("https://login.microsoftonline.com/ (in-process: LocalTenant)", context.Properties["AuthorityHost"].Value);

                // Least privilege: it may create an app of its own, but not grant consent.
                s.RunClean("New-WriteBackAppRegistration -Name 'Owned' -WarningAction SilentlyContinue | Out-Null");
                s.Run("New-KonnectDcrApp -LeastPrivilege");
                Assert.Equal("InsufficientPermissions,EntraAppKit.Commands.NewKonnectDcrAppCommand", s.Errors.Last().FullyQualifiedErrorId);
                Assert.Null(s.RunClean($"Connect-EntraAppKit -LocalTenant -Path '{path}'").Single().Properties["AuthorityHost"].Value);
            }
            finally { File.Delete(path); }
        }
    }
}
