using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Diagnostics
{
    /// <summary>One request the tenant answered.</summary>
    public sealed class RequestLogEntry
    {
        public RequestLogEntry(DateTimeOffset timestamp, string method, string path, int status, TimeSpan duration, string requestId, bool inBatch)
        {
            Timestamp = timestamp; Method = method; Path = path; Status = status; Duration = duration; RequestId = requestId; InBatch = inBatch;
        }

        public DateTimeOffset Timestamp { get; }
        public string Method { get; }

        /// <summary>Path and query relative to the version root, e.g. <c>/applications?$top=5</c>.</summary>
        public string Path { get; }
        public int Status { get; }
        public TimeSpan Duration { get; }
        public string RequestId { get; }

        /// <summary>True for a request inside a $batch; the batch itself is the round trip.</summary>
        public bool InBatch { get; }

        public bool IsWrite => Method != "GET";

        public override string ToString() => $"{Method} {Path} {Status} {Duration.TotalMilliseconds:0}ms{(InBatch ? " (in batch)" : "")}";
    }

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
