using System.Collections.Generic;

namespace HelpBuilder.Commands
{
    /// <summary>An example: its title (Example N: ...), its PowerShell code and the paragraphs that explain it.</summary>
    public sealed class ExampleHelp
    {
        public ExampleHelp(string title, string code, IReadOnlyList<string> remarks)
        {
            Title = title;
            Code = code;
            Remarks = remarks;
        }

        public string Title { get; }

        public string Code { get; }

        public IReadOnlyList<string> Remarks { get; }
    }
}
