#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Consent you can see and revoke (issue 13 §2), on the packaged module against the local tenant server: a recipe and
# Grant-AdminConsent give an app delegated and application permissions, a user consents for themselves (a Principal
# oauth2PermissionGrant, learn.microsoft.com/graph/api/resources/oauth2permissiongrant), Get-EntraAppConsent shows every
# permission by name, Revoke-EntraAppConsent takes them back: -WhatIf first (no write), then for real, a scope out of a grant
# (PATCH, learn.microsoft.com/graph/api/oauth2permissiongrant-update), a grant left empty deleted
# (learn.microsoft.com/graph/api/oauth2permissiongrant-delete), an app role assignment deleted
# (learn.microsoft.com/graph/api/serviceprincipal-delete-approleassignedto), from Get-EntraAppConsent's rows through the
# pipeline, and a re-run that writes nothing. The server's request log tells the writes apart from the reads.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force

    function Invoke-TestGraph {
        # The harness's own Graph call as the tenant's administrator (not the module under test).
        param([Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body)
        $arguments = @{ Method = $Method; Uri = "$($server.Uri)/v1.0$Path"; Headers = @{ Authorization = "Bearer $($server.Token)" } }
        if ($null -ne $Body) { $arguments.Body = ($Body | ConvertTo-Json -Depth 5); $arguments.ContentType = 'application/json' }
        Invoke-RestMethod @arguments
    }

    function Get-GraphWrite {
        # The Graph writes the server answered since the last Clear-LocalTenantRequest: 'METHOD path'.
        @(Get-LocalTenantRequest -Server $server | Where-Object { $_.method -ne 'GET' } | ForEach-Object { "$($_.method) $($_.path)" })
    }

    # Bob, a user of the tenant (the server's --user, as the vendor-flow suites make theirs; the admin token's delegated scopes
    # do not include User.ReadWrite.All, which POST /users needs), consents to Mail.Read and Calendars.Read for himself below.
    $bobUpn = 'bob@contoso.onmicrosoft.com'
    $server = Start-LocalTenantServer -User "${bobUpn}:Bb$([guid]::NewGuid().ToString('N').Substring(0, 12))!9a"
    $session = New-ModuleSession
    $made = Invoke-ModuleSession -Session $session -Variables @{ token = $server.Token; graph = $server.Uri } -ScriptBlock {
        Connect-EntraAppKit -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint $graph | Out-Null
        $app = New-EntraAppRegistration -Name 'Consent Reports' -DelegatedPermission 'User.Read', 'Mail.Read', 'Files.Read' -ApplicationPermission 'User.Read.All', 'Directory.Read.All' -NoSecret
        $granted = $app | Grant-AdminConsent
        $app.ClientId
    }
    Format-ErrorRecord $made.Errors | Should -BeNullOrEmpty
    $clientId = $made.Output[-1]

    # Bob's own consent: a Principal grant (learn.microsoft.com/graph/api/oauth2permissiongrant-post).
    $server.Domain | Should -Be 'contoso.onmicrosoft.com'
    $bob = Invoke-TestGraph -Method Get -Path "/users/$bobUpn"
    $clientSp = Invoke-TestGraph -Method Get -Path "/servicePrincipals(appId='$clientId')"
    $graphSp = Invoke-TestGraph -Method Get -Path "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')"
    $null = Invoke-TestGraph -Method Post -Path '/oauth2PermissionGrants' -Body @{
        clientId = $clientSp.id; consentType = 'Principal'; principalId = $bob.id; resourceId = $graphSp.id; scope = 'Mail.Read Calendars.Read'
    }
}

AfterAll {
    if ($session) { Remove-ModuleSession -Session $session }
    if ($server) { Stop-LocalTenantServer -Server $server }
}

Describe 'Get-EntraAppConsent' {
    It 'shows one row per permission, by name, with its kind, consent type and the user of a Principal grant' {
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock { Get-EntraAppConsent -ClientId $id }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $rows = @($run.Output)
        @($rows | ForEach-Object { "$($_.Kind) $($_.ConsentType) $($_.Permission) $($_.Principal)".Trim() }) | Should -Be @(
            'Application AllPrincipals Directory.Read.All'
            'Application AllPrincipals User.Read.All'
            'Delegated AllPrincipals Files.Read'
            'Delegated AllPrincipals Mail.Read'
            'Delegated AllPrincipals User.Read'
            "Delegated Principal Calendars.Read $bobUpn"
            "Delegated Principal Mail.Read $bobUpn"
        )
        $rows | ForEach-Object {
            $_.Client | Should -Be 'Consent Reports'
            $_.ClientId | Should -Be $clientId
            $_.Resource | Should -Be 'Microsoft Graph'
            $_.ResourceAppId | Should -Be '00000003-0000-0000-c000-000000000000'
            $_.TenantId | Should -Be $server.TenantId
        }
        ($rows | Where-Object ConsentType -eq 'Principal').PrincipalId | Select-Object -Unique | Should -Be ([guid]$bob.id)
        # appRoleAssignment.createdDateTime; oauth2PermissionGrant has no time in Graph v1.0.
        $rows | Where-Object Kind -eq 'Application' | ForEach-Object { $_.GrantedDateTime | Should -Not -BeNullOrEmpty }
        $rows | Where-Object Kind -eq 'Delegated' | ForEach-Object { $_.GrantedDateTime | Should -BeNullOrEmpty }
    }

    It 'takes the app from a recipe''s output, from Get-EntraAppRegistration, and lists the whole tenant without -ClientId' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            @($app | Get-EntraAppConsent).Count
            @(Get-EntraAppRegistration -DisplayName 'Consent Reports' | Get-EntraAppConsent).Count
            @(Get-EntraAppConsent | Where-Object Client -eq 'Consent Reports').Count
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @(7, 7, 7)
    }

    It 'makes no write' {
        Clear-LocalTenantRequest -Server $server
        $null = Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppConsent | Out-Null }
        Get-GraphWrite | Should -BeNullOrEmpty
    }
}

Describe 'Revoke-EntraAppConsent' {
    It '-WhatIf lists each change (the admin''s grant, Bob''s, the app role assignment) and writes nothing' {
        Clear-LocalTenantRequest -Server $server
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock {
            Revoke-EntraAppConsent -ClientId $id -Permission 'Mail.Read', 'Directory.Read.All' -WhatIf
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $run.WhatIf.Count | Should -Be 3
        $run.WhatIf[0] | Should -Match "^Remove delegated permission Mail\.Read \(all users\) from grant \S+ of 'Consent Reports' to Microsoft Graph$"
        $run.WhatIf[1] | Should -Match "^Remove delegated permission Mail\.Read \(user $([regex]::Escape($bobUpn))\) from grant \S+ of 'Consent Reports' to Microsoft Graph$"
        $run.WhatIf[2] | Should -Match "^Delete app role assignment Directory\.Read\.All of Microsoft Graph from 'Consent Reports' \(assignment \S+\)$"
        Get-GraphWrite | Should -BeNullOrEmpty
    }

    It 'revokes them: each grant loses the scope (PATCH), the assignment is deleted' {
        Clear-LocalTenantRequest -Server $server
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock {
            Revoke-EntraAppConsent -ClientId $id -Permission 'Mail.Read', 'Directory.Read.All' -Confirm:$false
            Get-EntraAppConsent -ClientId $id
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $writes = Get-GraphWrite
        @($writes | Where-Object { $_ -like 'PATCH */oauth2PermissionGrants/*' }).Count | Should -Be 2
        @($writes | Where-Object { $_ -like 'DELETE */servicePrincipals/*/appRoleAssignedTo/*' }).Count | Should -Be 1
        $writes.Count | Should -Be 3
        @($run.Output | ForEach-Object { "$($_.ConsentType) $($_.Permission)" }) | Should -Be @(
            'AllPrincipals User.Read.All', 'AllPrincipals Files.Read', 'AllPrincipals User.Read', 'Principal Calendars.Read')
    }

    It 'takes Get-EntraAppConsent rows from the pipeline: Bob''s last scope deletes his grant' {
        Clear-LocalTenantRequest -Server $server
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock {
            Get-EntraAppConsent -ClientId $id | Where-Object Permission -eq 'Calendars.Read' | Revoke-EntraAppConsent -Confirm:$false
            @(Get-EntraAppConsent -ClientId $id | Where-Object ConsentType -eq 'Principal').Count
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @(0)
        Get-GraphWrite | Should -HaveCount 1
        @(Get-GraphWrite)[0] | Should -BeLike 'DELETE */oauth2PermissionGrants/*'
    }

    It 'pipes several rows of one grant, each revoked from the grant as it is then' {
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock {
            Get-EntraAppConsent -ClientId $id | Where-Object { $_.Kind -eq 'Delegated' } | Revoke-EntraAppConsent -Confirm:$false
            @(Get-EntraAppConsent -ClientId $id | ForEach-Object Permission)
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @('User.Read.All')
    }

    It 're-runs make no write and say there is nothing to revoke' {
        Clear-LocalTenantRequest -Server $server
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock {
            Revoke-EntraAppConsent -ClientId $id -Permission 'Mail.Read', 'Directory.Read.All' -Confirm:$false -Verbose 4>&1 | ForEach-Object { "$_" }
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Contain "'Consent Reports' holds no Mail.Read, Directory.Read.All of Microsoft Graph: nothing to revoke."
        Get-GraphWrite | Should -BeNullOrEmpty
    }

    It 'a name Microsoft Graph does not define is UnknownPermission, with the closest names, and nothing is written' {
        Clear-LocalTenantRequest -Server $server
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $clientId } -ScriptBlock {
            Revoke-EntraAppConsent -ClientId $id -Permission 'User.Raed.All' -Confirm:$false
        }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'UnknownPermission,*'
        "$($run.Errors[0])" | Should -BeLike '*User.Read.All*'
        Get-GraphWrite | Should -BeNullOrEmpty
    }

    It 'Grant-AdminConsent grants again what was revoked (one consent reconciler)' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            @($app | Grant-AdminConsent | Where-Object Status -eq 'Granted').Count
            @($app | Get-EntraAppConsent).Count
        }
        Format-ErrorRecord $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @(4, 5)
    }
}
