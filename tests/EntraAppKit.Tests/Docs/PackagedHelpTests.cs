using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace EntraAppKit.Tests.Docs
{
    /// <summary>
    /// The help the build packs into the module, out/EntraAppKit/&lt;version&gt;/en-US/ (tools/HelpBuilder, run by PackageModule in
    /// src/EntraAppKit/EntraAppKit.csproj): the MAML against the built cmdlets (one command per exported cmdlet, every
    /// parameter described, one syntax item per parameter set, examples with code, related links) and the about topic as
    /// plain text. The element names and namespaces are those of the help PowerShell ships
    /// (https://learn.microsoft.com/powershell/scripting/developer/help/how-to-create-the-cmdlet-help-file).
    /// </summary>
    public sealed class PackagedHelpTests
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private static readonly Lazy<XDocument> Help = new Lazy<XDocument>(() => XDocument.Load(Path.Combine(HelpFolder, "EntraAppKit.dll-Help.xml")));

        private static string ModuleVersion => Regex.Match(File.ReadAllText(Path.Combine(DocumentationTests.RepositoryRoot, "EntraAppKit.psd1")),
            @"ModuleVersion\s*=\s*'(?<v>[^']+)'").Groups["v"].Value;

        private static string ModuleFolder => Path.Combine(DocumentationTests.RepositoryRoot, "out", "EntraAppKit", ModuleVersion);

        private static string HelpFolder => Path.Combine(ModuleFolder, "en-US");

        public static IEnumerable<object[]> Cmdlets() => DocumentationTests.Cmdlets();

        [Fact]
        public void The_MAML_is_well_formed_with_one_command_per_exported_cmdlet()
        {
            var root = Help.Value.Root!;
            Assert.Equal(Msh + "helpItems", root.Name);
            Assert.Equal("maml", (string?)root.Attribute("schema"));
            var names = root.Elements(Command + "command").Select(c => Text(c.Element(Command + "details")?.Element(Command + "name"))).ToList();
            Assert.Equal(DocumentationTests.ExportedCmdlets().OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(names.Count, root.Elements().Count());
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_MAML_command_has_its_name_synopsis_and_description(string cmdlet)
        {
            var command = CommandOf(cmdlet);
            var details = command.Element(Command + "details")!;
            Assert.Equal(cmdlet.Split('-')[0], Text(details.Element(Command + "verb")));
            Assert.Equal(cmdlet.Split('-')[1], Text(details.Element(Command + "noun")));
            Assert.False(string.IsNullOrWhiteSpace(Paragraphs(details.Element(Maml + "description"))), $"{cmdlet}: the synopsis is empty");
            string description = Paragraphs(command.Element(Maml + "description"));
            Assert.True(description.Length > 100, $"{cmdlet}: the description is '{description}'");
            Assert.DoesNotContain("](", description, StringComparison.Ordinal); // markdown links are plain text in help
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_MAML_describes_every_parameter_of_the_cmdlet(string cmdlet)
        {
            var model = DocumentationTests.Surface.Value.Single(c => c.Name == cmdlet);
            var parameters = CommandOf(cmdlet).Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
            Assert.Equal(model.DocumentedParameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal),
                parameters.Select(p => Text(p.Element(Maml + "name"))).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var p in parameters)
            {
                string name = Text(p.Element(Maml + "name"));
                var parameter = model.DocumentedParameters.Single(x => x.Name == name);
                Assert.False(string.IsNullOrWhiteSpace(Paragraphs(p.Element(Maml + "description"))), $"{cmdlet} -{name} has no description");
                Assert.Equal(parameter.TypeName, Text(p.Element(Dev + "type")?.Element(Maml + "name")));
                // Get-Help reads 'required' as a Boolean: true only where the parameter is mandatory in every set.
                Assert.Equal(parameter.Sets.All(s => s.Mandatory) ? "true" : "false", (string?)p.Attribute("required"));
                Assert.Equal(parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases), (string?)p.Attribute("aliases"));
                // A switch has no value; every other parameter names its type after the name (-Name <String>).
                Assert.Equal(parameter.Type == "SwitchParameter" ? null : parameter.TypeName, (string?)p.Element(Command + "parameterValue"));
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_MAML_syntax_has_one_item_per_parameter_set_in_the_cmdlets_order(string cmdlet)
        {
            var model = DocumentationTests.Surface.Value.Single(c => c.Name == cmdlet);
            var items = CommandOf(cmdlet).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            Assert.Equal(model.Sets.Count, items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                var expected = model.InSet(model.Sets[i]).ToList();
                var names = expected.Select(x => x.Parameter.Name).ToList();
                if (model.SupportsShouldProcess) names.AddRange(new[] { "WhatIf", "Confirm" });
                var actual = items[i].Elements(Command + "parameter").ToList();
                Assert.Equal(cmdlet, Text(items[i].Element(Maml + "name")));
                Assert.Equal(names, actual.Select(p => Text(p.Element(Maml + "name"))));
                foreach (var (parameter, entry) in expected)
                {
                    var element = actual.Single(p => Text(p.Element(Maml + "name")) == parameter.Name);
                    Assert.Equal(entry.Mandatory ? "true" : "false", (string?)element.Attribute("required"));
                    Assert.Equal(entry.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named", (string?)element.Attribute("position"));
                }
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_MAML_has_at_least_two_examples_with_code_and_remarks(string cmdlet)
        {
            var examples = CommandOf(cmdlet).Element(Command + "examples")!.Elements(Command + "example").ToList();
            Assert.True(examples.Count >= 2, $"{cmdlet} has {examples.Count} example(s)");
            for (int i = 0; i < examples.Count; i++)
            {
                Assert.Contains($"Example {i + 1}", Text(examples[i].Element(Maml + "title")), StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(Text(examples[i].Element(Dev + "code"))), $"{cmdlet} example {i + 1} has no code");
                Assert.False(string.IsNullOrWhiteSpace(Paragraphs(examples[i].Element(Dev + "remarks"))), $"{cmdlet} example {i + 1} has no remarks");
            }
            Assert.True(examples.Count(e => Text(e.Element(Dev + "code")).Contains(cmdlet, StringComparison.OrdinalIgnoreCase)) >= 2, $"fewer than two examples of {cmdlet} run it");
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_MAML_has_related_links_inputs_outputs_and_notes(string cmdlet)
        {
            var command = CommandOf(cmdlet);
            var links = command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
                .Select(l => (Text: Text(l.Element(Maml + "linkText")), Uri: Text(l.Element(Maml + "uri")))).ToList();
            Assert.Contains(links, l => l.Text == "about_EntraAppKit" && l.Uri.Length == 0);
            Assert.All(links, l => Assert.False(string.IsNullOrWhiteSpace(l.Text)));
            Assert.All(links.Where(l => l.Uri.Length > 0), l => Assert.True(Uri.TryCreate(l.Uri, UriKind.Absolute, out var u) && u.Scheme == "https", $"{cmdlet}: '{l.Uri}' is not an https address"));
            var model = DocumentationTests.Surface.Value.Single(c => c.Name == cmdlet);
            Assert.Equal(model.InputTypes.OrderBy(t => t, StringComparer.Ordinal),
                command.Element(Command + "inputTypes")!.Elements(Command + "inputType").Select(t => Text(t.Element(Dev + "type")?.Element(Maml + "name"))).OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal(model.OutputTypes.OrderBy(t => t, StringComparer.Ordinal),
                command.Element(Command + "returnValues")!.Elements(Command + "returnValue").Select(t => Text(t.Element(Dev + "type")?.Element(Maml + "name"))).OrderBy(t => t, StringComparer.Ordinal));
            Assert.False(string.IsNullOrWhiteSpace(Paragraphs(command.Element(Maml + "alertSet")?.Element(Maml + "alert"))), $"{cmdlet} has no notes");
        }

        [Fact]
        public void The_about_topic_is_plain_text_with_the_sections_Get_Help_shows()
        {
            string path = Path.Combine(HelpFolder, "about_EntraAppKit.help.txt");
            var lines = File.ReadAllLines(path);
            Assert.Equal(new[] { "TOPIC", "    about_EntraAppKit" }, lines.Take(2));
            foreach (var section in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "EXAMPLES", "NOTE", "TROUBLESHOOTING NOTE", "SEE ALSO", "KEYWORDS" })
                Assert.Contains(section, lines);
            foreach (var cmdlet in DocumentationTests.ExportedCmdlets()) Assert.Contains(lines, l => l.Contains(cmdlet, StringComparison.Ordinal));
            var problems = lines.Select((l, i) => (Line: l, Number: i + 1))
                // Prose wraps at 80 columns (a single word longer than a line, such as an address, stays whole); code is as written.
                .Where(x => x.Line.Length > 80 && x.Line.Trim().Contains(' ', StringComparison.Ordinal) && !x.Line.StartsWith("        ", StringComparison.Ordinal)
                    || x.Line.StartsWith("#", StringComparison.Ordinal) || x.Line.Contains("```", StringComparison.Ordinal)
                    || x.Line.Contains("](", StringComparison.Ordinal) || x.Line.Contains("**", StringComparison.Ordinal))
                .Select(x => $"{x.Number}: {x.Line}").ToList();
            Assert.True(problems.Count == 0, "lines that are markdown or too long:\n" + string.Join("\n", problems));
        }

        [Fact]
        public void The_packaged_help_is_what_the_builder_makes_from_docs_now_and_the_zip_has_it()
        {
            string first = Path.Combine(Path.GetTempPath(), "entraappkit-help-" + Guid.NewGuid().ToString("N"));
            string second = first + "-again";
            try
            {
                var written = HelpBuilder.Program.Build(Path.Combine(DocumentationTests.RepositoryRoot, "docs"), first);
                HelpBuilder.Program.Build(Path.Combine(DocumentationTests.RepositoryRoot, "docs"), second);
                Assert.Equal(new[] { "EntraAppKit.dll-Help.xml", "about_EntraAppKit.help.txt" }, written.Select(Path.GetFileName));
                using var zip = ZipFile.OpenRead(Path.Combine(DocumentationTests.RepositoryRoot, "out", "EntraAppKit.zip"));
                foreach (var file in written.Select(Path.GetFileName))
                {
                    var made = File.ReadAllBytes(Path.Combine(first, file!));
                    Assert.Equal(made, File.ReadAllBytes(Path.Combine(second, file!))); // deterministic
                    Assert.True(made.SequenceEqual(File.ReadAllBytes(Path.Combine(HelpFolder, file!))), $"{file} in the module is not what docs/ gives now: rebuild");
                    var entry = zip.GetEntry($"EntraAppKit/{ModuleVersion}/en-US/{file}");
                    Assert.True(entry != null, $"out/EntraAppKit.zip has no en-US/{file}");
                    using var stream = entry!.Open();
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    Assert.True(made.SequenceEqual(copy.ToArray()), $"{file} in out/EntraAppKit.zip is not what docs/ gives now: rebuild");
                }
            }
            finally
            {
                foreach (var folder in new[] { first, second })
                    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }

        private static XElement CommandOf(string cmdlet) =>
            Help.Value.Root!.Elements(Command + "command").SingleOrDefault(c => Text(c.Element(Command + "details")?.Element(Command + "name")) == cmdlet)
            ?? throw new Xunit.Sdk.XunitException($"EntraAppKit.dll-Help.xml has no command:command for {cmdlet}");

        private static string Text(XElement? element) => element?.Value.Trim() ?? "";

        private static string Paragraphs(XElement? element) =>
            element == null ? "" : string.Join("\n", element.Elements(Maml + "para").Select(p => p.Value.Trim()).Where(p => p.Length > 0));
    }
}
