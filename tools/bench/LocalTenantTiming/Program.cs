// Usage: dotnet run -c Release --project tools/bench/LocalTenantTiming -- [apps] [runs]
// Mean latency of POST /applications and GET /applications?$top=5 through the in-process handler, for a tenant in memory
// and one with a state file (which takes the file's lock, reads the file and, for a write, saves it with fsync).
using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;

int apps = args.Length > 0 ? int.Parse(args[0]) : 200;
int runs = args.Length > 1 ? int.Parse(args[1]) : 3;
const string Root = "https://graph.microsoft.com/v1.0";
string dir = Path.Combine(Path.GetTempPath(), "localtenant-timing-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(dir);
try
{
    foreach (var mode in new[] { "in memory", "state file" })
    {
        var posts = new double[runs];
        var gets = new double[runs];
        for (int run = 0; run < runs; run++)
        {
            var tenant = mode == "in memory" ? LocalTenantEngine.Create() : LocalTenantEngine.Open(Path.Combine(dir, $"t{run}.json"));
            using var http = new HttpClient(tenant.CreateHandler());
            posts[run] = await TimeAsync(apps, async i => (await http.PostAsync(Root + "/applications",
                new StringContent($"{{\"displayName\":\"app {i}\"}}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode());
            gets[run] = await TimeAsync(apps * 2, async _ => (await http.GetAsync(Root + "/applications?$top=5")).EnsureSuccessStatusCode());
        }
        Console.WriteLine($"{mode,-10}  POST /applications {posts.Average():0.00} ms   GET /applications?$top=5 {gets.Average():0.00} ms   ({apps} apps, {runs} runs)");
    }
}
finally { Directory.Delete(dir, true); }

static async Task<double> TimeAsync(int count, Func<int, Task> operation)
{
    for (int i = 0; i < 10; i++) await operation(-1 - i); // warm-up
    var watch = Stopwatch.StartNew();
    for (int i = 0; i < count; i++) await operation(i);
    return watch.Elapsed.TotalMilliseconds / count;
}
