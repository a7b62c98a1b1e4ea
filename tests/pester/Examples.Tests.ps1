#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Every PowerShell example of README.md and docs/*.md runs against the offline local tenant and writes no error. The
# examples are read when the tests run, so a new one is tested without a change here. The examples of one page run in
# order in one session (a runspace of their own), so a variable set by one is there for the next, as for a reader.
# How a block that cannot run as written is handled is in Support/DocExamples.psm1 (Get-ExamplePlan): a real sign-in is
# replaced by the local tenant where the block does more than sign in, and the rest are skipped with their reason.
# Below: the apps a page assumes ($Given), the examples that fail for a reason outside the product ($KnownIssues) and the
# other products' commands the examples call ($Stubs). ENTRAAPPKIT_SHOW_EXAMPLES=1 prints what each example showed.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/DocExamples.psm1') -Force
    $pages = @(Get-DocExample -Root (Get-RepositoryRoot) | Group-Object File | ForEach-Object {
            @{
                File     = $_.Name
                Examples = @($_.Group | ForEach-Object {
                        $plan = Get-ExamplePlan -Text $_.Text
                        $title = "line $($_.Line)"
                        if ($plan.Notes.Count -gt 0) { $title += " ($($plan.Notes -join '; '))" }
                        @{ Title = $title; Plan = $plan }
                    })
            }
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force

    # What the examples of a page assume the reader's tenant already holds: apps they look up by name that no earlier
    # example on the page creates. It runs just before the page's first example that looks an app up by a literal name
    # (after any Connect-EntraAppKit of the examples before it). A new example that looks up an app fails with
    # ApplicationNotFound (or, with a wildcard, the check below) until the app is added here.
    $Given = @{
        'README.md'                           = { New-KonnectDcrApp -WarningAction SilentlyContinue | Out-Null }
        'docs/Get-EntraAppRegistration.md'    = { New-KonnectDcrApp -WarningAction SilentlyContinue | Out-Null }
        'docs/Remove-EntraAppRegistration.md' = { New-KonnectDcrApp -WarningAction SilentlyContinue | Out-Null }
    }

    # Commands of other products the examples call, as functions with the real commands' parameters: a splat with a
    # wrong name, a missing mandatory value or a value of the wrong type fails here as it would there.
    # Examples that fail where they stand on their page for a reason outside the product, skipped with that reason. Each is
    # found by its file and a piece of its text; it still runs, and once it passes the test fails until it is removed here.
    # An entry: @{ File = 'docs/<page>.md'; Contains = '<a piece of the example>'; Because = 'docs: <why>' }. None today.
    $KnownIssues = @()

    $Stubs = {
        function global:Import-CMAADServerApplication {
            # ConfigMgr's ConfigurationManager module:
            # https://learn.microsoft.com/powershell/module/configurationmanager/import-cmaadserverapplication
            [CmdletBinding(SupportsShouldProcess)]
            param(
                [uri] $AppIdUri,
                [Parameter(Mandatory)] [Alias('ApplicationName')] [string] $AppName,
                [string] $AzureEnvironmentOption,
                [Parameter(Mandatory)] [string] $ClientId,
                [Parameter(Mandatory)] [securestring] $SecretKey,
                [Parameter(Mandatory)] [datetime] $SecretKeyExpiry,
                [Parameter(Mandatory)] [string] $TenantId,
                [Parameter(Mandatory)] [string] $TenantName,
                [switch] $DisableWildcardHandling,
                [switch] $ForceWildcardHandling
            )
            Write-Host "stub Import-CMAADServerApplication: $AppName ($ClientId) of $TenantName, secret expiring $SecretKeyExpiry, App ID URI $AppIdUri"
        }

        function global:Set-AutomationVariable {
            # Azure Automation's internal cmdlet, present only in a runbook's sandbox:
            # https://learn.microsoft.com/azure/automation/shared-resources/variables
            param(
                [Parameter(Mandatory, Position = 0)] [string] $Name,
                [Parameter(Mandatory, Position = 1)] $Value
            )
            Write-Host "stub Set-AutomationVariable: $Name set"
        }

        function global:Get-AutomationVariable {
            # Azure Automation's internal cmdlet (learn.microsoft.com/azure/automation/shared-resources/variables): the
            # about topic's parent runbook keeps its customers' tenants in a variable, as JSON.
            param([Parameter(Mandatory, Position = 0)] [string] $Name)
            Write-Host "stub Get-AutomationVariable: $Name"
            '["fabrikam.onmicrosoft.com", "northwind.onmicrosoft.com"]'
        }

        function global:Get-AutomationCertificate {
            # Azure Automation's internal cmdlet (learn.microsoft.com/azure/automation/shared-resources/certificates).
            param([Parameter(Mandatory, Position = 0)] [string] $Name)
            Write-Host "stub Get-AutomationCertificate: $Name"
            [pscustomobject]@{ Thumbprint = '0123456789ABCDEF0123456789ABCDEF01234567' }
        }

        function global:Connect-AzAccount {
            # Az.Accounts (learn.microsoft.com/powershell/module/az.accounts/connect-azaccount), not installed here.
            param([switch] $Identity)
            Write-Host "stub Connect-AzAccount -Identity:$Identity"
        }

        function global:Start-AzAutomationRunbook {
            # Az.Automation (learn.microsoft.com/powershell/module/az.automation/start-azautomationrunbook), not installed here.
            param(
                [Parameter(Mandatory)] [string] $AutomationAccountName,
                [Parameter(Mandatory)] [string] $ResourceGroupName,
                [Parameter(Mandatory)] [string] $Name,
                [System.Collections.IDictionary] $Parameters
            )
            Write-Host "stub Start-AzAutomationRunbook: $Name in $AutomationAccountName with $($Parameters.Keys -join ', ')"
        }

        function global:dotnet {
            # The README's quick start builds the module first; the suite runs against the module build.ps1 has just
            # built ($EntraAppKitModuleUnderTest), which a second build would overwrite while it is loaded.
            if ($args.Count -eq 0 -or $args[0] -ne 'build') { throw "The dotnet stub stands in for 'dotnet build' only, not 'dotnet $args'." }
            Write-Host "stub dotnet $($args -join ' '): the module under test is already built ($EntraAppKitModuleUnderTest)"
        }
    }
}

Describe 'Examples in <File>' -ForEach $pages {
    BeforeAll {
        $page = $File -replace '[^A-Za-z0-9_.-]', '_'
        $workingDirectory = New-Item -ItemType Directory -Path (Join-Path $TestDrive "$page/cwd") -Force
        $tenantFile = Join-Path $TestDrive "$page/docs-tenant.json"
        $session = New-ModuleSession -WorkingDirectory $workingDirectory.FullName

        # The docs' tenant: contoso.onmicrosoft.com with contoso.com verified (docs/New-CmgServerApp.md, example 3, says
        # it must be), kept in a file so the domain can be added: the local tenant's -Path file lists its verified
        # custom domains (src/EntraAppKit.LocalTenant/Persistence/StateFile.cs).
        $made = Invoke-ModuleSession -Session $session -Variables @{ __tenant = $tenantFile } -ScriptBlock {
            Connect-EntraAppKit -LocalTenant -Path $__tenant | Out-Null
            Disconnect-EntraAppKit
        }
        $made.Errors | Should -BeNullOrEmpty
        $state = [System.IO.File]::ReadAllText($tenantFile)
        $withDomain = $state -replace '"customDomains":\[\]', '"customDomains":["contoso.com"]'
        $withDomain | Should -Not -Be $state -Because "$tenantFile should list no custom domain yet"
        [System.IO.File]::WriteAllText($tenantFile, $withDomain)

        $ready = Invoke-ModuleSession -Session $session -Variables @{ __tenant = $tenantFile; EntraAppKitModuleUnderTest = $session.Module } -Script (
            'Connect-EntraAppKit -LocalTenant -Path $__tenant | Out-Null; Remove-Variable __tenant' + "`n" + $Stubs.ToString())
        Format-ErrorRecord $ready.Errors | Should -BeNullOrEmpty
        $pageState = @{ GivenMade = $false }
    }

    AfterAll {
        if ($session) { Remove-ModuleSession -Session $session }
    }

    It '<Title>' -ForEach $Examples {
        if ($Plan.Action -eq 'Skip') {
            Set-ItResult -Skipped -Because $Plan.Reason
            return
        }
        if ($Plan.Lookups.Count -gt 0 -and -not $pageState.GivenMade -and $Given.ContainsKey($File)) {
            $given = Invoke-ModuleSession -Session $session -ScriptBlock $Given[$File]
            Format-ErrorRecord $given.Errors | Should -BeNullOrEmpty -Because "the apps $File assumes ($($Given[$File])) should be made without errors"
            $pageState.GivenMade = $true
        }
        $run = Invoke-ModuleSession -Session $session -Script $Plan.Script -OutDefault
        if ($env:ENTRAAPPKIT_SHOW_EXAMPLES) { $run.HostLines | ForEach-Object { Write-Host "    | $_" } }
        $issue = @($KnownIssues | Where-Object { $_.File -eq $File -and $Plan.Script.Contains($_.Contains) }) | Select-Object -First 1
        if ($issue) {
            $run.Errors | Should -Not -BeNullOrEmpty -Because "the known issue of this example is gone ($($issue.Because)): remove it from `$KnownIssues in tests/pester/Examples.Tests.ps1"
            Set-ItResult -Skipped -Because $issue.Because
            return
        }
        $shown = "it ran:`n$($Plan.Script)`nand showed:`n$($run.HostLines -join "`n")"
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty -Because $shown

        # A wildcard lookup that matches nothing shows nothing and fails nothing: make sure there was something to find.
        if (-not $Plan.RemovesApps) {
            foreach ($lookup in @($Plan.Lookups | Where-Object { $_.IsWildcard })) {
                $found = Invoke-ModuleSession -Session $session -Variables @{ __lookup = $lookup.Value } -Script "Get-EntraAppRegistration -$($lookup.Parameter) `$__lookup; Remove-Variable __lookup"
                $found.Output | Should -Not -BeNullOrEmpty -Because "the example looks up '$($lookup.Value)', which nothing on $File creates: add the app to `$Given in tests/pester/Examples.Tests.ps1"
            }
        }
    }
}

Describe 'What the examples assume' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'Support/DocExamples.psm1') -Force
        $examples = @(Get-DocExample -Root (Get-RepositoryRoot) | ForEach-Object {
                [pscustomobject]@{ File = $_.File; Text = $_.Text; Plan = Get-ExamplePlan -Text $_.Text }
            })
    }

    It 'is given only to pages with an example that looks an app up by name' {
        foreach ($file in $Given.Keys) {
            @($examples | Where-Object { $_.File -eq $file -and $_.Plan.Lookups.Count -gt 0 }).Count |
                Should -BeGreaterThan 0 -Because "`$Given['$file'] makes apps that no example of $file looks up any more: remove it"
        }
    }

    It 'names only known issues of examples that still exist' {
        foreach ($issue in $KnownIssues) {
            @($examples | Where-Object { $_.File -eq $issue.File -and $_.Text.Contains($issue.Contains) }).Count |
                Should -BeGreaterThan 0 -Because "no example of $($issue.File) contains '$($issue.Contains)' any more: remove it from `$KnownIssues"
        }
    }
}
