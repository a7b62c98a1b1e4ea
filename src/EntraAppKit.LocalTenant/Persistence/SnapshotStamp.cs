using System;
using System.IO;
using System.Text;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// What a process checks of the state file before each request instead of reading it: its length, its last write and
    /// the generation written near its start. Any of them changed means another process (or a person) rewrote the file.
    /// </summary>
    internal sealed class SnapshotStamp : IEquatable<SnapshotStamp>
    {
        private const int HeadBytes = 256;
        private const string GenerationMember = "\"generation\":\"";

        public static readonly SnapshotStamp None = new SnapshotStamp(false, -1, 0, null);

        private SnapshotStamp(bool exists, long length, long lastWriteTicks, string? generation)
        {
            Exists = exists; Length = length; LastWriteTicks = lastWriteTicks; Generation = generation;
        }

        public bool Exists { get; }
        public long Length { get; }
        public long LastWriteTicks { get; }

        /// <summary>The file's generation, or null when it has none near its start (a version 1 file, or one edited by hand).</summary>
        public string? Generation { get; }

        public static SnapshotStamp Of(string path)
        {
            byte[] head;
            long length;
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    length = stream.Length;
                    head = new byte[Math.Min(HeadBytes, length)];
                    int read = 0;
                    while (read < head.Length)
                    {
                        int n = stream.Read(head, read, head.Length - read);
                        if (n == 0) break;
                        read += n;
                    }
                }
            }
            catch (FileNotFoundException) { return None; }
            catch (DirectoryNotFoundException) { return None; }
            string text = Encoding.UTF8.GetString(head);
            int at = text.IndexOf(GenerationMember, StringComparison.Ordinal);
            int end = at < 0 ? -1 : text.IndexOf('"', at + GenerationMember.Length);
            string? generation = end < 0 ? null : text.Substring(at + GenerationMember.Length, end - at - GenerationMember.Length);
            return new SnapshotStamp(true, length, File.GetLastWriteTimeUtc(path).Ticks, generation);
        }

        public bool Equals(SnapshotStamp? other) =>
            other != null && Exists == other.Exists && Length == other.Length && LastWriteTicks == other.LastWriteTicks && Generation == other.Generation;

        public override bool Equals(object? obj) => Equals(obj as SnapshotStamp);

        public override int GetHashCode() => Length.GetHashCode() ^ LastWriteTicks.GetHashCode();
    }
}
