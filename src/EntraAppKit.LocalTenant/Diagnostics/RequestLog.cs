using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Diagnostics
{
    /// <summary>
    /// Every Graph request the tenant answered, so tests and benchmarks can count round trips. Token and discovery requests
    /// are not Graph calls and are not logged (nor throttled or failed by <see cref="Faults.FaultInjection"/>).
    /// </summary>
    public sealed class RequestLog
    {
        private readonly object _gate = new object();
        private readonly List<RequestLogEntry> _entries = new List<RequestLogEntry>();

        public IReadOnlyList<RequestLogEntry> Entries { get { lock (_gate) return _entries.ToList(); } }

        /// <summary>Requests that crossed the wire (a $batch counts once).</summary>
        public int RoundTrips { get { lock (_gate) return _entries.Count(e => !e.InBatch); } }

        /// <summary>Successful writes (POST/PATCH/DELETE answered 2xx), including those inside a batch.</summary>
        public int SuccessfulWrites { get { lock (_gate) return _entries.Count(e => e.IsWrite && e.Status < 300 && !e.Path.StartsWith("/$batch", StringComparison.Ordinal)); } }

        public void Clear() { lock (_gate) _entries.Clear(); }

        internal void Add(RequestLogEntry entry) { lock (_gate) _entries.Add(entry); }
    }
}
