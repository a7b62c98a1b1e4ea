// Usage: dotnet run -c Release --project tools/bench/LagTiming -- [lags in seconds, comma-separated] [runs]
// Wall time and Graph round trips of each recipe through the engine (RecipeEngine with the default LagRetryPolicy, as the
// cmdlets run it) against an in-process local tenant whose new applications and service principals stay invisible for L.
// Each run uses a fresh tenant; the median of the runs is reported.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.LocalTenant;

double[] lags = (args.Length > 0 ? args[0] : "0,0.5,2,5").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
int runs = args.Length > 1 ? int.Parse(args[1]) : 1;
bool showLog = args.Contains("--log"); // each run's requests, with when they started and how long the tenant took

var recipes = new (string Name, Func<LocalTenantEngine, GraphSession, Task> Run)[]
{
    ("Rewst", (t, s) => RunAsync(s, new Rewst(), Rewst.DefaultName)),
    ("CMG server", (t, s) => RunAsync(s, new CmgServer(), CmgServer.DefaultName)),
    ("CMG server | client", async (t, s) =>
    {
        var server = new CmgServer();
        var result = await RunAsync(s, server, CmgServer.DefaultName);
        await RunAsync(s, Client(server.Shape(result, new RecipeInput())), CmgClient.DefaultName);
    }),
    ("WriteBack", (t, s) => RunAsync(s, new WriteBack(), WriteBack.DefaultName)),
    ("Konnect", (t, s) => RunAsync(s, new KonnectDcr(), KonnectDcr.DefaultName)),
};

// Every recipe once, without lag, so that first-use costs (JIT) are not counted as lag.
{
    var tenant = LocalTenantEngine.Create();
    using var session = GraphSession.Create(LocalTenantAdapter.For(tenant));
    foreach (var (_, run) in recipes) await run(tenant, session);
}

// "over L·n": wall time beyond the lag of its n lagged steps; "lag cost": that beyond the same recipe's run at L = 0 (when measured).
Console.WriteLine($"{"recipe",-20} {"L (s)",6} {"wall (s)",9} {"over L·n",9} {"lag cost",9} {"requests",9}");
foreach (var (name, run) in recipes)
{
    double? calm = null;
    foreach (var lag in lags)
    {
        var walls = new List<double>();
        var trips = new List<int>();
        for (int i = 0; i < runs; i++)
        {
            var tenant = LocalTenantEngine.Create();
            using var session = GraphSession.Create(LocalTenantAdapter.For(tenant));
            // Warm the session (its token) so that the first request's costs are not counted as lag.
            await new RecipeEngine(session).PlanAsync(new Rewst().Build(new RecipeInput { Name = "warm-up" }));
            tenant.RequestLog.Clear();
            tenant.Faults.ReplicationLag = TimeSpan.FromSeconds(lag);
            var watch = Stopwatch.StartNew();
            await run(tenant, session);
            walls.Add(watch.Elapsed.TotalSeconds);
            trips.Add(tenant.RequestLog.RoundTrips);
            if (showLog)
            {
                var log = tenant.RequestLog.Entries;
                foreach (var e in log)
                    Console.WriteLine($"    {(e.Timestamp - log[0].Timestamp).TotalSeconds,7:0.000} s {e.Duration.TotalMilliseconds,6:0} ms {e.Status} {e.Method} {e.Path}");
            }
        }
        walls.Sort(); trips.Sort();
        double wall = walls[walls.Count / 2];
        if (lag == 0) calm = wall;
        string cost = calm.HasValue ? (wall - calm.Value - lag * LaggedSteps(name)).ToString("0.00", CultureInfo.InvariantCulture) : "";
        Console.WriteLine($"{name,-20} {lag,6:0.0} {wall,9:0.00} {wall - lag * LaggedSteps(name),9:0.00} {cost,9} {trips[trips.Count / 2],9}");
    }
}

// The lagged steps in each recipe's chain: a write that needs the object the previous write made. Konnect: its service
// principal, then its app role assignments. CMG server | client: the server's service principal, then the client's broker
// redirect URI (its new application); the client's grants answer 404 and apply, and are found by the look that follows.
static int LaggedSteps(string recipe) => recipe switch { "Konnect" => 2, "CMG server | client" => 2, _ => 1 };

static async Task<AppRegistrationResult> RunAsync<T>(GraphSession session, IVendorRecipe<T> recipe, string name) where T : EntraAppKit.Model.Recipes.AppRegistrationOutput
{
    var engine = new RecipeEngine(session);
    return await engine.ApplyAsync(await engine.PlanAsync(recipe.Build(new RecipeInput { Name = name })));
}

// As New-CmgServerApp | New-CmgClientApp binds it (NewCmgClientAppCommand).
static CmgClient Client(EntraAppKit.Model.Recipes.CmgServerApp server) => new CmgClient
{
    ServerClientId = server.ServerClientId, ServerApp = server,
#if !BASELINE
    ServerServicePrincipalId = server.ServicePrincipalId, ServerScopeId = server.UserImpersonationScopeId, ServerDisplayName = server.DisplayName,
#endif
};
