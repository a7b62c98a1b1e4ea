using System;

namespace HelpBuilder
{
    /// <summary>A help page that cannot become help: where (file and line) and why.</summary>
    public sealed class HelpSourceException : Exception
    {
        public HelpSourceException(string path, int line, string problem)
            : base($"{path}({line}): {problem}")
        {
            SourcePath = path;
            Line = line;
            Problem = problem;
        }

        public string SourcePath { get; }

        public int Line { get; }

        public string Problem { get; }
    }
}
