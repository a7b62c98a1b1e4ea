using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace EntraAppKit.Tests.Docs
{
    /// <summary>
    /// docs/&lt;Cmdlet&gt;.md (platyPS markdown, schema 2.0.0; tools/HelpBuilder turns it into en-US/EntraAppKit.dll-Help.xml in every build) against the
    /// built cmdlets, read with MetadataLoadContext as in CmdletContractTests (PowerShellStandard's attribute stubs give wrong
    /// values through normal reflection). The docs must name every parameter the cmdlet has (inherited ones included) and no
    /// other, with the metadata platyPS writes (type, parameter sets, aliases, accepted values, required, position, pipeline
    /// input, wildcards), one SYNTAX block per parameter set, at least two examples that run the cmdlet, and its output types.
    /// .ci/powershell-syntax/check.mjs checks every example's parameters against these docs, so keeping them equal to the
    /// metadata here keeps the examples honest too.
    /// After changing a cmdlet, run these tests with ENTRAAPPKIT_DOCS_DUMP set to a folder: each cmdlet's SYNTAX section and
    /// parameter blocks, as the assembly has them, are written there as &lt;Cmdlet&gt;.md to paste from.
    /// </summary>
    public sealed class DocumentationTests
    {
        private const string AllSets = "__AllParameterSets";
        /// <summary>The cmdlets of the built EntraAppKit.dll as PowerShell binds them (PackagedHelpTests compares the MAML with them too).</summary>
        internal static readonly Lazy<IReadOnlyList<CmdletModel>> Surface = new Lazy<IReadOnlyList<CmdletModel>>(ReadSurface);

        private static readonly string[] Sections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        internal static string RepositoryRoot => Path.GetFullPath(typeof(DocumentationTests).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!);

        private static string DocsDirectory => Path.Combine(RepositoryRoot, "docs");

        /// <summary>CmdletsToExport of EntraAppKit.psd1 (CmdletContractTests keeps it equal to the assembly's cmdlets).</summary>
        internal static IReadOnlyList<string> ExportedCmdlets()
        {
            string psd1 = File.ReadAllText(Path.Combine(RepositoryRoot, "EntraAppKit.psd1"));
            var block = Regex.Match(psd1, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
            return Regex.Matches(block, @"'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        }

        public static IEnumerable<object[]> Cmdlets() => ExportedCmdlets().Select(n => new object[] { n });

        [Fact]
        public void Every_exported_cmdlet_has_a_doc_and_every_cmdlet_doc_is_an_exported_cmdlet()
        {
            var exported = ExportedCmdlets();
            Assert.NotEmpty(exported);
            var problems = new List<string>();
            foreach (var name in exported)
                if (!File.Exists(Path.Combine(DocsDirectory, name + ".md"))) problems.Add($"{name}: docs/{name}.md is missing");
            foreach (var model in Surface.Value)
                if (!exported.Contains(model.Name, StringComparer.Ordinal)) problems.Add($"{model.Name} is a cmdlet in EntraAppKit.dll but not in CmdletsToExport");
            if (Directory.Exists(DocsDirectory))
                foreach (var file in Directory.GetFiles(DocsDirectory, "*.md"))
                {
                    string name = Path.GetFileNameWithoutExtension(file);
                    // Cmdlet pages are Verb-Noun.md; about_ topics and project docs (ARCHITECTURE.md) are not.
                    if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase) || !name.Contains('-')) continue;
                    if (!exported.Contains(name, StringComparer.Ordinal)) problems.Add($"docs/{name}.md documents {name}, which EntraAppKit does not export");
                }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void The_about_topic_exists_with_the_sections_Get_Help_shows()
        {
            string path = Path.Combine(DocsDirectory, "about_EntraAppKit.md");
            Assert.True(File.Exists(path), "docs/about_EntraAppKit.md is missing");
            var doc = MarkdownDoc.Parse(File.ReadAllText(path));
            Assert.True(doc.Title == "about_EntraAppKit", $"docs/about_EntraAppKit.md: the first heading must be '# about_EntraAppKit', not '# {doc.Title}'");
            foreach (var section in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "SEE ALSO" })
                Assert.True(doc.Section(section) != null, $"docs/about_EntraAppKit.md has no '## {section}' section");
            Assert.False(string.IsNullOrWhiteSpace(doc.Section("SHORT DESCRIPTION")!.Text), "docs/about_EntraAppKit.md: SHORT DESCRIPTION is empty");
            foreach (var name in ExportedCmdlets())
                Assert.True(doc.Body.Contains(name, StringComparison.Ordinal), $"docs/about_EntraAppKit.md never mentions {name}");
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Doc_follows_the_platyPS_schema(string cmdlet)
        {
            var (_, doc) = Load(cmdlet);
            var problems = new List<string>();
            var front = doc.FrontMatter;
            void Expect(string key, string value)
            {
                if (!front.TryGetValue(key, out var actual)) problems.Add($"front matter has no '{key}:'");
                else if (actual != value) problems.Add($"front matter '{key}: {actual}' should be '{key}: {value}'");
            }
            Expect("external help file", "EntraAppKit.dll-Help.xml");
            Expect("Module Name", "EntraAppKit");
            Expect("online version", "");
            Expect("schema", "2.0.0");
            if (doc.Title != cmdlet) problems.Add($"the first heading is '# {doc.Title}', not '# {cmdlet}'");
            var order = doc.Sections.Select(s => s.Title).ToList();
            if (!order.SequenceEqual(Sections))
                problems.Add($"sections are [{string.Join(", ", order)}]; platyPS expects [{string.Join(", ", Sections)}]");
            foreach (var name in new[] { "SYNOPSIS", "DESCRIPTION" })
                if (string.IsNullOrWhiteSpace(doc.Section(name)?.Text)) problems.Add($"## {name} is empty");
            if (doc.Body.Contains("{{", StringComparison.Ordinal)) problems.Add("a {{ placeholder }} is left");
            if (doc.Section("PARAMETERS")?.Subsections.Any(s => s.Title == "CommonParameters") != true) problems.Add("## PARAMETERS has no '### CommonParameters'");
            Report(cmdlet, problems);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Doc_documents_every_parameter_and_no_other(string cmdlet)
        {
            var (model, doc) = Load(cmdlet);
            var documented = ParameterBlocks(doc).Select(b => b.Title.Substring(1)).ToList();
            var expected = model.DocumentedParameters.Select(p => p.Name).ToList();
            var problems = new List<string>();
            foreach (var name in expected.Where(n => !documented.Contains(n, StringComparer.Ordinal)))
                problems.Add($"-{name} has no '### -{name}' block in ## PARAMETERS");
            foreach (var name in documented.Where(n => !expected.Contains(n, StringComparer.Ordinal)))
                problems.Add($"'### -{name}' documents a parameter {cmdlet} does not have");
            foreach (var name in documented.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
                problems.Add($"-{name} is documented {documented.Count(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))} times");
            foreach (var block in ParameterBlocks(doc).Where(b => string.IsNullOrWhiteSpace(b.Text)))
                problems.Add($"{block.Title} has no description");
            Report(cmdlet, problems);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Doc_parameter_metadata_matches_the_cmdlet(string cmdlet)
        {
            var (model, doc) = Load(cmdlet);
            Dump(model);
            var problems = new List<string>();
            var blocks = ParameterBlocks(doc).ToDictionary(b => b.Title.Substring(1), StringComparer.Ordinal);
            foreach (var p in model.DocumentedParameters)
            {
                if (!blocks.TryGetValue(p.Name, out var block)) continue; // reported by Doc_documents_every_parameter_and_no_other
                var yaml = block.CodeBlocks.Where(c => c.Language == "yaml").Select(c => ParseYaml(c.Text)).ToList();
                if (yaml.Count == 0) { problems.Add($"-{p.Name} has no ```yaml metadata block"); continue; }
                var expected = p.MetadataGroups().ToList();
                if (yaml.Count != expected.Count)
                    problems.Add($"-{p.Name} has {yaml.Count} yaml block(s); its parameter sets need {expected.Count}, one per distinct metadata:{Environment.NewLine}{p.RenderYaml("<default>")}");
                foreach (var y in yaml)
                {
                    foreach (var key in new[] { "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters" })
                        if (!y.ContainsKey(key)) problems.Add($"-{p.Name}: the yaml block has no '{key}:' line");
                    Check(p.Name, "Type", y, p.TypeName);
                    CheckList(p.Name, "Aliases", y, p.Aliases);
                    CheckList(p.Name, "Accepted values", y, p.AcceptedValues, ordered: true);
                    Check(p.Name, "Accept wildcard characters", y, p.Wildcards ? "True" : "False");
                    string sets = y.TryGetValue("Parameter Sets", out var s) ? s : "";
                    var group = expected.FirstOrDefault(g => SameSets(g.SetsText, sets));
                    if (group == null) { problems.Add($"-{p.Name}: no yaml block should name 'Parameter Sets: {sets}'; expected {string.Join(" / ", expected.Select(g => g.SetsText))}"); continue; }
                    Check(p.Name, $"Required ({sets})", y, group.Required, "Required");
                    Check(p.Name, $"Position ({sets})", y, group.Position, "Position");
                    Check(p.Name, $"Accept pipeline input ({sets})", y, group.Pipeline, "Accept pipeline input");
                }
                foreach (var g in expected.Where(g => !yaml.Any(y => SameSets(g.SetsText, y.TryGetValue("Parameter Sets", out var s2) ? s2 : ""))))
                    problems.Add($"-{p.Name}: no yaml block for 'Parameter Sets: {g.SetsText}'");
                if (p.Type == "SwitchParameter")
                    foreach (var y in yaml.Where(y => y.TryGetValue("Default value", out var d) && d != "False"))
                        problems.Add($"-{p.Name} is a switch: 'Default value: False', not '{y["Default value"]}'");
            }
            Report(cmdlet, problems);

            void Check(string parameter, string what, Dictionary<string, string> y, string expected, string? key = null)
            {
                key ??= what;
                if (y.TryGetValue(key, out var actual) && actual != expected) problems.Add($"-{parameter}: '{what}: {actual}' should be '{expected}'");
            }

            void CheckList(string parameter, string key, Dictionary<string, string> y, IReadOnlyList<string> expected, bool ordered = false)
            {
                var actual = y.TryGetValue(key, out var v) ? SplitList(v) : new List<string>();
                bool same = ordered ? actual.SequenceEqual(expected) : actual.OrderBy(a => a, StringComparer.Ordinal).SequenceEqual(expected.OrderBy(a => a, StringComparer.Ordinal));
                if (!same) problems.Add($"-{parameter}: '{key}: {string.Join(", ", actual)}' should be '{key}: {string.Join(", ", expected)}'");
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Doc_syntax_has_one_block_per_parameter_set(string cmdlet)
        {
            var (model, doc) = Load(cmdlet);
            var problems = new List<string>();
            var syntax = doc.Section("SYNTAX");
            var expected = model.SyntaxBlocks().ToList();
            var actual = new List<(string Heading, string Code)>();
            if (syntax != null)
            {
                // A single (unnamed) parameter set: the code block sits directly under ## SYNTAX.
                actual.AddRange(syntax.CodeBlocks.Select(c => ("", c.Text)));
                actual.AddRange(syntax.Subsections.SelectMany(s => s.CodeBlocks.Select(c => (s.Title, c.Text))));
            }
            foreach (var (heading, code) in expected)
            {
                var match = actual.Where(a => a.Heading == heading).ToList();
                string where = heading == "" ? "## SYNTAX" : $"### {heading}";
                if (match.Count != 1) { problems.Add($"{where}: expected one syntax block, found {match.Count}. It should be:{Environment.NewLine}{code}"); continue; }
                if (Normalize(match[0].Code) != Normalize(code))
                    problems.Add($"{where}: the syntax is{Environment.NewLine}{match[0].Code.Trim()}{Environment.NewLine}but the cmdlet's parameter set gives{Environment.NewLine}{code}");
            }
            foreach (var (heading, _) in actual.Where(a => !expected.Any(e => e.Heading == a.Heading)))
                problems.Add($"SYNTAX has a block '{heading}' for a parameter set {cmdlet} does not have (sets: {string.Join(", ", expected.Select(e => e.Heading))})");
            Report(cmdlet, problems);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Doc_has_at_least_two_examples_that_run_the_cmdlet(string cmdlet)
        {
            var (_, doc) = Load(cmdlet);
            var examples = doc.Section("EXAMPLES")?.Subsections ?? new List<MarkdownSection>();
            var mentions = new Regex(@"(?<![\w-])" + Regex.Escape(cmdlet) + @"(?![\w-])", RegexOptions.IgnoreCase);
            var problems = new List<string>();
            foreach (var example in examples)
            {
                if (!example.Title.StartsWith("Example ", StringComparison.Ordinal)) problems.Add($"example heading '### {example.Title}' should start with 'Example N: '");
                if (!example.CodeBlocks.Any(c => c.Language == "powershell")) problems.Add($"'{example.Title}' has no ```powershell code block");
                if (string.IsNullOrWhiteSpace(example.Text)) problems.Add($"'{example.Title}' does not explain its code");
            }
            int running = examples.Count(e => e.CodeBlocks.Any(c => c.Language == "powershell" && mentions.IsMatch(c.Text)));
            if (running < 2) problems.Add($"has {running} example(s) whose code runs {cmdlet}; at least 2 are needed");
            Report(cmdlet, problems);
        }

        /// <summary>The page each vendor recipe follows: its RELATED LINKS must link it.</summary>
        private static readonly Dictionary<string, string> VendorPages = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["New-RewstAppRegistration"] = "https://docs.rewst.help/documentation/integrations/cloud/microsoft-cloud-integration-bundle/owned-app-registration",
            ["New-CmgServerApp"] = "https://learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps",
            ["New-CmgClientApp"] = "https://learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps",
            ["New-WriteBackAppRegistration"] = "https://docs.infotopics.com/writebackextreme/product-guide/management-console/setup-security/oauth-setup/microsoft-entra",
            ["Add-WriteBackRedirectUri"] = "https://docs.infotopics.com/writebackextreme/product-guide/management-console/setup-security/oauth-setup/microsoft-entra",
            ["New-KonnectDcrApp"] = "https://developer.konghq.com/how-to/azure-ad-dcr/",
        };

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Doc_has_related_links_to_real_pages(string cmdlet)
        {
            var (_, doc) = Load(cmdlet);
            var links = Regex.Matches(doc.Section("RELATED LINKS")?.Text ?? "", @"\[(?<text>[^\]]+)\]\((?<target>[^)\s]*)\)")
                .Select(m => (Text: m.Groups["text"].Value, Target: m.Groups["target"].Value)).ToList();
            var problems = new List<string>();
            if (links.Count < 2) problems.Add($"## RELATED LINKS has {links.Count} link(s); it needs the about topic and at least one related cmdlet or page");
            foreach (var (text, target) in links)
            {
                if (target.StartsWith("https://", StringComparison.Ordinal) || target.StartsWith("http://", StringComparison.Ordinal)) continue;
                // A link to another help topic: Get-Help shows its text, so the text must be the page's name.
                if (!File.Exists(Path.Combine(DocsDirectory, target))) problems.Add($"[{text}]({target}) links a page docs/ does not have");
                else if (text + ".md" != target) problems.Add($"[{text}]({target}): the text of a link to a help topic is the topic's name");
            }
            if (!links.Any(l => l.Target == "about_EntraAppKit.md")) problems.Add("## RELATED LINKS does not link about_EntraAppKit");
            if (VendorPages.TryGetValue(cmdlet, out var vendor) && !links.Any(l => l.Target == vendor)) problems.Add($"## RELATED LINKS does not link the vendor's page {vendor}");
            Report(cmdlet, problems);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Doc_names_the_input_and_output_types(string cmdlet)
        {
            var (model, doc) = Load(cmdlet);
            var problems = new List<string>();
            var outputs = doc.Section("OUTPUTS")?.Subsections.Select(s => s.Title).ToList() ?? new List<string>();
            foreach (var type in model.OutputTypes)
                if (!outputs.Contains(type, StringComparer.Ordinal)) problems.Add($"## OUTPUTS has no '### {type}' ([OutputType] of the cmdlet)");
            foreach (var type in outputs.Where(o => !model.OutputTypes.Contains(o, StringComparer.Ordinal)))
                problems.Add($"## OUTPUTS names '{type}', which is not an [OutputType] of the cmdlet ({string.Join(", ", model.OutputTypes)})");
            var inputs = doc.Section("INPUTS")?.Subsections.Select(s => s.Title).ToList() ?? new List<string>();
            foreach (var type in model.InputTypes)
                if (!inputs.Contains(type, StringComparer.Ordinal)) problems.Add($"## INPUTS has no '### {type}' (a parameter takes it from the pipeline)");
            foreach (var type in inputs.Where(i => !model.InputTypes.Contains(i, StringComparer.Ordinal)))
                problems.Add($"## INPUTS names '{type}', but no parameter takes it from the pipeline ({string.Join(", ", model.InputTypes)})");
            Report(cmdlet, problems);
        }

        // ----- helpers -----

        private static (CmdletModel Model, MarkdownDoc Doc) Load(string cmdlet)
        {
            var model = Surface.Value.FirstOrDefault(c => c.Name == cmdlet)
                ?? throw new Xunit.Sdk.XunitException($"{cmdlet} is in CmdletsToExport but EntraAppKit.dll has no such cmdlet");
            string path = Path.Combine(DocsDirectory, cmdlet + ".md");
            if (!File.Exists(path))
            {
                Dump(model);
                throw new Xunit.Sdk.XunitException($"{cmdlet}: docs/{cmdlet}.md is missing");
            }
            return (model, MarkdownDoc.Parse(File.ReadAllText(path)));
        }

        private static void Report(string cmdlet, List<string> problems) =>
            Assert.True(problems.Count == 0, $"docs/{cmdlet}.md ({cmdlet}):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));

        private static IEnumerable<MarkdownSection> ParameterBlocks(MarkdownDoc doc) =>
            doc.Section("PARAMETERS")?.Subsections.Where(s => s.Title.StartsWith("-", StringComparison.Ordinal)) ?? Enumerable.Empty<MarkdownSection>();

        private static Dictionary<string, string> ParseYaml(string text)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) result[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
            return result;
        }

        private static List<string> SplitList(string value) =>
            value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();

        private static bool SameSets(string a, string b) =>
            SplitList(a).OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(SplitList(b).OrderBy(x => x, StringComparer.Ordinal));

        private static string Normalize(string s) => Regex.Replace(s, @"\s+", " ").Trim();

        private static void Dump(CmdletModel model)
        {
            string? dir = Environment.GetEnvironmentVariable("ENTRAAPPKIT_DOCS_DUMP");
            if (string.IsNullOrEmpty(dir)) return;
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, model.Name + ".md"), model.RenderReference());
        }

        // ----- the cmdlets as PowerShell sees them, read from metadata -----

        private static IReadOnlyList<CmdletModel> ReadSurface()
        {
            string smaPath = Path.GetFullPath(typeof(DocumentationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PowerShellStandard").Value!);
            string bin = AppContext.BaseDirectory;
            bool NotSma(string p) => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase);
            var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Where(NotSma)
                .Concat(Directory.GetFiles(bin, "*.dll").Where(NotSma))
                .Concat(new[] { smaPath })
                .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.Last());
            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Runtime");
            var module = context.LoadFromAssemblyPath(Path.Combine(bin, "EntraAppKit.dll"));
            return module.GetTypes()
                .Where(t => !t.IsAbstract && t.IsPublic)
                .Select(t => (Type: t, Attr: Attribute(t.GetCustomAttributesData(), "CmdletAttribute")))
                .Where(x => x.Attr != null)
                .Select(x => CmdletModel.From(x.Type, x.Attr!))
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .ToList();
        }

        private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
            attributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation." + name);

        private static T? Named<T>(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(n => n.MemberName == name).Select(n => (T?)n.TypedValue.Value).FirstOrDefault();

        private static IEnumerable<string> StringArguments(CustomAttributeData attribute) =>
            attribute.ConstructorArguments.SelectMany(a => a.Value is IEnumerable<CustomAttributeTypedArgument> many
                ? many.Select(v => v.Value?.ToString() ?? "")
                : new[] { a.Value?.ToString() ?? "" });

        internal sealed class CmdletModel
        {
            public string Name = "";
            public string? DefaultSet;
            public bool SupportsShouldProcess;
            public List<ParameterModel> Parameters = new List<ParameterModel>();
            public List<string> OutputTypes = new List<string>();

            /// <summary>Parameter sets in declaration order (the default first), or __AllParameterSets alone.</summary>
            public List<string> Sets = new List<string>();

            /// <summary>What ## PARAMETERS documents: the cmdlet's parameters, and -WhatIf/-Confirm when it supports ShouldProcess.</summary>
            public IEnumerable<ParameterModel> DocumentedParameters => SupportsShouldProcess
                ? Parameters.Concat(new[] { ParameterModel.RiskMitigation("WhatIf", "wi"), ParameterModel.RiskMitigation("Confirm", "cf") })
                : Parameters;

            /// <summary>Full names of the types parameters take from the pipeline, or "None".</summary>
            public List<string> InputTypes
            {
                get
                {
                    var types = Parameters.Where(p => p.Sets.Any(s => s.ByValue || s.ByPropertyName)).Select(p => p.FullTypeName).Distinct().ToList();
                    return types.Count == 0 ? new List<string> { "None" } : types;
                }
            }

            public static CmdletModel From(Type type, CustomAttributeData cmdlet)
            {
                var model = new CmdletModel
                {
                    Name = cmdlet.ConstructorArguments[0].Value + "-" + cmdlet.ConstructorArguments[1].Value,
                    DefaultSet = Named<string>(cmdlet, "DefaultParameterSetName"),
                    SupportsShouldProcess = Named<bool>(cmdlet, "SupportsShouldProcess"),
                };
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    var attributes = property.GetCustomAttributesData();
                    var parameters = attributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList();
                    if (parameters.Count == 0) continue;
                    // DontShow parameters are plumbing (pipeline pass-through), hidden from help and completion as from users.
                    if (parameters.All(a => Named<bool>(a, "DontShow"))) continue;
                    var p = new ParameterModel { Name = property.Name, Type = property.PropertyType.Name };
                    var t = property.PropertyType;
                    if (t.IsGenericType && t.GetGenericTypeDefinition().FullName == "System.Nullable`1") t = t.GetGenericArguments()[0];
                    p.TypeName = ShortName(t);
                    p.FullTypeName = t.FullName ?? t.Name;
                    p.Type = t.Name;
                    foreach (var alias in attributes.Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")) p.Aliases.AddRange(StringArguments(alias));
                    var validateSet = Attribute(attributes, "ValidateSetAttribute");
                    if (validateSet != null) p.AcceptedValues.AddRange(StringArguments(validateSet));
                    else if (t.IsEnum) p.AcceptedValues.AddRange(t.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name));
                    p.Wildcards = Attribute(attributes, "SupportsWildcardsAttribute") != null;
                    foreach (var a in parameters)
                    {
                        p.Sets.Add(new SetEntry
                        {
                            Set = Named<string>(a, "ParameterSetName") ?? AllSets,
                            Mandatory = Named<bool>(a, "Mandatory"),
                            Position = a.NamedArguments.Any(n => n.MemberName == "Position") ? Named<int>(a, "Position") : (int?)null,
                            ByValue = Named<bool>(a, "ValueFromPipeline"),
                            ByPropertyName = Named<bool>(a, "ValueFromPipelineByPropertyName"),
                        });
                        string set = p.Sets[p.Sets.Count - 1].Set;
                        if (set != AllSets && !model.Sets.Contains(set)) model.Sets.Add(set);
                    }
                    model.Parameters.Add(p);
                }
                if (model.DefaultSet != null && !model.Sets.Contains(model.DefaultSet)) model.Sets.Add(model.DefaultSet);
                if (model.Sets.Count == 0) model.Sets.Add(AllSets);
                else if (model.DefaultSet != null) { model.Sets.Remove(model.DefaultSet); model.Sets.Insert(0, model.DefaultSet); }
                foreach (var output in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute"))
                    foreach (var v in (IEnumerable<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value!)
                    {
                        var t = (Type)v.Value!;
                        model.OutputTypes.Add(t.FullName == "System.Void" ? "None" : t.FullName!);
                    }
                return model;
            }

            private static string ShortName(Type t) => t.IsArray ? ShortName(t.GetElementType()!) + "[]" : t.Name;

            /// <summary>The parameters of one set in the order Get-Command -Syntax shows them: positional, named mandatory, the rest.</summary>
            public IEnumerable<(ParameterModel Parameter, SetEntry Entry)> InSet(string set)
            {
                var members = Parameters.Select(p => (Parameter: p, Entry: p.Sets.FirstOrDefault(s => s.Set == set) ?? p.Sets.FirstOrDefault(s => s.Set == AllSets)))
                    .Where(x => x.Entry != null).Select(x => (x.Parameter, Entry: x.Entry!)).ToList();
                return members.Where(m => m.Entry.Position != null).OrderBy(m => m.Entry.Position)
                    .Concat(members.Where(m => m.Entry.Position == null && m.Entry.Mandatory))
                    .Concat(members.Where(m => m.Entry.Position == null && !m.Entry.Mandatory));
            }

            /// <summary>One (heading, code) per parameter set; the heading is empty when the cmdlet has no named set.</summary>
            public IEnumerable<(string Heading, string Code)> SyntaxBlocks()
            {
                foreach (var set in Sets)
                {
                    var tokens = new List<string> { Name };
                    foreach (var (p, e) in InSet(set))
                    {
                        string name = e.Position != null ? (e.Mandatory ? $"[-{p.Name}]" : $"[[-{p.Name}]") : $"-{p.Name}";
                        string value = p.Type == "SwitchParameter" ? "" : $" <{p.TypeName}>";
                        string token = e.Position != null ? (e.Mandatory ? name + value : name + value + "]") : name + value;
                        tokens.Add(e.Mandatory || e.Position != null ? token : $"[{token}]");
                    }
                    if (SupportsShouldProcess) tokens.AddRange(new[] { "[-WhatIf]", "[-Confirm]" });
                    tokens.Add("[<CommonParameters>]");
                    string heading = set == AllSets ? "" : set + (set == DefaultSet ? " (Default)" : "");
                    yield return (heading, Wrap(tokens));
                }
            }

            /// <summary>Wraps like platyPS: lines of at most 110 characters, continued with a leading space.</summary>
            private static string Wrap(List<string> tokens)
            {
                var lines = new List<StringBuilder> { new StringBuilder(tokens[0]) };
                foreach (var token in tokens.Skip(1))
                {
                    var line = lines[lines.Count - 1];
                    if (line.Length + 1 + token.Length > 110) lines.Add(new StringBuilder(" " + token));
                    else line.Append(' ').Append(token);
                }
                return string.Join("\n", lines.Select(l => l.ToString()));
            }

            /// <summary>The SYNTAX section and the parameter blocks, as platyPS would write them for this cmdlet.</summary>
            public string RenderReference()
            {
                var sb = new StringBuilder();
                sb.Append("## SYNTAX\n\n");
                foreach (var (heading, code) in SyntaxBlocks())
                {
                    if (heading != "") sb.Append("### ").Append(heading).Append('\n');
                    sb.Append("```\n").Append(code).Append("\n```\n\n");
                }
                sb.Append("## PARAMETERS\n\n");
                var ordered = Parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
                if (SupportsShouldProcess) ordered.AddRange(DocumentedParameters.Skip(Parameters.Count));
                foreach (var p in ordered)
                    sb.Append("### -").Append(p.Name).Append("\n{{ description }}\n\n").Append(p.RenderYaml(p.Type == "SwitchParameter" ? "False" : "None")).Append('\n');
                sb.Append("## INPUTS\n\n").Append(string.Concat(InputTypes.Select(t => $"### {t}\n\n")));
                sb.Append("## OUTPUTS\n\n").Append(string.Concat(OutputTypes.Select(t => $"### {t}\n\n")));
                return sb.ToString();
            }
        }

        internal sealed class SetEntry
        {
            public string Set = AllSets;
            public bool Mandatory;
            public int? Position;
            public bool ByValue;
            public bool ByPropertyName;
        }

        internal sealed class MetadataGroup
        {
            public string SetsText = "";
            public string Required = "";
            public string Position = "";
            public string Pipeline = "";
        }

        internal sealed class ParameterModel
        {
            public string Name = "";
            public string Type = "";
            public string TypeName = "";
            public string FullTypeName = "";
            public List<string> Aliases = new List<string>();
            public List<string> AcceptedValues = new List<string>();
            public bool Wildcards;
            public List<SetEntry> Sets = new List<SetEntry>();

            public static ParameterModel RiskMitigation(string name, string alias) => new ParameterModel
            {
                Name = name, Type = "SwitchParameter", TypeName = "SwitchParameter", FullTypeName = "System.Management.Automation.SwitchParameter",
                Aliases = { alias }, Sets = { new SetEntry() },
            };

            /// <summary>platyPS writes one yaml block per distinct (required, position, pipeline) across the parameter's sets.</summary>
            public IEnumerable<MetadataGroup> MetadataGroups() => Sets
                .GroupBy(s => (s.Mandatory, s.Position, s.ByValue, s.ByPropertyName))
                .Select(g => new MetadataGroup
                {
                    SetsText = g.Any(s => s.Set == AllSets) ? "(All)" : string.Join(", ", g.Select(s => s.Set)),
                    Required = g.Key.Mandatory ? "True" : "False",
                    Position = g.Key.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "Named",
                    Pipeline = g.Key.ByValue && g.Key.ByPropertyName ? "True (ByPropertyName, ByValue)"
                        : g.Key.ByValue ? "True (ByValue)" : g.Key.ByPropertyName ? "True (ByPropertyName)" : "False",
                });

            public string RenderYaml(string defaultValue) => string.Concat(MetadataGroups().Select(g =>
                "```yaml\n" +
                $"Type: {TypeName}\n" +
                $"Parameter Sets: {g.SetsText}\n" +
                $"Aliases:{(Aliases.Count == 0 ? "" : " " + string.Join(", ", Aliases))}\n" +
                (AcceptedValues.Count == 0 ? "" : $"Accepted values: {string.Join(", ", AcceptedValues)}\n") +
                "\n" +
                $"Required: {g.Required}\n" +
                $"Position: {g.Position}\n" +
                $"Default value: {defaultValue}\n" +
                $"Accept pipeline input: {g.Pipeline}\n" +
                $"Accept wildcard characters: {(Wildcards ? "True" : "False")}\n" +
                "```\n"));
        }

        // ----- just enough markdown: front matter, headings, fenced code -----

        internal sealed class CodeBlock
        {
            public string Language = "";
            public string Text = "";
        }

        internal sealed class MarkdownSection
        {
            public string Title = "";
            public StringBuilder TextBuilder = new StringBuilder();
            public List<CodeBlock> CodeBlocks = new List<CodeBlock>();
            public List<MarkdownSection> Subsections = new List<MarkdownSection>();
            public string Text => TextBuilder.ToString();
        }

        internal sealed class MarkdownDoc
        {
            public Dictionary<string, string> FrontMatter = new Dictionary<string, string>(StringComparer.Ordinal);
            public string Title = "";
            public string Body = "";
            public List<MarkdownSection> Sections = new List<MarkdownSection>();

            public MarkdownSection? Section(string title) => Sections.FirstOrDefault(s => s.Title == title);

            public static MarkdownDoc Parse(string text)
            {
                var doc = new MarkdownDoc();
                var lines = text.Replace("\r\n", "\n").Split('\n');
                int i = 0;
                if (lines.Length > 0 && lines[0] == "---")
                {
                    for (i = 1; i < lines.Length && lines[i] != "---"; i++)
                    {
                        int colon = lines[i].IndexOf(':');
                        if (colon > 0) doc.FrontMatter[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
                    }
                    i++;
                }
                doc.Body = string.Join("\n", lines.Skip(i));
                MarkdownSection? h2 = null, h3 = null;
                for (; i < lines.Length; i++)
                {
                    string line = lines[i];
                    var fence = Regex.Match(line, @"^```\s*([\w-]*)\s*$");
                    if (fence.Success)
                    {
                        var block = new CodeBlock { Language = fence.Groups[1].Value.ToLowerInvariant() };
                        var body = new List<string>();
                        for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) body.Add(lines[i]);
                        block.Text = string.Join("\n", body);
                        (h3 ?? h2)?.CodeBlocks.Add(block);
                        continue;
                    }
                    if (line.StartsWith("# ", StringComparison.Ordinal) && h2 == null && doc.Title == "") { doc.Title = line.Substring(2).Trim(); continue; }
                    if (line.StartsWith("## ", StringComparison.Ordinal)) { h2 = new MarkdownSection { Title = line.Substring(3).Trim() }; h3 = null; doc.Sections.Add(h2); continue; }
                    if (line.StartsWith("### ", StringComparison.Ordinal) && h2 != null) { h3 = new MarkdownSection { Title = line.Substring(4).Trim() }; h2.Subsections.Add(h3); continue; }
                    (h3 ?? h2)?.TextBuilder.Append(line).Append('\n');
                }
                return doc;
            }
        }
    }
}
