// Usage: dotnet run -c Release --project tools/bench/LocalTenantLoad -- [seconds per cell] [clients, e.g. 1,4,16] [apps seeded]
//        dotnet run -c Release --project tools/bench/LocalTenantLoad -- log [requests]   (the request log's memory)
// Throughput (requests/s) and p50/p99 latency of the local tenant under 1, 4 and 16 concurrent clients: a read mix (GET by id,
// GET list $top=5, GET by $filter appId) and a write mix (POST an application, PATCH one), in-process (CreateHandler) and over
// HTTP to the server on 127.0.0.1, for a tenant in memory and one with a state file. Each client sends its next request when
// its last one is answered; a cell runs for the given seconds after a short warm-up (and the first cell once more before it, untimed).
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

if (args.Length > 0 && args[0] == "log")
{
    // The request log's memory: the managed heap after a full collection, before and after N GETs in-process (a tenant in memory).
    int requests = args.Length > 1 ? int.Parse(args[1]) : 100_000;
    var logged = LocalTenantEngine.Create();
    using var client = new HttpClient(logged.CreateHandler());
    await client.GetAsync("https://graph.microsoft.com/v1.0/organization");
    long before = GC.GetTotalMemory(true);
    for (int i = 0; i < requests; i++) (await client.GetAsync("https://graph.microsoft.com/v1.0/organization")).Dispose();
    long after = GC.GetTotalMemory(true);
    Console.WriteLine($"{requests} GETs: managed heap +{(after - before) / 1048576.0:0.0} MB, {logged.RequestLog.RoundTrips} round trips counted, {logged.RequestLog.AllEntries.Count} entries kept");
    return;
}

double seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
int[] clientCounts = args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : new[] { 1, 4, 16 };
int seeded = args.Length > 2 ? int.Parse(args[2]) : 200;
string dir = Path.Combine(Path.GetTempPath(), "localtenant-load-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds:0.#} s per cell, {seeded} applications seeded");
Console.WriteLine($"{"storage",-10} {"door",-10} {"mix",-5} {"clients",7} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"errors",6}");
try
{
    foreach (var storage in new[] { "memory", "file" })
    {
        var tenant = storage == "memory" ? LocalTenantEngine.Create() : LocalTenantEngine.Open(Path.Combine(dir, "tenant.json"));
        var app = EntraAppKit.LocalTenant.Server.Program.Build(tenant, 0);
        await app.StartAsync();
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var doors = new (string Name, HttpClient Http, string Root)[]
            {
                ("in-process", new HttpClient(tenant.CreateHandler()), "https://graph.microsoft.com/v1.0"),
                ("http", new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }), address + "/v1.0"),
            };
            var apps = new List<(string Id, string AppId)>();
            for (int i = 0; i < seeded; i++)
            {
                var made = JsonNode.Parse(await Send(doors[0].Http, HttpMethod.Post, doors[0].Root + "/applications", $"{{\"displayName\":\"seed {i}\"}}"))!;
                apps.Add(((string)made["id"]!, (string)made["appId"]!));
            }
            bool warm = false;
            foreach (var door in doors)
                foreach (var mix in new[] { "read", "write" })
                    foreach (int clients in warm ? clientCounts : new[] { 4 }.Concat(clientCounts))
                    {
                        long serial = 0;
                        Func<int, Task> operation = mix == "read"
                            ? async i =>
                            {
                                var a = apps[(int)((uint)i % apps.Count)];
                                string url = (i % 3) switch
                                {
                                    0 => $"/applications/{a.Id}",
                                    1 => "/applications?$top=5",
                                    _ => $"/applications?$filter=appId eq '{a.AppId}'",
                                };
                                await Send(door.Http, HttpMethod.Get, door.Root + url, null);
                            }
                            : async i =>
                            {
                                if (i % 2 == 0)
                                    await Send(door.Http, HttpMethod.Post, door.Root + "/applications", $"{{\"displayName\":\"load {Interlocked.Increment(ref serial)}\"}}");
                                else
                                    await Send(door.Http, HttpMethod.Patch, door.Root + $"/applications/{apps[(int)((uint)i % apps.Count)].Id}", $"{{\"notes\":\"n{i}\"}}");
                            };
                        var (rate, p50, p99, errors) = await Run(clients, seconds, operation);
                        if (!warm)
                        {
                            warm = true; // the first run of all only brings the code to its tiered JIT's steady state
                            continue;
                        }
                        Console.WriteLine($"{storage,-10} {door.Name,-10} {mix,-5} {clients,7} {rate,9:0} {p50,8:0.00} {p99,8:0.00} {errors,6}");
                    }
            foreach (var door in doors) door.Http.Dispose();
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
finally { Directory.Delete(dir, true); }

static async Task<string> Send(HttpClient http, HttpMethod method, string url, string? json)
{
    using var request = new HttpRequestMessage(method, url);
    if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
    using var response = await http.SendAsync(request);
    string text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {url}: {(int)response.StatusCode} {text}");
    return text;
}

// Closed loop: each client sends its next request when the last is answered. Latencies of the timed window only.
static async Task<(double Rate, double P50, double P99, int Errors)> Run(int clients, double seconds, Func<int, Task> operation)
{
    int next = 0, errors = 0;
    var warmUp = TimeSpan.FromSeconds(Math.Min(1, seconds / 3));
    var window = TimeSpan.FromSeconds(seconds);
    var latencies = new List<double>[clients];
    var clock = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
    {
        var mine = latencies[c] = new List<double>();
        while (true)
        {
            var started = clock.Elapsed;
            if (started >= warmUp + window) return;
            try { await operation(Interlocked.Increment(ref next)); }
            catch (HttpRequestException) { Interlocked.Increment(ref errors); }
            if (started >= warmUp) mine.Add((clock.Elapsed - started).TotalMilliseconds);
        }
    })).ToArray();
    await Task.WhenAll(tasks);
    var all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
    double actual = (clock.Elapsed - warmUp).TotalSeconds;
    return (all.Length / actual, Percentile(all, 0.50), Percentile(all, 0.99), errors);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
