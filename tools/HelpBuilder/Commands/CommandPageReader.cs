using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HelpBuilder.Markdown;

namespace HelpBuilder.Commands
{
    /// <summary>
    /// Reads a cmdlet page in platyPS's markdown schema 2.0.0 (front matter; # Name; ## SYNOPSIS, SYNTAX, DESCRIPTION,
    /// EXAMPLES, PARAMETERS, INPUTS, OUTPUTS, NOTES, RELATED LINKS), as described in
    /// https://github.com/PowerShell/platyPS/blob/v0.14.2/platyPS.schema.md. The parameter sets, and the order of their
    /// parameters, come from the SYNTAX blocks (tests/EntraAppKit.Tests/Docs keeps them equal to the cmdlet); what holds
    /// for a parameter in a set comes from its yaml block. Whatever would make Get-Help show less than
    /// the page says (an empty synopsis or description, a parameter without a description or yaml block, an example
    /// without code, a syntax line naming an undocumented parameter) is reported as a problem with its line.
    /// </summary>
    public static class CommandPageReader
    {
        // A -Parameter in a syntax line; the command's own name (Verb-Noun) and <CommonParameters> are not parameters.
        private static readonly Regex SyntaxParameter = new Regex(@"(?<![\w<-])-(?<name>[A-Za-z]\w*)");
        private static readonly Regex DefaultSet = new Regex(@"^(?<name>.+?)\s*\(Default\)$");
        private static readonly Regex Link = new Regex(@"\[(?<text>[^\]]+)\]\((?<target>[^)\s]*)\)");

        public static CommandHelp Read(MarkdownDocument doc, string expectedName, List<HelpSourceException> problems)
        {
            void Problem(int line, string text) => problems.Add(new HelpSourceException(doc.Path, line, text));

            if (doc.Title != expectedName) Problem(1, $"the first heading is '# {doc.Title}'; a cmdlet page starts with '# {expectedName}'");
            var synopsis = Section(doc, "SYNOPSIS", problems);
            var help = new CommandHelp(expectedName, string.Join(" ", Paragraphs(synopsis?.Prose ?? Enumerable.Empty<MarkdownBlock>())));
            if (synopsis != null && help.Synopsis.Length == 0) Problem(synopsis.Line, "## SYNOPSIS is empty");
            help.HelpFile = doc.FrontMatter.TryGetValue("external help file", out var file) ? file : "";
            if (help.HelpFile.Length == 0) Problem(1, "the front matter has no 'external help file:' (the MAML file Get-Help reads, e.g. EntraAppKit.dll-Help.xml)");
            help.OnlineVersion = doc.FrontMatter.TryGetValue("online version", out var online) ? online : "";

            var description = Section(doc, "DESCRIPTION", problems);
            if (description != null)
            {
                help.Description.AddRange(Paragraphs(description.Blocks));
                if (help.Description.Count == 0) Problem(description.Line, "## DESCRIPTION is empty");
            }

            ReadParameters(doc, help, problems);
            ReadSyntax(doc, help, problems);
            ReadExamples(doc, help, problems);
            help.Inputs.AddRange(Types(Section(doc, "INPUTS", problems)));
            help.Outputs.AddRange(Types(Section(doc, "OUTPUTS", problems)));
            var notes = doc.Section("NOTES");
            if (notes != null)
            {
                help.Notes.AddRange(Paragraphs(notes.Blocks));
                foreach (var sub in notes.Subsections)
                {
                    help.Notes.Add(InlineMarkdown.ToPlainText(sub.Title));
                    help.Notes.AddRange(Paragraphs(sub.Blocks));
                }
            }
            ReadLinks(doc, help, Section(doc, "RELATED LINKS", problems));

            // platyPS's New-MarkdownHelp leaves {{ Fill ... }} where a page still needs text.
            var placeholder = doc.Sections.SelectMany(AllBlocks).FirstOrDefault(b => b.Text.Contains("{{", StringComparison.Ordinal));
            if (placeholder != null) Problem(placeholder.Line, "a {{ placeholder }} is left");
            return help;
        }

        /// <summary>Prose as plain-text paragraphs: a list item keeps its marker, a code block its lines.</summary>
        public static IEnumerable<string> Paragraphs(IEnumerable<MarkdownBlock> blocks)
        {
            foreach (var b in blocks)
            {
                switch (b.Kind)
                {
                    case MarkdownBlockKind.Paragraph: yield return InlineMarkdown.ToPlainText(b.Text); break;
                    case MarkdownBlockKind.ListItem: yield return (b.Marker == "*" ? "-" : b.Marker) + " " + InlineMarkdown.ToPlainText(b.Text); break;
                    default: if (b.Text.Trim().Length > 0) yield return b.Text; break;
                }
            }
        }

        private static IEnumerable<MarkdownBlock> AllBlocks(MarkdownSection s) => s.Blocks.Concat(s.Subsections.SelectMany(AllBlocks));

        private static MarkdownSection? Section(MarkdownDocument doc, string title, List<HelpSourceException> problems)
        {
            var section = doc.Section(title);
            if (section == null) problems.Add(new HelpSourceException(doc.Path, 1, $"there is no '## {title}' section"));
            return section;
        }

        private static void ReadParameters(MarkdownDocument doc, CommandHelp help, List<HelpSourceException> problems)
        {
            var section = Section(doc, "PARAMETERS", problems);
            if (section == null) return;
            foreach (var block in section.Subsections)
            {
                // ### CommonParameters is Get-Help's own paragraph; it is not a parameter of the MAML.
                if (!block.Title.StartsWith("-", StringComparison.Ordinal)) continue;
                string name = block.Title.Substring(1).Trim();
                var description = Paragraphs(block.Blocks.Where(b => !(b.Kind == MarkdownBlockKind.Code && b.Language == "yaml"))).ToList();
                if (description.Count == 0) problems.Add(new HelpSourceException(doc.Path, block.Line, $"{block.Title} has no description"));
                var yaml = block.Code("yaml").Select(b => (Block: b, Values: Yaml(b.Text))).ToList();
                if (yaml.Count == 0) { problems.Add(new HelpSourceException(doc.Path, block.Line, $"{block.Title} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, ...)")); continue; }
                string Value(Dictionary<string, string> y, string key, string fallback) => y.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
                var first = yaml[0].Values;
                string type = Value(first, "Type", "");
                if (type.Length == 0) problems.Add(new HelpSourceException(doc.Path, yaml[0].Block.Line, $"{block.Title}: the yaml block has no 'Type:'"));
                var metadata = yaml.Select(y => new ParameterSetMetadata(
                    List(Value(y.Values, "Parameter Sets", ParameterSetMetadata.AllSets)),
                    string.Equals(Value(y.Values, "Required", "False"), "True", StringComparison.OrdinalIgnoreCase),
                    Value(y.Values, "Position", "Named"),
                    Value(y.Values, "Accept pipeline input", "False"))).ToList();
                help.Parameters.Add(new ParameterHelp(name, description, type,
                    List(Value(first, "Aliases", "")), List(Value(first, "Accepted values", "")),
                    Value(first, "Default value", "None"),
                    string.Equals(Value(first, "Accept wildcard characters", "False"), "True", StringComparison.OrdinalIgnoreCase),
                    metadata));
            }
            foreach (var duplicate in help.Parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                problems.Add(new HelpSourceException(doc.Path, section.Line, $"-{duplicate.Key} is documented {duplicate.Count()} times"));
        }

        private static void ReadSyntax(MarkdownDocument doc, CommandHelp help, List<HelpSourceException> problems)
        {
            var section = Section(doc, "SYNTAX", problems);
            if (section == null) return;
            var blocks = section.Code("").Select(b => (Name: SyntaxSet.Unnamed, Default: true, Block: b)).ToList();
            foreach (var sub in section.Subsections)
            {
                var match = DefaultSet.Match(sub.Title);
                string name = match.Success ? match.Groups["name"].Value : sub.Title.Trim();
                var code = sub.Blocks.Where(b => b.Kind == MarkdownBlockKind.Code).ToList();
                if (code.Count != 1) { problems.Add(new HelpSourceException(doc.Path, sub.Line, $"### {sub.Title} under ## SYNTAX needs exactly one ``` block, not {code.Count}")); continue; }
                blocks.Add((name, match.Success, code[0]));
            }
            if (blocks.Count == 0) problems.Add(new HelpSourceException(doc.Path, section.Line, "## SYNTAX has no ``` block"));
            if (blocks.Count(b => b.Name == SyntaxSet.Unnamed) > 0 && blocks.Count > 1)
                problems.Add(new HelpSourceException(doc.Path, section.Line, "## SYNTAX has a block directly under it and other blocks: a cmdlet with parameter sets has one '### SetName' per set"));
            foreach (var (name, isDefault, block) in blocks)
            {
                var parameters = new List<string>();
                foreach (Match m in SyntaxParameter.Matches(block.Text))
                {
                    string parameter = m.Groups["name"].Value;
                    var documented = help.Parameters.FirstOrDefault(p => string.Equals(p.Name, parameter, StringComparison.OrdinalIgnoreCase));
                    if (documented == null) { problems.Add(new HelpSourceException(doc.Path, block.Line, $"the syntax of {Describe(name)} names -{parameter}, which has no '### -{parameter}' block")); continue; }
                    if (documented.In(name) == null && !(name == SyntaxSet.Unnamed && documented.Metadata.Count == 1))
                        problems.Add(new HelpSourceException(doc.Path, block.Line, $"the syntax of {Describe(name)} names -{parameter}, but its yaml names no such parameter set"));
                    if (!parameters.Contains(documented.Name)) parameters.Add(documented.Name);
                }
                help.Syntax.Add(new SyntaxSet(name, isDefault, parameters));
            }
        }

        private static string Describe(string set) => set == SyntaxSet.Unnamed ? "the cmdlet" : $"parameter set {set}";

        private static void ReadExamples(MarkdownDocument doc, CommandHelp help, List<HelpSourceException> problems)
        {
            var section = Section(doc, "EXAMPLES", problems);
            if (section == null) return;
            foreach (var example in section.Subsections)
            {
                var code = example.Blocks.Where(b => b.Kind == MarkdownBlockKind.Code && IsPowerShell(b.Language)).Select(b => b.Text).ToList();
                if (code.Count == 0) { problems.Add(new HelpSourceException(doc.Path, example.Line, $"'### {example.Title}' has no ```powershell block")); continue; }
                var remarks = Paragraphs(example.Blocks.Where(b => !(b.Kind == MarkdownBlockKind.Code && IsPowerShell(b.Language)))).ToList();
                if (remarks.Count == 0) problems.Add(new HelpSourceException(doc.Path, example.Line, $"'### {example.Title}' does not say what its code does"));
                help.Examples.Add(new ExampleHelp(InlineMarkdown.ToPlainText(example.Title), string.Join("\n\n", code), remarks));
            }
            if (help.Examples.Count == 0) problems.Add(new HelpSourceException(doc.Path, section.Line, "## EXAMPLES has no '### Example N: ...'"));
        }

        private static bool IsPowerShell(string language) => language == "powershell" || language == "pwsh" || language == "ps1" || language == "";

        private static IEnumerable<TypeHelp> Types(MarkdownSection? section) =>
            section == null ? Enumerable.Empty<TypeHelp>() : section.Subsections.Select(s => new TypeHelp(s.Title, Paragraphs(s.Blocks).ToList()));

        private static void ReadLinks(MarkdownDocument doc, CommandHelp help, MarkdownSection? section)
        {
            if (section == null) return;
            foreach (var block in section.Blocks.Where(b => b.Kind != MarkdownBlockKind.Code))
            {
                var links = Link.Matches(block.Text);
                if (links.Count == 0) { help.Links.Add(new RelatedLink(InlineMarkdown.ToPlainText(block.Text), "")); continue; }
                foreach (Match link in links)
                {
                    string target = link.Groups["target"].Value;
                    bool web = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                    help.Links.Add(new RelatedLink(link.Groups["text"].Value, web ? target : ""));
                }
            }
        }

        private static Dictionary<string, string> Yaml(string text)
        {
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in text.Split('\n'))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) values[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
            return values;
        }

        private static List<string> List(string value) =>
            value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
    }
}
