using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>
    /// Get-Help in the real engine against the packaged module: for every exported cmdlet, -Full shows the synopsis, the
    /// description and every parameter's description from docs/, -Examples shows every example's code from docs/, and
    /// Get-Help about_EntraAppKit shows the about topic as plain text. Without the MAML, Get-Help would show only the syntax.
    /// The text is what a console shows: the help goes through Out-Host to <see cref="EntraAppKit.PesterSupport.RecordingHost"/>.
    /// </summary>
    public sealed class HelpTests : IClassFixture<HelpSession>
    {
        private static readonly string Root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ModuleSession.Manifest)!, "..", "..", ".."));

        private readonly HelpSession _s;

        public HelpTests(HelpSession help) => _s = help;

        public static IEnumerable<object[]> Cmdlets()
        {
            var manifest = File.ReadAllText(ModuleSession.Manifest);
            return Regex.Matches(Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<l>[^)]*)\)").Groups["l"].Value, "'([^']+)'")
                .Select(m => new object[] { m.Groups[1].Value });
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Get_Help_Full_shows_the_synopsis_description_and_every_parameters_description(string cmdlet)
        {
            string full = Flat(Text($"Get-Help {cmdlet} -Full"));
            Assert.DoesNotContain("cannot find the Help files", full, StringComparison.Ordinal);
            string page = Page(cmdlet);
            Assert.Contains(Flat(Regex.Match(page, @"## SYNOPSIS\n(?<s>[^\n]+)").Groups["s"].Value), full, StringComparison.Ordinal);
            string description = Regex.Match(page, @"## DESCRIPTION\n(?<d>[^\n]+)").Groups["d"].Value;
            Assert.Contains(Flat(description), full, StringComparison.Ordinal);

            // The cmdlet's own parameters as the engine binds them, WhatIf and Confirm included where it supports ShouldProcess;
            // DontShow parameters are pipeline plumbing, hidden from help as from completion.
            var parameters = Regex.Split(_s.Show($"(Get-Command {cmdlet}).Parameters.Values | Where-Object {{ $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and " +
                    "@($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and -not $_.DontShow }).Count -gt 0 } | ForEach-Object Name"), @"\s+")
                .Where(p => p.Length > 0).ToList();
            foreach (var parameter in parameters)
            {
                string block = Regex.Match(page, $@"### -{parameter}\n(?<d>[^\n]+)").Groups["d"].Value;
                Assert.False(block.Length == 0, $"docs/{cmdlet}.md has no description of -{parameter}");
                Assert.Contains(Flat(StripLinks(block)), full, StringComparison.Ordinal);
            }
            Assert.Matches(@"RELATED LINKS .*about_EntraAppKit", full);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Get_Help_Examples_shows_every_example_of_the_page(string cmdlet)
        {
            string examples = Flat(Text($"Get-Help {cmdlet} -Examples"));
            var section = Regex.Match(Page(cmdlet), @"## EXAMPLES\n(?<e>.*?)\n## PARAMETERS", RegexOptions.Singleline).Groups["e"].Value;
            var titles = Regex.Matches(section, @"^### (?<t>.+)$", RegexOptions.Multiline).Select(m => m.Groups["t"].Value).ToList();
            var code = Regex.Matches(section, @"```powershell\n(?<c>.*?)```", RegexOptions.Singleline).Select(m => m.Groups["c"].Value).ToList();
            Assert.True(titles.Count >= 2, $"docs/{cmdlet}.md has {titles.Count} example(s)");
            foreach (var title in titles) Assert.Contains(Flat(title), examples, StringComparison.Ordinal);
            foreach (var c in code) Assert.Contains(Flat(c), examples, StringComparison.Ordinal);
            Assert.DoesNotContain("PARAMETERS", examples, StringComparison.Ordinal); // -Examples is the examples only
        }

        [Fact]
        public void Get_Help_about_EntraAppKit_shows_the_topic_as_text_not_markdown()
        {
            string text = Text("Get-Help about_EntraAppKit");
            Assert.StartsWith("TOPIC", text.TrimStart(), StringComparison.Ordinal);
            foreach (var heading in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "SEE ALSO" })
                Assert.Matches(new Regex("^" + heading + "$", RegexOptions.Multiline), text.Replace("\r", "", StringComparison.Ordinal));
            Assert.DoesNotContain("```", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(new Regex(@"^#", RegexOptions.Multiline), text);
            Assert.DoesNotContain("](", text, StringComparison.Ordinal);
        }

        private string Text(string command) => _s.Show(command);

        private static string Page(string cmdlet) => File.ReadAllText(Path.Combine(Root, "docs", cmdlet + ".md")).Replace("\r\n", "\n", StringComparison.Ordinal);

        /// <summary>Whitespace as single spaces: Get-Help indents and breaks lines its own way.</summary>
        private static string Flat(string text) => Regex.Replace(text, @"\s+", " ").Trim();

        private static string StripLinks(string markdown) =>
            Regex.Replace(Regex.Replace(markdown, @"\[([^\]]+)\]\((https?://[^)]+)\)", "$1 ($2)"), @"\[([^\]]+)\]\([^)]+\)", "$1");
    }
}
