using System;
using System.Collections.Generic;
using System.Linq;
using HelpBuilder.Markdown;

namespace HelpBuilder.Output
{
    /// <summary>
    /// Writes an about topic (docs/about_*.md) as the plain text Get-Help about_* prints
    /// (https://learn.microsoft.com/powershell/scripting/developer/help/writing-help-for-windows-powershell-modules):
    /// TOPIC and the name, each ## heading in capitals at the margin with its text indented by 4 and wrapped at 80 columns,
    /// ### headings indented by 2, list items as "- " with a hanging indent, code indented by 8. Markdown marks are removed.
    /// </summary>
    public static class AboutTopicWriter
    {
        private const int Width = 80;

        public static string Write(MarkdownDocument doc)
        {
            var lines = new List<string>();
            void Heading(string text)
            {
                if (lines.Count > 0 && lines[lines.Count - 1].Length > 0) lines.Add("");
                lines.Add(text);
            }

            if (doc.Title.Length > 0)
            {
                lines.Add("TOPIC");
                lines.Add("    " + InlineMarkdown.ToPlainText(doc.Title));
                lines.Add("");
            }
            Blocks(lines, doc.Preamble);
            foreach (var section in doc.Sections)
            {
                Heading(InlineMarkdown.ToPlainText(section.Title).ToUpperInvariant());
                Blocks(lines, section.Blocks);
                foreach (var sub in section.Subsections)
                {
                    Heading("  " + InlineMarkdown.ToPlainText(sub.Title));
                    Blocks(lines, sub.Blocks);
                }
            }

            // No runs of blank lines, none at the start or the end.
            var text = new List<string>();
            foreach (var line in lines)
                if (line.Length > 0 || (text.Count > 0 && text[text.Count - 1].Length > 0)) text.Add(line);
            while (text.Count > 0 && text[text.Count - 1].Length == 0) text.RemoveAt(text.Count - 1);
            return string.Join("\n", text) + "\n";
        }

        private static void Blocks(List<string> lines, IEnumerable<MarkdownBlock> blocks)
        {
            MarkdownBlock? previous = null;
            foreach (var block in blocks)
            {
                switch (block.Kind)
                {
                    case MarkdownBlockKind.Code:
                        lines.Add("");
                        lines.AddRange(block.Text.Split('\n').Select(l => l.Length == 0 ? "" : "        " + l));
                        lines.Add("");
                        break;
                    case MarkdownBlockKind.ListItem:
                        // Items of one list stay together: no blank line between them.
                        if (previous?.Kind == MarkdownBlockKind.ListItem && lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);
                        string marker = block.Marker == "*" ? "-" : block.Marker;
                        lines.AddRange(Wrap(InlineMarkdown.ToPlainText(block.Text), "    " + marker + " ", new string(' ', 5 + marker.Length)));
                        lines.Add("");
                        break;
                    default:
                        lines.AddRange(Wrap(InlineMarkdown.ToPlainText(block.Text), "    ", "    "));
                        lines.Add("");
                        break;
                }
                previous = block;
            }
        }

        /// <summary>Word-wraps at <see cref="Width"/> columns: the first line starts with indent, the others with hangingIndent.</summary>
        public static IEnumerable<string> Wrap(string text, string indent, string hangingIndent)
        {
            var line = new System.Text.StringBuilder(indent);
            bool started = false;
            foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (started && line.Length + 1 + word.Length > Width)
                {
                    yield return line.ToString();
                    line.Clear().Append(hangingIndent).Append(word);
                }
                else
                {
                    if (started) line.Append(' ');
                    line.Append(word);
                }
                started = true;
            }
            if (started) yield return line.ToString();
        }
    }
}
