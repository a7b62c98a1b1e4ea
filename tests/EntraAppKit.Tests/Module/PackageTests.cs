using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using Xunit;

namespace EntraAppKit.Tests.Module
{
    /// <summary>out/EntraAppKit.zip as Azure Automation imports it (learn.microsoft.com/azure/automation/shared-resources/modules): named as the module, under 100 MB, paths under 140 characters.</summary>
    public class PackageTests
    {
        private static readonly string Root = typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

        [Fact]
        public void The_automation_package_has_the_module_folder_layout_and_limits()
        {
            string zip = Path.Combine(Root, "out", "EntraAppKit.zip");
            Assert.True(File.Exists(zip), "building src/EntraAppKit assembles out/EntraAppKit.zip");
            Assert.InRange(new FileInfo(zip).Length, 1, 100L * 1024 * 1024);
            // Our own budget: 5 MB, Microsoft.Graph.dll trimmed (tools/PackageTrimmer); it was 11.9 MB with the whole of Graph.
            Assert.True(new FileInfo(zip).Length <= 5_000_000, $"out/EntraAppKit.zip is {new FileInfo(zip).Length} bytes, over the 5 MB budget");
            using var archive = ZipFile.OpenRead(zip);
            var names = archive.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
            string version = typeof(PackageTests).Assembly.GetName().Version!.ToString(3);
            string prefix = $"EntraAppKit/{version}/";
            Assert.All(names, n => Assert.StartsWith(prefix, n));
            Assert.Contains(prefix + "EntraAppKit.psd1", names);
            Assert.Contains(prefix + "EntraAppKit.dll", names);
            Assert.Contains(prefix + "EntraAppKit.format.ps1xml", names);
            Assert.Contains(prefix + "Dependencies/EntraAppKit.Core.dll", names);
            Assert.Contains(prefix + "Dependencies/Microsoft.Graph.dll", names);
            Assert.DoesNotContain(names, n => n.EndsWith("System.Management.Automation.dll", StringComparison.Ordinal));
            // The module root holds no third-party assembly that default probing could bind early.
            Assert.Equal(new[] { "EntraAppKit.Loader.dll", "EntraAppKit.Model.dll", "EntraAppKit.dll" },
                names.Where(n => n.Count(c => c == '/') == 2 && n.EndsWith(".dll", StringComparison.Ordinal)).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            // Automation extracts under a folder of its own; keep every path well inside its 140-character limit.
            var longest = names.OrderByDescending(n => n.Length).First();
            Assert.True(longest.Length < 100, $"{longest} is {longest.Length} characters");
        }
    }
}
