namespace HelpBuilder.Markdown
{
    /// <summary>A paragraph, list item or fenced code block of a markdown page.</summary>
    public sealed class MarkdownBlock
    {
        public MarkdownBlock(MarkdownBlockKind kind, string text, int line, string marker = "", string language = "")
        {
            Kind = kind;
            Text = text;
            Line = line;
            Marker = marker;
            Language = language;
        }

        public MarkdownBlockKind Kind { get; }

        /// <summary>Paragraphs and list items: the inline markdown as written, lines joined with spaces. Code: the lines joined with \n.</summary>
        public string Text { get; }

        /// <summary>The 1-based line the block starts on, for messages.</summary>
        public int Line { get; }

        /// <summary>A list item's marker: "-", "*" or "1." and so on.</summary>
        public string Marker { get; }

        /// <summary>A code block's info string (powershell, yaml, ...), lower case; empty when none.</summary>
        public string Language { get; }
    }
}
