using System;
using System.Collections.Generic;
using System.Linq;

namespace HelpBuilder
{
    /// <summary>Every problem of the help pages of one run; nothing was written.</summary>
    public sealed class HelpBuildException : Exception
    {
        public HelpBuildException(IReadOnlyList<HelpSourceException> problems)
            : base(string.Join(Environment.NewLine, problems.Select(p => p.Message)))
        {
            Problems = problems;
        }

        public IReadOnlyList<HelpSourceException> Problems { get; }
    }
}
