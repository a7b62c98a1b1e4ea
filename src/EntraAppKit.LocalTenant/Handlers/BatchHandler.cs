using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Routing;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// POST /$batch (learn.microsoft.com/graph/json-batching): at most 20 requests, dependsOn ordering, 424 for a failed
    /// dependency. Each item goes through the engine as a request of its own, with the batch's token, and gets its own status
    /// in the 200 response whatever happens to it: a client that retries a failed batch must never repeat a write that applied.
    /// Only a payload that is not a batch at all is the batch's 400.
    /// </summary>
    internal sealed class BatchHandler
    {
        public const int MaxRequests = 20;

        private readonly Func<GraphRequest, CancellationToken, Task<GraphResponse>> _handleItem;
        private readonly Func<GraphRequest, GraphException, GraphResponse> _reject;

        /// <param name="handleItem">Answers one item (the engine, which turns every failure into Graph's error response).</param>
        /// <param name="reject">Answers an item with an error, logged like any request.</param>
        public BatchHandler(Func<GraphRequest, CancellationToken, Task<GraphResponse>> handleItem, Func<GraphRequest, GraphException, GraphResponse> reject)
        {
            _handleItem = handleItem;
            _reject = reject;
        }

        public async Task<GraphResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
        {
            var request = context.Request;
            var items = ReadItems(request);

            var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
            var responses = new JsonArray();
            var pending = items.ToList();
            while (pending.Count > 0)
            {
                var ready = pending.FirstOrDefault(i => i.DependsOn.All(statuses.ContainsKey))
                    ?? throw Invalid("The dependsOn graph has a cycle.");
                pending.Remove(ready);
                var failedDependency = ready.DependsOn.FirstOrDefault(d => statuses[d] >= 400);
                JsonObject response;
                if (failedDependency != null)
                {
                    statuses[ready.Id] = 424;
                    response = new JsonObject
                    {
                        ["id"] = ready.Id,
                        ["status"] = 424,
                        ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                        ["body"] = new JsonObject { ["error"] = new JsonObject { ["code"] = "FailedDependency", ["message"] = $"The request failed because it depended on request '{failedDependency}', which failed." } },
                    };
                }
                else
                {
                    var innerRequest = ToInnerRequest(request, ready);
                    GraphResponse inner;
                    try
                    {
                        inner = await _handleItem(innerRequest, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        // The engine answers every failure itself; this keeps the items after a broken one answered all the same.
                        inner = _reject(innerRequest, e as GraphException ?? GraphException.Unexpected());
                    }
                    statuses[ready.Id] = inner.Status;
                    var headers = new JsonObject();
                    foreach (var h in inner.Headers) headers[h.Key] = h.Value;
                    response = new JsonObject { ["id"] = ready.Id, ["status"] = inner.Status, ["headers"] = headers };
                    if (inner.Body != null)
                        response["body"] = inner.Headers.TryGetValue("Content-Type", out var ct) && ct.StartsWith("application/json", StringComparison.Ordinal)
                            ? JsonNode.Parse(inner.Body)
                            : JsonValue.Create(inner.Body);
                }
                responses.Add(response);
            }
            return new GraphResponse(200, new JsonObject { ["responses"] = responses }.ToJsonString(GraphJson.Options));
        }

        /// <summary>The batch's items, each checked for its documented shape before any of them runs (all or nothing).</summary>
        private static List<BatchItem> ReadItems(GraphRequest request)
        {
            JsonArray items;
            try
            {
                items = (GraphJson.ParseClient(request.Body) as JsonObject)?["requests"] as JsonArray ?? throw new JsonException();
            }
            catch (JsonException)
            {
                throw Invalid(null);
            }
            if (items.Count == 0 || items.Count > MaxRequests)
                throw Invalid($"The number of requests in a batch must be between 1 and {MaxRequests}.");

            var result = new List<BatchItem>();
            foreach (var node in items)
            {
                if (!(node is JsonObject item)) throw Invalid("Every request is a JSON object.");
                string? id = Text(item, "id"), method = Text(item, "method"), url = Text(item, "url");
                if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(method) || url == null || result.Any(r => r.Id == id))
                    throw Invalid("Every request needs a unique id, a method and a url.");
                if (!method!.All(c => c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) throw Invalid($"Request '{id}' has an invalid method.");
                // An item's url is relative to the batch's version: Graph refuses one that names a version again, which is what
                // the JavaScript SDK 3.0.7 sends for a full URL (github.com/microsoftgraph/msgraph-sdk-javascript/issues/1451).
                if (NamesVersion(url!)) throw Invalid(null);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                if (item["headers"] is JsonNode h)
                {
                    if (!(h is JsonObject ho)) throw Invalid($"The headers of request '{id}' are a JSON object.");
                    foreach (var kv in ho)
                        headers[kv.Key] = kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Invalid($"Header '{kv.Key}' of request '{id}' is not a string.");
                }
                var dependsOn = new List<string>();
                if (item["dependsOn"] is JsonNode d)
                {
                    if (!(d is JsonArray da)) throw Invalid($"The dependsOn of request '{id}' is an array of ids.");
                    foreach (var dep in da)
                        dependsOn.Add(dep is JsonValue dv && dv.TryGetValue<string>(out var s) ? s : throw Invalid($"The dependsOn of request '{id}' is an array of ids."));
                }
                result.Add(new BatchItem(id!, method!, url, headers, item["body"], dependsOn));
            }
            foreach (var item in result)
                foreach (var dep in item.DependsOn)
                    if (!result.Any(r => r.Id == dep)) throw Invalid($"Request '{item.Id}' depends on unknown request '{dep}'.");
            return result;
        }

        private static string? Text(JsonObject item, string name) =>
            item[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : item[name] == null ? null : throw Invalid($"Property '{name}' of every request is a string.");

        private static bool NamesVersion(string url)
        {
            string path = url.TrimStart('/');
            foreach (var version in new[] { "v1.0", "beta" })
                if (path.StartsWith(version, StringComparison.OrdinalIgnoreCase) && (path.Length == version.Length || "/?".IndexOf(path[version.Length]) >= 0))
                    return true;
            return false;
        }

        private static GraphException Invalid(string? detail) =>
            new GraphException(400, "BadRequest", "Invalid batch payload format." + (detail == null ? "" : " " + detail));

        private static GraphRequest ToInnerRequest(GraphRequest outer, BatchItem item)
        {
            string root = outer.ServiceRoot;
            // A url that makes no URI is the item's own problem: the engine answers it as the route it cannot find.
            if (!Uri.TryCreate(root + (item.Url.StartsWith("/", StringComparison.Ordinal) ? item.Url : "/" + item.Url), UriKind.Absolute, out var uri))
                uri = new Uri(root + "/" + Uri.EscapeDataString(item.Url.Length > RequestLimits.MaxUrlLength ? item.Url.Substring(0, RequestLimits.MaxUrlLength + 1) : item.Url));
            var headers = new Dictionary<string, string>(item.Headers, StringComparer.OrdinalIgnoreCase);
            if (outer.Header("client-request-id") is string crid) headers["client-request-id"] = crid;
            // Every item runs with the batch's own token, whatever the item's headers say.
            headers.Remove("Authorization");
            if (outer.Header("Authorization") is string authorization) headers["Authorization"] = authorization;
            byte[]? body = item.Body == null ? null : Encoding.UTF8.GetBytes(item.Body.ToJsonString());
            return new GraphRequest(item.Method, uri, headers, body) { InBatch = true };
        }

        private sealed class BatchItem
        {
            public BatchItem(string id, string method, string url, IDictionary<string, string> headers, JsonNode? body, IReadOnlyList<string> dependsOn)
            {
                Id = id; Method = method; Url = url; Headers = headers; Body = body; DependsOn = dependsOn;
            }

            public string Id { get; }
            public string Method { get; }
            public string Url { get; }
            public IDictionary<string, string> Headers { get; }
            public JsonNode? Body { get; }
            public IReadOnlyList<string> DependsOn { get; }
        }
    }
}
