// Usage: dotnet run -c Release --project tools/bench/ModuleTiming -- out/EntraAppKit/0.1.0/EntraAppKit.psd1 [runs]
// Each run is a fresh process (a loaded assembly cannot be unloaded), so first-import costs are measured every time; each
// process then re-runs the recipe WarmReruns times, the warm re-run (cmdlet time as the PowerShell engine sees it).
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
    return;
}

int runs = args.Length > 1 ? int.Parse(args[1]) : 5;
var rows = Enumerable.Range(0, runs).Select(_ =>
{
    var p = Process.Start(new ProcessStartInfo("dotnet", $"\"{typeof(Program).Assembly.Location}\" \"{manifest}\" --child") { RedirectStandardOutput = true })!;
    string line = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return line.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
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
