using System.Collections.Generic;

namespace HelpBuilder.Commands
{
    /// <summary>One parameter set of ## SYNTAX: its name and its parameters in the order the syntax line shows them.</summary>
    public sealed class SyntaxSet
    {
        /// <summary>The set name of a cmdlet without named sets (its SYNTAX block sits directly under ## SYNTAX).</summary>
        public const string Unnamed = "__AllParameterSets";

        public SyntaxSet(string name, bool isDefault, IReadOnlyList<string> parameters)
        {
            Name = name;
            IsDefault = isDefault;
            Parameters = parameters;
        }

        public string Name { get; }

        public bool IsDefault { get; }

        /// <summary>Parameter names without the dash; CommonParameters is not one.</summary>
        public IReadOnlyList<string> Parameters { get; }
    }
}
