using System;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// One request at a time: within this process (a semaphore), and across every process that opened the same state file
    /// (its file lock, taken after the semaphore so a process holds the file for one request, not a queue of them).
    /// </summary>
    internal sealed class TenantLock
    {
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly TenantPersistence _persistence;

        public TenantLock(TenantPersistence persistence) { _persistence = persistence; }

        /// <summary>Enters, with the store brought up to date with the file; Dispose leaves.</summary>
        public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { return new Held(_gate, await _persistence.LockAsync(cancellationToken).ConfigureAwait(false)); }
            catch
            {
                _gate.Release();
                throw;
            }
        }

        /// <summary>For the engine's synchronous members (tests and the adapter set up a tenant with them).</summary>
        public IDisposable Enter() => EnterAsync(CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>
        /// Enters within <paramref name="bound"/>, or throws the state file's 503 (retry): for another tenant of the local cloud
        /// reading this one while it holds its own lock, so that two tenants reading each other cannot wait for ever.
        /// </summary>
        public IDisposable Enter(TimeSpan bound)
        {
            if (!_gate.Wait(bound)) throw TenantPersistence.Busy($"Another request of the local cloud held this tenant for more than {bound.TotalSeconds:0} seconds. Retry the request.");
            try { return new Held(_gate, _persistence.LockAsync(CancellationToken.None).GetAwaiter().GetResult()); }
            catch
            {
                _gate.Release();
                throw;
            }
        }

        private sealed class Held : IDisposable
        {
            private readonly SemaphoreSlim _gate;
            private IDisposable? _file;

            public Held(SemaphoreSlim gate, IDisposable file) { _gate = gate; _file = file; }

            public void Dispose()
            {
                var file = Interlocked.Exchange(ref _file, null);
                if (file == null) return;
                file.Dispose();
                _gate.Release();
            }
        }
    }
}
