#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module imported into this session. build.ps1 -Task Test runs it against the packaged module (ENTRAAPPKIT_MODULE).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $modulePath = Get-ModuleUnderTest
    Import-Module $modulePath -Force
}

Describe 'Module' {
    It 'exports exactly the cmdlets the manifest lists' {
        $manifest = Import-PowerShellDataFile $modulePath
        $exported = (Get-Command -Module EntraAppKit).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }
}

Describe 'Import beside other modules that ship Azure.Core and MSAL' {
    # Each case runs in a fresh process: load order matters and a loaded assembly cannot be unloaded.
    BeforeDiscovery {
        $others = @('Az.Accounts', 'Microsoft.Graph.Authentication') | ForEach-Object {
            @{ Name = $_; Present = [bool](Get-Module -ListAvailable -Name $_) }
        }
    }

    It 'works after <Name> is imported first' -ForEach $others {
        if (-not $Present) { Set-ItResult -Skipped -Because "$Name is not installed on this machine"; return }
        $script = "Import-Module $Name; Import-Module '$modulePath'; Connect-EntraAppKit -LocalTenant | Out-Null; (New-WriteBackAppRegistration -Name Isolation -WarningAction SilentlyContinue).ClientId"
        $pwsh = @(Get-PowerShellCommand)
        $pwshArguments = @($pwsh | Select-Object -Skip 1)
        $clientId = & $pwsh[0] @pwshArguments -NoProfile -Command $script
        $LASTEXITCODE | Should -Be 0
        $clientId | Should -Match '^[0-9a-f-]{36}$'
    }

    It 'works when <Name> is imported after it' -ForEach $others {
        if (-not $Present) { Set-ItResult -Skipped -Because "$Name is not installed on this machine"; return }
        $script = "Import-Module '$modulePath'; Import-Module $Name; Connect-EntraAppKit -LocalTenant | Out-Null; (New-WriteBackAppRegistration -Name Isolation -WarningAction SilentlyContinue).ClientId"
        $pwsh = @(Get-PowerShellCommand)
        $pwshArguments = @($pwsh | Select-Object -Skip 1)
        $clientId = & $pwsh[0] @pwshArguments -NoProfile -Command $script
        $LASTEXITCODE | Should -Be 0
        $clientId | Should -Match '^[0-9a-f-]{36}$'
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

    # Issue 12, section 4: several tenants in one local cloud (learn.microsoft.com/entra/identity-platform/single-and-multi-tenant-apps).
    It 'connects to a further tenant of the same cloud with -TenantName, kept beside -Path' {
        $path = Join-Path $TestDrive 'cloud.json'
        $msp = Connect-EntraAppKit -LocalTenant -Path $path
        $rewst = New-RewstAppRegistration -Name 'Rewst MSP' -MultiTenant -WarningAction SilentlyContinue
        $customer = Connect-EntraAppKit -LocalTenant -Path $path -TenantName northwind
        $customer.TenantId | Should -Not -Be $msp.TenantId
        Join-Path $TestDrive 'cloud.json.tenants/northwind.json' | Should -Exist
        # The customer's tenant has its own objects: the MSP's app is not registered there.
        @(Get-EntraAppRegistration | Where-Object ClientId -eq $rewst.ClientId).Count | Should -Be 0
        # Reopened, both tenants are the same ones.
        (Connect-EntraAppKit -LocalTenant -Path $path -TenantName northwind).TenantId | Should -Be $customer.TenantId
        (Connect-EntraAppKit -LocalTenant -Path $path).TenantId | Should -Be $msp.TenantId
        (Get-EntraAppRegistration | Where-Object ClientId -eq $rewst.ClientId).ClientId | Should -Be $rewst.ClientId
    }

    It 'joins the in-memory cloud of the session''s connection with -TenantName, and refuses a name that is no domain label' {
        $first = Connect-EntraAppKit -LocalTenant
        $second = Connect-EntraAppKit -LocalTenant -TenantName tailspin
        $second.TenantId | Should -Not -Be $first.TenantId
        (Connect-EntraAppKit -LocalTenant -TenantName tailspin).TenantId | Should -Be $second.TenantId
        { Connect-EntraAppKit -LocalTenant -TenantName 'tail spin' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRecipeInput,EntraAppKit.Commands.ConnectEntraAppKitCommand'
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
        # Rewst's Auth Subject for a single-tenant app is tenant_id; the tenant id goes into its Tenant ID field.
        $app.AuthSubject | Should -Be 'tenant_id'
        $app.TenantId | Should -Be (Get-EntraAppKitContext).TenantId
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

Describe 'CMG server and client apps' {
    BeforeEach { Connect-EntraAppKit -LocalTenant | Out-Null }

    It 'pipes the server app into the client app and into Grant-AdminConsent' {
        $rows = New-CmgServerApp -Name 'CMG-ServerApp' | New-CmgClientApp -Name 'CMG-ClientApp' | Grant-AdminConsent
        $rows.Count | Should -Be 2
        $rows.Status | Should -Be @('AlreadyGranted', 'AlreadyGranted')
    }

    It 'returns what Import-CMAADServerApplication takes, with its types' {
        $server = New-CmgServerApp -Name 'CMG-Server-Types' -SecretLifetimeMonths 24
        $server.SecretKey | Should -BeOfType [securestring]
        $server.SecretKeyExpiry | Should -BeOfType [datetime]
        $server.AppIdUri | Should -BeOfType [uri]
        $server.AppIdUri.AbsoluteUri | Should -Be "api://$($server.TenantId)/CMG-Server-Types"
        $server.ToImportParameters().Keys | Sort-Object | Should -Be @('AppIdUri', 'AppName', 'ClientId', 'SecretKey', 'SecretKeyExpiry', 'TenantId', 'TenantName')
    }

    It 'rejects an Application ID URI domain the tenant has not verified, before any write' {
        { New-CmgServerApp -AppIdUriDomain 'fabrikam.com' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRecipeInput,EntraAppKit.Commands.NewCmgServerAppCommand'
        Get-EntraAppRegistration -DisplayName 'CMG-ServerApp' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'WriteBackExtreme' {
    BeforeEach { Connect-EntraAppKit -LocalTenant | Out-Null }

    It 'adds the return URLs without removing existing ones' {
        $app = New-WriteBackAppRegistration -Name 'WriteBackExtreme' -WarningAction SilentlyContinue
        $app | Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/one' | Out-Null
        $result = $app | Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/one', 'https://wbe.contoso.com/two'
        $result.WebRedirectUris | Should -Be @('https://wbe.contoso.com/one', 'https://wbe.contoso.com/two')
    }

    It 'refuses http return URLs other than localhost' {
        $app = New-WriteBackAppRegistration -Name 'WBE http' -WarningAction SilentlyContinue
        { $app | Add-WriteBackRedirectUri -Uri 'http://wbe.contoso.com/cb' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRecipeInput,EntraAppKit.Commands.AddWriteBackRedirectUriCommand'
    }
}

Describe 'Kong Konnect DCR' {
    BeforeEach { Connect-EntraAppKit -LocalTenant | Out-Null }

    It 'returns the Dev Portal values and warns about Application.ReadWrite.All' {
        $app = New-KonnectDcrApp -WarningVariable warnings -WarningAction SilentlyContinue
        $app.IssuerUrl | Should -Be "https://sts.windows.net/$($app.TenantId)"
        $app.ConsumerClaim | Should -Be 'appid'
        $app.InitialClientSecret | Should -BeOfType [securestring]
        ($warnings -join ' ') | Should -Match 'LeastPrivilege'
    }
}

Describe 'General recipe, Get and Remove' {
    BeforeEach { Connect-EntraAppKit -LocalTenant | Out-Null }

    It 'creates any registration and finds it by wildcard' {
        New-EntraAppRegistration -Name 'Contoso API' -IdentifierUri 'api://{appId}' -Scope 'access_as_user' -DelegatedPermission 'User.Read' -NoSecret | Out-Null
        $found = Get-EntraAppRegistration 'Contoso*'
        $found.IdentifierUris | Should -Be "api://$($found.ClientId)"
    }

    It 'removes only after confirmation-free -Confirm:$false, and -WhatIf removes nothing' {
        $app = New-EntraAppRegistration -Name 'Temp' -NoSecret
        $app | Remove-EntraAppRegistration -WhatIf
        Get-EntraAppRegistration -ClientId $app.ClientId | Should -Not -BeNullOrEmpty
        $app | Remove-EntraAppRegistration -Confirm:$false
        Get-EntraAppRegistration -ClientId $app.ClientId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
