using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace HelpBuilder.Markdown
{
    /// <summary>
    /// Just the markdown the help pages use: YAML front matter, a # title, ## sections with ### subsections, paragraphs,
    /// lists and fenced code. Inline markup (links, bold, code spans) is left in the text for <see cref="InlineMarkdown"/>.
    /// </summary>
    public sealed class MarkdownDocument
    {
        private static readonly Regex Fence = new Regex(@"^\s*```\s*(?<lang>[\w-]*)\s*$");
        private static readonly Regex Heading = new Regex(@"^(?<hashes>#{1,6})\s+(?<title>.+?)\s*#*\s*$");
        private static readonly Regex ListItem = new Regex(@"^\s*(?<marker>[-*]|\d+\.)\s+(?<text>.*)$");

        private MarkdownDocument(string path) => Path = path;

        /// <summary>Where the page came from, for messages.</summary>
        public string Path { get; }

        public IReadOnlyDictionary<string, string> FrontMatter { get; private set; } = new Dictionary<string, string>();

        /// <summary>The text of the first # heading; empty when there is none.</summary>
        public string Title { get; private set; } = "";

        /// <summary>Blocks between the # title and the first ## section.</summary>
        public List<MarkdownBlock> Preamble { get; } = new List<MarkdownBlock>();

        public List<MarkdownSection> Sections { get; } = new List<MarkdownSection>();

        public MarkdownSection? Section(string title) =>
            Sections.FirstOrDefault(s => string.Equals(s.Title, title, StringComparison.OrdinalIgnoreCase));

        public static MarkdownDocument Parse(string text, string path)
        {
            var doc = new MarkdownDocument(path);
            var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            int i = 0;
            if (lines.Length > 0 && lines[0].Trim() == "---")
            {
                var front = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                for (i = 1; i < lines.Length && lines[i].Trim() != "---"; i++)
                {
                    int colon = lines[i].IndexOf(':');
                    if (colon > 0) front[lines[i].Substring(0, colon).Trim()] = lines[i].Substring(colon + 1).Trim();
                }
                if (i == lines.Length) throw new HelpSourceException(path, 1, "the front matter that starts with '---' never ends");
                doc.FrontMatter = front;
                i++;
            }

            MarkdownSection? section = null, subsection = null;
            List<MarkdownBlock> Target() => subsection?.Blocks ?? section?.Blocks ?? doc.Preamble;

            // The block being collected: its kind, first line, marker and words.
            MarkdownBlockKind? open = null;
            int openLine = 0;
            string openMarker = "";
            var words = new List<string>();
            void Flush()
            {
                if (open != null && words.Count > 0) Target().Add(new MarkdownBlock(open.Value, string.Join(" ", words), openLine, openMarker));
                open = null;
                words.Clear();
            }

            for (; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd();
                int lineNumber = i + 1;
                var fence = Fence.Match(line);
                if (fence.Success)
                {
                    Flush();
                    var body = new List<string>();
                    for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++) body.Add(lines[i].TrimEnd());
                    if (i == lines.Length) throw new HelpSourceException(path, lineNumber, "a code block that starts here never ends");
                    Target().Add(new MarkdownBlock(MarkdownBlockKind.Code, string.Join("\n", body), lineNumber, language: fence.Groups["lang"].Value.ToLowerInvariant()));
                    continue;
                }
                var heading = Heading.Match(line);
                if (heading.Success)
                {
                    Flush();
                    int level = heading.Groups["hashes"].Length;
                    string title = heading.Groups["title"].Value;
                    if (level == 1 && doc.Title.Length == 0 && section == null) doc.Title = title;
                    else if (level <= 2) { section = new MarkdownSection(title, 2, lineNumber); subsection = null; doc.Sections.Add(section); }
                    else if (section == null) throw new HelpSourceException(path, lineNumber, $"'{line}' comes before any ## section");
                    else { subsection = new MarkdownSection(title, 3, lineNumber); section.Subsections.Add(subsection); }
                    continue;
                }
                if (line.Trim().Length == 0) { Flush(); continue; }
                var item = ListItem.Match(line);
                if (item.Success)
                {
                    Flush();
                    open = MarkdownBlockKind.ListItem;
                    openLine = lineNumber;
                    openMarker = item.Groups["marker"].Value;
                    words.Add(item.Groups["text"].Value.Trim());
                    continue;
                }
                // A line right after a list item continues it, indented or not (a lazy continuation line).
                if (open == null) { open = MarkdownBlockKind.Paragraph; openLine = lineNumber; openMarker = ""; }
                words.Add(line.Trim());
            }
            Flush();
            return doc;
        }
    }
}
