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
    /// Issue 10, point 3: "JSON batch requests return a response for every request, and each can fail independently"
    /// (learn.microsoft.com/graph/json-batching). Whatever goes wrong inside one item, even an unexpected exception, is that
    /// item's status in the batch's 200; the items before it stay answered, so a client never retries a write that applied.
    /// </summary>
    public abstract class BatchIsolationTests : DoorTests
    {
        protected BatchIsolationTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : BatchIsolationTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : BatchIsolationTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static JsonObject Item(string id, string method, string url, JsonNode? body = null, params string[] dependsOn)
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

        private static JsonObject CreateItem(string id, string name) =>
            Item(id, "POST", "/applications", new JsonObject { ["displayName"] = name, ["signInAudience"] = "AzureADMyOrg" });

        private async Task<Dictionary<string, JsonObject>> SendBatchAsync(params JsonObject[] items)
        {
            var root = Ok(await Door.PostAsync("/$batch", new JsonObject { ["requests"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()) }));
            return root["responses"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => (string)r["id"]!);
        }

        private int AppsNamed(string name) => Tenant.Store.Applications.Count(a => (string?)a.Json["displayName"] == name);

        /// <summary>The item's error body is Graph's own, with the request-id of its log entry.</summary>
        private void ItemError(JsonObject response, int status, string code)
        {
            Assert.Equal(status, (int)response["status"]!);
            var error = response["body"]!["error"]!.AsObject();
            Assert.Equal(code, (string?)error["code"]);
            string requestId = (string)response["headers"]!["request-id"]!;
            Assert.Equal(requestId, (string?)error["innerError"]!["request-id"]);
            var entry = Assert.Single(Tenant.RequestLog.Entries, e => e.RequestId == requestId);
            Assert.Equal(status, entry.Status);
            Assert.True(entry.InBatch);
        }

        [Fact]
        public async Task An_unexpected_exception_in_one_item_is_that_items_500_after_a_create_that_stays_done()
        {
            string name = Unique("kept");
            Tenant.Faults.Crash(1, "GET", "/organization");
            var responses = await SendBatchAsync(CreateItem("1", name), Item("2", "GET", "/organization"), Item("3", "GET", "/domains"));
            Assert.Equal(201, (int)responses["1"]["status"]!);
            ItemError(responses["2"], 500, "generalException");
            Assert.Equal("An unspecified error has occurred.", (string?)responses["2"]["body"]!["error"]!["message"]);
            Assert.Equal(200, (int)responses["3"]["status"]!);
            Assert.Equal(1, AppsNamed(name));
            Ok(await Door.GetAsync($"/applications/{responses["1"]["body"]!["id"]}"));
        }

        [Fact]
        public async Task An_unexpected_exception_in_the_first_item_leaves_the_later_writes_to_run_once()
        {
            string a = Unique("later"), b = Unique("later");
            Tenant.Faults.Crash(1, "POST", "/applications");
            var responses = await SendBatchAsync(CreateItem("1", Unique("crashed")), CreateItem("2", a), CreateItem("3", b));
            ItemError(responses["1"], 500, "generalException");
            Assert.Equal(201, (int)responses["2"]["status"]!);
            Assert.Equal(201, (int)responses["3"]["status"]!);
            Assert.Equal(1, AppsNamed(a));
            Assert.Equal(1, AppsNamed(b));
        }

        [Fact]
        public async Task An_item_depending_on_a_crashed_item_is_424_and_its_neighbours_run()
        {
            Tenant.Faults.Crash(1, "GET", "/organization");
            var responses = await SendBatchAsync(Item("1", "GET", "/organization"), Item("2", "GET", "/domains", null, "1"), Item("3", "GET", "/applications?$top=1"));
            ItemError(responses["1"], 500, "generalException");
            Assert.Equal(424, (int)responses["2"]["status"]!);
            Assert.Equal(200, (int)responses["3"]["status"]!);
        }

        [Fact]
        public async Task Input_that_once_crashed_the_batch_is_each_items_own_400()
        {
            // learn.microsoft.com/graph/api/resources/apiapplication: requestedAccessTokenVersion is an Int32.
            string name = Unique("neighbour");
            var responses = await SendBatchAsync(
                CreateItem("1", name),
                Item("2", "POST", "/applications", JsonNode.Parse("{\"displayName\":\"v\",\"signInAudience\":\"AzureADMyOrg\",\"api\":{\"requestedAccessTokenVersion\":1e10}}")),
                Item("3", "POST", "/applications", JsonNode.Parse("{\"displayName\":\"n\",\"signInAudience\":\"AzureADMyOrg\",\"api\":null}")),
                Item("4", "GET", "/applications?$skiptoken=RFNwdAIAAQAAAb2Zmc2V0Ojk5OTk5OTk5OTk5"),
                Item("5", "GET", "/applications?$top=1&$top=2"),
                Item("6", "GET", "/organization"));
            Assert.Equal(201, (int)responses["1"]["status"]!);
            ItemError(responses["2"], 400, "Request_BadRequest");
            ItemError(responses["3"], 400, "Request_BadRequest");
            ItemError(responses["4"], 400, "Request_BadRequest");
            ItemError(responses["5"], 400, "BadRequest");
            Assert.Equal(200, (int)responses["6"]["status"]!);
            Assert.Equal(1, AppsNamed(name));
        }

        [Fact]
        public async Task An_injected_server_fault_in_one_item_is_that_items_status_only()
        {
            // learn.microsoft.com/graph/throttling: "each request in a batch is evaluated against throttling limits" separately.
            string name = Unique("beside-fault");
            Tenant.Faults.Fail(1, 503, TimeSpan.FromSeconds(2), "GET", "/domains");
            Tenant.Faults.Throttle(1, TimeSpan.FromSeconds(3), "GET", "/organization");
            var responses = await SendBatchAsync(Item("1", "GET", "/domains"), CreateItem("2", name), Item("3", "GET", "/organization"));
            ItemError(responses["1"], 503, "serviceNotAvailable");
            Assert.Equal(201, (int)responses["2"]["status"]!);
            ItemError(responses["3"], 429, "TooManyRequests");
            Assert.Equal("3", (string?)responses["3"]["headers"]!["Retry-After"]);
        }

        [Fact]
        public async Task A_direct_request_that_hits_an_unexpected_exception_is_Graphs_500_and_the_next_is_served()
        {
            // learn.microsoft.com/graph/errors: 500 with code generalException, "An unspecified error has occurred."
            Tenant.Faults.Crash(1, "PATCH");
            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new { notes = "x" }), 500, "generalException", "An unspecified error has occurred.");
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { notes = "y" }));
            Assert.Equal("y", (string?)Ok(await Door.GetAsync($"/applications/{app["id"]}"))["notes"]);
        }

        [Fact]
        public async Task A_crashing_batch_itself_is_Graphs_500_with_a_request_id()
        {
            Tenant.Faults.Crash(1, "POST", "/$batch");
            Rejected(await Door.PostAsync("/$batch", new JsonObject { ["requests"] = new JsonArray(Item("1", "GET", "/organization")) }), 500, "generalException");
        }
    }
}
