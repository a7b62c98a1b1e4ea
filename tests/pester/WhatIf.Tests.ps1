#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What -WhatIf shows for each command that writes: one "What if:" line per change, naming it, and nothing written.
# PowerShell writes these lines to the host, not to a stream, so each test runs in a session whose host records them
# (Support/RecordingHost.cs). Every session connects to a new local tenant, contoso.onmicrosoft.com.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $Tenant = 'contoso.onmicrosoft.com'
    $Rewst = 'https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback'
    # A secret is named after the recipe and the day it is added (UTC), and added after every other change.
    $Today = [DateTimeOffset]::UtcNow.ToString('yyyy-MM-dd')

    function Get-AppNames {
        # Every app registration's display name, to show that -WhatIf wrote nothing.
        param($Session)
        @((Invoke-ModuleSession -Session $Session -ScriptBlock { Get-EntraAppRegistration }).Output | ForEach-Object { $_.DisplayName } | Sort-Object)
    }
}

Describe '-WhatIf of a new registration' {
    BeforeEach {
        $session = New-ModuleSession -Connect
        $tenantId = (Invoke-ModuleSession -Session $session -ScriptBlock { (Get-EntraAppKitContext).TenantId }).Output[0]
    }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'New-RewstAppRegistration lists the app, its service principal and its secret' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -WhatIf }
        $run.WhatIf | Should -Be @(
            "Create application 'Rewst Integration' (uniqueName entraappkit-rewst-rewst-integration; single tenant; web redirect URI $Rewst; ID token issuance on; requires Microsoft Graph User.Read (Delegated))"
            "Create the service principal of 'Rewst Integration' in tenant $Tenant"
            "Add client secret 'Rewst $Today' to 'Rewst Integration', expiring in 12 months"
        )
        $run.Output | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        Get-AppNames $session | Should -BeNullOrEmpty
    }

    It 'New-RewstAppRegistration -MultiTenant -PreConsent adds the audience, the lifetime and one consent line per permission' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-RewstAppRegistration -MultiTenant -PreConsent -DelegatedPermission 'Mail.Send' -SecretLifetimeMonths 6 -WhatIf
        }
        $run.WhatIf | Should -Be @(
            "Create application 'Rewst Integration' (uniqueName entraappkit-rewst-rewst-integration; multitenant; web redirect URI $Rewst; ID token issuance on; requires Microsoft Graph User.Read (Delegated); requires Microsoft Graph Mail.Send (Delegated))"
            "Create the service principal of 'Rewst Integration' in tenant $Tenant"
            'Grant admin consent for Microsoft Graph User.Read (Delegated)'
            'Grant admin consent for Microsoft Graph Mail.Send (Delegated)'
            "Add client secret 'Rewst $Today' to 'Rewst Integration', expiring in 6 months"
        )
        Get-AppNames $session | Should -BeNullOrEmpty
    }

    It 'New-CmgServerApp lists the public client redirect URI, the App ID URI on the tenant id and the scope' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-CmgServerApp -WhatIf }
        $run.WhatIf | Should -Be @(
            "Create application 'CMG-ServerApp' (uniqueName entraappkit-cmg-server-cmg-serverapp; single tenant; public client redirect URI http://localhost; Application ID URI api://$tenantId/CMG-ServerApp; ID token issuance on; exposes scope user_impersonation (admins and users consent); requires Microsoft Graph User.Read (Delegated))"
            "Create the service principal of 'CMG-ServerApp' in tenant $Tenant"
            "Add client secret 'CMG $Today' to 'CMG-ServerApp', expiring in 12 months"
        )
        Get-AppNames $session | Should -BeNullOrEmpty
    }

    It 'New-CmgServerApp -EnableUserDiscovery requires and consents Directory.Read.All instead of User.Read' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-CmgServerApp -EnableUserDiscovery -WhatIf }
        $run.WhatIf | Should -Be @(
            "Create application 'CMG-ServerApp' (uniqueName entraappkit-cmg-server-cmg-serverapp; single tenant; public client redirect URI http://localhost; Application ID URI api://$tenantId/CMG-ServerApp; ID token issuance on; exposes scope user_impersonation (admins and users consent); requires Microsoft Graph Directory.Read.All (Application))"
            "Create the service principal of 'CMG-ServerApp' in tenant $Tenant"
            'Grant admin consent for Microsoft Graph Directory.Read.All (Application)'
            "Add client secret 'CMG $Today' to 'CMG-ServerApp', expiring in 12 months"
        )
    }

    It 'New-CmgClientApp lists the broker redirect URI it adds once the app id exists and both consents' {
        $server = Invoke-ModuleSession -Session $session -ScriptBlock { New-CmgServerApp }
        $server.Errors | Should -BeNullOrEmpty
        $run = Invoke-ModuleSession -Session $session -Variables @{ serverClientId = $server.Output[0].ClientId } -ScriptBlock {
            New-CmgClientApp -ServerClientId $serverClientId -WhatIf
        }
        $run.WhatIf | Should -Be @(
            "Create application 'CMG-ClientApp' (uniqueName entraappkit-cmg-client-cmg-clientapp; single tenant; ID token issuance on; public client flows allowed; requires Microsoft Graph User.Read (Delegated); requires CMG-ServerApp user_impersonation (Delegated))"
            "Add public client redirect URI ms-appx-web://Microsoft.AAD.BrokerPlugin/{appId} to 'CMG-ClientApp' once its appId exists"
            "Create the service principal of 'CMG-ClientApp' in tenant $Tenant"
            'Grant admin consent for Microsoft Graph User.Read (Delegated)'
            'Grant admin consent for CMG-ServerApp user_impersonation (Delegated)'
        )
        Get-AppNames $session | Should -Be @('CMG-ServerApp')
    }

    It 'New-WriteBackAppRegistration lists an app without redirect URIs, its service principal and its secret' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-WriteBackAppRegistration -WhatIf }
        $run.WhatIf | Should -Be @(
            "Create application 'WriteBackExtreme' (uniqueName entraappkit-writeback-writebackextreme; single tenant)"
            "Create the service principal of 'WriteBackExtreme' in tenant $Tenant"
            "Add client secret 'WriteBackExtreme $Today' to 'WriteBackExtreme', expiring in 12 months"
        )
        Get-AppNames $session | Should -BeNullOrEmpty
    }

    It 'New-KonnectDcrApp lists the four permissions of Kong''s guide and a consent line for each' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-KonnectDcrApp -WhatIf }
        $run.WhatIf | Should -Be @(
            "Create application 'Konnect DCR' (uniqueName entraappkit-konnect-dcr-konnect-dcr; single tenant; requires Microsoft Graph Application.Read.All (Application); requires Microsoft Graph Application.ReadWrite.All (Application); requires Microsoft Graph Application.ReadWrite.OwnedBy (Application); requires Microsoft Graph User.Read (Delegated))"
            "Create the service principal of 'Konnect DCR' in tenant $Tenant"
            'Grant admin consent for Microsoft Graph User.Read (Delegated)'
            'Grant admin consent for Microsoft Graph Application.Read.All (Application)'
            'Grant admin consent for Microsoft Graph Application.ReadWrite.All (Application)'
            'Grant admin consent for Microsoft Graph Application.ReadWrite.OwnedBy (Application)'
            "Add client secret 'Konnect DCR $Today' to 'Konnect DCR', expiring in 12 months"
        )
        Get-AppNames $session | Should -BeNullOrEmpty
    }

    It 'New-KonnectDcrApp -LeastPrivilege lists only Application.ReadWrite.OwnedBy and User.Read' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-KonnectDcrApp -LeastPrivilege -WhatIf }
        $run.WhatIf | Should -Be @(
            "Create application 'Konnect DCR' (uniqueName entraappkit-konnect-dcr-konnect-dcr; single tenant; requires Microsoft Graph Application.ReadWrite.OwnedBy (Application); requires Microsoft Graph User.Read (Delegated))"
            "Create the service principal of 'Konnect DCR' in tenant $Tenant"
            'Grant admin consent for Microsoft Graph User.Read (Delegated)'
            'Grant admin consent for Microsoft Graph Application.ReadWrite.OwnedBy (Application)'
            "Add client secret 'Konnect DCR $Today' to 'Konnect DCR', expiring in 12 months"
        )
    }

    It 'New-EntraAppRegistration lists scopes, app roles, permissions, the {appId} URI it sets after creation, and each consent' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-EntraAppRegistration -Name 'Contoso API' -IdentifierUri 'api://{appId}' -Scope 'access_as_user' -AppRole 'Reader' -DelegatedPermission 'User.Read' -ApplicationPermission 'User.Read.All' -GrantAdminConsent -WhatIf
        }
        $run.WhatIf | Should -Be @(
            "Create application 'Contoso API' (uniqueName entraappkit-app-contoso-api; single tenant; exposes scope access_as_user (admins and users consent); defines app role Reader; requires Microsoft Graph User.Read (Delegated); requires Microsoft Graph User.Read.All (Application))"
            "Set Application ID URI api://{appId} on 'Contoso API' once its appId exists"
            "Create the service principal of 'Contoso API' in tenant $Tenant"
            'Grant admin consent for Microsoft Graph User.Read (Delegated)'
            'Grant admin consent for Microsoft Graph User.Read.All (Application)'
            "Add client secret 'Contoso API $Today' to 'Contoso API', expiring in 12 months"
        )
        Get-AppNames $session | Should -BeNullOrEmpty
    }

    It 'New-EntraAppRegistration -NoSecret lists no secret' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-EntraAppRegistration -Name 'Contoso SPA' -SpaRedirectUri 'https://spa.contoso.com' -NoSecret -WhatIf }
        $run.WhatIf | Should -Be @(
            "Create application 'Contoso SPA' (uniqueName entraappkit-app-contoso-spa; single tenant; SPA redirect URI https://spa.contoso.com)"
            "Create the service principal of 'Contoso SPA' in tenant $Tenant"
        )
    }
}

Describe '-WhatIf on an existing registration' {
    BeforeEach {
        $session = New-ModuleSession -Connect
        $made = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-RewstAppRegistration | Out-Null
            New-WriteBackAppRegistration -WarningAction SilentlyContinue | Out-Null
        }
        $made.Errors | Should -BeNullOrEmpty
    }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'lists nothing for a re-run that changes nothing, and returns the app as it is' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -WhatIf -WarningAction SilentlyContinue }
        $run.WhatIf | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        $run.Output[0].Changes | Should -BeNullOrEmpty
    }

    It 'lists only the differences: a new secret' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -NewSecret -WhatIf }
        # The app has 'Rewst <today>' already, so the new one is numbered. (-f: the syntax check's grammar misreads "$Today #2".)
        $run.WhatIf | Should -Be @('Add client secret ''Rewst {0} #2'' to ''Rewst Integration'', expiring in 12 months' -f $Today)
        $run.Output | Should -BeNullOrEmpty
    }

    It 'lists only the differences: added permissions and their consents' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -DelegatedPermission 'User.ReadWrite.All' -PreConsent -WhatIf -WarningAction SilentlyContinue }
        $run.WhatIf | Should -Be @(
            "Require Microsoft Graph User.ReadWrite.All (Delegated) on 'Rewst Integration'"
            'Grant admin consent for Microsoft Graph User.Read (Delegated)'
            'Grant admin consent for Microsoft Graph User.ReadWrite.All (Delegated)'
        )
    }

    It 'Add-WriteBackRedirectUri lists each return URL it adds, none it already has' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = Get-EntraAppRegistration -DisplayName 'WriteBackExtreme'
            $app | Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/one' | Out-Null
            $app | Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/one', 'https://wbe.contoso.com/two' -WhatIf
        }
        $run.WhatIf | Should -Be @("Add web redirect URI https://wbe.contoso.com/two to 'WriteBackExtreme'")
        $run.Errors | Should -BeNullOrEmpty
        $uris = Invoke-ModuleSession -Session $session -ScriptBlock { (Get-EntraAppRegistration -DisplayName 'WriteBackExtreme').WebRedirectUris }
        $uris.Output | Should -Be @('https://wbe.contoso.com/one')
    }

    It 'Grant-AdminConsent lists each grant it would make, and makes none' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration -DisplayName 'Rewst Integration' | Grant-AdminConsent -WhatIf }
        $run.WhatIf | Should -Be @('Grant admin consent for Microsoft Graph User.Read (Delegated)')
        $run.Output | Should -BeNullOrEmpty
        $granted = Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration -DisplayName 'Rewst Integration' | Grant-AdminConsent }
        $granted.Output.Status | Should -Be @('Granted')
    }

    # issue 13 §2
    It 'Revoke-EntraAppConsent names each permission, whose grant and which assignment, and revokes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = New-EntraAppRegistration -Name 'Revoke Preview' -DelegatedPermission 'User.Read', 'Mail.Read' -ApplicationPermission 'Directory.Read.All' -GrantAdminConsent -NoSecret
            $app | Revoke-EntraAppConsent -Permission 'Mail.Read', 'User.Read', 'Directory.Read.All' -WhatIf
            @($app | Get-EntraAppConsent).Count
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $run.WhatIf.Count | Should -Be 3
        $run.WhatIf[0] | Should -Match "^Remove delegated permission Mail\.Read \(all users\) from grant \S+ of 'Revoke Preview' to Microsoft Graph; the grant, left empty, is deleted$"
        $run.WhatIf[1] | Should -Match "^Remove delegated permission User\.Read \(all users\) from grant \S+ of 'Revoke Preview' to Microsoft Graph; the grant, left empty, is deleted$"
        $run.WhatIf[2] | Should -Match "^Delete app role assignment Directory\.Read\.All of Microsoft Graph from 'Revoke Preview' \(assignment \S+\)$"
        $run.Output | Should -Be @(3)
    }

    It 'Remove-EntraAppRegistration names the app, its client id and the tenant, and removes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = Get-EntraAppRegistration -DisplayName 'Rewst Integration'
            $app.ClientId
            $app | Remove-EntraAppRegistration -WhatIf
        }
        $clientId = $run.Output[0]
        $run.WhatIf | Should -Be @("Remove application 'Rewst Integration' (client id $clientId) and its service principal, grants and assignments from $Tenant")
        Get-AppNames $session | Should -Be @('Rewst Integration', 'WriteBackExtreme')
    }
}

# ----- Tenant app policy (issue 13, section 3) -----
Describe '-WhatIf of Set-EntraTenantAppPolicy' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'names each setting that differs, from what the tenant has to what was asked, and changes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Set-EntraTenantAppPolicy -UserConsent DoNotAllow -UsersCanRegisterApps $true -UsersCanCreateTenants $false -AdminConsentWorkflow $true -AdminConsentReviewer (Get-EntraAppKitContext).Account -WhatIf
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.WhatIf | Should -Be @(
            "Change UserConsent of tenant $Tenant from AllowAll to DoNotAllow"
            "Change UsersCanCreateTenants of tenant $Tenant from True to False"
            "Change AdminConsentWorkflow of tenant $Tenant from False to True"
            "Change AdminConsentReviewers of tenant $Tenant from (none) to admin@$Tenant"
            "Change AdminConsentRequestDurationDays of tenant $Tenant from 0 to 30"
        )
        $now = (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraTenantAppPolicy }).Output[0]
        $now.UserConsent | Should -BeExactly 'AllowAll'
        $now.AdminConsentWorkflow | Should -BeFalse
    }

    It 'lists nothing when the tenant already has every value' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { Set-EntraTenantAppPolicy -UserConsent AllowAll -UsersCanRegisterApps $true -WhatIf }
        $run.Errors | Should -BeNullOrEmpty
        $run.WhatIf | Should -BeNullOrEmpty
    }
}
