using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace EntraAppKit.Tests.Architecture
{
    /// <summary>Names and files tell the truth: one public type per file, named after it, in the namespace of its project and folder.</summary>
    public class SourceLayoutTests
    {
        private static readonly string Root = typeof(SourceLayoutTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

        /// <summary>A type declared directly in a file-level namespace block (four spaces in).</summary>
        private static readonly Regex TopLevelType = new Regex(
            @"^    (?<modifiers>(?:(?:public|internal|static|sealed|abstract|partial|readonly)\s+)*)(?:class|interface|enum|struct|record)\s+(?<name>\w+)", RegexOptions.Multiline);

        private static readonly Regex Namespace = new Regex(@"^namespace\s+(?<name>[\w.]+)", RegexOptions.Multiline);

        public static IEnumerable<object[]> SourceFiles() =>
            Directory.GetFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Path.Combine(Root, "src"), f).Replace('\\', '/'))
                .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new object[] { f });

        [Theory]
        [MemberData(nameof(SourceFiles))]
        public void A_file_holds_one_public_type_named_after_it_in_its_folders_namespace(string file)
        {
            string text = File.ReadAllText(Path.Combine(Root, "src", file));
            var parts = file.Split('/');
            string expectedNamespace = string.Join(".", parts.Take(parts.Length - 1));
            var namespaces = Namespace.Matches(text).Select(m => m.Groups["name"].Value).Distinct().ToList();
            Assert.Equal(new[] { expectedNamespace }, namespaces);

            var types = TopLevelType.Matches(text).Select(m => (Name: m.Groups["name"].Value, Public: m.Groups["modifiers"].Value.Contains("public"))).ToList();
            Assert.True(types.Count(t => t.Public) <= 1, $"{file} declares public types {string.Join(", ", types.Where(t => t.Public).Select(t => t.Name))}");
            Assert.True(types.Count > 0, $"{file} declares no type");
            Assert.Equal(Path.GetFileNameWithoutExtension(file), types[0].Name);
        }

        [Fact]
        public void No_type_is_named_like_its_namespace()
        {
            foreach (var file in SourceFiles().Select(f => (string)f[0]))
            {
                string text = File.ReadAllText(Path.Combine(Root, "src", file));
                string ns = Namespace.Match(text).Groups["name"].Value;
                foreach (Match m in TopLevelType.Matches(text))
                    Assert.False(ns.Split('.').Last() == m.Groups["name"].Value, $"{file}: type {m.Groups["name"].Value} in namespace {ns}");
            }
        }
    }
}
