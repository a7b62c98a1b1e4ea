// Usage: dotnet run -c Release --project tools/bench/ModuleTiming -- out/EntraAppKit/0.1.0/EntraAppKit.psd1 [runs]
// Each run is a fresh process (a loaded assembly cannot be unloaded), so first-import costs are measured every time; each
// process then re-runs the recipe WarmReruns times, the warm re-run (cmdlet time as the PowerShell engine sees it).
// Then every other recipe's warm re-run in the same processes, and last the cold start: whole pwsh processes (import,
// connect, Rewst) against pwsh -c exit, as a ratio.
using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

const int WarmReruns = 8;
string manifest = System.IO.Path.GetFullPath(args.Length > 0 ? args[0] : "out/EntraAppKit/0.1.0/EntraAppKit.psd1");
if (args.Length > 1 && args[1] == "--child")
{
    using var ps = PowerShell.Create(InitialSessionState.CreateDefault2());
    double Time(string script)
    {
        ps.Commands.Clear();
        var sw = Stopwatch.StartNew();
        ps.AddScript(script).Invoke();
        if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
        return sw.Elapsed.TotalMilliseconds;
    }
    Console.WriteLine(string.Join(",", new[]
    {
        Time($"Import-Module '{manifest}'"),
        Time("Connect-EntraAppKit -LocalTenant | Out-Null"),
        Time("New-RewstAppRegistration | Out-Null"),
    }.Concat(Enumerable.Range(0, WarmReruns).Select(_ => Time("New-RewstAppRegistration -WarningAction SilentlyContinue | Out-Null")))
     .Select(v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
    // Each other recipe: a first run (untimed), then its warm re-runs.
    Time("$global:server = (New-CmgServerApp -Name 'CMG Server').ClientId");
    var recipes = new[]
    {
        ("New-CmgServerApp", "New-CmgServerApp -Name 'CMG Server' -WarningAction SilentlyContinue | Out-Null"),
        ("New-CmgClientApp", "New-CmgClientApp -Name 'CMG Client' -ServerClientId $global:server -WarningAction SilentlyContinue | Out-Null"),
        ("New-WriteBackAppRegistration", "New-WriteBackAppRegistration -WarningAction SilentlyContinue | Out-Null"),
        ("New-KonnectDcrApp", "New-KonnectDcrApp -WarningAction SilentlyContinue | Out-Null"),
    };
    Console.WriteLine(string.Join("|", recipes.Select(r =>
    {
        Time(r.Item2);
        return r.Item1 + ":" + string.Join(",", Enumerable.Range(0, WarmReruns).Select(_ => Time(r.Item2).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
    })));
    return;
}

int runs = args.Length > 1 ? int.Parse(args[1]) : 5;
var others = new System.Collections.Generic.Dictionary<string, System.Collections.Generic.List<double>>();
var rows = Enumerable.Range(0, runs).Select(_ =>
{
    var p = Process.Start(new ProcessStartInfo("dotnet", $"\"{typeof(Program).Assembly.Location}\" \"{manifest}\" --child") { RedirectStandardOutput = true })!;
    var lines = p.StandardOutput.ReadToEnd().Trim().Split('\n');
    p.WaitForExit();
    foreach (var recipe in lines.Length > 1 ? lines[1].Trim().Split('|') : Array.Empty<string>())
    {
        var parts = recipe.Split(':');
        if (!others.ContainsKey(parts[0])) others[parts[0]] = new System.Collections.Generic.List<double>();
        others[parts[0]].AddRange(parts[1].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)));
    }
    return lines[0].Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}).ToList();
string[] names = { "Import-Module", "Connect-EntraAppKit -LocalTenant", "first recipe (Rewst)", "re-run (second Rewst)" };
void Report(string name, System.Collections.Generic.IEnumerable<double> samples, string what)
{
    var values = samples.OrderBy(v => v).ToList();
    Console.WriteLine($"{name,-34} median {values[values.Count / 2],6:0.0} ms   min {values[0],6:0.0} ms   max {values[^1],6:0.0} ms   ({what})");
}
for (int i = 0; i < names.Length; i++) Report(names[i], rows.Select(r => r[i]), $"{runs} processes");
// The warm re-run: every New-RewstAppRegistration after the first in a session (the engine and the tenant are warm).
Report("warm re-run (2nd and later Rewst)", rows.SelectMany(r => r.Skip(3)), $"{runs} processes x {WarmReruns}");
foreach (var other in others) Report("warm re-run: " + other.Key, other.Value, $"{runs} processes x {WarmReruns}");

// Cold start as a user meets it: a whole pwsh process that imports, connects and runs a recipe, as a ratio to a pwsh that
// only starts and exits, both measured alternately in this run (the machine's load moves both alike).
string pwsh = Environment.GetEnvironmentVariable("ENTRAAPPKIT_PWSH") ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "pwsh");
if (System.IO.File.Exists(pwsh))
{
    double Whole(string command)
    {
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(new ProcessStartInfo(pwsh) { ArgumentList = { "-NoProfile", "-NonInteractive", "-c", command }, RedirectStandardOutput = true })!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"pwsh -c '{command}' exited with {p.ExitCode}");
        return watch.Elapsed.TotalMilliseconds;
    }
    string recipe = $"Import-Module '{manifest}'; Connect-EntraAppKit -LocalTenant | Out-Null; New-RewstAppRegistration | Out-Null";
    var bare = new System.Collections.Generic.List<double>();
    var full = new System.Collections.Generic.List<double>();
    for (int i = 0; i < runs; i++)
    {
        bare.Add(Whole("exit"));
        full.Add(Whole(recipe));
    }
    Report("pwsh -NoProfile -c exit", bare, $"{runs} processes");
    Report("pwsh: import, connect, Rewst", full, $"{runs} processes");
    double Median(System.Collections.Generic.List<double> l) => l.OrderBy(v => v).ElementAt(l.Count / 2);
    Console.WriteLine($"{"cold start ratio",-34} {Median(full) / Median(bare):0.00}x  (median over median)");
}
else Console.WriteLine($"(no pwsh at {pwsh}: set ENTRAAPPKIT_PWSH to measure the cold start ratio)");
