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
    /// dependency. Each item goes through the engine as a request of its own, with the batch's token.
    /// </summary>
    internal sealed class BatchHandler
    {
        public const int MaxRequests = 20;

        private readonly Func<GraphRequest, CancellationToken, Task<GraphResponse>> _handleItem;

        public BatchHandler(Func<GraphRequest, CancellationToken, Task<GraphResponse>> handleItem) { _handleItem = handleItem; }

        public async Task<GraphResponse> HandleAsync(RouteContext context, CancellationToken cancellationToken)
        {
            var request = context.Request;
            JsonArray items;
            try
            {
                items = (JsonNode.Parse(request.Body) as JsonObject)?["requests"] as JsonArray ?? throw new JsonException();
            }
            catch (JsonException)
            {
                throw new GraphException(400, "BadRequest", "Invalid batch payload format.");
            }
            if (items.Count == 0 || items.Count > MaxRequests)
                throw new GraphException(400, "BadRequest", $"Invalid batch payload format. The number of requests in a batch must be between 1 and {MaxRequests}.");

            var byId = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var node in items)
            {
                var item = node as JsonObject;
                string? id = (string?)item?["id"];
                if (item == null || id == null || (string?)item["method"] == null || (string?)item["url"] == null || byId.ContainsKey(id))
                    throw new GraphException(400, "BadRequest", "Invalid batch payload format. Every request needs a unique id, a method and a url.");
                byId[id] = item;
            }
            foreach (var item in byId.Values)
                foreach (var dep in item["dependsOn"]?.AsArray() ?? new JsonArray())
                    if (!byId.ContainsKey((string)dep!))
                        throw new GraphException(400, "BadRequest", $"Invalid batch payload format. Request '{(string)item["id"]!}' depends on unknown request '{(string)dep!}'.");

            var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
            var responses = new JsonArray();
            var pending = byId.Values.ToList();
            while (pending.Count > 0)
            {
                var ready = pending.FirstOrDefault(i => (i["dependsOn"]?.AsArray() ?? new JsonArray()).All(d => statuses.ContainsKey((string)d!)))
                    ?? throw new GraphException(400, "BadRequest", "Invalid batch payload format. The dependsOn graph has a cycle.");
                pending.Remove(ready);
                string id = (string)ready["id"]!;
                var failedDependency = (ready["dependsOn"]?.AsArray() ?? new JsonArray()).Select(d => (string)d!).FirstOrDefault(d => statuses[d] >= 400);
                JsonObject response;
                if (failedDependency != null)
                {
                    statuses[id] = 424;
                    response = new JsonObject
                    {
                        ["id"] = id,
                        ["status"] = 424,
                        ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                        ["body"] = new JsonObject { ["error"] = new JsonObject { ["code"] = "FailedDependency", ["message"] = $"The request failed because it depended on request '{failedDependency}', which failed." } },
                    };
                }
                else
                {
                    var inner = await _handleItem(ToInnerRequest(request, ready), cancellationToken).ConfigureAwait(false);
                    statuses[id] = inner.Status;
                    var headers = new JsonObject();
                    foreach (var h in inner.Headers) headers[h.Key] = h.Value;
                    response = new JsonObject { ["id"] = id, ["status"] = inner.Status, ["headers"] = headers };
                    if (inner.Body != null)
                        response["body"] = inner.Headers.TryGetValue("Content-Type", out var ct) && ct.StartsWith("application/json", StringComparison.Ordinal)
                            ? JsonNode.Parse(inner.Body)
                            : JsonValue.Create(inner.Body);
                }
                responses.Add(response);
            }
            return new GraphResponse(200, new JsonObject { ["responses"] = responses }.ToJsonString(GraphJson.Options));
        }

        private static GraphRequest ToInnerRequest(GraphRequest outer, JsonObject item)
        {
            string url = (string)item["url"]!;
            string root = outer.ServiceRoot;
            var uri = new Uri(root + (url.StartsWith("/", StringComparison.Ordinal) ? url : "/" + url));
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in item["headers"]?.AsObject() ?? new JsonObject()) headers[h.Key] = (string?)h.Value ?? "";
            if (outer.Header("client-request-id") is string crid) headers["client-request-id"] = crid;
            // Every item runs with the batch's own token, whatever the item's headers say.
            headers.Remove("Authorization");
            if (outer.Header("Authorization") is string authorization) headers["Authorization"] = authorization;
            byte[]? body = item["body"] == null ? null : Encoding.UTF8.GetBytes(item["body"]!.ToJsonString());
            return new GraphRequest((string)item["method"]!, uri, headers, body) { InBatch = true };
        }
    }
}
