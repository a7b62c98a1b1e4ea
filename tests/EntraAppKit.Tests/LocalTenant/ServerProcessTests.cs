using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The server as separate processes on one state file: killed with kill -9 under write load, it never loses a write it
    /// acknowledged and its file always loads; two servers on one file lose nothing of each other's; a damaged file stops it
    /// with one line, not a stack trace.
    /// </summary>
    public sealed class ServerProcessTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-serverprocess-tests", Guid.NewGuid().ToString("N"));
        private readonly HttpClient _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        private readonly ITestOutputHelper _output;

        public ServerProcessTests(ITestOutputHelper output)
        {
            _output = output;
            Directory.CreateDirectory(_dir);
        }

        public void Dispose()
        {
            _http.Dispose();
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        private string StatePath => Path.Combine(_dir, "tenant.json");

        /// <summary>Creates an application; its id when the server acknowledged it (201), null when the request did not complete.</summary>
        private async Task<string?> CreateAsync(string address, string name, CancellationToken cancellationToken)
        {
            try
            {
                using var content = new StringContent($"{{\"displayName\":\"{name}\",\"signInAudience\":\"AzureADMyOrg\"}}", Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync(address + "/v1.0/applications", content, cancellationToken);
                if ((int)response.StatusCode != 201) throw new Xunit.Sdk.XunitException($"POST /applications answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
            }
            catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException || e is IOException)
            {
                return null; // the server died mid-request: not acknowledged
            }
        }

        private async Task<HashSet<string>> IdsAsync(string address)
        {
            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            string? next = address + "/v1.0/applications?$select=id&$top=999";
            while (next != null)
            {
                var page = JsonNode.Parse(await _http.GetStringAsync(next))!;
                foreach (var item in page["value"]!.AsArray()) ids.Add((string)item!["id"]!);
                next = (string?)page["@odata.nextLink"];
            }
            return ids;
        }

        [Fact]
        public async Task Every_acknowledged_write_survives_kill_9_and_the_file_always_loads()
        {
            const int Rounds = 10, MinimumPerRound = 3;
            var acknowledged = new ConcurrentBag<string>();
            int attempted = 0;
            var random = new Random(20261129);
            for (int round = 0; round < Rounds; round++)
            {
                using var server = await ServerProcess.StartAsync("--port", "0", "--path", StatePath, "--no-auth");
                // Every write acknowledged in earlier rounds came back with the restarted server.
                var present = await IdsAsync(server.Address);
                Assert.Equal(new string[0], acknowledged.Where(id => !present.Contains(id)).ToArray());
                Assert.Empty(Directory.GetFiles(_dir, "*.tmp")); // an orphan of the kill is removed on open

                using var stop = new CancellationTokenSource();
                int acknowledgedThisRound = 0;
                var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (int n = 0; !stop.IsCancellationRequested; n++)
                    {
                        Interlocked.Increment(ref attempted);
                        string? id = await CreateAsync(server.Address, $"r{round}-w{w}-{n}", stop.Token);
                        if (id == null) continue;
                        acknowledged.Add(id);
                        Interlocked.Increment(ref acknowledgedThisRound);
                    }
                })).ToList();
                // Kill mid-load: after a few acknowledged writes (however slow the machine), then a random moment later.
                var loaded = Stopwatch.StartNew();
                while (Volatile.Read(ref acknowledgedThisRound) < MinimumPerRound && loaded.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10);
                await Task.Delay(random.Next(0, 300));
                server.Kill();
                stop.Cancel();
                await Task.WhenAll(writers);
            }
            using (var last = await ServerProcess.StartAsync("--port", "0", "--path", StatePath, "--no-auth"))
            {
                var present = await IdsAsync(last.Address);
                Assert.Equal(new string[0], acknowledged.Where(id => !present.Contains(id)).ToArray());
                Assert.True(acknowledged.Count >= Rounds * MinimumPerRound, $"only {acknowledged.Count} of {attempted} writes were acknowledged: the load was too light to prove anything");
                _output.WriteLine($"{Rounds} kills under 4 writers: {acknowledged.Count} writes acknowledged, all present after the restarts; " +
                    $"{present.Count - acknowledged.Count} more were saved but their answer was cut off by a kill.");
            }
        }

        [Fact]
        public async Task Two_server_processes_on_one_file_lose_none_of_each_others_writes()
        {
            using var first = await ServerProcess.StartAsync("--port", "0", "--path", StatePath, "--no-auth");
            using var second = await ServerProcess.StartAsync("--port", "0", "--path", StatePath, "--no-auth");
            var created = new ConcurrentBag<string>();
            await Task.WhenAll(new[] { first, second }.SelectMany(server => Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
            {
                for (int n = 0; n < 15; n++) created.Add((await CreateAsync(server.Address, $"{server.Address}-{w}-{n}", CancellationToken.None))!);
            }))));
            Assert.Equal(90, created.Count);
            Assert.Equal(created.ToHashSet(), await IdsAsync(first.Address));
            Assert.Equal(created.ToHashSet(), await IdsAsync(second.Address));
            Assert.Equal(90, JsonNode.Parse(File.ReadAllText(StatePath))!["applications"]!.AsArray().Count);
        }

        [Theory]
        [InlineData("an application without id", "incomplete or damaged")]
        [InlineData("a newer format", "newer version of EntraAppKit")]
        [InlineData("not JSON", "corrupt")]
        public async Task A_damaged_file_stops_the_server_with_one_line_and_exit_code_1(string damage, string expected)
        {
            using (var server = await ServerProcess.StartAsync("--port", "0", "--path", StatePath, "--no-auth"))
                Assert.NotNull(await CreateAsync(server.Address, "app", CancellationToken.None));
            var doc = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            switch (damage)
            {
                case "an application without id": doc["applications"]![0]!.AsObject().Remove("id"); break;
                case "a newer format": doc["format"] = "EntraAppKit.LocalTenant/3"; break;
                default: break;
            }
            File.WriteAllText(StatePath, damage == "not JSON" ? "{\"format\":" : doc.ToJsonString());
            byte[] before = File.ReadAllBytes(StatePath);

            var (code, output, error) = await ServerProcess.RunToExitAsync("--port", "0", "--path", StatePath, "--no-auth");
            Assert.Equal(1, code);
            Assert.Contains(expected, error);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain("   at ", error + output);
            Assert.Equal(before, File.ReadAllBytes(StatePath));
        }
    }
}
