using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>A runspace of the real PowerShell engine with the packaged EntraAppKit module imported.</summary>
    public sealed class ModuleSession : IDisposable
    {
        public static readonly string Manifest = Metadata("ModuleManifest");

        static ModuleSession()
        {
            // Another module's Azure.Core in the default context before ours is imported (Az.Accounts does this).
            Assembly.LoadFrom(Metadata("ConflictingAzureCore"));
        }

        private static string Metadata(string key) =>
            typeof(ModuleSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

        private readonly System.Management.Automation.PowerShell _ps;

        private readonly Runspace? _runspace;

        public ModuleSession(bool import = true, PSHost? host = null)
        {
            if (host == null) _ps = System.Management.Automation.PowerShell.Create(InitialSessionState.CreateDefault2());
            else
            {
                // A host of the test's own (answers prompts, records progress): the runspace is opened on it.
                _runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
                _runspace.Open();
                _ps = System.Management.Automation.PowerShell.Create();
                _ps.Runspace = _runspace;
            }
            if (import) Run($"Import-Module '{Manifest}' -ErrorAction Stop");
        }

        public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Warnings { get; } = new List<string>();

        /// <summary>Runs a script and returns its output; errors, verbose and warning records are collected.</summary>
        public List<PSObject> Run(string script)
        {
            _ps.Commands.Clear();
            _ps.Streams.ClearStreams();
            _ps.AddScript(script);
            var output = _ps.Invoke().ToList();
            Errors.AddRange(_ps.Streams.Error);
            Verbose.AddRange(_ps.Streams.Verbose.Select(v => v.Message));
            Warnings.AddRange(_ps.Streams.Warning.Select(w => w.Message));
            return output;
        }

        /// <summary>Runs a script that must not write errors.</summary>
        public List<PSObject> RunClean(string script)
        {
            int before = Errors.Count;
            var output = Run(script);
            var errors = Errors.Skip(before).ToList();
            if (errors.Count > 0) throw new Xunit.Sdk.XunitException("The script wrote errors:\n" + string.Join("\n", errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
            return output;
        }

        public void Dispose()
        {
            _ps.Dispose();
            _runspace?.Dispose();
        }
    }
}
