using System.Collections.Generic;

namespace HelpBuilder.Commands
{
    /// <summary>An INPUTS or OUTPUTS entry: a type name and what it carries.</summary>
    public sealed class TypeHelp
    {
        public TypeHelp(string name, IReadOnlyList<string> description)
        {
            Name = name;
            Description = description;
        }

        public string Name { get; }

        public IReadOnlyList<string> Description { get; }
    }
}
