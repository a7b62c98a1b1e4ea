using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace EntraAppKit
{
    /// <summary>
    /// Isolates EntraAppKit's dependencies ("Resolving PowerShell module assembly dependency conflicts",
    /// learn.microsoft.com/powershell/scripting/dev-cross-plat/resolving-dependency-conflicts). PowerShell 7: the engine and every third-party
    /// assembly load in the module's own AssemblyLoadContext (EntraAppKit.Loader.dll) from Dependencies/. Windows
    /// PowerShell 5.1 has no load contexts: an AssemblyResolve handler serves Dependencies/ for what the session lacks.
    /// This type must not reference the engine: it runs before the engine can be found.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        private static readonly string DependenciesDirectory = Path.Combine(ModuleDirectory, "Dependencies");
        private static readonly bool IsNetFramework = RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        public void OnImport() => Initialize();

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve -= ResolveOnNetFramework;
            else LoaderType()?.GetMethod("Cleanup")!.Invoke(null, null);
        }

        /// <summary>Idempotent; public so hosts and tests can initialise the module the way Import-Module does.</summary>
        public static void Initialize()
        {
            if (!Directory.Exists(DependenciesDirectory)) return; // running from a build folder, where everything sits side by side
            if (IsNetFramework) AppDomain.CurrentDomain.AssemblyResolve += ResolveOnNetFramework;
            else LoaderType()!.GetMethod("Initialize")!.Invoke(null, new object[] { DependenciesDirectory });
        }

        private static Type? LoaderType()
        {
            string path = Path.Combine(ModuleDirectory, "EntraAppKit.Loader.dll");
            return File.Exists(path) ? Assembly.LoadFrom(path).GetType("EntraAppKit.Loader.LoadContextInitializer", throwOnError: true) : null;
        }

        private static readonly Dictionary<string, Assembly> Loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Windows PowerShell 5.1: answers for assemblies the session cannot find, from Dependencies/, when ours is the same
        /// or a newer version (the binding redirect .NET Framework would need). Another module's copy that is already
        /// loaded wins for its own callers; there is no true isolation on .NET Framework.
        /// </summary>
        private static Assembly? ResolveOnNetFramework(object? sender, ResolveEventArgs args)
        {
            var requested = new AssemblyName(args.Name);
            string path = Path.Combine(DependenciesDirectory, requested.Name + ".dll");
            lock (Loaded)
            {
                if (Loaded.TryGetValue(requested.Name!, out var cached)) return cached;
                if (!File.Exists(path)) return null;
                var shipped = AssemblyName.GetAssemblyName(path);
                if (requested.Version != null && shipped.Version < requested.Version) return null;
                return Loaded[requested.Name!] = Assembly.LoadFrom(path);
            }
        }
    }
}
