#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, packages and tests EntraAppKit. Runs on PowerShell 7 and Windows PowerShell 5.1.
.PARAMETER Task
    Build: restore and build; the build assembles the module with its help. Help: only the help Get-Help shows, from
    docs/ into out/EntraAppKit/<version>/en-US/ (see Invoke-Help).
    Package: Build, then check out/EntraAppKit/<version>/ (with en-US/) and out/EntraAppKit.zip.
    Test: Package, then xunit, the PowerShell syntax check and Pester, ending with 'tests: N passed, M failed'.
.PARAMETER Configuration
    Debug or Release (default).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Help', 'Package', 'Test')]
    [string] $Task = 'Test',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$manifest = Import-PowerShellDataFile -Path (Join-Path $root 'EntraAppKit.psd1')
$version = $manifest.ModuleVersion
$moduleOut = Join-Path $root "out/EntraAppKit/$version"

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet restore (Join-Path $root 'EntraAppKit.sln')
    Invoke-Dotnet build (Join-Path $root 'EntraAppKit.sln') -c $Configuration --no-restore
}

# ----- Help: docs/ (platyPS markdown) -> en-US/ of the module -----
# tools/HelpBuilder, a console app of this repository, turns the cmdlet pages docs/<Verb>-<Noun>.md into
# EntraAppKit.dll-Help.xml (the MAML Get-Help <Cmdlet> reads) and docs/about_EntraAppKit.md into
# about_EntraAppKit.help.txt (the text Get-Help about_EntraAppKit shows). Every module build runs it into
# out/EntraAppKit/<version>/en-US/ (PackageModule in src/EntraAppKit/EntraAppKit.csproj), so the zip has the help too.
# The Help task runs it alone into the same folder: after editing docs/, Get-Help shows the change without a full build
# (out/EntraAppKit.zip keeps the old help until the next build).

function Invoke-Help {
    $helpOut = Join-Path $moduleOut 'en-US'
    Invoke-Dotnet run --project (Join-Path $root 'tools/HelpBuilder/HelpBuilder.csproj') -c $Configuration -- (Join-Path $root 'docs') $helpOut
}

function Invoke-Package {
    # Building src/EntraAppKit assembles the module (its PackageModule target): out/EntraAppKit/<version>/ with the
    # engine and every dependency under Dependencies/, the help under en-US/, and out/EntraAppKit.zip for Azure Automation.
    Invoke-Build
    $zip = Join-Path $root 'out/EntraAppKit.zip'
    if (-not (Test-Path (Join-Path $moduleOut 'EntraAppKit.psd1')) -or -not (Test-Path $zip)) { throw "The build did not assemble $moduleOut and $zip." }
    $help = @('en-US/EntraAppKit.dll-Help.xml', 'en-US/about_EntraAppKit.help.txt')
    foreach ($file in $help) {
        if (-not (Test-Path (Join-Path $moduleOut $file))) { throw "The build did not write $file into $moduleOut." }
    }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $archive = [System.IO.Compression.ZipFile]::OpenRead($zip)
    try { $entries = @($archive.Entries | ForEach-Object { $_.FullName.Replace('\', '/') }) }
    finally { $archive.Dispose() }
    foreach ($file in $help) {
        if ($entries -notcontains "EntraAppKit/$version/$file") { throw "$zip has no EntraAppKit/$version/$file." }
    }
    Write-Host "Module assembled in $moduleOut; Azure Automation package: $zip ($([math]::Round((Get-Item $zip).Length / 1048576, 1)) MB)"
}

# ----- Test: every suite, one summary -----
# The README's test command, `dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test`, which .ci/run
# calls too: build once (Package), then xunit, the PowerShell syntax check and Pester against the packaged module. Each
# suite prints "<suite>: N passed, M failed", and the last line is "tests: N passed, M failed" over all of them; a suite
# that cannot run counts as one failure, a skipped test neither passes nor fails and is listed with its reason. Results
# (trx, Pester's NUnit XML) go to out/test-results/.

function New-SuiteResult {
    param([string] $Name)
    [pscustomobject]@{ Name = $Name; Passed = 0; Failed = 0; Skipped = @(); Failures = @(); Detail = ''; Seconds = 0 }
}

function Get-TestProjectCount {
    # The projects of the solution that reference the test SDK: each writes one trx file.
    $solution = Join-Path $root 'EntraAppKit.sln'
    $count = 0
    foreach ($match in [regex]::Matches([System.IO.File]::ReadAllText($solution), '"([^"]+\.csproj)"')) {
        $project = Join-Path $root ($match.Groups[1].Value -replace '\\', '/')
        if ((Test-Path -LiteralPath $project) -and ([System.IO.File]::ReadAllText($project) -match 'Microsoft\.NET\.Test\.Sdk')) { $count++ }
    }
    return $count
}

function Invoke-XunitSuite {
    param([string] $Results)
    $suite = New-SuiteResult 'xunit'
    & dotnet test (Join-Path $root 'EntraAppKit.sln') -c $Configuration --no-build --logger trx --results-directory $Results | Out-Host
    $exitCode = $LASTEXITCODE
    # The counts come from the trx files; a test project that crashed or did not run left none.
    $expected = Get-TestProjectCount
    $files = @(Get-ChildItem -LiteralPath $Results -Filter '*.trx' -File)
    foreach ($file in $files) {
        # XPath by local name: the trx elements are in the TeamTest namespace.
        [xml] $trx = [System.IO.File]::ReadAllText($file.FullName)
        $counters = $trx.SelectSingleNode("//*[local-name()='ResultSummary']/*[local-name()='Counters']")
        # A counter the file leaves out is '', which [int] reads as 0.
        $suite.Passed += [int] $counters.GetAttribute('passed')
        foreach ($counter in 'failed', 'error', 'timeout', 'aborted') { $suite.Failed += [int] $counters.GetAttribute($counter) }
        foreach ($result in $trx.SelectNodes("//*[local-name()='UnitTestResult']")) {
            $outcome = $result.GetAttribute('outcome')
            if ($outcome -eq 'NotExecuted') {
                $message = $result.SelectSingleNode("*[local-name()='Output']/*[local-name()='ErrorInfo']/*[local-name()='Message']")
                $reason = if ($message) { $message.InnerText.Trim() } else { 'no reason given' }
                $suite.Skipped += "$($result.GetAttribute('testName')): $reason"
            }
            elseif (@('Failed', 'Error', 'Timeout', 'Aborted') -contains $outcome) { $suite.Failures += $result.GetAttribute('testName') }
        }
    }
    $suite.Detail = "$($files.Count) of $expected test projects"
    if ($files.Count -lt $expected) {
        $suite.Failed += $expected - $files.Count
        $suite.Failures += "$($expected - $files.Count) test project(s) reported no results (dotnet test exit code $exitCode)"
    }
    elseif ($exitCode -ne 0 -and $suite.Failed -eq 0) {
        $suite.Failed = 1
        $suite.Failures += "dotnet test failed with exit code $exitCode and no failed test"
    }
    return $suite
}

function Install-NpmPackage {
    # npm ci in $Folder only when node_modules is missing or older than the lock file (.ci/run has installed it already).
    # Returns the failure, or nothing.
    param([string] $Folder)
    $installed = Join-Path $Folder 'node_modules/.package-lock.json'
    $lock = Join-Path $Folder 'package-lock.json'
    if ((Test-Path -LiteralPath $installed) -and (Get-Item -LiteralPath $installed -Force).LastWriteTimeUtc -ge (Get-Item -LiteralPath $lock).LastWriteTimeUtc) { return }
    Push-Location $Folder
    try { & npm ci --no-audit --no-fund --loglevel error | Out-Host } finally { Pop-Location }
    if ($LASTEXITCODE -ne 0) { return "npm ci in $([System.IO.Path]::GetRelativePath($root, $Folder)) failed with exit code $LASTEXITCODE" }
}

function Invoke-SyntaxSuite {
    $suite = New-SuiteResult 'powershell-syntax'
    $checker = Join-Path $root '.ci/powershell-syntax'
    $installFailure = Install-NpmPackage -Folder $checker
    if ($installFailure) {
        $suite.Failed = 1
        $suite.Failures += $installFailure
        return $suite
    }
    $lines = @(& node (Join-Path $checker 'check.mjs') $root)
    $exitCode = $LASTEXITCODE
    foreach ($line in $lines) { Write-Host $line }
    $summary = @($lines | Where-Object { $_ -match '^powershell-syntax: (\d+) passed, (\d+) failed$' } | Select-Object -Last 1)
    if ($summary.Count -eq 0) {
        $suite.Failed = 1
        $suite.Failures += "check.mjs printed no summary (exit code $exitCode)"
        return $suite
    }
    $null = $summary[0] -match '^powershell-syntax: (\d+) passed, (\d+) failed$'
    $suite.Passed = [int] $Matches[1]
    $suite.Failed = [int] $Matches[2]
    $suite.Failures += @($lines | Where-Object { $_ -like 'FAIL *' } | ForEach-Object { $_.Substring(5) })
    if ($exitCode -ne 0 -and $suite.Failed -eq 0) {
        $suite.Failed = 1
        $suite.Failures += "check.mjs failed with exit code $exitCode"
    }
    return $suite
}

function Invoke-PesterSuite {
    # Pester over tests/pester (the module as a user sees it), or over another folder of Pester tests (-TestPath) under its own name.
    param([string] $Results, [string] $Name = 'pester', [string] $TestPath = (Join-Path $root 'tests/pester'))
    $suite = New-SuiteResult $Name
    # Pester comes from NuGet (tests/pester/Pester.Restore.csproj) and runs in the repository's PowerShell, the .NET
    # tool pinned in .config/dotnet-tools.json, whichever PowerShell runs this script.
    $project = Join-Path $root 'tests/pester/Pester.Restore.csproj'
    [xml] $projectXml = [System.IO.File]::ReadAllText($project)
    $pesterVersion = $projectXml.SelectSingleNode("//PackageDownload[@Include='Pester']").GetAttribute('Version').Trim('[', ']')
    Invoke-Dotnet tool restore | Out-Host
    Invoke-Dotnet restore $project | Out-Host
    $packageRoot = "$(& dotnet msbuild $project -getProperty:NuGetPackageRoot)".Trim()
    $pesterModule = Join-Path $packageRoot "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $pesterModule)) { throw "The Pester package has no $pesterModule." }

    $summaryFile = Join-Path $Results "$Name.json"
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1') `
        -PesterModule $pesterModule -ModulePath (Join-Path $moduleOut 'EntraAppKit.psd1') -TestPath $TestPath `
        -SummaryFile $summaryFile -ResultFile (Join-Path $Results "$Name.xml") | Out-Host
    $exitCode = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $summaryFile)) {
        $suite.Failed = 1
        $suite.Failures += "Pester did not finish (exit code $exitCode)"
        return $suite
    }
    $summary = [System.IO.File]::ReadAllText($summaryFile) | ConvertFrom-Json
    $suite.Passed = [int] $summary.Passed
    $suite.Failed = [int] $summary.Failed
    $suite.Skipped = @($summary.Skipped | Where-Object { $_ } | ForEach-Object { "$($_.Name): $($_.Reason)" })
    $suite.Failures = @($summary.Failures | Where-Object { $_ } | ForEach-Object { "$($_.Name): $($_.Message)" })
    $suite.Detail = "Pester $pesterVersion"
    if ($exitCode -ne 0 -and $suite.Failed -eq 0) {
        $suite.Failed = 1
        $suite.Failures += "Pester exited with code $exitCode"
    }
    return $suite
}

function Invoke-CompatNodeSuite {
    # Microsoft's JavaScript clients (tests/compat/node) against the local tenant server over HTTPS, as a user sets them up:
    # the server's CA in NODE_EXTRA_CA_CERTS, its URL as authority host and Graph base URL. No proxy, no stubs.
    $suite = New-SuiteResult 'compat-node'
    $project = Join-Path $root 'tests/compat/node'
    $installFailure = Install-NpmPackage -Folder $project
    if ($installFailure) {
        $suite.Failed = 1
        $suite.Failures += "${installFailure}: the clients could not be installed"
        return $suite
    }
    Import-Module (Join-Path $root 'tests/pester/Support/LocalTenantServer.psm1') -Force
    $tls = Join-Path ([System.IO.Path]::GetTempPath()) "entraappkit-compat-$([guid]::NewGuid().ToString('N'))"
    $server = $null
    try {
        $server = Start-LocalTenantServer -TlsDirectory $tls
        $env:LOCALTENANT_URL = $server.Uri
        $env:LOCALTENANT_TENANT_ID = $server.TenantId
        $env:LOCALTENANT_ADMIN_TOKEN = $server.Token
        $env:NODE_EXTRA_CA_CERTS = $server.CaFile
        Push-Location $project
        $nodeArguments = @('--test', '--test-reporter=tap', 'compat.test.mjs')
        try {
            $output = @(& node @nodeArguments)
        }
        finally { Pop-Location }
        $lines = @($output | ForEach-Object { "$_" })
        foreach ($line in $lines) { Write-Host $line }
        $pass = @($lines | Where-Object { $_ -match '^# pass (\d+)$' })
        $fail = @($lines | Where-Object { $_ -match '^# fail (\d+)$' })
        if ($pass.Count -eq 0 -or $fail.Count -eq 0) {
            $suite.Failed = 1
            $suite.Failures += 'node --test printed no summary'
            return $suite
        }
        $suite.Passed = [int] ($pass[-1] -replace '^# pass ', '')
        $suite.Failed = [int] ($fail[-1] -replace '^# fail ', '')
        $suite.Failures += @($lines | Where-Object { $_ -match '^not ok \d+ - ' } | ForEach-Object { $_ -replace '^not ok \d+ - ', '' })
        $suite.Detail = '@azure/identity and @microsoft/microsoft-graph-client over HTTPS'
        return $suite
    }
    finally {
        foreach ($name in 'LOCALTENANT_URL', 'LOCALTENANT_TENANT_ID', 'LOCALTENANT_ADMIN_TOKEN', 'NODE_EXTRA_CA_CERTS') { Remove-Item -Path "env:$name" -ErrorAction SilentlyContinue }
        if ($server) { Stop-LocalTenantServer -Server $server }
        Remove-Item -LiteralPath $tls -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-Suite {
    # Runs one suite, timed; a suite that throws counts as one failure.
    param([string] $Name, [scriptblock] $Run)
    Write-Host "== $Name"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try { $suite = & $Run }
    catch {
        $suite = New-SuiteResult $Name
        $suite.Failed = 1
        $suite.Failures += "did not run: $($_.Exception.Message)"
    }
    $suite.Seconds = [int] $watch.Elapsed.TotalSeconds
    return $suite
}

function Invoke-Test {
    $results = Join-Path $root 'out/test-results'
    if (Test-Path -LiteralPath $results) { Remove-Item -LiteralPath $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results -Force | Out-Null

    $built = Invoke-Suite 'build' { Invoke-Package | Out-Host; New-SuiteResult 'build' }
    $suites = @()
    if ($built.Failed -gt 0) {
        $suites += $built
        foreach ($name in 'xunit', 'pester', 'compat-node', 'compat-az') {
            $notRun = New-SuiteResult $name
            $notRun.Failed = 1
            $notRun.Failures += 'did not run: the build failed'
            $suites += $notRun
        }
        $suites += Invoke-Suite 'powershell-syntax' { Invoke-SyntaxSuite }
    }
    else {
        $suites += Invoke-Suite 'xunit' { Invoke-XunitSuite -Results $results }
        $suites += Invoke-Suite 'powershell-syntax' { Invoke-SyntaxSuite }
        $suites += Invoke-Suite 'pester' { Invoke-PesterSuite -Results $results }
        $suites += Invoke-Suite 'compat-node' { Invoke-CompatNodeSuite }
        # Azure CLI (Debian's azure-cli; .ci/run installs it), driven by Pester: tests/compat/az/AzureCli.Tests.ps1.
        $suites += Invoke-Suite 'compat-az' { Invoke-PesterSuite -Results $results -Name 'compat-az' -TestPath (Join-Path $root 'tests/compat/az') }
    }

    Write-Host ''
    Write-Host "== summary (build $($built.Seconds) s; results in out/test-results/)"
    $passed = 0
    $failed = 0
    foreach ($suite in $suites) {
        $passed += $suite.Passed
        $failed += $suite.Failed
        $line = "$($suite.Name): $($suite.Passed) passed, $($suite.Failed) failed"
        if ($suite.Skipped.Count -gt 0) { $line += ", $($suite.Skipped.Count) skipped" }
        $notes = @($suite.Detail, "$($suite.Seconds) s") | Where-Object { $_ }
        Write-Host "$line ($($notes -join ', '))"
        foreach ($skip in $suite.Skipped) { Write-Host "  skipped: $skip" }
        foreach ($failure in $suite.Failures) { Write-Host "  failed: $failure" }
    }
    Write-Host "tests: $passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Help' { Invoke-Help }
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
}
