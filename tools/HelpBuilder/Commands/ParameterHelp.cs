using System;
using System.Collections.Generic;

namespace HelpBuilder.Commands
{
    /// <summary>A ### -Name block of ## PARAMETERS: the description and the yaml metadata.</summary>
    public sealed class ParameterHelp
    {
        public ParameterHelp(string name, IReadOnlyList<string> description, string type, IReadOnlyList<string> aliases,
            IReadOnlyList<string> acceptedValues, string defaultValue, bool wildcards, IReadOnlyList<ParameterSetMetadata> metadata)
        {
            Name = name;
            Description = description;
            Type = type;
            Aliases = aliases;
            AcceptedValues = acceptedValues;
            DefaultValue = defaultValue;
            Wildcards = wildcards;
            Metadata = metadata;
        }

        public string Name { get; }

        /// <summary>Paragraphs of plain text.</summary>
        public IReadOnlyList<string> Description { get; }

        /// <summary>The type as the page names it: String, String[], SwitchParameter, SecureString...</summary>
        public string Type { get; }

        public IReadOnlyList<string> Aliases { get; }

        public IReadOnlyList<string> AcceptedValues { get; }

        public string DefaultValue { get; }

        public bool Wildcards { get; }

        public IReadOnlyList<ParameterSetMetadata> Metadata { get; }

        public bool IsSwitch => Type == "SwitchParameter";

        public bool IsArray => Type.EndsWith("[]", StringComparison.Ordinal);

        /// <summary>The metadata that holds in one set: the block naming it, else the (All) block; null when the parameter is not in it.</summary>
        public ParameterSetMetadata? In(string set)
        {
            foreach (var m in Metadata)
                if (m.Sets.Count > 0 && m.Sets[0] != ParameterSetMetadata.AllSets && m.Covers(set)) return m;
            foreach (var m in Metadata)
                if (m.Covers(set)) return m;
            return null;
        }
    }
}
