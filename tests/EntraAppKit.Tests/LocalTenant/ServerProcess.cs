using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>The local tenant server as its own process (entraappkit-localtenant beside the tests), for what only a process shows: a crash, a second writer.</summary>
    public sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, string address) { _process = process; Address = address; }

        /// <summary>The base address, http://127.0.0.1:port (Graph is under /v1.0).</summary>
        public string Address { get; }

        public static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "entraappkit-localtenant.exe" : "entraappkit-localtenant");

        /// <summary>Starts the server and waits for its "listening on" line.</summary>
        public static async Task<ServerProcess> StartAsync(params string[] arguments)
        {
            var process = Process.Start(StartInfo(arguments))!;
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line == null)
                    throw new Xunit.Sdk.XunitException($"The server stopped before it listened: {string.Join(" | ", lines)} {await process.StandardError.ReadToEndAsync()}");
                lines.Add(line);
                int at = line.IndexOf(" listening on ", StringComparison.Ordinal);
                if (at > 0) return new ServerProcess(process, line.Substring(at + 14).Replace("/v1.0", ""));
            }
        }

        /// <summary>Runs the server to its end (for arguments it refuses): exit code, standard output and error.</summary>
        public static async Task<(int Code, string Output, string Error)> RunToExitAsync(params string[] arguments)
        {
            using var process = Process.Start(StartInfo(arguments))!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }

        private static ProcessStartInfo StartInfo(string[] arguments)
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            return start;
        }

        /// <summary>The next line of standard output that contains <paramref name="text"/> (what the server printed after "listening on").</summary>
        public async Task<string> LineContainingAsync(string text)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                string? line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line == null) throw new Xunit.Sdk.XunitException($"The server printed no line containing '{text}'.");
                if (line.Contains(text, StringComparison.Ordinal)) return line;
            }
        }

        /// <summary>kill -9: no shutdown code runs.</summary>
        public void Kill()
        {
            if (_process.HasExited) return;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }
    }
}
