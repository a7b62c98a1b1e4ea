using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using EntraAppKit.PesterSupport;
using Xunit;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>What a user sees around the writes: -Confirm answers, progress, warnings, and the object that may carry a secret.</summary>
    public class PromptTests
    {
        [Fact]
        public void Declining_one_step_of_Confirm_changes_nothing_and_says_so()
        {
            var host = new RecordingHost();
            host.Answer("Yes", "Yes", "No"); // create the app? yes; its service principal? yes; the secret? no
            using var s = new ModuleSession(host: host);
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            var output = s.RunClean("New-WriteBackAppRegistration -Name 'Declined' -Confirm");
            Assert.Empty(output);
            Assert.Equal(0, host.AnswersLeft);
            var warning = Assert.Single(s.Warnings, w => w.StartsWith("Nothing was changed", StringComparison.Ordinal));
            Assert.Contains("Add client secret", warning);
            Assert.Empty(s.RunClean("Get-EntraAppRegistration -DisplayName 'Declined*'"));
        }

        [Fact]
        public void WhatIf_lists_each_change_and_leaves_no_progress_bar_behind()
        {
            var host = new RecordingHost();
            using var s = new ModuleSession(host: host);
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            Assert.Empty(s.RunClean("New-KonnectDcrApp -Name 'WhatIf Progress' -WhatIf"));
            var lines = host.TakeLines();
            Assert.Contains(lines, l => l.StartsWith("What if: Create application 'WhatIf Progress'", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("Grant admin consent for Microsoft Graph Application.ReadWrite.OwnedBy (Application)"));
            Assert.DoesNotContain(s.Warnings, w => w.StartsWith("Nothing was changed", StringComparison.Ordinal)); // -WhatIf is not a refusal
            Assert.Equal(ProgressRecordType.Completed, host.TakeProgress().Last().RecordType);
        }

        [Fact]
        public void Progress_names_each_step_as_it_happens_and_completes()
        {
            var host = new RecordingHost();
            using var s = new ModuleSession(host: host);
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null; New-RewstAppRegistration -Name 'Stepped' -PreConsent | Out-Null");
            var progress = host.TakeProgress();
            var steps = progress.Select(p => p.StatusDescription).ToList();
            Assert.Equal(new[] { "Reading the tenant", "Applying 4 change(s)", "Creating the application 'Stepped'", "Creating the service principal of 'Stepped'",
                "Granting admin consent to 'Stepped'", $"Adding the client secret 'Rewst {DateTimeOffset.UtcNow:yyyy-MM-dd}'", "Done" }, steps);
            Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
        }

        [Fact]
        public void The_object_with_the_secret_is_out_before_a_warning_can_stop_the_command()
        {
            // A warning that must be answered, in a session that cannot answer: the command stops at the warning.
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            var output = s.Run("New-WriteBackAppRegistration -Name 'Inquired' -WarningAction Inquire");
            var app = Assert.Single(output);
            Assert.IsType<SecureString>(app.Properties["ClientSecret"].Value);
            Assert.NotEmpty(s.Errors); // the prompt failed, after the object was written
        }

        [Fact]
        public void A_secret_made_mid_pipeline_is_said_to_travel_down_it_and_stays_reachable()
        {
            using var s = new ModuleSession();
            s.RunClean("Connect-EntraAppKit -LocalTenant | Out-Null");
            var client = s.RunClean("New-CmgServerApp -Name 'Piped Server' | New-CmgClientApp -Name 'Piped Client'").Single();
            Assert.Contains(s.Warnings, w => w.Contains("new client secret of 'Piped Server'") && w.Contains("next command in the pipeline"));
            var server = (PSObject)client.Properties["ServerApp"].Value;
            Assert.IsType<SecureString>(server.Properties["SecretKey"].Value);

            var added = s.RunClean("New-WriteBackAppRegistration -Name 'Piped WBE' -AsPlainText -WarningAction SilentlyContinue | Add-WriteBackRedirectUri -Uri https://wbe.contoso.com/cb").Single();
            Assert.IsType<string>(added.Properties["ClientSecret"].Value); // passed on, as text since that was asked for
        }
    }
}
