#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, packages and tests EntraAppKit. Runs on PowerShell 7 and Windows PowerShell 5.1.
.PARAMETER Task
    Build: restore and build. Package: Build, then assemble out/EntraAppKit/<version>/. Test: Package, then xunit and Pester.
.PARAMETER Configuration
    Debug or Release (default).
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Package', 'Test')]
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

function Invoke-Package {
    # Building src/EntraAppKit assembles the module (its PackageModule target): out/EntraAppKit/<version>/ with the
    # engine and every dependency under Dependencies/, and out/EntraAppKit.zip for Azure Automation.
    Invoke-Build
    $zip = Join-Path $root 'out/EntraAppKit.zip'
    if (-not (Test-Path (Join-Path $moduleOut 'EntraAppKit.psd1')) -or -not (Test-Path $zip)) { throw "The build did not assemble $moduleOut and $zip." }
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
    'Package' { Invoke-Package }
    'Test' { Invoke-Test }
}
