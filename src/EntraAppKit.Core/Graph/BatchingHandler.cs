using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// The last handler before the transport: a request made inside a <see cref="GraphBatch"/> is parked and goes out with the
    /// batch's other requests as one POST /$batch (learn.microsoft.com/graph/json-batching); each item's answer comes back up the
    /// pipeline as the response the single request would have had (status, headers with its request-id, body), so the tracer
    /// above reports each item and the SDK raises each failure as Graph's error. Any other request passes straight through.
    /// </summary>
    internal sealed class BatchingHandler : DelegatingHandler
    {
        /// <summary>Graph's limit on the requests of one batch.</summary>
        public const int MaxRequests = 20;

        private static readonly HashSet<string> NotForwarded = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Authorization", "Host", "User-Agent", "SdkVersion", "Accept-Encoding", "Content-Length", "Transfer-Encoding", "Connection",
        };

        private readonly Action<string>? _trace;

        public BatchingHandler(Action<string>? trace) { _trace = trace; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!(GraphBatch.For(this) is (GraphBatch batch, bool dependent)) || VersionRoot(request.RequestUri!) == null)
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            byte[]? body = null;
            if (request.Content != null)
            {
                // Only JSON travels inside a batch as it is.
                string? mediaType = request.Content.Headers.ContentType?.MediaType;
                if (mediaType == null || !mediaType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                    return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                body = await request.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            return await batch.Park(request, body, dependent, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Sends <paramref name="items"/> (at most <see cref="MaxRequests"/>): one alone as itself, more as one $batch, a dependent
        /// item last with dependsOn on all the others. One response per item, in order.
        /// </summary>
        internal async Task<IReadOnlyList<HttpResponseMessage>> SendBatchAsync(IReadOnlyList<ParkedRequest> items)
        {
            var token = items[0].CancellationToken;
            if (items.Count == 1) return new[] { await base.SendAsync(Resend(items[0]), token).ConfigureAwait(false) };

            var first = items[0].Request;
            string root = VersionRoot(first.RequestUri!)!;
            var requests = new JsonArray();
            for (int i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var entry = new JsonObject
                {
                    ["id"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["method"] = item.Request.Method.Method,
                    ["url"] = item.Request.RequestUri!.AbsoluteUri.Substring(root.Length),
                };
                var headers = new JsonObject();
                foreach (var h in item.Request.Headers.Where(h => !NotForwarded.Contains(h.Key))) headers[h.Key] = string.Join(", ", h.Value);
                if (item.Body != null)
                {
                    headers["Content-Type"] = item.Request.Content!.Headers.ContentType!.ToString();
                    entry["body"] = item.Body.Length == 0 ? null : JsonNode.Parse(item.Body);
                }
                if (headers.Count > 0) entry["headers"] = headers;
                if (item.Dependent)
                    entry["dependsOn"] = new JsonArray(Enumerable.Range(1, i).Select(n => (JsonNode)JsonValue.Create(n.ToString(System.Globalization.CultureInfo.InvariantCulture))!).ToArray());
                requests.Add(entry);
            }
            using var batch = new HttpRequestMessage(HttpMethod.Post, root + "/$batch")
            {
                Content = new StringContent(new JsonObject { ["requests"] = requests }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            foreach (var h in first.Headers.Where(h => h.Key != "Retry-Attempt")) batch.Headers.TryAddWithoutValidation(h.Key, h.Value);
            batch.Headers.Remove("client-request-id");
            batch.Headers.TryAddWithoutValidation("client-request-id", Guid.NewGuid().ToString());

            var watch = Stopwatch.StartNew();
            using var response = await base.SendAsync(batch, token).ConfigureAwait(false);
            string text = response.Content == null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            string? batchRequestId = response.Headers.TryGetValues("request-id", out var ids) ? ids.FirstOrDefault() : null;
            _trace?.Invoke("Graph " + new GraphCall("POST", new Uri(root + "/$batch").AbsolutePath + $" ({items.Count} requests)", (int)response.StatusCode, batchRequestId, watch.Elapsed));

            // The batch itself refused (throttled, unauthorized, malformed): every item gets that answer, so each is retried or fails
            // as the single request would.
            if (response.StatusCode != HttpStatusCode.OK)
                return items.Select(i => Copy(response, text, i.Request)).ToList();

            var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            if (JsonNode.Parse(text)?["responses"] is JsonArray answers)
                foreach (var answer in answers.OfType<JsonObject>())
                    if (answer["id"]?.GetValue<string>() is string id) byId[id] = answer;
            var result = new List<HttpResponseMessage>();
            for (int i = 0; i < items.Count; i++)
            {
                if (!byId.TryGetValue((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), out var answer))
                    throw new HttpRequestException($"Graph's $batch response (request-id {batchRequestId ?? "none"}) has no answer for request {i + 1}.");
                result.Add(ToResponse(answer, items[i].Request, batchRequestId));
            }
            return result;
        }

        /// <summary>The item's answer as the single request's response.</summary>
        private static HttpResponseMessage ToResponse(JsonObject answer, HttpRequestMessage request, string? batchRequestId)
        {
            int status = answer["status"]?.GetValue<int>() ?? 500;
            var headers = answer["headers"] as JsonObject ?? new JsonObject();
            string? contentType = headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.GetValue<string>();
            var body = answer["body"];
            string bodyText = body == null ? "" : body is JsonValue v && v.TryGetValue<string>(out var s) && !(contentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                ? s : body.ToJsonString();
            var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request, Content = new ByteArrayContent(Encoding.UTF8.GetBytes(bodyText)) };
            if (bodyText.Length > 0) response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
            foreach (var h in headers)
            {
                if (string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase) || NotForwarded.Contains(h.Key)) continue;
                string value = h.Value is JsonValue hv && hv.TryGetValue<string>(out var hs) ? hs : h.Value?.ToJsonString() ?? "";
                if (!response.Headers.TryAddWithoutValidation(h.Key, value)) response.Content.Headers.TryAddWithoutValidation(h.Key, value);
            }
            // An item's error names its request-id in its body (innerError); the batch's is the last resort for correlation.
            if (!response.Headers.Contains("request-id"))
            {
                string? requestId = (body as JsonObject)?["error"]?["innerError"]?["request-id"]?.GetValue<string>() ?? batchRequestId;
                if (requestId != null) response.Headers.TryAddWithoutValidation("request-id", requestId);
            }
            return response;
        }

        private static HttpResponseMessage Copy(HttpResponseMessage response, string text, HttpRequestMessage request)
        {
            var copy = new HttpResponseMessage(response.StatusCode) { RequestMessage = request, Content = new StringContent(text, Encoding.UTF8) };
            if (response.Content?.Headers.ContentType != null) copy.Content.Headers.ContentType = response.Content.Headers.ContentType;
            foreach (var h in response.Headers) copy.Headers.TryAddWithoutValidation(h.Key, h.Value);
            return copy;
        }

        /// <summary>A parked request sent alone: its content was read to park it, so it goes with a fresh copy.</summary>
        private static HttpRequestMessage Resend(ParkedRequest item)
        {
            if (item.Body == null) return item.Request;
            var original = item.Request.Content!;
            var content = new ByteArrayContent(item.Body);
            foreach (var h in original.Headers) content.Headers.TryAddWithoutValidation(h.Key, h.Value);
            item.Request.Content = content;
            return item.Request;
        }

        /// <summary>The service root with its version ("https://graph.microsoft.com/v1.0"), or null for a URL outside Graph's versions.</summary>
        private static string? VersionRoot(Uri uri)
        {
            string url = uri.AbsoluteUri;
            foreach (var version in new[] { "/v1.0/", "/beta/" })
            {
                int at = url.IndexOf(version, StringComparison.OrdinalIgnoreCase);
                if (at >= 0) return url.Substring(0, at + version.Length - 1);
            }
            return null;
        }
    }
}
