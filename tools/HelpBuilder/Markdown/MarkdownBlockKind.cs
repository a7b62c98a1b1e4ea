namespace HelpBuilder.Markdown
{
    /// <summary>The kinds of block the help pages use.</summary>
    public enum MarkdownBlockKind
    {
        /// <summary>Consecutive lines of text, joined with spaces.</summary>
        Paragraph,

        /// <summary>One item of a bulleted (- or *) or numbered (1.) list, continuation lines included.</summary>
        ListItem,

        /// <summary>A fenced code block, its lines as written.</summary>
        Code,
    }
}
