using System;
using System.Diagnostics;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>Runs a system command (chattr, mount) for a test's setup.</summary>
    public static class Command
    {
        public static void Run(string file, params string[] arguments)
        {
            var (code, error) = Execute(file, arguments);
            if (code != 0) throw new InvalidOperationException($"{file} {string.Join(" ", arguments)} failed ({code}): {error}");
        }

        /// <summary>For clean-up: a failure is ignored.</summary>
        public static void TryRun(string file, params string[] arguments)
        {
            try { Execute(file, arguments); }
            catch (System.ComponentModel.Win32Exception) { }
        }

        private static (int Code, string Error) Execute(string file, string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
    }
}
