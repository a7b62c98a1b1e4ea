using System;
using System.Linq;
using System.Management.Automation.Runspaces;
using EntraAppKit.PesterSupport;

namespace EntraAppKit.PowerShell.Tests
{
    /// <summary>One runspace with the packaged module imported and a <see cref="RecordingHost"/>, shared by the help tests (they only read help).</summary>
    public sealed class HelpSession : IDisposable
    {
        /// <summary>Wide enough that no line of help is broken: the tests compare text, not layout.</summary>
        private const int Width = 4096;

        private readonly RecordingHost _host = new RecordingHost(Width);
        private readonly Runspace _runspace;
        private readonly System.Management.Automation.PowerShell _ps;

        public HelpSession()
        {
            _runspace = RunspaceFactory.CreateRunspace(_host, InitialSessionState.CreateDefault2());
            _runspace.Open();
            _ps = System.Management.Automation.PowerShell.Create();
            _ps.Runspace = _runspace;
            Show($"Import-Module '{ModuleSession.Manifest}' -ErrorAction Stop");
        }

        /// <summary>What the command shows on a console (its output through Out-Host); fails on any error.</summary>
        public string Show(string command)
        {
            _ps.Commands.Clear();
            _ps.Streams.ClearStreams();
            _ps.AddScript(command + " | Out-Host");
            _ps.Invoke();
            if (_ps.Streams.Error.Count > 0)
                throw new Xunit.Sdk.XunitException($"{command} wrote errors:\n" + string.Join("\n", _ps.Streams.Error.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
            return string.Join("\n", _host.TakeLines());
        }

        public void Dispose()
        {
            _ps.Dispose();
            _runspace.Dispose();
        }
    }
}
