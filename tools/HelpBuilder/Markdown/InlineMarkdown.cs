using System.Text.RegularExpressions;

namespace HelpBuilder.Markdown
{
    /// <summary>Inline markdown as the plain text a console shows: links keep their text (and web address), emphasis and code spans lose their marks.</summary>
    public static class InlineMarkdown
    {
        private static readonly Regex WebLink = new Regex(@"\[(?<text>[^\]]+)\]\((?<url>https?://[^)\s]+)\)");
        private static readonly Regex OtherLink = new Regex(@"\[(?<text>[^\]]+)\]\([^)]*\)");
        private static readonly Regex AutoLink = new Regex(@"<(?<url>https?://[^>\s]+)>");
        private static readonly Regex Bold = new Regex(@"\*\*(?<text>[^*]+)\*\*|__(?<text>[^_]+)__");
        private static readonly Regex CodeSpan = new Regex(@"`(?<text>[^`]+)`");

        /// <summary>[text](https://...) becomes "text (https://...)", or just the address when the text is the address; [text](Page.md) becomes "text".</summary>
        public static string ToPlainText(string text)
        {
            // Code spans first, so that link or bold marks inside them stay as written.
            text = CodeSpan.Replace(text, m => m.Groups["text"].Value);
            text = WebLink.Replace(text, m => m.Groups["text"].Value == m.Groups["url"].Value ? m.Groups["url"].Value : $"{m.Groups["text"].Value} ({m.Groups["url"].Value})");
            text = OtherLink.Replace(text, m => m.Groups["text"].Value);
            text = AutoLink.Replace(text, m => m.Groups["url"].Value);
            return Bold.Replace(text, m => m.Groups["text"].Value);
        }
    }
}
