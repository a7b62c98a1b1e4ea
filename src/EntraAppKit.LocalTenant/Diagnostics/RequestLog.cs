using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Diagnostics
{
    /// <summary>
    /// The requests the tenant answered, so tests and benchmarks can count round trips. Token, discovery and Resource Manager
    /// requests are logged too (<see cref="AllEntries"/>, marked by <see cref="RequestLogEntry.Kind"/>), but they are not Graph
    /// calls: <see cref="Entries"/>, <see cref="RoundTrips"/> and <see cref="SuccessfulWrites"/> count Graph requests only, and
    /// <see cref="Faults.FaultInjection"/> never throttles or fails the others.
    /// </summary>
    /// <remarks>
    /// Bounded: the entries are the newest <see cref="Capacity"/> requests (a ring), so a server under load does not grow
    /// without end. The counters (<see cref="RoundTrips"/>, <see cref="SuccessfulWrites"/>, <see cref="Total"/>) count every
    /// request since the last <see cref="Clear"/>, including those the ring has let go.
    /// </remarks>
    public sealed class RequestLog
    {
        /// <summary>How many entries a log keeps unless told otherwise (<see cref="LocalTenantOptions.RequestLogCapacity"/>).</summary>
        public const int DefaultCapacity = 10_000;

        private readonly object _gate = new object();
        private readonly RequestLogEntry[] _ring;
        private int _next;     // where the next entry goes
        private int _count;    // entries held, at most the capacity
        private long _total, _roundTrips, _successfulWrites;

        public RequestLog() : this(DefaultCapacity) { }

        public RequestLog(int capacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "A request log keeps at least one entry.");
            _ring = new RequestLogEntry[capacity];
        }

        /// <summary>How many of the newest entries the log keeps.</summary>
        public int Capacity => _ring.Length;

        /// <summary>The Graph requests among the newest <see cref="Capacity"/> entries, oldest first.</summary>
        public IReadOnlyList<RequestLogEntry> Entries => Snapshot(graphOnly: true);

        /// <summary>The newest <see cref="Capacity"/> requests, Graph and not (identity endpoints, Resource Manager), oldest first.</summary>
        public IReadOnlyList<RequestLogEntry> AllEntries => Snapshot(graphOnly: false);

        /// <summary>Every request logged since the last <see cref="Clear"/>, of any kind, kept or let go.</summary>
        public long Total { get { lock (_gate) return _total; } }

        /// <summary>Graph requests that crossed the wire (a $batch counts once) since the last <see cref="Clear"/>, kept or let go.</summary>
        public int RoundTrips { get { lock (_gate) return checked((int)_roundTrips); } }

        /// <summary>
        /// Successful Graph writes (POST/PATCH/DELETE answered 2xx), including those inside a batch, since the last
        /// <see cref="Clear"/>, kept or let go.
        /// </summary>
        public int SuccessfulWrites { get { lock (_gate) return checked((int)_successfulWrites); } }

        /// <summary>Empties the log and sets its counters to zero.</summary>
        public void Clear()
        {
            lock (_gate)
            {
                Array.Clear(_ring, 0, _ring.Length);
                _next = _count = 0;
                _total = _roundTrips = _successfulWrites = 0;
            }
        }

        internal void Add(RequestLogEntry entry)
        {
            bool graph = entry.Kind == RequestKind.Graph;
            bool roundTrip = graph && !entry.InBatch;
            bool write = graph && entry.IsWrite && entry.Status < 300;
            lock (_gate)
            {
                _ring[_next] = entry;
                _next = (_next + 1) % _ring.Length;
                if (_count < _ring.Length) _count++;
                _total++;
                if (roundTrip) _roundTrips++;
                if (write) _successfulWrites++;
            }
        }

        private List<RequestLogEntry> Snapshot(bool graphOnly)
        {
            lock (_gate)
            {
                var list = new List<RequestLogEntry>(_count);
                for (int i = 0, at = (_next - _count + _ring.Length) % _ring.Length; i < _count; i++, at = (at + 1) % _ring.Length)
                    if (!graphOnly || _ring[at].Kind == RequestKind.Graph) list.Add(_ring[at]);
                return list;
            }
        }
    }
}
