using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// POST /$batch through both front doors: per-item status, headers and body, at most 20 requests, dependsOn ordering and
    /// 424 for a failed dependency (learn.microsoft.com/graph/json-batching).
    /// </summary>
    public abstract class BatchTests : DoorTests
    {
        protected BatchTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : BatchTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : BatchTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static JsonObject Item(string id, string method, string url, JsonObject? body = null, params string[] dependsOn)
        {
            var item = new JsonObject { ["id"] = id, ["method"] = method, ["url"] = url };
            if (body != null)
            {
                item["headers"] = new JsonObject { ["Content-Type"] = "application/json" };
                item["body"] = body;
            }
            if (dependsOn.Length > 0) item["dependsOn"] = new JsonArray(dependsOn.Select(d => (JsonNode?)d).ToArray());
            return item;
        }

        private static JsonObject Batch(params JsonObject[] items) => new JsonObject { ["requests"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()) };

        private async Task<Dictionary<string, JsonObject>> SendBatchAsync(JsonObject batch, List<string>? order = null)
        {
            var call = await Door.PostAsync("/$batch", batch);
            var root = Ok(call);
            Assert.Equal(new[] { "responses" }, root.Select(kv => kv.Key));
            var responses = root["responses"]!.AsArray().Select(r => r!.AsObject()).ToList();
            order?.AddRange(responses.Select(r => (string)r["id"]!));
            return responses.ToDictionary(r => (string)r["id"]!);
        }

        [Fact]
        public async Task Each_item_gets_its_own_status_headers_and_body()
        {
            // learn.microsoft.com/graph/json-batching: responses {"responses":[{"id","status","headers","body"}]}, outer status 200
            string name = Unique("batched");
            string missing = Guid.NewGuid().ToString();
            var responses = await SendBatchAsync(Batch(
                Item("1", "GET", "/organization"),
                Item("2", "POST", "/applications", new JsonObject { ["displayName"] = name, ["signInAudience"] = "AzureADMyOrg" }),
                Item("3", "GET", $"/applications/{missing}")));
            Assert.Equal(3, responses.Count);

            var org = responses["1"];
            Assert.Equal(200, (int)org["status"]!);
            Assert.StartsWith("application/json", (string?)org["headers"]!["Content-Type"]);
            Assert.Equal(Root + "/$metadata#organization", (string?)org["body"]!["@odata.context"]);
            Assert.Equal(Tenant.TenantId, (string?)org["body"]!["value"]![0]!["id"]);

            var created = responses["2"];
            Assert.Equal(201, (int)created["status"]!);
            Assert.Equal(name, (string?)created["body"]!["displayName"]);
            GuidOf(created["body"]!["appId"]);
            Assert.True(Guid.TryParse((string?)created["headers"]!["request-id"], out _));
            Ok(await Door.GetAsync($"/applications/{created["body"]!["id"]}"));

            var notFound = responses["3"];
            Assert.Equal(404, (int)notFound["status"]!);
            var error = notFound["body"]!["error"]!;
            Assert.Equal("Request_ResourceNotFound", (string?)error["code"]);
            Assert.Equal($"Resource '{missing}' does not exist or one of its queried reference-property objects are not present.", (string?)error["message"]);
            Assert.Equal((string?)notFound["headers"]!["request-id"], (string?)error["innerError"]!["request-id"]);
        }

        [Fact]
        public async Task Items_carry_the_outer_client_request_id_and_a_204_has_no_body()
        {
            var app = await CreateAppAsync();
            string mine = Guid.NewGuid().ToString();
            var call = await Door.PostAsync("/$batch", Batch(Item("a", "PATCH", $"/applications/{app["id"]}", new JsonObject { ["description"] = "batched" })),
                ("client-request-id", mine));
            var item = Ok(call)["responses"]![0]!.AsObject();
            Assert.Equal(204, (int)item["status"]!);
            Assert.False(item.ContainsKey("body"));
            Assert.Equal(mine, (string?)item["headers"]!["client-request-id"]);
            Assert.Equal(mine, call.Header("client-request-id"));
            Assert.Equal("batched", (string?)Ok(await Door.GetAsync($"/applications/{app["id"]}"))["description"]);
        }

        [Fact]
        public async Task Twenty_requests_are_allowed_and_twenty_one_are_400()
        {
            // learn.microsoft.com/graph/json-batching: "Maximum 20 requests"
            var twenty = await SendBatchAsync(Batch(Enumerable.Range(1, 20).Select(i => Item(i.ToString(), "GET", "/domains")).ToArray()));
            Assert.Equal(20, twenty.Count);
            Assert.All(twenty.Values, r => Assert.Equal(200, (int)r["status"]!));

            var before = Items(Ok(await Door.GetAsync("/applications?$top=999&$select=id"))).Count;
            var items = Enumerable.Range(1, 21).Select(i => Item(i.ToString(), "POST", "/applications", new JsonObject { ["displayName"] = Unique("over") })).ToArray();
            Error(await Door.PostAsync("/$batch", Batch(items)), 400, "BadRequest",
                "Invalid batch payload format. The number of requests in a batch must be between 1 and 20.");
            Assert.Equal(before, Items(Ok(await Door.GetAsync("/applications?$top=999&$select=id"))).Count); // nothing ran
        }

        [Fact]
        public async Task DependsOn_orders_execution()
        {
            // learn.microsoft.com/graph/json-batching: "dependsOn orders execution"
            string unique = Unique("dep");
            var order = new List<string>();
            // The GET is listed first but depends on the upsert, so it must see the object the upsert creates.
            var get = Item("2", "GET", $"/applications(uniqueName='{unique}')", null, "1");
            var upsert = Item("1", "PATCH", $"/applications(uniqueName='{unique}')", new JsonObject { ["displayName"] = unique, ["signInAudience"] = "AzureADMyOrg" });
            upsert["headers"]!["Prefer"] = "create-if-missing";
            var responses = await SendBatchAsync(Batch(get, upsert), order);

            Assert.Equal(new[] { "1", "2" }, order);
            Assert.Equal(201, (int)responses["1"]["status"]!);
            Assert.Equal(200, (int)responses["2"]["status"]!);
            Assert.Equal((string?)responses["1"]["body"]!["id"], (string?)responses["2"]["body"]!["id"]);
        }

        [Fact]
        public async Task A_failed_dependency_gives_424_down_the_chain()
        {
            // learn.microsoft.com/graph/json-batching: "A failed dependency gives 424"
            string name = Unique("never");
            var responses = await SendBatchAsync(Batch(
                Item("1", "GET", $"/applications/{Guid.NewGuid()}"),
                Item("2", "POST", "/applications", new JsonObject { ["displayName"] = name }, "1"),
                Item("3", "GET", "/organization", null, "2"),
                Item("4", "GET", "/organization")));

            Assert.Equal(404, (int)responses["1"]["status"]!);
            foreach (var (id, dependency) in new[] { ("2", "1"), ("3", "2") })
            {
                Assert.Equal(424, (int)responses[id]["status"]!);
                var error = responses[id]["body"]!["error"]!;
                Assert.Equal("FailedDependency", (string?)error["code"]);
                Assert.Equal($"The request failed because it depended on request '{dependency}', which failed.", (string?)error["message"]);
            }
            Assert.Equal(200, (int)responses["4"]["status"]!);
            Assert.Empty(Items(Ok(await Door.GetAsync($"/applications?$filter=displayName eq '{name}'"))));
        }

        [Fact]
        public async Task Malformed_batches_are_400()
        {
            // learn.microsoft.com/graph/json-batching: "The outer status is 200 (or 400 if malformed)"
            Error(await Door.PostAsync("/$batch", "{not json"), 400, "BadRequest", "Invalid batch payload format.");
            Error(await Door.PostAsync("/$batch", new { }), 400, "BadRequest", "Invalid batch payload format.");
            Error(await Door.PostAsync("/$batch", Batch()), 400, "BadRequest",
                "Invalid batch payload format. The number of requests in a batch must be between 1 and 20.");
            Error(await Door.PostAsync("/$batch", Batch(Item("1", "GET", "/organization"), Item("1", "GET", "/domains"))), 400, "BadRequest",
                "Invalid batch payload format. Every request needs a unique id, a method and a url.");
            Error(await Door.PostAsync("/$batch", Batch(new JsonObject { ["id"] = "1", ["method"] = "GET" })), 400, "BadRequest",
                "Invalid batch payload format. Every request needs a unique id, a method and a url.");
            Error(await Door.PostAsync("/$batch", Batch(Item("1", "GET", "/organization", null, "9"))), 400, "BadRequest",
                "Invalid batch payload format. Request '1' depends on unknown request '9'.");
            Error(await Door.PostAsync("/$batch", Batch(Item("1", "GET", "/organization", null, "2"), Item("2", "GET", "/domains", null, "1"))), 400, "BadRequest",
                "Invalid batch payload format. The dependsOn graph has a cycle.");
            Error(await Door.GetAsync("/$batch"), 405, "Request_BadRequest", "The HTTP method is not supported for this resource.");
        }

        [Theory]
        [InlineData("/v1.0/organization")]
        [InlineData("v1.0/organization")]
        [InlineData("/beta/organization")]
        [InlineData("/V1.0/domains?$top=1")]
        public async Task An_item_url_that_names_a_version_again_is_a_malformed_batch(string url)
        {
            // github.com/microsoftgraph/msgraph-sdk-javascript/issues/1451 and microsoft-graph-docs-contrib/issues/8576: Graph
            // answers "GraphError: Invalid batch payload format." to the "/v1.0/…" item urls the JavaScript SDK 3.0.7 sends for a
            // full URL; an item url is relative to the batch's own version.
            Error(await Door.PostAsync("/$batch", Batch(Item("1", "GET", url))), 400, "BadRequest", "Invalid batch payload format.");
            var answer = Ok(await Door.PostAsync("/$batch", Batch(Item("1", "GET", "/v1.0organization"))));
            Assert.Equal(400, (int)answer["responses"]![0]!["status"]!); // not a version segment: the item's own 400
        }
    }
}
