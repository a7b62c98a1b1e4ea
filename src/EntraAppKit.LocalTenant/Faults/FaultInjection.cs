using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Faults
{
    /// <summary>
    /// Faults the tenant injects so clients can prove they survive real Graph behaviour: replication lag on new applications
    /// and service principals (github.com/Azure/azure-cli/issues/21674), 429 with Retry-After and 5xx
    /// (learn.microsoft.com/graph/throttling), and added latency.
    /// </summary>
    public sealed class FaultInjection
    {
        private readonly object _gate = new object();
        private readonly List<FaultRule> _rules = new List<FaultRule>();

        /// <summary>The rule status that stands for an unexpected exception rather than an HTTP answer.</summary>
        private const int CrashStatus = 0;

        /// <summary>A new application or service principal stays invisible to later requests for this long.</summary>
        public TimeSpan ReplicationLag { get; set; }

        /// <summary>Added to every request before it is answered.</summary>
        public TimeSpan Latency { get; set; }

        /// <summary>Answers the next <paramref name="count"/> matching requests with 429 TooManyRequests and Retry-After.</summary>
        public void Throttle(int count, TimeSpan retryAfter, string? method = null, string? pathContains = null) =>
            Add(new FaultRule(count, 429, retryAfter, method, pathContains));

        /// <summary>Answers the next <paramref name="count"/> matching requests with a 5xx (503 by default).</summary>
        public void Fail(int count, int status = 503, TimeSpan? retryAfter = null, string? method = null, string? pathContains = null)
        {
            if (status < 500 || status > 599) throw new ArgumentOutOfRangeException(nameof(status), "Only 5xx statuses are injected as server faults.");
            Add(new FaultRule(count, status, retryAfter, method, pathContains));
        }

        /// <summary>
        /// Makes the next <paramref name="count"/> matching requests hit an unexpected exception inside the engine, as a bug
        /// would: proves that the tenant answers it with Graph's 500 and keeps serving (and keeps a $batch's other items).
        /// </summary>
        public void Crash(int count, string? method = null, string? pathContains = null) =>
            Add(new FaultRule(count, CrashStatus, null, method, pathContains));

        /// <summary>Removes every pending rule and resets lag and latency.</summary>
        public void Clear()
        {
            lock (_gate) _rules.Clear();
            ReplicationLag = TimeSpan.Zero;
            Latency = TimeSpan.Zero;
        }

        public int PendingRules { get { lock (_gate) return _rules.Sum(r => r.Remaining); } }

        private void Add(FaultRule rule)
        {
            if (rule.Remaining < 1) throw new ArgumentOutOfRangeException("count", "At least one request must be affected.");
            lock (_gate) _rules.Add(rule);
        }

        /// <summary>Takes the first matching rule for this request, if any, and returns the fault as a Graph error (or throws a crash).</summary>
        internal GraphException? Take(string method, string path)
        {
            lock (_gate)
            {
                var rule = _rules.FirstOrDefault(r => r.Matches(method, path));
                if (rule == null) return null;
                if (--rule.Remaining == 0) _rules.Remove(rule);
                if (rule.Status == CrashStatus) throw new InvalidOperationException("Injected fault: an unexpected exception inside the engine.");
                return rule.ToError();
            }
        }

        private sealed class FaultRule
        {
            public FaultRule(int count, int status, TimeSpan? retryAfter, string? method, string? pathContains)
            {
                Remaining = count; Status = status; RetryAfter = retryAfter; Method = method?.ToUpperInvariant(); PathContains = pathContains;
            }

            public int Remaining;
            public int Status { get; }
            public TimeSpan? RetryAfter { get; }
            public string? Method { get; }
            public string? PathContains { get; }

            public bool Matches(string method, string path) =>
                (Method == null || Method == method) &&
                (PathContains == null || path.IndexOf(PathContains, StringComparison.OrdinalIgnoreCase) >= 0);

            public GraphException ToError()
            {
                var e = Status == 429
                    ? new GraphException(429, "TooManyRequests", "Too many requests.")
                    : new GraphException(Status, Status == 503 ? "serviceNotAvailable" : "generalException",
                        Status == 503 ? "The service is temporarily unavailable. Please retry later." : "An unexpected error occurred.");
                if (RetryAfter.HasValue)
                    e.Headers["Retry-After"] = RetryAfter.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                return e;
            }
        }
    }
}
