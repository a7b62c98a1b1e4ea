#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Issue 13, section 4: one recipe across many tenants, the way MSPs run it: PowerShell's own parallelism
# (ForEach-Object -Parallel, learn.microsoft.com/powershell/module/microsoft.powershell.core/foreach-object, "-Parallel …
# Each runspace … runs in its own runspace"), each runspace with its own Connect-EntraAppKit. 50 local tenants, each kept in
# its own state file, at a throttle limit of 8: every tenant converges on one app (a re-run changes nothing), no runspace
# ever works in another's tenant, and an error says in which tenant it happened. Afterwards every tenant is reopened from
# its file and holds exactly the app its runspace reported.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $modulePath = Get-ModuleUnderTest
    Import-Module $modulePath -Force
}

Describe 'A recipe across many tenants with ForEach-Object -Parallel' {
    BeforeAll {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'tenants') -Force
        $tenants = 1..50 | ForEach-Object { [pscustomobject]@{ Number = $_; Path = Join-Path $folder "customer$_.json" } }
        $missing = [guid]::NewGuid().ToString()
        $results = $tenants | ForEach-Object -ThrottleLimit 8 -Parallel {
            $tenant = $_
            Import-Module $using:modulePath
            $connected = Connect-EntraAppKit -LocalTenant -Path $tenant.Path
            $first = New-RewstAppRegistration -Name 'Rewst Integration' -WarningAction SilentlyContinue
            # Other runspaces connect meanwhile: this one's connection must stay its own.
            Start-Sleep -Milliseconds (Get-Random -Minimum 0 -Maximum 50)
            $second = New-RewstAppRegistration -Name 'Rewst Integration' -WarningAction SilentlyContinue
            $consent = @($second | Grant-AdminConsent)
            $failure = $null
            Grant-AdminConsent -ClientId $using:missing -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            [pscustomobject]@{
                Number       = $tenant.Number
                Path         = $tenant.Path
                Connected    = $connected.TenantId
                StillThere   = (Get-EntraAppKitContext).TenantId
                First        = $first
                Second       = $second
                Apps         = @(Get-EntraAppRegistration).Count
                Consent      = $consent
                ErrorId      = if ($failure) { $failure[0].FullyQualifiedErrorId } else { $null }
                ErrorWhere   = if ($failure -and $failure[0].ErrorDetails) { $failure[0].ErrorDetails.RecommendedAction } else { $null }
            }
        }
    }

    It 'connects each runspace to its own tenant and keeps it there' {
        $results.Count | Should -Be 50
        @($results.Connected | Sort-Object -Unique).Count | Should -Be 50
        foreach ($r in $results) { $r.StillThere | Should -Be $r.Connected -Because "runspace $($r.Number) must stay in its tenant" }
    }

    It 'converges in every tenant: one app, the same on a re-run, output rows that name their tenant' {
        foreach ($r in $results) {
            $r.Apps | Should -Be 1 -Because "tenant $($r.Number) holds one app"
            $r.Second.ClientId | Should -Be $r.First.ClientId
            $r.First.TenantId | Should -Be $r.Connected
            $r.Second.TenantId | Should -Be $r.Connected
            $r.Consent.Count | Should -BeGreaterThan 0
            foreach ($row in $r.Consent) { $row.TenantId | Should -Be $r.Connected }
        }
        # The rows of a fan-out group by tenant without losing where they came from.
        @($results.First | Group-Object TenantId).Count | Should -Be 50
        $csv = Join-Path $TestDrive 'fan-out.csv'
        $results.First | Select-Object TenantId, DisplayName, ClientId | Export-Csv -Path $csv -NoTypeInformation
        (Import-Csv $csv | Group-Object TenantId).Count | Should -Be 50
    }

    It 'names the tenant in each error' {
        foreach ($r in $results) {
            $r.ErrorId | Should -Match '^ApplicationNotFound,'
            $r.ErrorWhere | Should -Match "tenant $($r.Connected) \(contoso\.onmicrosoft\.com\)"
        }
    }

    It 'kept every tenant in its own file, with exactly the app its runspace made' {
        foreach ($r in $results) {
            (Connect-EntraAppKit -LocalTenant -Path $r.Path).TenantId | Should -Be $r.Connected
            $apps = @(Get-EntraAppRegistration)
            $apps.Count | Should -Be 1
            $apps[0].ClientId | Should -Be $r.First.ClientId
        }
    }
}
