#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Runs where pwsh exists (build.ps1 -Task Test). The module path comes from build.ps1.

BeforeAll {
    $modulePath = if ($env:ENTRAAPPKIT_MODULE) { $env:ENTRAAPPKIT_MODULE } else { Join-Path $PSScriptRoot '../../out/EntraAppKit/0.1.0/EntraAppKit.psd1' }
    Import-Module $modulePath -Force
}

Describe 'Module' {
    It 'exports exactly the cmdlets the manifest lists' {
        $manifest = Import-PowerShellDataFile $modulePath
        $exported = (Get-Command -Module EntraAppKit).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }
}

Describe 'Connect-EntraAppKit -LocalTenant' {
    It 'connects to an in-memory tenant' {
        $context = Connect-EntraAppKit -LocalTenant
        $context.TenantName | Should -BeLike '*.onmicrosoft.com'
        (Get-EntraAppKitContext).TenantId | Should -Be $context.TenantId
    }

    It 'persists a tenant to -Path' {
        $path = Join-Path $TestDrive 'tenant.json'
        $first = Connect-EntraAppKit -LocalTenant -Path $path
        $second = Connect-EntraAppKit -LocalTenant -Path $path
        $second.TenantId | Should -Be $first.TenantId
    }

    It 'reports a corrupt tenant file with a stable ErrorId' {
        $path = Join-Path $TestDrive 'corrupt.json'
        Set-Content -Path $path -Value '{not json'
        { Connect-EntraAppKit -LocalTenant -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'LocalTenantState,EntraAppKit.Commands.ConnectEntraAppKitCommand'
        Get-Content $path -Raw | Should -Match 'not json'
    }
}

Describe 'New-RewstAppRegistration' {
    BeforeEach { Connect-EntraAppKit -LocalTenant | Out-Null }

    It 'returns the values Rewst asks for, the secret as SecureString' {
        $app = New-RewstAppRegistration -Name 'Rewst Integration'
        $app.ClientId | Should -Match '^[0-9a-f-]{36}$'
        $app.ClientSecret | Should -BeOfType [securestring]
        $app.AuthSubject | Should -Be (Get-EntraAppKitContext).TenantId
    }

    It 'uses common as auth subject for -MultiTenant' {
        (New-RewstAppRegistration -Name 'Rewst CSP' -MultiTenant).AuthSubject | Should -Be 'common'
    }

    It 'returns plain text only with -AsPlainText' {
        (New-RewstAppRegistration -Name 'Rewst Plain' -AsPlainText).ClientSecret | Should -BeOfType [string]
    }

    It 'makes no change with -WhatIf' {
        New-RewstAppRegistration -Name 'Rewst WhatIf' -WhatIf | Should -BeNullOrEmpty
        $app = New-RewstAppRegistration -Name 'Rewst WhatIf'
        $app.Changes | Should -Contain "Create the service principal of 'Rewst WhatIf' in tenant $((Get-EntraAppKitContext).TenantName)"
    }

    It 'changes nothing on a re-run and warns that the secret cannot be read again' {
        $first = New-RewstAppRegistration -Name 'Rewst Twice'
        $second = New-RewstAppRegistration -Name 'Rewst Twice' -WarningVariable warnings 3>$null
        $second.ClientId | Should -Be $first.ClientId
        $second.Changes | Should -BeNullOrEmpty
        $second.ClientSecret | Should -BeNullOrEmpty
        $warnings | Should -Not -BeNullOrEmpty
    }

    It 'rejects an unknown permission before any write, suggesting the closest names' {
        { New-RewstAppRegistration -Name 'Rewst Typo' -DelegatedPermission 'User.Raed' -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownPermission,EntraAppKit.Commands.NewRewstAppRegistrationCommand'
    }

    It 'fails with NotConnected when not connected' {
        Disconnect-EntraAppKit
        { New-RewstAppRegistration -ErrorAction Stop } | Should -Throw -ErrorId 'NotConnected,EntraAppKit.Commands.NewRewstAppRegistrationCommand'
    }
}
