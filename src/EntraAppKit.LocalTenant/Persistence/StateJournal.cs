using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// The state file's journal ("{file}.journal"): the writes made since the file was last written whole, one JSON line
    /// each, so that a write to a large tenant appends what it changed instead of rewriting every object. Its first line names
    /// the generation of the state file it continues; a journal of another generation (left by a crash between writing the
    /// file and removing the journal) is stale and ignored. A line cut short by a crash was never acknowledged: it is cut off.
    /// </summary>
    internal static class StateJournal
    {
        public const string FormatName = "EntraAppKit.LocalTenant.Journal/1";

        public static string PathFor(string statePath) => statePath + ".journal";

        /// <summary>The journal's length, or 0 when there is none.</summary>
        public static long LengthOf(string statePath)
        {
            var info = new FileInfo(PathFor(statePath));
            return info.Exists ? info.Length : 0;
        }

        /// <summary>
        /// Appends one write's <paramref name="record"/> and waits until it is on disk. <paramref name="length"/> is the journal's
        /// length as the caller knows it (0: a new journal for <paramref name="generation"/>, replacing a stale one). On failure
        /// the journal is cut back to that length, so a later append never follows half a line. Returns the new length.
        /// </summary>
        public static long Append(string statePath, string generation, long length, JsonObject record)
        {
            string path = PathFor(statePath);
            bool existed = File.Exists(path);
            using (var stream = new FileStream(path, length == 0 ? FileMode.Create : FileMode.Open, FileAccess.Write, FileShare.Read))
            {
                if (!existed) OwnerOnlyFileMode.Apply(path, null); // before the first byte: it holds secrets' hashes
                try
                {
                    stream.Seek(length, SeekOrigin.Begin);
                    if (length == 0) WriteLine(stream, new JsonObject { ["format"] = FormatName, ["generation"] = generation });
                    WriteLine(stream, record);
                    stream.Flush(true);
                    return stream.Position;
                }
                catch
                {
                    try { stream.SetLength(length); } catch (IOException) { }
                    throw;
                }
            }
        }

        /// <summary>
        /// The records from byte <paramref name="from"/> on (0: the whole journal, header first). Null when the journal belongs
        /// to another generation than <paramref name="generation"/>; none without a journal. <paramref name="end"/> is where the
        /// last whole line ends, <paramref name="length"/> the journal's length; a damaged line raises <see cref="LocalTenantStateException"/>.
        /// </summary>
        public static List<JsonObject>? Read(string statePath, string generation, long from, out long end, out long length)
        {
            string path = PathFor(statePath);
            byte[] bytes;
            end = from;
            length = 0;
            if (!File.Exists(path)) return new List<JsonObject>();
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                length = stream.Length;
                stream.Seek(from, SeekOrigin.Begin);
                bytes = new byte[stream.Length - from];
                int read = 0;
                while (read < bytes.Length)
                {
                    int n = stream.Read(bytes, read, bytes.Length - read);
                    if (n == 0) break;
                    read += n;
                }
            }
            var records = new List<JsonObject>();
            int start = 0;
            bool header = from == 0;
            while (true)
            {
                int newline = Array.IndexOf(bytes, (byte)'\n', start);
                if (newline < 0) break; // a line cut short by a crash: never acknowledged
                var line = Line(bytes, start, newline - start, path);
                if (header)
                {
                    if (Entity(line, "format") != FormatName) throw Damaged(path, "its first line is not a journal header");
                    if (Entity(line, "generation") != generation) return null;
                    header = false;
                }
                else records.Add(line);
                start = newline + 1;
                end = from + start;
            }
            return header && end == 0 ? new List<JsonObject>() : records;
        }

        /// <summary>Cuts off a line a crash left unfinished, so that the next append starts on a line of its own.</summary>
        public static void Truncate(string statePath, long length)
        {
            using (var stream = new FileStream(PathFor(statePath), FileMode.Open, FileAccess.Write, FileShare.Read)) stream.SetLength(length);
        }

        public static void Delete(string statePath)
        {
            try { File.Delete(PathFor(statePath)); }
            catch (DirectoryNotFoundException) { }
        }

        private static void WriteLine(Stream stream, JsonObject line)
        {
            var bytes = new UTF8Encoding(false).GetBytes(line.ToJsonString() + "\n");
            stream.Write(bytes, 0, bytes.Length);
        }

        private static JsonObject Line(byte[] bytes, int start, int count, string path)
        {
            try
            {
                string text = new UTF8Encoding(false, true).GetString(bytes, start, count);
                return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 128, AllowDuplicateProperties = false }) as JsonObject
                    ?? throw new JsonException("a line is not a JSON object");
            }
            catch (Exception e) when (e is JsonException || e is DecoderFallbackException || e is ArgumentException)
            {
                throw Damaged(path, e.Message);
            }
        }

        private static string? Entity(JsonObject line, string name) => Model.Entity.TextOf(line[name]);

        private static LocalTenantStateException Damaged(string path, string what) =>
            new LocalTenantStateException($"The local tenant journal '{path}' is corrupt ({what}). It was left untouched; move it and the state file away or pass another -Path.");
    }
}
