namespace HelpBuilder.Commands
{
    /// <summary>A RELATED LINKS entry: another help topic by name (no address), or a web page.</summary>
    public sealed class RelatedLink
    {
        public RelatedLink(string text, string uri)
        {
            Text = text;
            Uri = uri;
        }

        public string Text { get; }

        /// <summary>The web address; empty for a link to another help topic.</summary>
        public string Uri { get; }
    }
}
