#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, packages and tests EntraAppKit. Runs on PowerShell 7 and Windows PowerShell 5.1.
.PARAMETER Task
    Build: restore and build. Help: the help Get-Help shows, from docs/ into en-US/ (see Invoke-Help).
    Package: Help and Build, then check out/EntraAppKit/<version>/ (with en-US/) and out/EntraAppKit.zip.
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
$helpOut = Join-Path $root 'en-US'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Dotnet restore (Join-Path $root 'EntraAppKit.sln')
    Invoke-Dotnet build (Join-Path $root 'EntraAppKit.sln') -c $Configuration --no-restore
}

# ----- Help: docs/ (platyPS markdown) -> en-US/ -----
# docs/about_EntraAppKit.md becomes en-US/about_EntraAppKit.help.txt, the plain text Get-Help about_EntraAppKit shows
# (converted here, no tool needed). The cmdlet pages docs/<Cmdlet>.md become en-US/EntraAppKit.dll-Help.xml, the MAML
# Get-Help <Cmdlet> reads, with Microsoft.PowerShell.PlatyPS (Import-MarkdownCommandHelp | Export-MamlCommandHelp) or else
# platyPS 0.14 (New-ExternalHelp); without either the MAML is skipped with a warning and Get-Help shows only the syntax.
# The module build (PackageModule in src/EntraAppKit/EntraAppKit.csproj) copies en-US/ into the module and its zip, so
# the Package task makes the help first.

function ConvertFrom-InlineMarkdown {
    param([string] $Text)
    # [text](https://...) -> text (https://...); [text](Other-Page.md) -> text; **bold** and `code` -> their text.
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\((https?://[^)]+)\)', '$1 ($2)')
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\([^)]+\)', '$1')
    $Text = [regex]::Replace($Text, '\*\*([^*]+)\*\*', '$1')
    $Text = [regex]::Replace($Text, '`([^`]+)`', '$1')
    return $Text
}

function Format-HelpParagraph {
    # Word-wraps $Text at 80 columns: the first line starts with $Indent, the others with $HangingIndent.
    param([string] $Text, [string] $Indent, [string] $HangingIndent)
    $lines = New-Object System.Collections.Generic.List[string]
    $line = $Indent
    $started = $false
    foreach ($word in ($Text -split '\s+')) {
        if ($word -eq '') { continue }
        if ($started -and ($line.Length + 1 + $word.Length) -gt 80) {
            $lines.Add($line)
            $line = $HangingIndent + $word
        }
        elseif ($started) { $line = $line + ' ' + $word }
        else { $line = $line + $word }
        $started = $true
    }
    if ($started) { $lines.Add($line) }
    return $lines.ToArray()
}

function Add-HelpParagraph {
    param($Output, $Words, [string] $Kind)
    if ($Words.Count -eq 0) { return }
    $text = ConvertFrom-InlineMarkdown -Text ($Words -join ' ')
    if ($Kind -eq 'bullet') { $formatted = Format-HelpParagraph -Text $text -Indent '    - ' -HangingIndent '      ' }
    else { $formatted = Format-HelpParagraph -Text $text -Indent '    ' -HangingIndent '    ' }
    foreach ($l in $formatted) { $Output.Add($l) }
    $Output.Add('')
}

function ConvertTo-AboutHelpText {
    # An about topic's markdown as about_*.help.txt text: TOPIC and the name, each ## heading in capitals at the margin with
    # its text indented by 4 and wrapped at 80 columns, ### headings indented by 2, bullets as '- ', code indented by 8.
    param([string[]] $Markdown)
    $out = New-Object System.Collections.Generic.List[string]
    $words = New-Object System.Collections.Generic.List[string]
    $kind = 'text'
    $inCode = $false
    $i = 0
    if ($Markdown.Count -gt 0 -and $Markdown[0].Trim() -eq '---') {
        # YAML front matter
        $i = 1
        while ($i -lt $Markdown.Count -and $Markdown[$i].Trim() -ne '---') { $i++ }
        $i++
    }
    for (; $i -lt $Markdown.Count; $i++) {
        $line = $Markdown[$i].TrimEnd()
        if ($inCode) {
            if ($line -match '^\s*```') { $inCode = $false; $out.Add('') }
            elseif ($line -eq '') { $out.Add('') }
            else { $out.Add('        ' + $line) }
            continue
        }
        $isFence = $line -match '^\s*```'
        $isHeading = $line -match '^#{1,3}\s'
        $isBullet = $line -match '^\s*[-*]\s+'
        if ($isFence -or $isHeading -or $isBullet -or $line -eq '') {
            $afterBullet = $kind -eq 'bullet' -and $words.Count -gt 0
            Add-HelpParagraph -Output $out -Words $words -Kind $kind
            $words.Clear()
            $kind = 'text'
            # Items of one list stay together: no blank line between them.
            if ($isBullet -and $afterBullet -and $out[$out.Count - 1] -eq '') { $out.RemoveAt($out.Count - 1) }
        }
        if ($isFence) { $inCode = $true; continue }
        if ($line -eq '') { continue }
        if ($line -match '^(#{1,3})\s+(.+)$') {
            $level = $Matches[1].Length
            $title = ConvertFrom-InlineMarkdown -Text $Matches[2].Trim()
            if ($out.Count -gt 0 -and $out[$out.Count - 1] -ne '') { $out.Add('') }
            if ($level -eq 1) { $out.Add('TOPIC'); $out.Add('    ' + $title); $out.Add('') }
            elseif ($level -eq 2) { $out.Add($title.ToUpperInvariant()) }
            else { $out.Add('  ' + $title) }
            continue
        }
        if ($line -match '^\s*[-*]\s+(.*)$') {
            $kind = 'bullet'
            $words.Add($Matches[1])
            continue
        }
        $words.Add($line.Trim())
    }
    Add-HelpParagraph -Output $out -Words $words -Kind $kind
    # No runs of blank lines, and none at the end.
    $text = New-Object System.Collections.Generic.List[string]
    foreach ($l in $out) {
        if ($l -eq '' -and ($text.Count -eq 0 -or $text[$text.Count - 1] -eq '')) { continue }
        $text.Add($l)
    }
    while ($text.Count -gt 0 -and $text[$text.Count - 1] -eq '') { $text.RemoveAt($text.Count - 1) }
    return $text.ToArray()
}

function Invoke-Help {
    $docs = Join-Path $root 'docs'
    if (Test-Path $helpOut) { Remove-Item $helpOut -Recurse -Force }
    New-Item -ItemType Directory -Path $helpOut -Force | Out-Null
    $utf8Bom = New-Object System.Text.UTF8Encoding($true)

    $aboutMarkdown = [System.IO.File]::ReadAllLines((Join-Path $docs 'about_EntraAppKit.md'))
    $aboutText = ConvertTo-AboutHelpText -Markdown $aboutMarkdown
    [System.IO.File]::WriteAllLines((Join-Path $helpOut 'about_EntraAppKit.help.txt'), [string[]] $aboutText, $utf8Bom)

    # Cmdlet pages are <Verb>-<Noun>.md; about_ topics and project docs (ARCHITECTURE.md) are not.
    $pages = @(Get-ChildItem -Path $docs -Filter '*-*.md' | Where-Object { $_.Name -notlike 'about_*' } | ForEach-Object { $_.FullName })
    $maml = Join-Path $helpOut 'EntraAppKit.dll-Help.xml'
    $platyPS = Get-Module -ListAvailable -Name 'Microsoft.PowerShell.PlatyPS' | Sort-Object Version -Descending | Select-Object -First 1
    $legacy = Get-Module -ListAvailable -Name 'platyPS' | Sort-Object Version -Descending | Select-Object -First 1
    if ($platyPS) {
        Import-Module $platyPS.Path -Force
        $staging = Join-Path $root 'out/maml'
        if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
        $commandHelp = Import-MarkdownCommandHelp -Path $pages
        Export-MamlCommandHelp -CommandHelp $commandHelp -OutputFolder $staging -Force | Out-Null
        # The file is named after the module; a binary module's cmdlets look for <assembly file>-Help.xml.
        $written = @(Get-ChildItem -Path $staging -Recurse -Filter '*-Help.xml')
        if ($written.Count -ne 1) { throw "Export-MamlCommandHelp wrote $($written.Count) help files under $staging; expected one." }
        Copy-Item -Path $written[0].FullName -Destination $maml
        Remove-Item $staging -Recurse -Force
    }
    elseif ($legacy) {
        Import-Module $legacy.Path -Force
        New-ExternalHelp -Path $pages -OutputPath $helpOut -Force | Out-Null
        if (-not (Test-Path $maml)) { throw "New-ExternalHelp did not write $maml; check 'external help file' in the front matter of docs/*.md." }
    }
    else {
        Write-Warning 'Neither Microsoft.PowerShell.PlatyPS nor platyPS is installed (Install-Module Microsoft.PowerShell.PlatyPS), so en-US/EntraAppKit.dll-Help.xml was not made and Get-Help shows only the cmdlets'' syntax; en-US/about_EntraAppKit.help.txt was made.'
    }
    Write-Host "Help assembled in $helpOut"
}

function Invoke-Package {
    # Building src/EntraAppKit assembles the module (its PackageModule target): out/EntraAppKit/<version>/ with the
    # engine and every dependency under Dependencies/, the help from en-US/, and out/EntraAppKit.zip for Azure Automation.
    Invoke-Help
    Invoke-Build
    $zip = Join-Path $root 'out/EntraAppKit.zip'
    if (-not (Test-Path (Join-Path $moduleOut 'EntraAppKit.psd1')) -or -not (Test-Path $zip)) { throw "The build did not assemble $moduleOut and $zip." }
    $moduleHelp = Join-Path $moduleOut 'en-US'
    if (-not (Test-Path (Join-Path $moduleHelp 'about_EntraAppKit.help.txt'))) {
        # A build that did not pick up en-US/ (PackageModule skipped or older): copy it into the module folder.
        Write-Warning "The module build did not copy en-US/ into $moduleOut; copying it now (out/EntraAppKit.zip has no help)."
        New-Item -ItemType Directory -Path $moduleHelp -Force | Out-Null
        Copy-Item -Path (Join-Path $helpOut '*') -Destination $moduleHelp -Force
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
