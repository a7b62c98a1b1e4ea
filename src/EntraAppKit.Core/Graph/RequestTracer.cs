using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>Reports every round trip of a session as one trace line (method, path, status, request-id, ms), never with a body.</summary>
    internal sealed class RequestTracer : DelegatingHandler
    {
        private readonly Action<string>? _trace;

        public RequestTracer(Action<string>? trace) { _trace = trace; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (_trace == null) return response;
            string? requestId = response.Headers.TryGetValues("request-id", out var ids) ? ids.FirstOrDefault() : null;
            // Path and query only: a query can carry names the user typed, never secrets.
            var call = new GraphCall(request.Method.Method, Uri.UnescapeDataString(request.RequestUri!.AbsolutePath) + request.RequestUri.Query,
                (int)response.StatusCode, requestId, watch.Elapsed);
            _trace("Graph " + call);
            return response;
        }
    }
}
