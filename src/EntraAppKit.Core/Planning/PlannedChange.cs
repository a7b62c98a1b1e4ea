namespace EntraAppKit.Core.Planning
{
    /// <summary>One change a run makes (or, with -WhatIf, would make).</summary>
    public sealed class PlannedChange
    {
        public PlannedChange(string target, string action, string description)
        {
            Target = target; Action = action; Description = description;
        }

        /// <summary>What is changed, e.g. "application 'Rewst Integration'".</summary>
        public string Target { get; }

        /// <summary>The verb, e.g. "Create", "Add client secret".</summary>
        public string Action { get; }

        /// <summary>A full sentence for -WhatIf and the result's Changes.</summary>
        public string Description { get; }

        public override string ToString() => Description;
    }
}
