using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace EntraAppKit.Tests.Module
{
    /// <summary>
    /// Import-Module lists the cmdlet assembly's exported types (Assembly.GetExportedTypes) before the module's initializer has
    /// installed the load context that serves EntraAppKit.Core, and loading a type loads its base types, interfaces, generic
    /// method constraints and overridable signatures. So none of those may name a type of EntraAppKit.Core or its dependencies:
    /// only the module root (EntraAppKit, EntraAppKit.Model), PowerShell and the runtime. Core types belong in method bodies.
    /// </summary>
    public sealed class CmdletTypeLoadTests : IDisposable
    {
        private static readonly string Root = typeof(CmdletTypeLoadTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        private readonly MetadataLoadContext _context;
        private readonly Assembly _cmdlets;

        public CmdletTypeLoadTests()
        {
            string Metadata(string key) => typeof(CmdletTypeLoadTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
            string moduleRoot = Path.Combine(Root, "out", "EntraAppKit", typeof(CmdletTypeLoadTests).Assembly.GetName().Version!.ToString(3));
            Assert.True(File.Exists(Path.Combine(moduleRoot, "EntraAppKit.dll")), "building src/EntraAppKit assembles the module folder");
            // What the default context can bind before import: the runtime, PowerShell, and the module root. Not Dependencies/.
            var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                .Where(p => !Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase))
                .Concat(Directory.GetFiles(moduleRoot, "*.dll"))
                .Concat(new[] { Path.GetFullPath(Metadata("PowerShellStandard")) });
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Runtime");
            _cmdlets = _context.LoadFromAssemblyPath(Path.Combine(moduleRoot, "EntraAppKit.dll"));
        }

        public void Dispose() => _context.Dispose();

        /// <summary>Resolves <paramref name="type"/> and its generic arguments; the name of what needs an assembly outside the module root, or null.</summary>
        private static string? Unresolvable(Func<Type?> type, string what)
        {
            try
            {
                var t = type();
                while (t != null && t.HasElementType) t = t.GetElementType();
                if (t != null && t.IsGenericType) foreach (var a in t.GetGenericArguments()) _ = a.FullName;
                return null;
            }
            catch (FileNotFoundException e) { return $"{what} needs {Missing(e)}"; }
        }

        private static string Missing(FileNotFoundException e) => string.IsNullOrEmpty(e.FileName) ? e.Message : e.FileName!;

        private static IEnumerable<string> Problems(Type type)
        {
            for (var t = type; t != null && t.FullName != "System.Management.Automation.PSCmdlet"; )
            {
                Type? next = null;
                string? problem = Unresolvable(() => next = t.BaseType, $"{type.Name}'s base type");
                if (problem != null) { yield return problem; break; }
                if (next != null) foreach (var a in next.GetGenericArguments()) if (Unresolvable(() => a, $"{type.Name}'s base type argument") is string p) yield return p;
                t = next;
            }
            string? interfaces = null;
            try { _ = type.GetInterfaces(); } catch (FileNotFoundException e) { interfaces = $"{type.Name}'s interfaces need {e.FileName}"; }
            if (interfaces != null) yield return interfaces;
            foreach (var m in type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (m.IsGenericMethodDefinition)
                    foreach (var argument in m.GetGenericArguments())
                    {
                        string? constraint = null;
                        try { foreach (var c in argument.GetGenericParameterConstraints()) _ = c.FullName; }
                        catch (FileNotFoundException e) { constraint = $"{type.Name}.{m.Name}'s constraint on {argument.Name} needs {Missing(e)}"; }
                        if (constraint != null) yield return constraint;
                    }
                if (!m.IsVirtual) continue;
                if (Unresolvable(() => m.ReturnType, $"{type.Name}.{m.Name}'s return type") is string r) yield return r;
                foreach (var p in m.GetParameters())
                    if (Unresolvable(() => p.ParameterType, $"{type.Name}.{m.Name}'s parameter {p.Name}") is string q) yield return q;
            }
        }

        [Fact]
        public void Every_exported_type_of_the_cmdlet_assembly_loads_without_the_engine()
        {
            var types = _cmdlets.GetExportedTypes();
            Assert.Contains(types, t => t.Name == "NewRewstAppRegistrationCommand");
            var problems = types.SelectMany(Problems).ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }
}
