using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>One Graph round trip as the client saw it.</summary>
    public sealed class GraphCall
    {
        public GraphCall(string method, string path, int status, string? requestId, TimeSpan duration)
        {
            Method = method; Path = path; Status = status; RequestId = requestId; Duration = duration;
        }

        public string Method { get; }
        public string Path { get; }
        public int Status { get; }
        public string? RequestId { get; }
        public TimeSpan Duration { get; }
        public bool IsWrite => Method != "GET";

        public override string ToString() => $"{Method} {Path} -> {Status} (request-id {RequestId ?? "none"}, {Duration.TotalMilliseconds:0} ms)";
    }

    /// <summary>Records every round trip of a session and reports it as one trace line, never with a body.</summary>
    public sealed class RequestTracer
    {
        private readonly object _gate = new object();
        private readonly List<GraphCall> _calls = new List<GraphCall>();
        private readonly Action<string>? _trace;

        public RequestTracer(Action<string>? trace) { _trace = trace; }

        public IReadOnlyList<GraphCall> Calls { get { lock (_gate) return _calls.ToList(); } }

        public int Count { get { lock (_gate) return _calls.Count; } }

        public void Clear() { lock (_gate) _calls.Clear(); }

        internal DelegatingHandler CreateHandler() => new Handler(this);

        private void Record(GraphCall call)
        {
            lock (_gate) _calls.Add(call);
            _trace?.Invoke("Graph " + call);
        }

        private sealed class Handler : DelegatingHandler
        {
            private readonly RequestTracer _owner;

            public Handler(RequestTracer owner) { _owner = owner; }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var watch = Stopwatch.StartNew();
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                string? requestId = response.Headers.TryGetValues("request-id", out var ids) ? ids.FirstOrDefault() : null;
                // Path only: a query can carry names the user typed, never secrets, but keep lines short and stable.
                _owner.Record(new GraphCall(request.Method.Method, Uri.UnescapeDataString(request.RequestUri!.AbsolutePath) + request.RequestUri.Query,
                    (int)response.StatusCode, requestId, watch.Elapsed));
                return response;
            }
        }
    }
}
