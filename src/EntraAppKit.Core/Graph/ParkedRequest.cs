using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>A request an operation of a <see cref="GraphBatch"/> made, waiting to go out with the others.</summary>
    internal sealed class ParkedRequest
    {
        public ParkedRequest(HttpRequestMessage request, byte[]? body, bool dependent, CancellationToken cancellationToken)
        {
            Request = request; Body = body; Dependent = dependent; CancellationToken = cancellationToken;
        }

        public HttpRequestMessage Request { get; }

        /// <summary>The request's JSON body, read once (a request's content can be read only once on .NET Framework).</summary>
        public byte[]? Body { get; }

        /// <summary>Whether it goes with dependsOn on the other items of its batch (the secret, last).</summary>
        public bool Dependent { get; }

        public CancellationToken CancellationToken { get; }

        public CancellationTokenRegistration? Registration { get; set; }

        public TaskCompletionSource<HttpResponseMessage> Completion { get; } =
            new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
