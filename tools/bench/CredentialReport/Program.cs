// Usage: dotnet run -c Release --project tools/bench/CredentialReport -- [N ...] [options]
//   N ...                   tenant sizes (applications), default 1000 10000 100000
//   --parallel K            $batch requests in flight while seeding (default 4)
//   --writes W              timed writes of each kind per size (default 20)
//   --write-timeout SEC     budget of one size's write measurement, start-up included (default 600); what is left is skipped
//   --skip-writes-above N   no write measurement for larger sizes (default: none skipped)
//   --skip-report           only the write measurement
//   --write-seed snapshot|http   how the state file of N apps is made (default snapshot, see SeedStateFileAsync)
//   --server DLL  --module PSD1  --pwsh PATH   (defaults: the Release build in this repository, out/EntraAppKit/*/, pwsh on PATH
//                                              or ~/.dotnet/tools/pwsh)
// Builds first: dotnet build -c Release (the module and the server).
//
// (a) The tenant-wide expiry report: a local tenant server (in memory) is seeded over HTTP with N applications, each with one
//     client secret, every tenth with a certificate too, and their service principals; a fresh `pwsh -NoProfile` imports the
//     packaged module, connects to the server and runs Get-EntraAppCredential -ExpiringWithinDays 30 | Export-Csv. Reported:
//     the Graph requests of the report (the server's request log, cleared after the sign-in), the command's wall time measured
//     in pwsh, the rows, pwsh's RSS before the report and its peak (VmHWM), and the server's RSS.
// (b) The server's write latency with a state file (--path) of N applications: POST /applications, addPassword and PATCH, each
//     timed W times from this process (HTTP round trip), median and max.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;

var sizes = new List<int>();
int parallel = 4, writes = 20, skipWritesAbove = int.MaxValue;
double writeTimeout = 600;
bool skipReport = false;
string writeSeed = "snapshot";
string? serverDll = null, module = null, pwsh = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--parallel": parallel = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--writes": writes = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--write-timeout": writeTimeout = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--skip-writes-above": skipWritesAbove = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--skip-report": skipReport = true; break;
        case "--write-seed": writeSeed = Next(); break;
        case "--server": serverDll = Next(); break;
        case "--module": module = Next(); break;
        case "--pwsh": pwsh = Next(); break;
        default: sizes.Add(int.Parse(args[i], CultureInfo.InvariantCulture)); break;
    }
}
if (sizes.Count == 0) sizes.AddRange(new[] { 1000, 10000, 100000 });
if (writeSeed != "snapshot" && writeSeed != "http") throw new ArgumentException("--write-seed is snapshot or http.");

string root = Bench.RepositoryRoot();
serverDll = Path.GetFullPath(serverDll ?? Environment.GetEnvironmentVariable("ENTRAAPPKIT_LOCALTENANT_SERVER")
    ?? Path.Combine(root, "src/EntraAppKit.LocalTenant.Server/bin/Release/net10.0/entraappkit-localtenant.dll"));
module = Path.GetFullPath(module ?? Directory.GetFiles(Path.Combine(root, "out/EntraAppKit"), "EntraAppKit.psd1", SearchOption.AllDirectories)
    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() ?? throw new FileNotFoundException("No packaged module under out/EntraAppKit: dotnet build -c Release first."));
pwsh ??= Bench.FindPwsh();
if (!File.Exists(serverDll)) throw new FileNotFoundException($"No server build at {serverDll}: dotnet build -c Release first.");

var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "credential-report-" + Guid.NewGuid().ToString("N"))).FullName;
var results = new List<Bench.Result>();
try
{
    foreach (int n in sizes)
    {
        var result = new Bench.Result { N = n };
        results.Add(result);
        if (!skipReport) await Bench.ReportAsync(result, serverDll, module, pwsh, parallel, work);
        if (n <= skipWritesAbove) await Bench.WritesAsync(result, serverDll, parallel, writes, TimeSpan.FromSeconds(writeTimeout), writeSeed, work);
        else result.WriteNote = $"skipped (--skip-writes-above {skipWritesAbove})";
    }
}
finally { Directory.Delete(work, true); }

Console.WriteLine();
Console.WriteLine($"Get-EntraAppCredential -ExpiringWithinDays 30 | Export-Csv over the whole tenant; writes with a state file ({writes} of each kind). " +
    $"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {Environment.OSVersion}.");
Console.WriteLine();
Console.WriteLine("| N apps | requests | expected | rows | report (server's share) | pwsh RSS before / peak | server RSS | state file | server start | POST /applications median / max | addPassword median / max | PATCH median / max |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var r in results) Console.WriteLine(r.Row());
foreach (var r in results.Where(r => r.WriteNote != null)) Console.WriteLine($"N={r.N}: writes {r.WriteNote}");
return 0;

internal static class Bench
{
    internal sealed class Result
    {
        public int N;
        public int? Requests, Expected, Rows;
        public double? ReportMs, ServerMs;
        public long? PwshRssBeforeKb, PwshPeakKb, ServerRssKb;
        public long? StateFileBytes;
        public double? ServerStartMs;
        public List<double> Posts = new List<double>(), AddPasswords = new List<double>(), Patches = new List<double>();
        public string? WriteNote;

        public string Row()
        {
            static string Mb(long? kb) => kb.HasValue ? $"{kb.Value / 1024.0:0} MB" : "–";
            static string Ms(double? ms) => ms.HasValue ? (ms.Value >= 10_000 ? $"{ms.Value / 1000:0.0} s" : $"{ms.Value:0} ms") : "–";
            static string Latency(List<double> l) => l.Count == 0 ? "–" : $"{Ms(Median(l))} / {Ms(l.Max())}" + (l.Count < Writes ? $" ({l.Count})" : "");
            return $"| {N:N0} | {Requests?.ToString() ?? "–"} | {Expected?.ToString() ?? "–"} | {Rows?.ToString("N0") ?? "–"} | {(ReportMs.HasValue ? $"{Ms(ReportMs)} ({Ms(ServerMs)})" : "–")} | " +
                $"{Mb(PwshRssBeforeKb)} / {Mb(PwshPeakKb)} | {Mb(ServerRssKb)} | {(StateFileBytes.HasValue ? $"{StateFileBytes.Value / 1048576.0:0.0} MB" : "–")} | " +
                $"{Ms(ServerStartMs)} | {Latency(Posts)} | {Latency(AddPasswords)} | {Latency(Patches)} |";
        }

        /// <summary>Writes asked for per kind: a shorter list is marked with how many were measured.</summary>
        public static int Writes = 20;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    // ---- (a) the report ----

    public static async Task ReportAsync(Result result, string serverDll, string module, string pwsh, int parallel, string work)
    {
        int n = result.N;
        Log($"N={n}: starting an in-memory server and seeding it over $batch");
        using var server = await Server.StartAsync(serverDll, Array.Empty<string>(), TimeSpan.FromSeconds(60));
        using var http = server.Client();
        var seed = Stopwatch.StartNew();
        await SeedAsync(http, n, parallel, server);
        Log($"N={n}: seeded in {seed.Elapsed.TotalSeconds:0.0} s");
        int apps = await CountAsync(http, "applications"), sps = await CountAsync(http, "servicePrincipals");
        // The report reads every application, then every service principal (the tenant's built-in ones too), 999 per page.
        result.Expected = (apps + 998) / 999 + (sps + 998) / 999;

        string script = Path.Combine(work, "report.ps1"), csv = Path.Combine(work, $"expiring-{n}.csv");
        File.WriteAllText(script, ReportScript);
        var start = new ProcessStartInfo(pwsh) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-NoProfile", "-NonInteractive", "-File", script, "-Module", module, "-Graph", server.Uri, "-Token", server.Token, "-Csv", csv })
            start.ArgumentList.Add(a);
        Log($"N={n}: {apps} applications, {sps} service principals; running the report in pwsh");
        using var child = Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        string stdout = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        if (child.ExitCode != 0) throw new InvalidOperationException($"pwsh failed ({child.ExitCode}): {await stderr}\n{stdout}");
        var measured = JsonNode.Parse(stdout.Trim().Split('\n').Last())!;
        result.ReportMs = (double)measured["ms"]!;
        result.Rows = (int)measured["rows"]!;
        result.PwshRssBeforeKb = (long)measured["rssBeforeKb"]!;
        result.PwshPeakKb = (long)measured["peakKb"]!;
        result.ServerRssKb = server.RssKb();

        var log = (JsonArray)JsonNode.Parse(await (await http.GetAsync(server.Uri + "/_localtenant/requests")).EnsureSuccessStatusCode().Content.ReadAsStringAsync())!["value"]!;
        var graph = log.Where(e => (string?)e!["kind"] == "graph").ToList();
        result.Requests = graph.Count;
        // The server's own time answering them, to tell its share of the report's time from the client's.
        result.ServerMs = graph.Sum(e => (double)e!["durationMs"]!);
        string paths = string.Join(", ", graph.GroupBy(e => ((string)e!["method"]! + " " + ((string)e["path"]!).Split('?')[0])).Select(g => $"{g.Key} ×{g.Count()}"));
        Log($"N={n}: report {result.ReportMs:0} ms (server {result.ServerMs:0} ms), {result.Rows} rows, {result.Requests} Graph requests ({paths}), " +
            $"pwsh RSS {result.PwshRssBeforeKb / 1024} MB before, peak {result.PwshPeakKb / 1024} MB (peak before the report {(long)measured["peakBeforeKb"]! / 1024} MB), " +
            $"managed heap {(long)measured["heapBeforeKb"]! / 1024} MB before, {(long)measured["heapAfterKb"]! / 1024} MB after (full GC), " +
            $"server RSS {result.ServerRssKb / 1024} MB");
    }

    // Runs in the pwsh child; prints one JSON line. RSS figures come from the process's own /proc/self/status.
    private const string ReportScript = @"
param([string] $Module, [string] $Graph, [string] $Token, [string] $Csv)
$ErrorActionPreference = 'Stop'
function Get-StatusKb([string] $Name) { [long]((@(Get-Content /proc/self/status) -match ""^${Name}:"")[0] -replace '\D', '') }
Import-Module $Module
Connect-EntraAppKit -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -GraphEndpoint $Graph | Out-Null
# Only the report's Graph requests are counted: the log is cleared after the sign-in's (the control endpoint is not logged).
Invoke-RestMethod -Method Delete -Uri ""$Graph/_localtenant/requests"" -Headers @{ Authorization = ""Bearer $Token"" } | Out-Null
$heapBefore = [GC]::GetTotalMemory($true)
$rssBefore = Get-StatusKb VmRSS
$peakBefore = Get-StatusKb VmHWM
$watch = [System.Diagnostics.Stopwatch]::StartNew()
Get-EntraAppCredential -ExpiringWithinDays 30 | Export-Csv -LiteralPath $Csv -NoTypeInformation
$watch.Stop()
$peak = Get-StatusKb VmHWM
# The managed heap after a full collection, against the same before: what the report kept, as opposed to its peak.
$heapAfter = [GC]::GetTotalMemory($true)
# Counted after the clock stops, from the file: counting in the pipeline would time a script block per row too.
$rows = 0
if (Test-Path -LiteralPath $Csv) { foreach ($line in [System.IO.File]::ReadLines($Csv)) { $rows++ }; $rows = [Math]::Max(0, $rows - 1) }
[ordered]@{ ms = $watch.Elapsed.TotalMilliseconds; rows = $rows; rssBeforeKb = $rssBefore; peakBeforeKb = $peakBefore; peakKb = $peak; heapBeforeKb = [long]($heapBefore / 1KB); heapAfterKb = [long]($heapAfter / 1KB) } | ConvertTo-Json -Compress
";

    // ---- (b) writes with a state file ----

    public static async Task WritesAsync(Result result, string serverDll, int parallel, int writes, TimeSpan budget, string seedMode, string work)
    {
        int n = result.N;
        Result.Writes = writes;
        var clock = Stopwatch.StartNew();
        string path = Path.Combine(work, $"tenant-{n}.json");
        await SeedStateFileAsync(path, n, parallel, seedMode, serverDll, budget);
        result.StateFileBytes = new FileInfo(path).Length;
        Log($"N={n}: state file of {result.StateFileBytes / 1048576.0:0.0} MB made in {clock.Elapsed.TotalSeconds:0.0} s ({seedMode}); starting a server on it");
        // The budget starts once the file exists: opening it is part of what is measured.
        clock.Restart();
        Server server;
        try { server = await Server.StartAsync(serverDll, new[] { "--path", path }, budget); }
        catch (TimeoutException)
        {
            result.WriteNote = $"timed out: the server did not open the state file within {budget.TotalSeconds:0} s";
            return;
        }
        using (server)
        {
            result.ServerStartMs = clock.Elapsed.TotalMilliseconds;
            using var http = server.Client();
            http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            using var deadline = new CancellationTokenSource(budget - clock.Elapsed > TimeSpan.Zero ? budget - clock.Elapsed : TimeSpan.FromMilliseconds(1));
            try
            {
                // Existing applications to add secrets to and patch (the first page of the tenant).
                var ids = ((JsonArray)(await GetJsonAsync(http, $"applications?$top={writes + 1}&$select=id", deadline.Token))["value"]!)
                    .Select(a => (string)a!["id"]!).ToList();
                string Body(int i) => $"{{\"displayName\":\"bench write {i}\"}}";
                // One untimed write of each kind first: the first call of each path JIT-compiles it.
                await SendAsync(http, HttpMethod.Post, "applications", Body(-1), deadline.Token);
                await SendAsync(http, HttpMethod.Post, $"applications/{ids[writes % ids.Count]}/addPassword", "{\"passwordCredential\":{\"displayName\":\"warm-up\"}}", deadline.Token);
                await SendAsync(http, HttpMethod.Patch, $"applications/{ids[writes % ids.Count]}", "{\"notes\":\"warm-up\"}", deadline.Token);
                for (int i = 0; i < writes; i++)
                    result.Posts.Add(await SendAsync(http, HttpMethod.Post, "applications", Body(i), deadline.Token));
                for (int i = 0; i < writes; i++)
                    result.AddPasswords.Add(await SendAsync(http, HttpMethod.Post, $"applications/{ids[i % ids.Count]}/addPassword",
                        $"{{\"passwordCredential\":{{\"displayName\":\"bench {i}\"}}}}", deadline.Token));
                for (int i = 0; i < writes; i++)
                    result.Patches.Add(await SendAsync(http, HttpMethod.Patch, $"applications/{ids[i % ids.Count]}", $"{{\"notes\":\"bench {i}\"}}", deadline.Token));
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                result.WriteNote = $"timed out after {budget.TotalSeconds:0} s: {result.Posts.Count} POST, {result.AddPasswords.Count} addPassword, {result.Patches.Count} PATCH measured";
            }
            Log($"N={n}: server opened the file in {result.ServerStartMs:0} ms; POST median {Med(result.Posts)}, addPassword {Med(result.AddPasswords)}, " +
                $"PATCH {Med(result.Patches)}; server peak RSS {server.PeakKb() / 1024} MB");
        }
    }

    private static string Med(List<double> l) => l.Count == 0 ? "–" : $"{Median(l):0.0} ms (max {l.Max():0.0})";

    /// <summary>
    /// A state file holding N applications as the report's tenant does (secrets, certificates, service principals).
    /// snapshot: seeded in memory through the engine's in-process handler, then saved once by the engine's own serializer
    /// (StateFile.Serialize and StateFile.Write, internal, so reached by reflection): the file the server would have written,
    /// without N×3 saves of a growing tenant. http: seeded over $batch against a server started with --path, every write
    /// saved (appended to the journal past 4 MiB) as in use: realistic, and slower by one fsync per write. A snapshot that
    /// cannot be made (the internals changed) falls back to http.
    /// </summary>
    private static async Task SeedStateFileAsync(string path, int n, int parallel, string mode, string serverDll, TimeSpan budget)
    {
        if (mode == "snapshot")
        {
            var engine = LocalTenantEngine.Create();
            engine.RequireAuthentication = false;
            using (var http = new HttpClient(engine.CreateHandler()) { BaseAddress = new Uri("https://graph.microsoft.com/v1.0/") })
                await SeedAsync(http, n, parallel, null);
            try
            {
                var stateFile = typeof(LocalTenantEngine).Assembly.GetType("EntraAppKit.LocalTenant.Persistence.StateFile", throwOnError: true)!;
                var store = typeof(LocalTenantEngine).GetProperty("Store", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(engine);
                var bytes = (byte[])stateFile.GetMethod("Serialize")!.Invoke(null, new[] { store, engine.Schema, new JsonObject(), Guid.NewGuid().ToString("N") })!;
                stateFile.GetMethod("Write")!.Invoke(null, new object[] { path, bytes });
                return;
            }
            catch (Exception e) when (e is TypeLoadException || e is NullReferenceException || e is TargetException || e is ArgumentException || e is TargetParameterCountException)
            {
                Log($"The state file cannot be written by the engine's serializer ({e.GetType().Name}: {e.Message}); seeding over HTTP with --path instead.");
            }
        }
        using var server = await Server.StartAsync(serverDll, new[] { "--path", path }, budget);
        using var client = server.Client();
        await SeedAsync(client, n, parallel, server);
    }

    private static async Task<double> SendAsync(HttpClient http, HttpMethod method, string url, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var watch = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        double ms = watch.Elapsed.TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {url}: {(int)response.StatusCode} {text}");
        return ms;
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string url, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(url, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static async Task<int> CountAsync(HttpClient http, string set)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{set}/$count");
        request.Headers.Add("ConsistencyLevel", "eventual");
        using var response = await http.SendAsync(request);
        return int.Parse((await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync()).Trim(), CultureInfo.InvariantCulture);
    }

    // ---- seeding ----

    /// <summary>
    /// N applications, each with one client secret and its service principal, every tenth with a certificate, through Graph's
    /// JSON $batch (20 requests each, the most Graph takes): a batch of 20 POST /applications, then two batches of addPassword and
    /// POST /servicePrincipals for 10 apps each (an item cannot use another's answer, so the ids come back first). End dates are
    /// spread from 100 days ago to 700 days ahead, so some credentials are Expired and some ExpiringSoon.
    /// </summary>
    private static async Task SeedAsync(HttpClient http, int n, int parallel, Server? server)
    {
        string certificate = SelfSignedCertificate();
        var now = DateTimeOffset.UtcNow;
        int chunks = (n + 19) / 20, next = -1, done = 0;
        async Task Worker()
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref next)) < chunks)
            {
                int first = chunk * 20, count = Math.Min(20, n - first);
                var creates = Enumerable.Range(first, count).Select(i => Item($"{i}", "POST", "/applications", AppBody(i, now, certificate))).ToList();
                var created = await BatchAsync(http, creates);
                var apps = Enumerable.Range(first, count).Select(i => (Index: i, Id: (string)created[$"{i}"]["id"]!, AppId: (string)created[$"{i}"]["appId"]!)).ToList();
                foreach (var half in apps.Chunk(10))
                    await BatchAsync(http, half.SelectMany(a => new[]
                    {
                        Item($"p{a.Index}", "POST", $"/applications/{a.Id}/addPassword", SecretBody(a.Index, now)),
                        Item($"s{a.Index}", "POST", "/servicePrincipals", new JsonObject { ["appId"] = a.AppId }),
                    }).ToList());
                int total = Interlocked.Increment(ref done);
                if (total % Math.Max(1, chunks / 10) == 0)
                {
                    Log($"  seeded {Math.Min(n, total * 20)} of {n}");
                    // The request log would hold every seeding request until the report clears it: cleared as we go.
                    if (server != null) await http.DeleteAsync(server.Uri + "/_localtenant/requests");
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, parallel)).Select(_ => Task.Run(Worker)));
        if (server != null) await http.DeleteAsync(server.Uri + "/_localtenant/requests");
    }

    private static JsonObject AppBody(int i, DateTimeOffset now, string certificate)
    {
        var app = new JsonObject { ["displayName"] = $"bench app {i:D6}", ["signInAudience"] = "AzureADMyOrg" };
        if (i % 10 == 0)
        {
            // The window is taken as sent (Graph keeps it even outside the certificate's), so one certificate serves every app.
            var end = now.AddDays(i * 53 % 500 - 50);
            app["keyCredentials"] = new JsonArray(new JsonObject
            {
                ["type"] = "AsymmetricX509Cert", ["usage"] = "Verify", ["key"] = certificate,
                ["startDateTime"] = Time(end.AddDays(-365)), ["endDateTime"] = Time(end), ["displayName"] = "CN=bench",
            });
        }
        return app;
    }

    private static JsonObject SecretBody(int i, DateTimeOffset now)
    {
        var end = now.AddDays(i * 37 % 800 - 100);
        return new JsonObject { ["passwordCredential"] = new JsonObject { ["displayName"] = "bench", ["startDateTime"] = Time(end.AddDays(-730)), ["endDateTime"] = Time(end) } };
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Item(string id, string method, string url, JsonObject body) => new JsonObject
    {
        ["id"] = id, ["method"] = method, ["url"] = url, ["headers"] = new JsonObject { ["Content-Type"] = "application/json" }, ["body"] = body,
    };

    /// <summary>Sends one $batch; every item must succeed. Returns each item's body by id.</summary>
    private static async Task<Dictionary<string, JsonObject>> BatchAsync(HttpClient http, List<JsonObject> items)
    {
        var payload = new JsonObject { ["requests"] = new JsonArray(items.ToArray<JsonNode?>()) }.ToJsonString();
        using var response = await http.PostAsync("$batch", new StringContent(payload, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"$batch: {(int)response.StatusCode} {text}");
        var bodies = new Dictionary<string, JsonObject>();
        foreach (var r in (JsonArray)JsonNode.Parse(text)!["responses"]!)
        {
            if ((int)r!["status"]! >= 300) throw new InvalidOperationException($"$batch item {r["id"]}: {r["status"]} {r["body"]?.ToJsonString()}");
            bodies[(string)r["id"]!] = r["body"] as JsonObject ?? new JsonObject();
        }
        return bodies;
    }

    private static string SelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=bench", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
        return Convert.ToBase64String(cert.Export(X509ContentType.Cert));
    }

    // ---- processes ----

    internal sealed class Server : IDisposable
    {
        private readonly Process _process;
        public string Uri { get; }
        public string Token { get; }

        private Server(Process process, string uri, string token) { _process = process; Uri = uri; Token = token; }

        /// <summary>Starts entraappkit-localtenant on a free port with an admin token; waits for both lines it prints.</summary>
        public static async Task<Server> StartAsync(string dll, string[] extra, TimeSpan timeout)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll, "--port", "0", "--print-admin-token" }.Concat(extra)) start.ArgumentList.Add(a);
            var process = Process.Start(start)!;
            var stderr = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            string? uri = null, token = null;
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                while (uri == null || token == null)
                {
                    string? line = await process.StandardOutput.ReadLineAsync(cts.Token);
                    if (line == null) throw new InvalidOperationException($"The server exited: {stderr}");
                    if (line.StartsWith("Local tenant ", StringComparison.Ordinal) && line.Contains(" listening on "))
                        uri = line.Substring(line.IndexOf(" listening on ", StringComparison.Ordinal) + 14).Replace("/v1.0", "");
                    if (line.StartsWith("Admin token (", StringComparison.Ordinal)) token = line.Substring(line.LastIndexOf(' ') + 1);
                }
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                process.Dispose();
                throw new TimeoutException($"The server did not start within {timeout.TotalSeconds:0} s.");
            }
            catch
            {
                if (!process.HasExited) process.Kill();
                process.Dispose();
                throw;
            }
            return new Server(process, uri, token);
        }

        public HttpClient Client()
        {
            var http = new HttpClient { BaseAddress = new System.Uri(Uri + "/v1.0/"), Timeout = TimeSpan.FromMinutes(10) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            return http;
        }

        public long RssKb() => StatusKb(_process.Id, "VmRSS");

        public long PeakKb() => StatusKb(_process.Id, "VmHWM");

        public void Dispose()
        {
            if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(); }
            _process.Dispose();
        }
    }

    private static long StatusKb(int pid, string name) =>
        long.Parse(new string(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Where(char.IsDigit).ToArray()), CultureInfo.InvariantCulture);

    public static string RepositoryRoot()
    {
        foreach (var from in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(from); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EntraAppKit.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Run from inside the EntraAppKit repository.");
    }

    public static string FindPwsh()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "pwsh"))) return Path.Combine(dir, "pwsh");
        string tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet/tools/pwsh");
        return File.Exists(tool) ? tool : throw new FileNotFoundException("No pwsh on PATH or in ~/.dotnet/tools: give --pwsh.");
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
