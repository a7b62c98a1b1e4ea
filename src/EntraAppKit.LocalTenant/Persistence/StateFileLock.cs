using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// The lock every process that opens one state file takes around each request: an exclusive open of "{file}.lock"
    /// (FileShare.None: a share lock on Windows, flock on Unix, released by the system when a process dies, even by kill -9).
    /// The state file itself cannot carry it: saves replace it by rename.
    /// </summary>
    internal sealed class StateFileLock : IDisposable
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

        private readonly FileStream _handle;

        private StateFileLock(FileStream handle) { _handle = handle; }

        public static string PathFor(string statePath) => statePath + ".lock";

        /// <summary>
        /// Waits up to <paramref name="timeout"/> for the lock. Null when another process held it all that time; a lock file
        /// that cannot be opened at all (no permission, a folder in its place) raises the IOException or
        /// UnauthorizedAccessException at once.
        /// </summary>
        public static async Task<StateFileLock?> AcquireAsync(string statePath, TimeSpan timeout, CancellationToken cancellationToken)
        {
            string path = PathFor(statePath);
            var watch = Stopwatch.StartNew();
            while (true)
            {
                if (TryOpen(path) is FileStream handle) return new StateFileLock(handle);
                if (watch.Elapsed >= timeout) return null;
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }

        private static FileStream? TryOpen(string path)
        {
            bool existed = File.Exists(path);
            try
            {
                var handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                if (!existed) OwnerOnlyFileMode.Apply(path, null);
                return handle;
            }
            // Held by another process: a sharing violation, which .NET reports as a plain IOException (never a subclass).
            catch (IOException e) when (e.GetType() == typeof(IOException) && File.Exists(path))
            {
                return null;
            }
        }

        public void Dispose() => _handle.Dispose();
    }
}
