using System.Collections.Generic;

namespace HelpBuilder.Commands
{
    /// <summary>What one cmdlet page (docs/Verb-Noun.md) says, as plain text ready for MAML.</summary>
    public sealed class CommandHelp
    {
        public CommandHelp(string name, string synopsis)
        {
            Name = name;
            Synopsis = synopsis;
            int dash = name.IndexOf('-');
            Verb = dash > 0 ? name.Substring(0, dash) : name;
            Noun = dash > 0 ? name.Substring(dash + 1) : "";
        }

        public string Name { get; }

        public string Verb { get; }

        public string Noun { get; }

        public string Synopsis { get; }

        /// <summary>The file name the page's front matter gives ('external help file'), e.g. EntraAppKit.dll-Help.xml.</summary>
        public string HelpFile { get; set; } = "";

        /// <summary>The front matter's 'online version', when it has one.</summary>
        public string OnlineVersion { get; set; } = "";

        public List<string> Description { get; } = new List<string>();

        public List<SyntaxSet> Syntax { get; } = new List<SyntaxSet>();

        public List<ParameterHelp> Parameters { get; } = new List<ParameterHelp>();

        public List<ExampleHelp> Examples { get; } = new List<ExampleHelp>();

        public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();

        public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();

        public List<string> Notes { get; } = new List<string>();

        public List<RelatedLink> Links { get; } = new List<RelatedLink>();
    }
}
