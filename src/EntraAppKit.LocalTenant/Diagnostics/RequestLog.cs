using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Diagnostics
{
    /// <summary>
    /// Every request the tenant answered, so tests and benchmarks can count round trips. Token, discovery and Resource Manager
    /// requests are logged too (<see cref="AllEntries"/>, marked by <see cref="RequestLogEntry.Kind"/>), but they are not Graph
    /// calls: <see cref="Entries"/>, <see cref="RoundTrips"/> and <see cref="SuccessfulWrites"/> count Graph requests only, and
    /// <see cref="Faults.FaultInjection"/> never throttles or fails the others.
    /// </summary>
    public sealed class RequestLog
    {
        private readonly object _gate = new object();
        private readonly List<RequestLogEntry> _entries = new List<RequestLogEntry>();

        /// <summary>The Graph requests, in the order they were answered.</summary>
        public IReadOnlyList<RequestLogEntry> Entries { get { lock (_gate) return _entries.Where(e => e.Kind == RequestKind.Graph).ToList(); } }

        /// <summary>Every request, Graph and not (identity endpoints, Resource Manager), in the order they were answered.</summary>
        public IReadOnlyList<RequestLogEntry> AllEntries { get { lock (_gate) return _entries.ToList(); } }

        /// <summary>Graph requests that crossed the wire (a $batch counts once).</summary>
        public int RoundTrips { get { lock (_gate) return _entries.Count(e => e.Kind == RequestKind.Graph && !e.InBatch); } }

        /// <summary>Successful Graph writes (POST/PATCH/DELETE answered 2xx), including those inside a batch.</summary>
        public int SuccessfulWrites
        {
            get
            {
                lock (_gate)
                    return _entries.Count(e => e.Kind == RequestKind.Graph && e.IsWrite && e.Status < 300 && !e.Path.StartsWith("/$batch", StringComparison.Ordinal));
            }
        }

        public void Clear() { lock (_gate) _entries.Clear(); }

        internal void Add(RequestLogEntry entry) { lock (_gate) _entries.Add(entry); }
    }
}
