using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>The tenant's RequestLog through both front doors: round trips, batch items, status, path and request ids.</summary>
    public abstract class RequestLogTests : DoorTests
    {
        protected RequestLogTests(FrontDoor door) : base(door)
        {
            door.Tenant.RequestLog.Clear();
        }

        public sealed class InProcess : RequestLogTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : RequestLogTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        [Fact]
        public async Task Records_method_path_status_and_request_id_of_each_round_trip()
        {
            var created = await Door.PostAsync("/applications", new { displayName = Unique("logged"), signInAudience = "AzureADMyOrg" });
            string id = (string)Ok(created, 201)["id"]!;
            var missing = await Door.GetAsync($"/applications/{Guid.NewGuid()}");
            var listed = await Door.GetAsync("/applications?$top=5");

            var entries = Tenant.RequestLog.Entries;
            Assert.Equal(3, entries.Count);
            Assert.Equal(3, Tenant.RequestLog.RoundTrips);
            Assert.Equal(1, Tenant.RequestLog.SuccessfulWrites);

            Assert.Equal(("POST", "/applications", 201), (entries[0].Method, entries[0].Path, entries[0].Status));
            Assert.True(entries[0].IsWrite);
            Assert.Equal(created.Header("request-id"), entries[0].RequestId);
            Assert.Equal(("GET", 404), (entries[1].Method, entries[1].Status));
            Assert.StartsWith("/applications/", entries[1].Path);
            Assert.Equal(missing.Header("request-id"), entries[1].RequestId);
            Assert.Equal(("GET", "/applications?$top=5", 200), (entries[2].Method, entries[2].Path, entries[2].Status));
            Assert.Equal(listed.Header("request-id"), entries[2].RequestId);
            Assert.All(entries, e => Assert.False(e.InBatch));
            Assert.All(entries, e => Assert.True(e.Duration >= TimeSpan.Zero));

            NoContent(await Door.DeleteAsync($"/applications/{id}"));
            Assert.Equal(2, Tenant.RequestLog.SuccessfulWrites);
            Tenant.RequestLog.Clear();
            Assert.Empty(Tenant.RequestLog.Entries);
            Assert.Equal(0, Tenant.RequestLog.RoundTrips);
        }

        [Fact]
        public async Task A_batch_is_one_round_trip_and_its_items_are_marked_InBatch()
        {
            // learn.microsoft.com/graph/json-batching
            var batch = new JsonObject
            {
                ["requests"] = new JsonArray(
                    new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "/organization" },
                    new JsonObject
                    {
                        ["id"] = "2", ["method"] = "POST", ["url"] = "/applications",
                        ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
                        ["body"] = new JsonObject { ["displayName"] = Unique("inbatch") },
                    },
                    new JsonObject { ["id"] = "3", ["method"] = "GET", ["url"] = $"/applications/{Guid.NewGuid()}" }),
            };
            Ok(await Door.PostAsync("/$batch", batch));

            var entries = Tenant.RequestLog.Entries;
            Assert.Equal(4, entries.Count);
            Assert.Equal(1, Tenant.RequestLog.RoundTrips);
            Assert.Equal(1, Tenant.RequestLog.SuccessfulWrites); // the POST inside; the batch itself is not a write
            var outer = Assert.Single(entries, e => !e.InBatch);
            Assert.Equal(("POST", "/$batch", 200), (outer.Method, outer.Path, outer.Status));
            var inner = entries.Where(e => e.InBatch).ToList();
            Assert.Equal(new[] { ("GET", "/organization", 200), ("POST", "/applications", 201) }, inner.Take(2).Select(e => (e.Method, e.Path, e.Status)));
            Assert.Equal(404, inner[2].Status);
        }
    }
}
