using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using HelpBuilder.Commands;
using HelpBuilder.Markdown;
using HelpBuilder.Output;

namespace HelpBuilder
{
    /// <summary>
    /// HelpBuilder &lt;docs folder&gt; &lt;output folder&gt;: every cmdlet page (Verb-Noun.md) into the MAML file its front matter
    /// names, every about_*.md into about_*.help.txt. Other pages (ARCHITECTURE.md) are not help. Problems are printed in
    /// MSBuild's "file(line): error" form and fail the run, so a page Get-Help could not show fully fails the build.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: HelpBuilder <docs folder> <output folder>");
                return 2;
            }
            try
            {
                var written = Build(args[0], args[1]);
                Console.WriteLine($"HelpBuilder: {string.Join(", ", written.Select(Path.GetFileName))} in {Path.GetFullPath(args[1])}");
                return 0;
            }
            catch (HelpBuildException e)
            {
                foreach (var problem in e.Problems) Console.Error.WriteLine($"{problem.SourcePath}({problem.Line}): error HELP001: {problem.Problem}");
                return 1;
            }
        }

        /// <summary>Writes the help files and returns their paths; throws <see cref="HelpBuildException"/> with every problem found.</summary>
        public static IReadOnlyList<string> Build(string docsFolder, string outputFolder)
        {
            var problems = new List<HelpSourceException>();
            var files = Directory.GetFiles(docsFolder, "*.md").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            var commands = new List<CommandHelp>();
            var abouts = new List<(string Name, string Text)>();
            foreach (var file in files)
            {
                string name = Path.GetFileNameWithoutExtension(file);
                bool about = name.StartsWith("about_", StringComparison.OrdinalIgnoreCase);
                if (!about && !name.Contains('-')) continue;
                try
                {
                    var doc = MarkdownDocument.Parse(File.ReadAllText(file), file);
                    if (about) abouts.Add((name, AboutTopicWriter.Write(doc)));
                    else commands.Add(CommandPageReader.Read(doc, name, problems));
                }
                catch (HelpSourceException e)
                {
                    problems.Add(e);
                }
            }
            if (commands.Count == 0 && abouts.Count == 0) problems.Add(new HelpSourceException(docsFolder, 0, "no cmdlet page (Verb-Noun.md) and no about_*.md here"));
            if (problems.Count > 0) throw new HelpBuildException(problems);

            Directory.CreateDirectory(outputFolder);
            var written = new List<string>();
            foreach (var group in commands.Where(c => c.HelpFile.Length > 0).GroupBy(c => c.HelpFile, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                string path = Path.Combine(outputFolder, group.Key);
                File.WriteAllText(path, MamlWriter.Write(group), new UTF8Encoding(false));
                written.Add(path);
            }
            foreach (var (name, text) in abouts)
            {
                // With a byte order mark, so that Windows PowerShell 5.1 does not read the text as the ANSI code page.
                string path = Path.Combine(outputFolder, name + ".help.txt");
                File.WriteAllText(path, text, new UTF8Encoding(true));
                written.Add(path);
            }
            return written;
        }
    }
}
