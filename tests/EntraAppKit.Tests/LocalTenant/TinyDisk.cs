using System;
using System.IO;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// A 512 KB tmpfs mounted for one test, which <see cref="Fill"/> makes full for real (ENOSPC). Only root may mount, so the
    /// full-disk cases exist only where <see cref="Available"/> (CI runs as root).
    /// </summary>
    public sealed class TinyDisk : IDisposable
    {
        private static readonly Lazy<bool> CanMount = new Lazy<bool>(Probe);

        private TinyDisk(string folder) { Folder = folder; }

        public static bool Available => CanMount.Value;

        public string Folder { get; }

        private string Filler => Path.Combine(Folder, "filler");

        public static TinyDisk Mount(string folder)
        {
            Directory.CreateDirectory(folder);
            Command.Run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", folder);
            return new TinyDisk(folder);
        }

        /// <summary>Writes a file until the disk has no byte left.</summary>
        public void Fill()
        {
            // Unbuffered writes, so the error comes from the write that did not fit, not from a later Dispose.
            using var stream = new FileStream(Filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            foreach (int size in new[] { 4096, 1 })
            {
                var chunk = new byte[size];
                try
                {
                    while (true) stream.Write(chunk, 0, chunk.Length);
                }
                catch (IOException) { }
            }
        }

        public void Empty() => File.Delete(Filler);

        public void Dispose()
        {
            Command.TryRun("umount", Folder);
        }

        private static bool Probe()
        {
            if (OperatingSystem.IsWindows() || Environment.UserName != "root") return false;
            string folder = Path.Combine(Path.GetTempPath(), "entraappkit-tinydisk-probe-" + Guid.NewGuid().ToString("N"));
            try
            {
                using (Mount(folder)) return true;
            }
            catch (Exception) { return false; }
            finally
            {
                try { Directory.Delete(folder); } catch (IOException) { }
            }
        }
    }
}
