<#
.SYNOPSIS
    Runs a Pester suite (tests/pester/*.Tests.ps1, or the files under -TestPath) against a packaged module and writes its
    counts to a JSON file.
.DESCRIPTION
    build.ps1 -Task Test starts this script in a PowerShell process of its own, so the tests run in a session like a
    user's: without build.ps1's $ErrorActionPreference = 'Stop' and Set-StrictMode. The summary file has Passed,
    Failed, Skipped (Name and Reason of each) and Failures (Name and Message of each failed test, block or file). A
    skip without a reason counts as a failure: every skip says why (Set-ItResult -Skipped -Because '...').
    Exit code 0 when nothing failed.
#>
param(
    # Pester.psd1 (build.ps1: $(NuGetPackageRoot)pester/5.7.1/tools/Pester.psd1, from tests/pester/Pester.Restore.csproj).
    [Parameter(Mandatory)] [string] $PesterModule,
    # The module under test: out/EntraAppKit/<version>/EntraAppKit.psd1.
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryFile,
    # Where the tests are: this folder (the Pester suite), or another (tests/compat/az, the az compatibility suite).
    [string] $TestPath = $PSScriptRoot,
    # Pester's NUnit XML report, for CI systems that read one.
    [string] $ResultFile
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force
$env:ENTRAAPPKIT_MODULE = $ModulePath

$configuration = New-PesterConfiguration
$configuration.Run.Path = @($TestPath)
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ($ResultFile) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $ResultFile
}
$result = Invoke-Pester -Configuration $configuration

function Get-Name {
    # Where a test is: its block and its name ("Not connected > New-RewstAppRegistration fails with ...").
    param($Test)
    "$($Test.Block.ExpandedName) > $($Test.ExpandedName)"
}

function Get-Message {
    param($Item)
    @($Item.ErrorRecord | ForEach-Object { $_.Exception.Message }) -join ' '
}

$skipped = New-Object System.Collections.Generic.List[object]
$failures = New-Object System.Collections.Generic.List[object]
foreach ($test in $result.Skipped) {
    $reason = (Get-Message $test) -replace '^is skipped, because ', ''
    if ($reason) { $skipped.Add([ordered]@{ Name = Get-Name $test; Reason = $reason }) }
    else { $failures.Add([ordered]@{ Name = Get-Name $test; Message = "skipped without a reason: use Set-ItResult -Skipped -Because '...'" }) }
}
foreach ($test in $result.Failed) {
    $message = Get-Message $test
    # A test whose BeforeAll failed has no message of its own; the block's failure below says why.
    if (-not $message) { $message = 'not run: its block failed' }
    $failures.Add([ordered]@{ Name = Get-Name $test; Message = $message })
}
# A block whose BeforeAll or AfterAll failed, and a file that did not load, fail apart from their tests.
foreach ($block in $result.FailedBlocks) { $failures.Add([ordered]@{ Name = "block $($block.ExpandedPath)"; Message = Get-Message $block }) }
foreach ($container in $result.FailedContainers) { $failures.Add([ordered]@{ Name = "file $($container.Item)"; Message = Get-Message $container }) }

$summary = [ordered]@{
    Passed   = $result.PassedCount
    Failed   = $failures.Count
    Skipped  = $skipped.ToArray()
    Failures = $failures.ToArray()
}
$summary | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $SummaryFile -Encoding UTF8
if ($failures.Count -gt 0) { exit 1 }
exit 0
