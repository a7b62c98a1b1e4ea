#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Running a recipe again is safe: it finds its app by uniqueName, changes nothing that is already right, keeps what an
# administrator added by hand (and says so), removes it only with -Exclusive, and warns before creating a second app
# beside one of the same name.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $Rewst = 'https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback'
    $Extra = 'https://admin.contoso.com/extra'
}

Describe 'A re-run after an administrator changed the app by hand' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $clientId = (Invoke-ModuleSession -Session $session -Variables @{ extra = $Extra } -ScriptBlock {
            $rewst = New-RewstAppRegistration -WarningAction SilentlyContinue
            $rewst | Add-WriteBackRedirectUri -Uri $extra | Out-Null
            $rewst.ClientId
        }).Output[0]
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'keeps the addition, changes nothing and names what it kept' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].ClientId | Should -Be $clientId
        $run.Output[0].Changes | Should -BeNullOrEmpty
        $run.Warnings | Should -Contain "Kept what 'Rewst Integration' has and this recipe does not set (an administrator's additions): web redirect URI $Extra. Run with -Exclusive to remove them."
        $uris = (Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock { (Get-EntraAppRegistration -ClientId $id).WebRedirectUris }).Output
        $uris | Should -Be @($Rewst, $Extra)
    }

    It '-Exclusive -WhatIf names the removal and removes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -Exclusive -WhatIf }
        $run.WhatIf | Should -Be @("Remove web redirect URI $Extra from 'Rewst Integration'")
        (Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock { (Get-EntraAppRegistration -ClientId $id).WebRedirectUris }).Output | Should -Contain $Extra
    }

    It '-Exclusive removes it' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -Exclusive -WarningAction SilentlyContinue }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Changes | Should -Be @("Remove web redirect URI $Extra from 'Rewst Integration'")
        (Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock { (Get-EntraAppRegistration -ClientId $id).WebRedirectUris }).Output | Should -Be @($Rewst)
    }
}

Describe 'A first run beside an app of the same name' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'warns before it creates, naming the client id to adopt' {
        $existing = (Invoke-ModuleSession -Session $session -ScriptBlock {
            (New-EntraAppRegistration -Name 'WriteBackExtreme' -NoSecret).ClientId
        }).Output[0]
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-WriteBackAppRegistration -WhatIf }
        $run.Warnings | Should -Contain "'WriteBackExtreme' already exists in this tenant (client id $existing), made outside this recipe: this run creates another app of that name. To bring the existing one up to the recipe instead, run again with -ClientId $existing."
        $run.WhatIf[0] | Should -BeLike "Create application 'WriteBackExtreme' *"
    }
}

Describe 'A re-run after a permission was added by hand' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        # Another tool adopts the Rewst app and adds Mail.Read with admin consent, as an administrator would in the portal.
        $clientId = (Invoke-ModuleSession -Session $session -ScriptBlock {
            $rewst = New-RewstAppRegistration -PreConsent -WarningAction SilentlyContinue
            New-EntraAppRegistration -ClientId $rewst.ClientId -Name 'Rewst Integration' -DelegatedPermission 'Mail.Read' -GrantAdminConsent -NoSecret -WarningAction SilentlyContinue | Out-Null
            $rewst.ClientId
        }).Output[0]
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'keeps the permission and its consent, and names it' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -PreConsent }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Changes | Should -BeNullOrEmpty
        $run.Warnings | Should -Contain "Kept what 'Rewst Integration' has and this recipe does not set (an administrator's additions): permission Microsoft Graph Mail.Read (Delegated). Run with -Exclusive to remove them."
        $consent = (Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock { Grant-AdminConsent -ClientId $id -WhatIf }).Output
        @($consent | Where-Object { $_.Permission -eq 'Mail.Read' -and $_.Status -eq 'AlreadyGranted' }) | Should -HaveCount 1
    }
}
