using System.Collections.Generic;

namespace EntraAppKit.Core.Planning
{
    /// <summary>
    /// What a command will write, read from the tenant before any write: the cmdlets ask ShouldProcess for each change
    /// (so -WhatIf lists them all), then apply all of them or none.
    /// </summary>
    public interface IChangePlan
    {
        /// <summary>Every write, in the order it will be made; empty when the tenant already matches.</summary>
        IReadOnlyList<PlannedChange> Changes { get; }
    }
}
