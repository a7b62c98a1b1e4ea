using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Diagnostics;
using EntraAppKit.LocalTenant.Server;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The request log keeps its newest entries only (LocalTenantOptions.RequestLogCapacity, the server's --request-log), while
    /// its counters count every request since the last Clear: round-trip budgets stay exact past the bound.
    /// </summary>
    public sealed class RequestLogBoundTests
    {
        [Theory]
        [MemberData(nameof(FrontDoor.Kinds), MemberType = typeof(FrontDoor))]
        public async Task Past_its_bound_the_log_keeps_the_newest_entries_and_exact_counters(string kind)
        {
            var tenant = LocalTenantEngine.Create(new LocalTenantOptions { RequestLogCapacity = 4 });
            Assert.Equal(4, tenant.RequestLog.Capacity);
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                var ids = new System.Collections.Generic.List<string>();
                for (int i = 0; i < 3; i++)
                {
                    var made = await door.PostAsync("/applications", new { displayName = $"bounded {i}" });
                    Ok(made, 201);
                    ids.Add(made.Header("request-id")!);
                }
                for (int i = 0; i < 4; i++) Ok(await door.GetAsync("/applications?$top=1"));
                for (int i = 0; i < 4; i++)
                {
                    var org = await door.GetAsync("/organization");
                    Ok(org);
                    ids.Add(org.Header("request-id")!);
                }

                // 3 POSTs and 8 GETs answered; the log holds the newest 4, in order; the counters hold all 11.
                var kept = tenant.RequestLog.AllEntries;
                Assert.Equal(4, kept.Count);
                Assert.All(kept, e => Assert.Equal(("GET", "/organization"), (e.Method, e.Path)));
                Assert.Equal(ids.Skip(3), kept.Select(e => e.RequestId));
                Assert.Equal(ids.Skip(3), tenant.RequestLog.Entries.Select(e => e.RequestId));
                Assert.Equal((11, 3, 11L), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites, tenant.RequestLog.Total));

                if (door is ServerDoor server)
                {
                    var log = JsonNode.Parse((await server.ControlAsync("GET", "/_localtenant/requests")).Text)!;
                    Assert.Equal(4, log["value"]!.AsArray().Count);
                    Assert.Equal((4, 11L, 11, 3), ((int)log["capacity"]!, (long)log["total"]!, (int)log["roundTrips"]!, (int)log["successfulWrites"]!));
                    Assert.Equal(204, (await server.ControlAsync("DELETE", "/_localtenant/requests")).Status);
                    log = JsonNode.Parse((await server.ControlAsync("GET", "/_localtenant/requests")).Text)!;
                    Assert.Equal((0, 0L, 0), (log["value"]!.AsArray().Count, (long)log["total"]!, (int)log["roundTrips"]!));
                }
                else tenant.RequestLog.Clear();
                Assert.Empty(tenant.RequestLog.AllEntries);
                Assert.Equal((0, 0, 0L), (tenant.RequestLog.RoundTrips, tenant.RequestLog.SuccessfulWrites, tenant.RequestLog.Total));

                // After a Clear the ring fills again from empty.
                Ok(await door.GetAsync("/organization"));
                Assert.Single(tenant.RequestLog.Entries);
            }
            finally { await door.DisposeAsync(); }
        }

        [Fact]
        public void A_log_wraps_many_times_and_keeps_exactly_the_newest_entries()
        {
            var log = new RequestLog(3);
            for (int i = 0; i < 10; i++)
                log.Add(new RequestLogEntry(DateTimeOffset.UnixEpoch, i % 2 == 0 ? "GET" : "POST", "/applications", i % 5 == 0 ? 400 : 201, TimeSpan.Zero, i.ToString(),
                    inBatch: false, i == 9 ? RequestKind.Identity : RequestKind.Graph));
            Assert.Equal(new[] { "7", "8", "9" }, log.AllEntries.Select(e => e.RequestId));
            Assert.Equal(new[] { "7", "8" }, log.Entries.Select(e => e.RequestId));
            Assert.Equal(9, log.RoundTrips);      // the identity request is not a Graph round trip
            Assert.Equal(3, log.SuccessfulWrites); // POSTs 1, 3, 7 (201); not 5 (400) nor 9 (identity)
            Assert.Equal(10, log.Total);
        }

        [Fact]
        public void A_cloud_kept_in_a_file_gives_every_tenant_the_first_tenants_bound()
        {
            string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "entraappkit-localtenant-tests", Guid.NewGuid().ToString("N"));
            try
            {
                string path = System.IO.Path.Combine(dir, "tenant.json");
                LocalCloud.Open(path, new[] { new LocalTenantOptions(), LocalTenantOptions.Named("fabrikam") });
                // Opened again: the further tenant kept in FILE.tenants is not named, and still takes the first tenant's bound.
                var cloud = LocalCloud.Open(path, new[] { new LocalTenantOptions { RequestLogCapacity = 7 } });
                Assert.Equal(2, cloud.Tenants.Count);
                Assert.All(cloud.Tenants, t => Assert.Equal(7, t.RequestLog.Capacity));
            }
            finally
            {
                try { System.IO.Directory.Delete(dir, true); }
                catch (System.IO.IOException) { }
            }
        }

        [Fact]
        public void The_server_flag_sets_every_tenants_bound()
        {
            var options = ServerOptions.Parse(new[] { "--request-log", "50", "--tenant", "fabrikam" });
            Assert.All(options.AllTenants, t => Assert.Equal(50, t.RequestLogCapacity));
            Assert.Equal(RequestLog.DefaultCapacity, ServerOptions.Parse(Array.Empty<string>()).Tenant.RequestLogCapacity);
            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--request-log", "0" }));
        }
    }
}
