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
    /// the file's lock for each request, first reloads what another process saved, and saves its own write before it lets go.
    /// A save that fails rolls the store back to the file's last state and answers Graph's 507; nothing acknowledged is lost and
    /// nothing unsaved stays visible.
    /// </summary>
    internal sealed class TenantPersistence
    {
        /// <summary>How long a request waits for another process's request on the same file before it answers 503.</summary>
        internal static TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        private static readonly IDisposable NoLock = new NothingToRelease();

        private readonly InMemoryTenantStore _store;
        private readonly GraphSchema _schema;
        private JsonObject _unknownMembers;
        private byte[] _saved; // the file as this process last read or wrote it

        private TenantPersistence(InMemoryTenantStore store, GraphSchema schema, string? path, byte[] saved, JsonObject unknownMembers)
        {
            _store = store; _schema = schema; Path = path; _saved = saved; _unknownMembers = unknownMembers;
        }

        /// <summary>A tenant that lives in memory only.</summary>
        public static TenantPersistence InMemory(InMemoryTenantStore store, GraphSchema schema) =>
            new TenantPersistence(store, schema, null, new byte[0], new JsonObject());

        /// <summary>
        /// Opens the tenant saved at <paramref name="path"/>, or creates it there from <paramref name="create"/>, under the file's
        /// lock: two processes starting on a missing file make one tenant. A damaged or foreign file raises
        /// <see cref="LocalTenantStateException"/> and is left untouched.
        /// </summary>
        public static TenantPersistence Open(string path, GraphSchema schema, Func<InMemoryTenantStore> create)
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
                        var store = StateFile.Parse(bytes, path, schema, out bool upgraded, out var unknown);
                        var loaded = new TenantPersistence(store, schema, full, bytes, unknown);
                        if (upgraded) loaded.Write();
                        return loaded;
                    }
                    var created = new TenantPersistence(create(), schema, full, new byte[0], new JsonObject());
                    created.Write();
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
        /// Takes the file's lock for one request and brings the store up to date with what other processes saved. Dispose
        /// releases it. Without a file there is nothing to lock. Graph's 503 (with Retry-After) when another process holds the
        /// lock too long; 500 when the file was damaged while the tenant ran (nothing is changed then).
        /// </summary>
        public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
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
                Refresh();
                return held;
            }
            catch
            {
                held.Dispose();
                throw;
            }
        }

        /// <summary>Reloads the store when another process saved since this one last read or wrote the file.</summary>
        private void Refresh()
        {
            byte[]? current;
            try { current = StateFile.Read(Path!); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw StorageFailed(e); }
            if (current == null)
            {
                Save(); // deleted while the tenant runs: it is written again from what this process holds
                return;
            }
            if (current.AsSpan().SequenceEqual(_saved)) return;
            InMemoryTenantStore loaded;
            JsonObject unknown;
            try { loaded = StateFile.Parse(current, Path!, _schema, out _, out unknown); }
            catch (LocalTenantStateException e) { throw new GraphException(500, "generalException", e.Message + " The request was not applied."); }
            if (!Entity.SameKey(loaded.TenantId, _store.TenantId))
                throw new GraphException(500, "generalException",
                    $"The local tenant file '{Path}' now holds another tenant ({loaded.TenantId}, not {_store.TenantId}). The request was not applied; reconnect to use it.");
            _store.ReplaceWith(loaded);
            _unknownMembers = unknown;
            _saved = current;
        }

        /// <summary>
        /// Saves the store. When the file cannot be written (a full disk, no permission) the store goes back to the state last
        /// saved, the temp file is removed, and Graph's 507 is raised: the change is not kept anywhere.
        /// </summary>
        public void Save()
        {
            if (Path == null) return;
            try { Write(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Discard();
                throw StorageFailed(e);
            }
        }

        /// <summary>
        /// Puts the store back as last saved, after a write that failed (an error answer, an unexpected exception): whatever a
        /// handler changed before it failed is not left in memory to reach the file with the next save. In memory only, there
        /// is no saved state to go back to.
        /// </summary>
        public void Discard()
        {
            if (Path != null && _saved.Length > 0) _store.ReplaceWith(StateFile.Parse(_saved, Path, _schema, out _, out _));
        }

        private void Write()
        {
            byte[] bytes = StateFile.Serialize(_store, _schema, _unknownMembers);
            StateFile.Write(Path!, bytes);
            _saved = bytes;
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
