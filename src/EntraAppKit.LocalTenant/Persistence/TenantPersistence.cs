using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// Keeps the store and its state file one: every process that opens the file (pwsh sessions with -Path, the server) takes
    /// the file's lock for each request, first catches up with what another process saved, and saves its own write before it
    /// lets go. A small tenant is saved by writing the file whole; a large one (the file past <see cref="LocalTenantOptions.JournalAfterBytes"/>)
    /// by appending what the write changed to the file's journal, which is folded into the file once it is as long as the
    /// file. A save that fails puts the store back as it was before the write and answers Graph's 507; nothing acknowledged is
    /// lost and nothing unsaved stays visible.
    /// </summary>
    internal sealed class TenantPersistence
    {
        /// <summary>How long a request waits for another process's request on the same file before it answers 503.</summary>
        internal static TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        private static readonly IDisposable NoLock = new NothingToRelease();

        private readonly InMemoryTenantStore _store;
        private readonly GraphSchema _schema;
        private readonly long _journalAfterBytes;
        private JsonObject _unknownMembers;
        private SnapshotStamp _stamp;    // the file as this process last read or wrote it
        private long _journalLength;     // how much of the journal this process has applied or written

        private TenantPersistence(InMemoryTenantStore store, GraphSchema schema, string? path, JsonObject unknownMembers, long journalAfterBytes)
        {
            _store = store; _schema = schema; Path = path; _unknownMembers = unknownMembers; _journalAfterBytes = journalAfterBytes;
            _stamp = SnapshotStamp.None;
        }

        /// <summary>A tenant that lives in memory only.</summary>
        public static TenantPersistence InMemory(InMemoryTenantStore store, GraphSchema schema) =>
            new TenantPersistence(store, schema, null, new JsonObject(), long.MaxValue);

        /// <summary>
        /// Opens the tenant saved at <paramref name="path"/> (with its journal), or creates it there from <paramref name="create"/>,
        /// under the file's lock: two processes starting on a missing file make one tenant. A damaged or foreign file raises
        /// <see cref="LocalTenantStateException"/> and is left untouched.
        /// </summary>
        public static TenantPersistence Open(string path, GraphSchema schema, Func<InMemoryTenantStore> create, long journalAfterBytes)
        {
            string full = FullPath(path);
            try
            {
                if (Directory.Exists(full)) throw new LocalTenantStateException($"The local tenant path '{path}' is a folder; give a file name (for example '{System.IO.Path.Combine(path, "tenant.json")}').", unusablePath: true);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                using (var held = StateFileLock.AcquireAsync(full, LockTimeout, CancellationToken.None).GetAwaiter().GetResult()
                    ?? throw new LocalTenantStateException($"The local tenant file '{path}' stayed locked by another process for {LockTimeout.TotalSeconds:0} seconds."))
                {
                    StateFile.RemoveOrphans(full);
                    byte[]? bytes = StateFile.Read(full);
                    if (bytes != null)
                    {
                        var stamp = SnapshotStamp.Of(full);
                        var store = StateFile.Parse(bytes, path, schema, out bool upgraded, out var unknown, out string? generation);
                        var loaded = new TenantPersistence(store, schema, full, unknown, journalAfterBytes) { _stamp = stamp };
                        bytes = null;
                        loaded.CatchUpWithJournal(generation);
                        if (upgraded || generation == null || loaded._journalLength > loaded.FoldAfter) loaded.WriteWhole();
                        return loaded;
                    }
                    var created = new TenantPersistence(create(), schema, full, new JsonObject(), journalAfterBytes);
                    created.WriteWhole();
                    return created;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new LocalTenantStateException($"The local tenant file '{path}' cannot be used: {e.Message}");
            }
        }

        private static string FullPath(string path)
        {
            try
            {
                if (string.IsNullOrWhiteSpace(path) || path.IndexOf('\0') >= 0) throw new ArgumentException("an empty name or a NUL character");
                return System.IO.Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new LocalTenantStateException($"'{path.Replace("\0", "\\0")}' is not a usable file name for the local tenant ({e.Message}).", unusablePath: true);
            }
        }

        public InMemoryTenantStore Store => _store;

        /// <summary>The state file, or null for a tenant in memory only.</summary>
        public string? Path { get; }

        /// <summary>Graph's 503 with Retry-After for a tenant another request holds too long.</summary>
        public static GraphException Busy(string message)
        {
            var busy = new GraphException(503, "serviceNotAvailable", message);
            busy.Headers["Retry-After"] = "1";
            return busy;
        }

        /// <summary>
        /// Takes the file's lock for one request, brings the store up to date with what other processes saved, and for a
        /// <paramref name="write"/> starts recording its changes (a read records nothing: a page of 999 objects would be copied
        /// for an undo it never needs). Dispose releases it. Without a file there is nothing to lock or record. Graph's 503
        /// (with Retry-After) when another process holds the lock too long; 500 when the file was damaged while the tenant ran
        /// (nothing is changed then).
        /// </summary>
        public async Task<IDisposable> LockAsync(bool write, CancellationToken cancellationToken)
        {
            if (Path == null) return NoLock;
            StateFileLock? held;
            try { held = await StateFileLock.AcquireAsync(Path, LockTimeout, cancellationToken).ConfigureAwait(false); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw StorageFailed(e);
            }
            if (held == null) throw Busy($"The local tenant's state file is in use by another process's request for more than {LockTimeout.TotalSeconds:0} seconds. Retry the request.");
            try
            {
                _store.BeginChanges(record: false);
                Refresh();
                _store.BeginChanges(record: write);
                return held;
            }
            catch
            {
                held.Dispose();
                throw;
            }
        }

        /// <summary>Catches up with another process's saves: its journal lines only, or the whole file when it was rewritten.</summary>
        private void Refresh()
        {
            try
            {
                var stamp = SnapshotStamp.Of(Path!);
                if (!stamp.Exists)
                {
                    WriteWhole(); // deleted while the tenant runs: it is written again from what this process holds
                    return;
                }
                if (!stamp.Equals(_stamp))
                {
                    Reload(stamp);
                    return;
                }
                long length = StateJournal.LengthOf(Path!);
                if (length == _journalLength) return;
                if (length < _journalLength) Reload(stamp);
                else CatchUpWithJournal(stamp.Generation);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw StorageFailed(e); }
            catch (LocalTenantStateException e) { throw new GraphException(500, "generalException", e.Message + " The request was not applied."); }
        }

        /// <summary>Reads the whole file again (another process rewrote it), then its journal.</summary>
        private void Reload(SnapshotStamp stamp)
        {
            byte[]? current = StateFile.Read(Path!);
            if (current == null)
            {
                WriteWhole();
                return;
            }
            var loaded = StateFile.Parse(current, Path!, _schema, out _, out var unknown, out string? generation);
            if (!Entity.SameKey(loaded.TenantId, _store.TenantId))
                throw new GraphException(500, "generalException",
                    $"The local tenant file '{Path}' now holds another tenant ({loaded.TenantId}, not {_store.TenantId}). The request was not applied; reconnect to use it.");
            _store.ReplaceWith(loaded);
            _unknownMembers = unknown;
            _stamp = stamp;
            _journalLength = 0;
            CatchUpWithJournal(generation);
        }

        /// <summary>Applies the journal's lines this process has not applied yet; a stale journal (another generation) is removed.</summary>
        private void CatchUpWithJournal(string? generation)
        {
            long end = 0, length = 0;
            var records = generation == null ? null : StateJournal.Read(Path!, generation, _journalLength, out end, out length);
            if (records == null)
            {
                StateJournal.Delete(Path!);
                _journalLength = 0;
                return;
            }
            foreach (var record in records) StateFile.ApplyRecord(_store, record, Path!, _schema);
            _journalLength = end;
            if (length > end) StateJournal.Truncate(Path!, end); // a line a crash left unfinished
        }

        /// <summary>
        /// Saves what the write changed since the lock was taken (or since the last save under it). When the file cannot be
        /// written (a full disk, no permission) the store goes back to its state before the write, nothing half-written is
        /// left, and Graph's 507 is raised: the change is not kept anywhere.
        /// </summary>
        public void Save()
        {
            if (Path == null) return;
            try
            {
                var record = StateFile.ChangeRecord(_store);
                if (record != null)
                {
                    if (_journalLength == 0 && _stamp.Length <= _journalAfterBytes) WriteWhole();
                    else
                    {
                        _journalLength = StateJournal.Append(Path, _stamp.Generation!, _journalLength, record);
                        if (_journalLength > FoldAfter) TryFold();
                    }
                }
                _store.BeginChanges(record: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Discard();
                throw StorageFailed(e);
            }
        }

        /// <summary>
        /// Puts the store back as it was before the write, after one that failed (an error answer, an unexpected exception):
        /// whatever a handler changed before it failed is not left in memory to reach the file with the next save. In memory
        /// only, there is no saved state to go back to.
        /// </summary>
        public void Discard()
        {
            if (Path == null) return;
            _store.RollbackChanges();
            _store.BeginChanges(record: true);
        }

        /// <summary>The journal is folded into the file once it is as long as the file (and past the threshold).</summary>
        private long FoldAfter => Math.Max(_journalAfterBytes, _stamp.Length);

        /// <summary>Folds the journal into the file. The write it follows is already saved in the journal: a failure here loses nothing.</summary>
        private void TryFold()
        {
            try { WriteWhole(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
        }

        /// <summary>Writes the file whole, as a new generation, and removes the journal it replaces.</summary>
        private void WriteWhole()
        {
            string generation = Guid.NewGuid().ToString("N");
            StateFile.Write(Path!, StateFile.Serialize(_store, _schema, _unknownMembers, generation));
            _stamp = SnapshotStamp.Of(Path!);
            _journalLength = 0; // the next append starts a new journal even if the old one cannot be removed now
            StateJournal.Delete(Path!); // after the file: a crash between the two leaves a stale journal, which is ignored
        }

        /// <summary>Graph's answer when its store cannot take a write (learn.microsoft.com/graph/errors: 507 Insufficient Storage).</summary>
        private GraphException StorageFailed(Exception e) => new GraphException(507, "quotaLimitReached",
            $"The local tenant could not save its state file '{Path}' ({e.GetType().Name}: {e.Message}). The change was not applied.");

        private sealed class NothingToRelease : IDisposable
        {
            public void Dispose() { }
        }
    }
}
