#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Tab completion as a console asks for it (TabExpansion2): client ids from the tenant's apps with their names,
# app names, and permission names from Microsoft's catalog or from what the app requires.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force

    function Get-Completion {
        # What Tab offers at the end of $Line: each completion's text, list text and tooltip.
        param($Session, [string] $Line)
        $run = Invoke-ModuleSession -Session $Session -Variables @{ line = $Line } -ScriptBlock {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        }
        $run.Errors | Should -BeNullOrEmpty
        @($run.Output)
    }
}

Describe 'Completion against the local tenant' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $clientId = (Invoke-ModuleSession -Session $session -ScriptBlock {
            $server = New-CmgServerApp -WarningAction SilentlyContinue
            ($server | New-CmgClientApp).ClientId
        }).Output[0]
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It '-ClientId offers the client ids of the apps whose name starts with what was typed, named in the list' {
        $offers = Get-Completion $session 'Grant-AdminConsent -ClientId CMG-Cl'
        $offers.Count | Should -Be 1
        $offers[0].CompletionText | Should -Be $clientId
        $offers[0].ListItemText | Should -BeLike '*CMG-ClientApp*'
    }

    It '-ClientId offers a client id by its first characters' {
        $offers = Get-Completion $session "Test-EntraAppCredential -ClientId $($clientId.Substring(0, 6))"
        $offers.CompletionText | Should -Contain $clientId
    }

    It '-DisplayName offers app names, quoted when they need it' {
        (Get-Completion $session 'Get-EntraAppRegistration -DisplayName CMG').CompletionText | Should -Be @('CMG-ClientApp', 'CMG-ServerApp')
    }

    It '-ServerClientId offers the server app by its name' {
        $offers = Get-Completion $session 'New-CmgClientApp -ServerClientId CMG-Se'
        $offers.Count | Should -Be 1
        $offers[0].ListItemText | Should -BeLike '* (CMG-ServerApp)'
    }

    It '-Name of a recipe offers the names of existing registrations' {
        (Get-Completion $session 'New-CmgServerApp -Name CMG-S').CompletionText | Should -Be @('CMG-ServerApp')
    }

    It "completes 'Microsoft Graph/User.Re' to quoted permission names of that API" {
        $offers = Get-Completion $session "New-EntraAppRegistration -Name X -DelegatedPermission 'Microsoft Graph/User.Re"
        $offers.CompletionText | Should -Contain "'Microsoft Graph/User.Read'"
        $offers.CompletionText | Should -Contain "'Microsoft Graph/User.Read.All'"
    }

    It '-DelegatedPermission offers Microsoft Graph permission names from the catalog' {
        (Get-Completion $session 'New-RewstAppRegistration -DelegatedPermission Mail.Se').CompletionText | Should -Contain 'Mail.Send'
    }

    # issue 13 §2
    It 'Revoke-EntraAppConsent -Permission offers Microsoft Graph permission names from the catalog, -ClientId the apps' {
        (Get-Completion $session 'Revoke-EntraAppConsent -ClientId x -Permission Directory.Read').CompletionText | Should -Contain 'Directory.Read.All'
        (Get-Completion $session 'Get-EntraAppConsent -ClientId CMG-Cl').CompletionText | Should -Be @($clientId)
        (Get-Completion $session 'Revoke-EntraAppConsent -Kind ').CompletionText | Sort-Object | Should -Be @('Application', 'Delegated')
    }

    It "Grant-AdminConsent -Permission offers what the app requires" {
        $offered = (Get-Completion $session "Grant-AdminConsent -ClientId $clientId -Permission ").CompletionText
        $offered | Should -Contain 'User.Read'
        $offered | Should -Contain 'CMG-ServerApp/user_impersonation'
    }
}

# ----- Tenant app policy (issue 13, section 3) -----
Describe 'Completion of Set-EntraTenantAppPolicy' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It '-UserConsent offers the three settings of the admin center' {
        (Get-Completion $session 'Set-EntraTenantAppPolicy -UserConsent ').CompletionText | Sort-Object | Should -Be @('AllowAll', 'DoNotAllow', 'LowImpact')
        (Get-Completion $session 'Set-EntraTenantAppPolicy -UserConsent Lo').CompletionText | Should -Be @('LowImpact')
    }
}
