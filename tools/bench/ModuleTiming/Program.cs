// Usage: dotnet run -c Release --project tools/bench/ModuleTiming -- out/EntraAppKit/0.1.0/EntraAppKit.psd1 [runs]
// Each run is a fresh process (a loaded assembly cannot be unloaded), so first-import costs are measured every time.
using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

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
        Time("New-RewstAppRegistration -WarningAction SilentlyContinue | Out-Null"),
    }.Select(v => v.ToString("0"))));
    return;
}

int runs = args.Length > 1 ? int.Parse(args[1]) : 5;
var rows = Enumerable.Range(0, runs).Select(_ =>
{
    var p = Process.Start(new ProcessStartInfo("dotnet", $"\"{typeof(Program).Assembly.Location}\" \"{manifest}\" --child") { RedirectStandardOutput = true })!;
    string line = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return line.Split(',').Select(double.Parse).ToArray();
}).ToList();
string[] names = { "Import-Module", "Connect-EntraAppKit -LocalTenant", "first recipe (Rewst)", "re-run" };
for (int i = 0; i < names.Length; i++)
{
    var values = rows.Select(r => r[i]).OrderBy(v => v).ToList();
    Console.WriteLine($"{names[i],-34} median {values[values.Count / 2],6:0} ms   min {values[0],6:0} ms   max {values[^1],6:0} ms   ({runs} processes)");
}
