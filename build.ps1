#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, packages and tests EntraAppKit. Runs on PowerShell 7 and Windows PowerShell 5.1.
.PARAMETER Task
    Build: restore and build; the build assembles the module with its help. Help: only the help Get-Help shows, from
    docs/ into out/EntraAppKit/<version>/en-US/ (see Invoke-Help).
    Package: Build, then check out/EntraAppKit/<version>/ (with en-US/) and out/EntraAppKit.zip.
    Test: Package, then xunit and Pester.
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

function Invoke-Test {
    Invoke-Package
    Invoke-Dotnet test (Join-Path $root 'EntraAppKit.sln') -c $Configuration --no-build
    if (Get-Command Invoke-Pester -ErrorAction SilentlyContinue) {
        $env:ENTRAAPPKIT_MODULE = Join-Path $moduleOut 'EntraAppKit.psd1'
        $result = Invoke-Pester -Path (Join-Path $root 'tests/pester') -Output Detailed -PassThru
        if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
    }
    else {
        Write-Warning 'Pester is not installed (Install-Module Pester -MinimumVersion 5.0); the Pester suite was skipped.'
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Help' { Invoke-Help }
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
}
