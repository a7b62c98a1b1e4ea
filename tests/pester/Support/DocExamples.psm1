# The PowerShell examples of README.md and docs/*.md, found when the tests run (not a list kept by hand), and how each one
# runs offline: as written, with a real sign-in replaced by the local tenant, or skipped with the reason why.

Set-StrictMode -Version Latest

function Get-DocExample {
    <#
    .SYNOPSIS
        Every ```powershell (or pwsh, ps1) fenced block of README.md and docs/*.md, in file order, as File (relative to the
        repository, with / separators), Line (of the opening fence) and Text. The same blocks .ci/powershell-syntax/check.mjs
        parses: fences of ``` or ~~~ indented by up to three spaces, closed by a fence of the same kind at least as long.
    #>
    param([Parameter(Mandatory)] [string] $Root)
    $files = @()
    if (Test-Path -LiteralPath (Join-Path $Root 'README.md')) { $files += Get-Item -LiteralPath (Join-Path $Root 'README.md') }
    $docs = Join-Path $Root 'docs'
    if (Test-Path -LiteralPath $docs) { $files += @(Get-ChildItem -LiteralPath $docs -Filter '*.md' -File | Sort-Object { $_.Name } -Culture '') }
    foreach ($file in $files) {
        $relative = $file.FullName.Substring($Root.TrimEnd('/', '\').Length + 1).Replace('\', '/')
        $lines = [System.IO.File]::ReadAllLines($file.FullName)
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^(\s{0,3})(`{3,}|~{3,})\s*([^\s`]*)') { continue }
            $indent = $Matches[1].Length
            $fence = $Matches[2]
            $info = $Matches[3]
            $body = New-Object System.Collections.Generic.List[string]
            $j = $i + 1
            for (; $j -lt $lines.Count; $j++) {
                if ($lines[$j] -match '^\s{0,3}(`{3,}|~{3,})\s*$' -and $Matches[1][0] -eq $fence[0] -and $Matches[1].Length -ge $fence.Length) { break }
                $body.Add(($lines[$j] -replace "^ {0,$indent}", ''))
            }
            if (@('powershell', 'pwsh', 'ps1') -contains $info.ToLowerInvariant()) {
                [pscustomobject]@{ File = $relative; Line = $i + 1; Text = ($body -join "`n") }
            }
            $i = $j
        }
    }
}

function Get-ExamplePlan {
    <#
    .SYNOPSIS
        How an example runs offline. Returns Action (Run or Skip), Reason (for Skip), Script (the text to run), Notes (each
        change made to the text, for the test's name), and Lookups (the app names it looks up with Get-EntraAppRegistration
        and a literal -DisplayName or -UniqueName, with IsWildcard), RemovesApps (whether it runs Remove-EntraAppRegistration
        without -WhatIf).
    .DESCRIPTION
        - Connect-EntraAppKit without -LocalTenant signs in to Microsoft Entra ID. When the block does more than sign in and
          show the connection, the sign-in is replaced by Connect-EntraAppKit -LocalTenant and the rest runs; otherwise the
          block is skipped: it shows nothing but a sign-in the local tenant cannot stand in for.
        - A literal GUID given to -ClientId names an existing app in the reader's tenant (the docs use Microsoft's
          placeholder ids); the local tenant makes its own client ids, so no app there has it: skipped.
        - Import-Module of EntraAppKit.psd1 by path (the README's quick start) imports the module under test instead, which
          the session holds in $EntraAppKitModuleUnderTest.
    #>
    param([Parameter(Mandatory)] [string] $Text)
    $tokens = $null
    $parseErrors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $parseErrors)
    $plan = [pscustomobject]@{ Action = 'Run'; Reason = $null; Script = $Text; Notes = @(); Lookups = @(); RemovesApps = $false }
    # A block that does not parse runs as written: the run reports the parse error.
    if ($parseErrors.Count -gt 0) { return $plan }

    $commands = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true))
    $edits = New-Object System.Collections.Generic.List[object]
    $signIns = New-Object System.Collections.Generic.List[object]
    $doesMore = $false
    foreach ($command in $commands) {
        $name = $command.GetCommandName()
        if (-not $name) { continue }
        $elements = @($command.CommandElements | Select-Object -Skip 1)
        $parameters = @($elements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName })

        if ($name -eq 'Connect-EntraAppKit') {
            if ($parameters -notcontains 'LocalTenant') { $signIns.Add($command) }
        }
        elseif ($name -match '-(Entra|Cmg|Rewst|WriteBack|Konnect|AdminConsent)' -and @('Get-EntraAppKitContext', 'Disconnect-EntraAppKit') -notcontains $name) {
            $doesMore = $true
        }

        for ($k = 0; $k -lt $elements.Count; $k++) {
            $element = $elements[$k]
            if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
            $argument = if ($element.Argument) { $element.Argument } elseif ($k + 1 -lt $elements.Count) { $elements[$k + 1] } else { $null }
            $literal = if ($argument -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $argument.Value } else { $null }
            if ($null -eq $literal) { continue }
            $guid = [guid]::Empty
            if ($element.ParameterName -eq 'ClientId' -and [guid]::TryParse($literal, [ref] $guid) -and $name -ne 'Connect-EntraAppKit') {
                $plan.Action = 'Skip'
                $plan.Reason = "$name -ClientId '$literal' names an existing app in the reader's tenant; the local tenant makes its own client ids, so none has this one"
            }
            if ($name -eq 'Get-EntraAppRegistration' -and @('DisplayName', 'UniqueName') -contains $element.ParameterName) {
                $plan.Lookups += [pscustomobject]@{ Parameter = $element.ParameterName; Value = $literal; IsWildcard = [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($literal) }
            }
        }
        if ($name -eq 'Get-EntraAppRegistration' -and $elements.Count -ge 1 -and $elements[0] -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
            # The first positional parameter is -DisplayName.
            $literal = $elements[0].Value
            $plan.Lookups += [pscustomobject]@{ Parameter = 'DisplayName'; Value = $literal; IsWildcard = [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($literal) }
        }

        if ($name -eq 'Remove-EntraAppRegistration' -and $parameters -notcontains 'WhatIf') { $plan.RemovesApps = $true }

        if ($name -eq 'Import-Module' -and $elements.Count -ge 1 -and $elements[0] -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $elements[0].Value -match '(^|[\\/])EntraAppKit\.psd1$') {
            $edits.Add([pscustomobject]@{ Start = $elements[0].Extent.StartOffset; End = $elements[0].Extent.EndOffset; Text = '$EntraAppKitModuleUnderTest' })
            $plan.Notes += "Import-Module $($elements[0].Value) imports the module under test"
        }
    }

    if ($plan.Action -eq 'Skip') { return $plan }
    foreach ($signIn in $signIns) {
        $how = $signIn.Extent.Text
        if (-not $doesMore) {
            $plan.Action = 'Skip'
            $plan.Reason = "it shows a sign-in to Microsoft Entra ID ($how), which needs a real tenant, and does nothing the local tenant could run"
            return $plan
        }
        $edits.Add([pscustomobject]@{ Start = $signIn.Extent.StartOffset; End = $signIn.Extent.EndOffset; Text = 'Connect-EntraAppKit -LocalTenant' })
        $plan.Notes += "signed in to the local tenant instead of: $how"
    }
    # Apply the edits from the end, so earlier offsets stay valid.
    $script = $Text
    foreach ($edit in @($edits | Sort-Object Start -Descending)) {
        $script = $script.Substring(0, $edit.Start) + $edit.Text + $script.Substring($edit.End)
    }
    $plan.Script = $script
    return $plan
}

Export-ModuleMember -Function Get-DocExample, Get-ExamplePlan
