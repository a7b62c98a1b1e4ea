#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What a user reads on screen (EntraAppKit.format.ps1xml) at 80 and 120 columns: a recipe's output is a list, vendor
# fields first, each value whole on its line; a table keeps the columns that identify an app and puts the secret last,
# so a narrow window cuts the secret short (with …), never the client id. A SecureString shows as (hidden).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force

    function Get-Screen {
        # The lines the script's output formats to at -Width columns, without blank ones.
        param($Session, [string] $Script, [int] $Width)
        $run = Invoke-ModuleSession -Session $Session -Script "$Script | Out-String -Width $Width -Stream"
        $run.Errors | Should -BeNullOrEmpty
        @($run.Output | ForEach-Object { "$_".TrimEnd() } | Where-Object { $_ })
    }
}

Describe 'The default view of a recipe' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            $rewst = New-RewstAppRegistration -AsPlainText -WarningAction SilentlyContinue
            $konnect = New-KonnectDcrApp -LeastPrivilege -AsPlainText -WarningAction SilentlyContinue
            $server = New-CmgServerApp -WarningAction SilentlyContinue
        }
        $secret = (Invoke-ModuleSession -Session $session -ScriptBlock { $rewst.ClientSecret }).Output[0]
        $konnectSecret = (Invoke-ModuleSession -Session $session -ScriptBlock { $konnect.ClientSecret }).Output[0]
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'is a list whose first lines are what Rewst asks for, each whole at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $screen = Get-Screen $session '$rewst' $Width
        $screen[0] | Should -Match '^ClientId\s+: [0-9a-f-]{36}$'
        $screen[1] | Should -Be "ClientSecret       : $secret"
        $screen[2] | Should -Be 'AuthSubject        : tenant_id'
        $screen[3] | Should -Match '^TenantId\s+: [0-9a-f-]{36}$'
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
    }

    It "shows Konnect's issuer URL on one line at 80 columns" {
        $screen = Get-Screen $session '$konnect' 80
        $screen[0] | Should -Match '^IssuerUrl\s+: https://sts\.windows\.net/[0-9a-f-]{36}$'
        $screen[1] | Should -Be 'ConsumerClaim   : appid'
        $screen | Should -Contain "ClientSecret    : $konnectSecret"
    }

    It 'shows a SecureString secret as (hidden)' {
        $screen = Get-Screen $session '$server' 80
        $screen | Should -Contain 'SecretKey          : (hidden)'
        ($screen -join "`n") | Should -Not -Match 'System\.Security\.SecureString'
    }

    It 'Format-Table keeps the client id and expiry at 80 columns and cuts only the secret' {
        $screen = Get-Screen $session '$rewst | Format-Table' 80
        $screen[0] | Should -Match '^ClientId\s+AuthSubject\s+Expires\s+ClientSecret$'
        $screen[2] | Should -Match '^[0-9a-f-]{36} tenant_id\s+\d{4}-\d{2}-\d{2} \S+…$'
        $screen[2] | Should -BeLike "* $($secret.Substring(0, 8))*"
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'Format-Table shows the whole secret at 120 columns' {
        $screen = Get-Screen $session '$rewst | Format-Table' 120
        $screen[2] | Should -BeLike "* $secret"
    }

    It 'the table of the CMG server app names it first and shows the secret as (hidden)' {
        $screen = Get-Screen $session '$server | Format-Table' 80
        $screen[0] | Should -Match '^AppName\s+ClientId\s+Expires\s+SecretKey$'
        $screen[2] | Should -Match '^CMG-ServerApp [0-9a-f-]{36} \d{4}-\d{2}-\d{2} \(hidden\)$'
    }
}

Describe 'Views of what comes in rows' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            $server = New-CmgServerApp -WarningAction SilentlyContinue
            $consent = $server | New-CmgClientApp | Grant-AdminConsent -WarningAction SilentlyContinue
        }
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'Get-EntraAppRegistration is a table of name, client id, next secret expiry and audience within 80 columns' {
        $screen = Get-Screen $session 'Get-EntraAppRegistration' 80
        $screen[0] | Should -Match '^DisplayName\s+ClientId\s+Expires\s+Audience$'
        $screen | Where-Object { $_ -match '^CMG-ServerApp [0-9a-f-]{36} \d{4}-\d{2}-\d{2} AzureADMyOrg$' } | Should -HaveCount 1
        $screen | Where-Object { $_ -match '^CMG-ClientApp [0-9a-f-]{36}\s+AzureADMyOrg$' } | Should -HaveCount 1
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'Grant-AdminConsent is one row per permission' {
        $screen = Get-Screen $session '$consent' 80
        $screen[0] | Should -Match '^AppName\s+Resource\s+Permission\s+Type\s+Status$'
        $screen | Where-Object { $_ -match '^CMG-ClientApp Microsoft Graph\s+User\.Read\s+Delegated \w+$' } | Should -HaveCount 1
        $screen | Where-Object { $_ -match '^CMG-ClientApp CMG-ServerApp\s+user_impersonation Delegated \w+$' } | Should -HaveCount 1
    }

    # issue 13 §2
    It 'Get-EntraAppConsent is a table grouped by client, one row per permission, within 80 columns' {
        $screen = Get-Screen $session 'Get-EntraAppConsent -ClientId $consent[0].ClientId' 80
        $screen[0] | Should -Match '^\s*Client: CMG-ClientApp$'
        $screen[1] | Should -Match '^Resource\s+Permission\s+Kind\s+ConsentType\s+Principal\s+Granted$'
        $screen | Where-Object { $_ -match '^CMG-ServerApp\s+user_impersonation Delegated AllPrincipals$' } | Should -HaveCount 1
        $screen | Where-Object { $_ -match '^Microsoft Graph\s+User\.Read\s+Delegated AllPrincipals$' } | Should -HaveCount 1
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'Get-EntraAppConsent | Format-List names the client, the API and the tenant' {
        $screen = Get-Screen $session 'Get-EntraAppConsent -ClientId $consent[0].ClientId | Where-Object Resource -eq ''Microsoft Graph'' | Format-List' 80
        $screen[0] | Should -Match '^Client\s+: CMG-ClientApp$'
        $screen | Where-Object { $_ -match '^ResourceAppId\s+: 00000003-0000-0000-c000-000000000000$' } | Should -HaveCount 1
        $screen | Where-Object { $_ -match '^TenantId\s+: [0-9a-f-]{36}$' } | Should -HaveCount 1
    }

    It 'Get-EntraAppKitContext is a list naming the account, its directory roles and where Graph answers' {
        $screen = Get-Screen $session 'Get-EntraAppKitContext' 80
        $screen | Should -Contain 'Account              : admin@contoso.onmicrosoft.com'
        $screen | Should -Contain 'DirectoryRoles       : {Global Administrator}'
        $screen | Should -Contain 'GraphEndpoint        : https://graph.microsoft.com (in-process: LocalTenant)'
    }
}

Describe 'Every recipe output at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            $outputs = @{
                Rewst     = New-RewstAppRegistration -AsPlainText -WarningAction SilentlyContinue
                CmgServer = New-CmgServerApp -WarningAction SilentlyContinue
                WriteBack = New-WriteBackAppRegistration -AsPlainText -WarningAction SilentlyContinue
                Konnect   = New-KonnectDcrApp -AsPlainText -WarningAction SilentlyContinue
                General   = New-EntraAppRegistration -Name 'Contoso API' -AsPlainText -WarningAction SilentlyContinue
            }
            $outputs.CmgClient = $outputs.CmgServer | New-CmgClientApp
        }
    }
    AfterAll { Remove-ModuleSession -Session $session }

    # What each vendor's form asks for: these values must show whole, each on its own line, in the default view.
    It '<Recipe>: the default view shows <Fields> whole' -ForEach @(
        @{ Recipe = 'Rewst'; Fields = @('ClientId', 'ClientSecret', 'AuthSubject', 'TenantId') }
        @{ Recipe = 'CmgServer'; Fields = @('TenantName', 'TenantId', 'AppName', 'ClientId', 'AppIdUri') }
        @{ Recipe = 'CmgClient'; Fields = @('TenantName', 'TenantId', 'AppName', 'ClientId') }
        @{ Recipe = 'WriteBack'; Fields = @('ClientId', 'ClientSecret', 'TenantId') }
        @{ Recipe = 'Konnect'; Fields = @('IssuerUrl', 'ConsumerClaim', 'InitialClientId', 'ClientSecret') }
        @{ Recipe = 'General'; Fields = @('ClientId', 'ClientSecret', 'TenantId') }
    ) {
        $screen = Get-Screen $session "`$outputs.$Recipe" $Width
        foreach ($field in $Fields) {
            $value = (Invoke-ModuleSession -Session $session -Variables @{ recipe = $Recipe; field = $field } -ScriptBlock { "$($outputs[$recipe].$field)" }).Output[0]
            $value | Should -Not -BeNullOrEmpty -Because "$Recipe has a $field"
            $screen | Where-Object { $_ -match "^$field\s+: $([regex]::Escape($value))$" } | Should -HaveCount 1 -Because "$field shows whole on its line"
        }
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
    }

    It '<Recipe>: the table view keeps its headers on one line within the width' -ForEach @(
        @{ Recipe = 'Rewst' }, @{ Recipe = 'CmgServer' }, @{ Recipe = 'CmgClient' }, @{ Recipe = 'WriteBack' }, @{ Recipe = 'Konnect' }, @{ Recipe = 'General' }
    ) {
        $screen = Get-Screen $session "`$outputs.$Recipe | Format-Table" $Width
        $screen[1] | Should -Match '^-[- ]*$' -Because 'the second line underlines the headers: no header wrapped'
        $screen.Count | Should -Be 3
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        if ($Width -ge 120) { $screen[2] | Should -Not -Match '…' -Because 'at 120 columns every value fits' }
    }
}

# ----- Tenant app policy (issue 13, section 3) -----
Describe 'Get-EntraTenantAppPolicy at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            Set-EntraTenantAppPolicy -AdminConsentWorkflow $true -AdminConsentReviewer (Get-EntraAppKitContext).Account -Confirm:$false | Out-Null
        }
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'is a list, the tenant first, each setting whole on its line' {
        $screen = Get-Screen $session 'Get-EntraTenantAppPolicy' $Width
        $screen[0] | Should -Match '^TenantId\s+: [0-9a-f-]{36}$'
        $screen | Should -Contain 'UsersCanRegisterApps            : True'
        $screen | Should -Contain 'UserConsent                     : AllowAll'
        $screen | Should -Contain 'AdminConsentReviewers           : {admin@contoso.onmicrosoft.com}'
        $screen | Should -Contain 'AdminConsentRequestDurationDays : 30'
        $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
    }

    It 'is a table naming the tenant, registration, consent and the workflow with Format-Table' {
        $screen = Get-Screen $session 'Get-EntraTenantAppPolicy | Format-Table' $Width
        $screen[0] | Should -Match '^TenantId\s+UsersCanRegisterApps\s+UserConsent'
    }
}
