using System;

namespace EntraAppKit.LocalTenant.Diagnostics
{
    /// <summary>One request the tenant answered.</summary>
    public sealed class RequestLogEntry
    {
        public RequestLogEntry(DateTimeOffset timestamp, string method, string path, int status, TimeSpan duration, string requestId, bool inBatch,
            RequestKind kind = RequestKind.Graph)
        {
            Timestamp = timestamp; Method = method; Path = path; Status = status; Duration = duration; RequestId = requestId; InBatch = inBatch; Kind = kind;
        }

        /// <summary>Graph, an identity endpoint or Resource Manager.</summary>
        public RequestKind Kind { get; }

        public DateTimeOffset Timestamp { get; }
        public string Method { get; }

        /// <summary>
        /// Graph: path and query relative to the version root, e.g. <c>/applications?$top=5</c>. Other kinds: the absolute path
        /// without its query (a client may misplace a secret there), e.g. <c>/{tenant}/oauth2/v2.0/token</c>.
        /// </summary>
        public string Path { get; }
        public int Status { get; }
        public TimeSpan Duration { get; }
        public string RequestId { get; }

        /// <summary>True for a request inside a $batch; the batch itself is the round trip.</summary>
        public bool InBatch { get; }

        /// <summary>A write to the tenant; a $batch is an envelope (its items are logged and counted on their own).</summary>
        public bool IsWrite => Method != "GET" && !Path.StartsWith("/$batch", StringComparison.Ordinal);

        public override string ToString() =>
            $"{(Kind == RequestKind.Graph ? "" : Kind + " ")}{Method} {Path} {Status} {Duration.TotalMilliseconds:0}ms{(InBatch ? " (in batch)" : "")}";
    }
}
