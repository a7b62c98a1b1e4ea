using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace EntraAppKit.Loader
{
    /// <summary>Installs the context: the default context asks it for the engine, and only for the engine.</summary>
    public static class LoadContextInitializer
    {
        private static EntraAppKitLoadContext? s_context;
        private static Func<AssemblyLoadContext, AssemblyName, Assembly?>? s_handler;

        /// <summary>The names the cmdlet assembly references that live in the context (the bridge into it).</summary>
        public static readonly IReadOnlyCollection<string> Bridge = new[] { "EntraAppKit.Core" };

        public static EntraAppKitLoadContext Initialize(string dependenciesDirectory)
        {
            if (s_context != null) return s_context;
            s_context = new EntraAppKitLoadContext(dependenciesDirectory);
            s_handler = (context, name) => Bridge.Contains(name.Name) ? s_context.LoadFromAssemblyName(name) : null;
            AssemblyLoadContext.Default.Resolving += s_handler;
            return s_context;
        }

        /// <summary>Unhooks the handler (Remove-Module). The context stays: a loaded assembly cannot be unloaded from it.</summary>
        public static void Cleanup()
        {
            if (s_handler != null) AssemblyLoadContext.Default.Resolving -= s_handler;
            s_handler = null;
        }
    }
}
