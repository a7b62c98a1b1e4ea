using System.Collections.Generic;
using System.Linq;

namespace HelpBuilder.Markdown
{
    /// <summary>A ## or ### heading with the blocks under it and, for ##, its ### subsections.</summary>
    public sealed class MarkdownSection
    {
        public MarkdownSection(string title, int level, int line)
        {
            Title = title;
            Level = level;
            Line = line;
        }

        public string Title { get; }

        public int Level { get; }

        public int Line { get; }

        public List<MarkdownBlock> Blocks { get; } = new List<MarkdownBlock>();

        public List<MarkdownSection> Subsections { get; } = new List<MarkdownSection>();

        public IEnumerable<MarkdownBlock> Prose => Blocks.Where(b => b.Kind != MarkdownBlockKind.Code);

        public IEnumerable<MarkdownBlock> Code(string language) => Blocks.Where(b => b.Kind == MarkdownBlockKind.Code && b.Language == language);
    }
}
