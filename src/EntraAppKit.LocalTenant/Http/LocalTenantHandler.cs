using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.LocalTenant.Http
{
    /// <summary>The in-process front door: answers HttpClient requests from the local tenant (or a local cloud), with no socket or TLS.</summary>
    public sealed class LocalTenantHandler : HttpMessageHandler
    {
        private readonly Func<GraphRequest, CancellationToken, Task<GraphResponse>> _handle;

        public LocalTenantHandler(LocalTenantEngine tenant) : this((tenant ?? throw new ArgumentNullException(nameof(tenant))).HandleAsync) { }

        internal LocalTenantHandler(Func<GraphRequest, CancellationToken, Task<GraphResponse>> handle) { _handle = handle; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new Dictionary<string, string>();
            foreach (var h in request.Headers) headers[h.Key] = string.Join(", ", h.Value);
            byte[]? body = null;
            if (request.Content != null)
            {
                foreach (var h in request.Content.Headers) headers[h.Key] = string.Join(", ", h.Value);
                body = await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            var graphRequest = new GraphRequest(request.Method.Method, request.RequestUri!, headers, body);
            var response = await _handle(graphRequest, cancellationToken).ConfigureAwait(false);
            return ToHttpResponse(response, request);
        }

        internal static HttpResponseMessage ToHttpResponse(GraphResponse response, HttpRequestMessage request)
        {
            var message = new HttpResponseMessage((HttpStatusCode)response.Status) { RequestMessage = request };
            if (response.Body != null)
            {
                message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(response.Body));
            }
            else message.Content = new ByteArrayContent(new byte[0]);
            foreach (var h in response.Headers)
            {
                if (string.Equals(h.Key, "Content-Type", System.StringComparison.OrdinalIgnoreCase))
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", h.Value);
                else message.Headers.TryAddWithoutValidation(h.Key, h.Value);
            }
            return message;
        }
    }
}
