using System.Collections.Generic;

namespace HelpBuilder.Commands
{
    /// <summary>
    /// One ```yaml block of a parameter: what holds in the parameter sets it names. platyPS writes one block per distinct
    /// (Required, Position, Accept pipeline input) across the parameter's sets.
    /// </summary>
    public sealed class ParameterSetMetadata
    {
        /// <summary>The value of "Parameter Sets:" that means every set.</summary>
        public const string AllSets = "(All)";

        public ParameterSetMetadata(IReadOnlyList<string> sets, bool required, string position, string pipelineInput)
        {
            Sets = sets;
            Required = required;
            Position = position;
            PipelineInput = pipelineInput;
        }

        /// <summary>Set names, or just <see cref="AllSets"/>.</summary>
        public IReadOnlyList<string> Sets { get; }

        public bool Required { get; }

        /// <summary>"Named" or the position as a number.</summary>
        public string Position { get; }

        /// <summary>"False", "True (ByValue)", "True (ByPropertyName)" or "True (ByPropertyName, ByValue)".</summary>
        public string PipelineInput { get; }

        public bool Covers(string set)
        {
            foreach (var s in Sets)
                if (s == AllSets || s == set) return true;
            return false;
        }
    }
}
