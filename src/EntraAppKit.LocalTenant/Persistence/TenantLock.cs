using System;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// Admits a tenant's requests. A write holds the tenant alone: within this process (a gate), and across every process that
    /// opened the same state file (its file lock, taken after the gate so a process holds the file for one request, not a
    /// queue of them). A read of a tenant in memory shares it with other reads: nothing else changes such a store, and a
    /// read changes nothing (the store records no changes without a file, and every JSON node it holds is fully materialised:
    /// client bodies by <see cref="Http.GraphJson.ParseClient"/>, the rest built node by node). A read of a tenant with a file
    /// is exclusive like a write: it first catches up with other processes' saves, which changes the store.
    /// </summary>
    /// <remarks>
    /// Writers first: a write waiting at the gate holds it, so reads that come after it wait, and it only waits for the reads
    /// already in to leave. Reads register under the gate and leave without it.
    /// </remarks>
    internal sealed class TenantLock
    {
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly object _sync = new object();
        private readonly TenantPersistence _persistence;
        private int _readers;                          // reads in, under _sync
        private TaskCompletionSource<bool>? _drained;  // set when a write waits for the reads in to leave, under _sync

        public TenantLock(TenantPersistence persistence) { _persistence = persistence; }

        /// <summary>Whether reads share the tenant: only without a state file, whose catch-up changes the store.</summary>
        private bool ReadsShare => _persistence.Path == null;

        /// <summary>Enters alone, with the store brought up to date with the file, recording a write; Dispose leaves.</summary>
        public Task<IDisposable> EnterAsync(CancellationToken cancellationToken) => EnterAloneAsync(write: true, cancellationToken);

        private async Task<IDisposable> EnterAloneAsync(bool write, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await DrainAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                return new Held(this, await _persistence.LockAsync(write, cancellationToken).ConfigureAwait(false));
            }
            catch
            {
                _gate.Release();
                throw;
            }
        }

        /// <summary>Enters for a request that only reads: shared in memory, alone (as <see cref="EnterAsync"/>) with a state file.</summary>
        public async Task<IDisposable> EnterReadAsync(CancellationToken cancellationToken)
        {
            if (!ReadsShare) return await EnterAloneAsync(write: false, cancellationToken).ConfigureAwait(false);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return Register();
        }

        /// <summary>For the engine's synchronous members (tests and the adapter set up a tenant with them).</summary>
        public IDisposable Enter() => EnterAsync(CancellationToken.None).GetAwaiter().GetResult();

        /// <summary>
        /// Enters alone within <paramref name="bound"/>, or throws the state file's 503 (retry): for another tenant of the local
        /// cloud reading this one while it holds its own lock, so that two tenants reading each other cannot wait for ever.
        /// </summary>
        public IDisposable Enter(TimeSpan bound) => EnterAlone(bound, write: true);

        private IDisposable EnterAlone(TimeSpan bound, bool write)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            if (!_gate.Wait(bound)) throw Busy(bound);
            try
            {
                var left = bound - watch.Elapsed;
                if (!DrainAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult()) throw Busy(bound);
                return new Held(this, _persistence.LockAsync(write, CancellationToken.None).GetAwaiter().GetResult());
            }
            catch
            {
                _gate.Release();
                throw;
            }
        }

        /// <summary>As <see cref="Enter(TimeSpan)"/>, for a read: shared in memory.</summary>
        public IDisposable EnterRead(TimeSpan bound)
        {
            if (!ReadsShare) return EnterAlone(bound, write: false);
            if (!_gate.Wait(bound)) throw Busy(bound);
            return Register();
        }

        private static GraphException Busy(TimeSpan bound) =>
            TenantPersistence.Busy($"Another request of the local cloud held this tenant for more than {bound.TotalSeconds:0} seconds. Retry the request.");

        /// <summary>Counts a read in, holding the gate, and lets the gate go: the next read (or write) may come in at once.</summary>
        private IDisposable Register()
        {
            lock (_sync) _readers++;
            _gate.Release();
            return new Reading(this);
        }

        private void LeaveRead()
        {
            TaskCompletionSource<bool>? drained = null;
            lock (_sync)
            {
                if (--_readers == 0 && _drained != null)
                {
                    drained = _drained;
                    _drained = null;
                }
            }
            drained?.TrySetResult(true);
        }

        /// <summary>Holding the gate, waits for the reads already in to leave (no new one can come in). False when <paramref name="timeout"/> ran out.</summary>
        private async Task<bool> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            Task<bool> drained;
            lock (_sync)
            {
                if (_readers == 0) return true;
                _drained = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
            if (timeout == Timeout.InfiniteTimeSpan && !cancellationToken.CanBeCanceled) return await drained.ConfigureAwait(false);
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var gaveUp = Task.Delay(timeout, stop.Token);
                await Task.WhenAny(drained, gaveUp).ConfigureAwait(false);
                if (drained.IsCompleted)
                {
                    stop.Cancel(); // ends the delay
                    return true;
                }
            }
            lock (_sync)
            {
                if (_drained?.Task == drained) _drained = null;
            }
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }

        /// <summary>A write's hold: the state file's lock, then the gate.</summary>
        private sealed class Held : IDisposable
        {
            private readonly TenantLock _owner;
            private IDisposable? _file;

            public Held(TenantLock owner, IDisposable file) { _owner = owner; _file = file; }

            public void Dispose()
            {
                var file = Interlocked.Exchange(ref _file, null);
                if (file == null) return;
                file.Dispose();
                _owner._gate.Release();
            }
        }

        /// <summary>A read's hold in memory: its place among the reads in.</summary>
        private sealed class Reading : IDisposable
        {
            private TenantLock? _owner;

            public Reading(TenantLock owner) { _owner = owner; }

            public void Dispose() => Interlocked.Exchange(ref _owner, null)?.LeaveRead();
        }
    }
}
