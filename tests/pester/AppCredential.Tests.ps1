#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Issue 14 §1, "See every credential": Get-EntraAppCredential on the packaged module against the in-process local tenant.
# A recipe's secret as a row (by pipeline from the recipe, Get-EntraAppRegistration and Get-EntraServicePrincipal), the
# -ExpiringWithinDays and -Expired filters, an Export-Csv round trip, a downstream stop (Select-Object -First) through the
# streaming writes, and the default table at 80 columns. Graph's shapes:
# https://learn.microsoft.com/graph/api/resources/passwordcredential and https://learn.microsoft.com/graph/api/resources/keycredential.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
}

Describe 'Get-EntraAppCredential (resources/passwordcredential, resources/keycredential)' {
    BeforeAll {
        $workingDirectory = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'cwd') -Force
        $session = New-ModuleSession -Connect -WorkingDirectory $workingDirectory.FullName
        $setup = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:soon = New-RewstAppRegistration -Name 'Rewst Soon' -SecretLifetimeMonths 1 -WarningAction SilentlyContinue
            $global:later = New-WriteBackAppRegistration -Name 'WriteBack Later' -SecretLifetimeMonths 24 -WarningAction SilentlyContinue
            $global:tenantId = (Get-EntraAppKitContext).TenantId
        }
        $setup.Errors | Should -BeNullOrEmpty
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It "takes a recipe's output from the pipeline and shows its secret as one row" {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { $soon | Get-EntraAppCredential; $soon.ClientId; $tenantId }
        $run.Errors | Should -BeNullOrEmpty
        $row, $clientId, $tenantId = $run.Output
        $row.GetType().FullName | Should -Be 'EntraAppKit.Model.Operations.EntraAppCredential'
        $row.AppName | Should -Be 'Rewst Soon'
        $row.ClientId | Should -Be $clientId
        $row.ObjectType | Should -Be 'Application'
        $row.ObjectId | Should -Match '^[0-9a-f-]{36}$'
        $row.Kind | Should -Be 'Secret'
        $row.KeyId | Should -Not -BeNullOrEmpty
        $row.Hint | Should -HaveCount 1
        $row.Hint.Length | Should -Be 3
        $row.DaysLeft | Should -BeGreaterOrEqual 27
        $row.DaysLeft | Should -BeLessOrEqual 31
        $row.Status | Should -Be 'ExpiringSoon'
        $row.TenantId | Should -Be $tenantId
        $row.Thumbprint | Should -BeNullOrEmpty
    }

    It 'binds by ClientId from Get-EntraAppRegistration and Get-EntraServicePrincipal rows' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            @(Get-EntraAppRegistration -ClientId $later.ClientId | Get-EntraAppCredential).Count
            @(Get-EntraServicePrincipal -ClientId $later.ClientId | Get-EntraAppCredential).Count
            (Get-EntraAppCredential -ClientId $later.ClientId).Status
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @(1, 1, 'Valid')
    }

    It 'lists the whole tenant without -ClientId, and -ExpiringWithinDays keeps what ends within the window' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            @(Get-EntraAppCredential | Sort-Object AppName | ForEach-Object AppName) -join ','
            @(Get-EntraAppCredential -ExpiringWithinDays 40 | ForEach-Object AppName) -join ','
            @(Get-EntraAppCredential -ExpiringWithinDays 1000 | Sort-Object DaysLeft | ForEach-Object { "$($_.AppName):$($_.Status)" }) -join ','
            @(Get-EntraAppCredential -Expired).Count
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @('Rewst Soon,WriteBack Later', 'Rewst Soon', 'Rewst Soon:ExpiringSoon,WriteBack Later:ExpiringSoon', 0)
    }

    It 'round-trips through Export-Csv with flat columns' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraAppCredential -ExpiringWithinDays 30000 | Export-Csv ./expiring.csv -NoTypeInformation
            Import-Csv ./expiring.csv | Sort-Object AppName
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 2
        $run.Output[0].PSObject.Properties.Name | Should -Be @('AppName', 'ClientId', 'ObjectType', 'ObjectId', 'Kind', 'KeyId', 'DisplayName', 'Hint',
            'StartDateTime', 'EndDateTime', 'DaysLeft', 'Status', 'Thumbprint', 'Subject', 'TenantId')
        $run.Output[0].AppName | Should -Be 'Rewst Soon'
        $run.Output[0].Kind | Should -Be 'Secret'
        [int] $run.Output[1].DaysLeft | Should -BeGreaterThan 700
    }

    It 'groups by app and stops cleanly when the pipeline takes only the first row' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (Get-EntraAppCredential | Group-Object ObjectType).Name
            @(Get-EntraAppCredential | Select-Object -First 1).Count
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @('Application', 1)
    }

    It 'fails with ApplicationNotFound for a client id nothing in the tenant has' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppCredential -ClientId 11111111-2222-3333-4444-555555555555 }
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ApplicationNotFound,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'is a table of app, kind, end, days left and status within 80 columns' {
        $run = Invoke-ModuleSession -Session $session -Script 'Get-EntraAppCredential | Sort-Object AppName | Out-String -Width 80 -Stream'
        $run.Errors | Should -BeNullOrEmpty
        $screen = @($run.Output | Where-Object { $_.Trim() })
        $screen[0] | Should -Match '^AppName\s+Kind\s+Ends\s+DaysLeft Status\s+DisplayName'
        $screen[2] | Should -Match '^Rewst Soon\s+Secret\s+\d{4}-\d\d-\d\d\s+\d+ ExpiringSoon'
        $screen[3] | Should -Match '^WriteBack Later\s+Secret\s+\d{4}-\d\d-\d\d\s+\d+ Valid'
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'has a list view with every property' {
        $run = Invoke-ModuleSession -Session $session -Script '$soon | Get-EntraAppCredential | Format-List | Out-String -Width 80 -Stream'
        $run.Errors | Should -BeNullOrEmpty
        $names = @($run.Output | Where-Object { $_ -match '^\w+\s*:' } | ForEach-Object { ($_ -split '\s*:')[0] })
        $names | Should -Be @('AppName', 'ClientId', 'ObjectType', 'ObjectId', 'Kind', 'KeyId', 'DisplayName', 'Hint', 'StartDateTime', 'EndDateTime',
            'DaysLeft', 'Status', 'Thumbprint', 'Subject', 'TenantId')
    }
}
