using System;
using System.IO;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Makes a folder refuse new files for real, so a save fails the way it does on a locked-down disk: mode 0500 for an
    /// ordinary user; for root, whom modes do not stop, the immutable attribute (chattr +i).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static class UnixFolder
    {
        private static bool IsRoot => Environment.UserName == "root";

        public static void MakeReadOnly(string folder)
        {
            if (IsRoot) Command.Run("chattr", "+i", folder);
            else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            try { File.WriteAllText(Path.Combine(folder, ".probe"), ""); }
            catch (Exception e) when (e is UnauthorizedAccessException || e is IOException) { return; }
            throw new InvalidOperationException($"'{folder}' still takes new files: this test needs a file system that honours chattr +i (root) or modes.");
        }

        public static void MakeWritable(string folder)
        {
            if (!Directory.Exists(folder)) return;
            if (IsRoot) Command.TryRun("chattr", "-i", folder);
            else File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
