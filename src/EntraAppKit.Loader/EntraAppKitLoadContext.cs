using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace EntraAppKit.Loader
{
    /// <summary>
    /// The load context of EntraAppKit's engine and its third-party dependencies (Microsoft.Graph, Kiota, Azure.Core,
    /// Azure.Identity, MSAL, System.Text.Json…), all from the module's Dependencies folder, so any other module's versions
    /// of them (Az.Accounts, Microsoft.Graph.Authentication) in the same session neither break nor are broken by ours.
    /// </summary>
    public sealed class EntraAppKitLoadContext : AssemblyLoadContext
    {
        private readonly string _dependencies;
        private readonly Dictionary<string, string> _platform;
        private readonly Dictionary<string, Version?> _platformVersions = new Dictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);

        public EntraAppKitLoadContext(string dependenciesDirectory) : base("EntraAppKit", isCollectible: false)
        {
            _dependencies = dependenciesDirectory;
            // The runtime's own assemblies: share them when they are new enough, so netstandard facades such as
            // System.Memory are not loaded twice (two ReadOnlyMemory<T> types would not be the same type).
            // Names from file names now; versions read only for the few names asked for (import stays fast).
            _platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The folder this context loads from.</summary>
        public string DependenciesDirectory => _dependencies;

        protected override Assembly? Load(AssemblyName name)
        {
            string simple = name.Name ?? "";
            // PowerShell's own assemblies and the public model types stay shared with the default context.
            if (simple == "System.Management.Automation" || simple.StartsWith("Microsoft.PowerShell.", StringComparison.Ordinal) ||
                simple == "EntraAppKit" || simple == "EntraAppKit.Model")
                return null;
            var platformVersion = PlatformVersion(simple);
            if (platformVersion != null && (name.Version == null || platformVersion >= name.Version))
                return null;
            string path = Path.Combine(_dependencies, simple + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private Version? PlatformVersion(string simpleName)
        {
            lock (_platformVersions)
            {
                if (_platformVersions.TryGetValue(simpleName, out var known)) return known;
                Version? version = null;
                if (_platform.TryGetValue(simpleName, out var path))
                {
                    try { version = AssemblyName.GetAssemblyName(path).Version; }
                    catch (BadImageFormatException) { }
                }
                return _platformVersions[simpleName] = version;
            }
        }
    }
}
