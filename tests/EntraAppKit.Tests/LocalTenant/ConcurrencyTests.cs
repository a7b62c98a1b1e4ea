using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using Xunit;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Many clients at once through both front doors, for a tenant in memory (reads share the tenant) and one with a state
    /// file (every request alone): no lost write, no error, every page and lookup consistent, the request log's counts exact.
    /// </summary>
    public sealed class ConcurrencyTests : IDisposable
    {
        private const int Seeded = 12, Readers = 8, Writers = 4, ReadsEach = 60, PostsEach = 8;

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-localtenant-tests", Guid.NewGuid().ToString("N"));

        public ConcurrencyTests() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        public static IEnumerable<object[]> Cases =>
            FrontDoor.Kinds.SelectMany(k => new[] { new object[] { k[0], "memory" }, new object[] { k[0], "file" } });

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task Parallel_reads_and_writes_lose_nothing_and_read_consistently(string kind, string storage)
        {
            var tenant = storage == "memory" ? Tenant.Create() : Tenant.Open(Path.Combine(_dir, "tenant.json"));
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                var seeded = new List<(string Id, string AppId)>();
                for (int i = 0; i < Seeded; i++)
                {
                    var app = (await door.PostAsync("/applications", new { displayName = $"seed {i}" })).Json;
                    seeded.Add(((string)app["id"]!, (string)app["appId"]!));
                }
                tenant.RequestLog.Clear();
                var failures = new ConcurrentQueue<string>();
                var made = new ConcurrentBag<string>();

                var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
                {
                    for (int i = 0; i < ReadsEach; i++)
                    {
                        var (id, appId) = seeded[(r + i) % seeded.Count];
                        switch (i % 3)
                        {
                            case 0:
                                var one = await door.GetAsync($"/applications/{id}");
                                if (one.Status != 200 || (string?)one.Json["id"] != id) failures.Enqueue($"GET by id: {one}");
                                break;
                            case 1:
                                var page = await door.GetAsync("/applications?$top=5");
                                var items = page.Status == 200 ? page.Json["value"]!.AsArray() : null;
                                if (items == null || items.Count != 5 || items.Any(a => a?["id"] == null || a["appId"] == null) || page.Json["@odata.nextLink"] == null)
                                    failures.Enqueue($"GET $top=5: {page}");
                                break;
                            default:
                                var found = await door.GetAsync($"/applications?$filter=appId eq '{appId}'");
                                var match = found.Status == 200 ? found.Json["value"]!.AsArray() : null;
                                if (match == null || match.Count != 1 || (string?)match[0]!["appId"] != appId) failures.Enqueue($"GET $filter appId: {found}");
                                break;
                        }
                    }
                })).ToList();

                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    string target = seeded[w].Id;
                    for (int i = 0; i < PostsEach; i++)
                    {
                        var created = await door.PostAsync("/applications", new { displayName = $"writer {w} app {i}" });
                        if (created.Status != 201) failures.Enqueue($"POST: {created}");
                        else made.Add((string)created.Json["id"]!);
                        var patched = await door.PatchAsync($"/applications/{target}", new { notes = $"writer {w} step {i}" });
                        if (patched.Status != 204) failures.Enqueue($"PATCH: {patched}");
                    }
                })).ToList();

                await Task.WhenAll(readers.Concat(writers));
                Assert.Empty(failures);

                // Every write is there: each new application, and each writer's last PATCH on its own application.
                Assert.Equal(Writers * PostsEach, made.Distinct().Count());
                foreach (var id in made) Assert.Equal(200, (await door.GetAsync($"/applications/{id}")).Status);
                for (int w = 0; w < Writers; w++)
                    Assert.Equal($"writer {w} step {PostsEach - 1}", (string?)(await door.GetAsync($"/applications/{seeded[w].Id}")).Json["notes"]);
                var count = await door.GetAsync("/applications/$count", ("ConsistencyLevel", "eventual"));
                Assert.Equal(Seeded + Writers * PostsEach, int.Parse(count.Text));

                // The log counted every request, reads and writes, exactly.
                int answered = Readers * ReadsEach + Writers * PostsEach * 2 + Writers * PostsEach + Writers + 1;
                Assert.Equal(answered, tenant.RequestLog.RoundTrips);
                Assert.Equal(Writers * PostsEach * 2, tenant.RequestLog.SuccessfulWrites);

                if (storage == "file")
                {
                    // What the file holds is what was answered: a fresh open sees every write.
                    var reopened = Tenant.Open(tenant.Path!);
                    var again = await FrontDoor.OpenAsync("InProcess", reopened);
                    try
                    {
                        foreach (var id in made) Assert.Equal(200, (await again.GetAsync($"/applications/{id}")).Status);
                    }
                    finally { await again.DisposeAsync(); }
                }
            }
            finally { await door.DisposeAsync(); }
        }
    }
}
