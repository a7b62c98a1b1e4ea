#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Issue 13 §1, service principals (enterprise applications), on the packaged module against the in-process local tenant:
# a recipe's app and its service principal, a multi-tenant app provisioned in a second tenant of the same local cloud
# (Connect-EntraAppKit -LocalTenant -TenantName) and seen there with -Foreign, Set with -WhatIf and for real, Remove with
# -Confirm:$false, and the pipeline by ClientId to and from the recipes and Get-EntraAppRegistration. Graph's rules:
# https://learn.microsoft.com/graph/api/resources/serviceprincipal (appOwnerOrganizationId, tags HideApp),
# https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals (400 NoBackingApplicationObject),
# https://learn.microsoft.com/graph/api/serviceprincipal-update and https://learn.microsoft.com/graph/api/serviceprincipal-delete.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
}

Describe 'Get-EntraServicePrincipal (resources/serviceprincipal)' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:rewst = New-RewstAppRegistration -Name 'Rewst Integration' -WarningAction SilentlyContinue
            $global:tenantId = (Get-EntraAppKitContext).TenantId
        }
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It "takes a recipe's output from the pipeline and shows its home service principal with its app registration" {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { $rewst | Get-EntraServicePrincipal; $rewst.ClientId; $tenantId }
        $run.Errors | Should -BeNullOrEmpty
        $sp, $clientId, $tenantId = $run.Output
        $sp.GetType().FullName | Should -Be 'EntraAppKit.Model.Operations.EntraServicePrincipal'
        $sp.DisplayName | Should -Be 'Rewst Integration'
        $sp.ClientId | Should -Be $clientId
        $sp.ObjectId | Should -Match '^[0-9a-f-]{36}$'
        $sp.AccountEnabled | Should -BeTrue
        $sp.AppRoleAssignmentRequired | Should -BeFalse
        $sp.HiddenFromMyApps | Should -BeFalse
        $sp.IsForeign | Should -BeFalse
        $sp.HasAppRegistration | Should -BeTrue
        $sp.HomeTenantId | Should -Be $tenantId
        $sp.TenantId | Should -Be $tenantId
        $sp.ServicePrincipalType | Should -Be 'Application'
        $sp.SignInAudience | Should -Be 'AzureADMyOrg'
    }

    It 'binds Get-EntraAppRegistration output by ClientId, and its own output back into Get-EntraAppRegistration' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraAppRegistration 'Rewst Integration' | Get-EntraServicePrincipal
            Get-EntraServicePrincipal 'Rewst Integration' | Get-EntraAppRegistration
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].GetType().Name | Should -Be 'EntraServicePrincipal'
        $run.Output[1].GetType().Name | Should -Be 'EntraAppRegistration'
        $run.Output[1].ServicePrincipalId | Should -Be $run.Output[0].ObjectId
        $run.Output[1].ServicePrincipalEnabled | Should -BeTrue
    }

    It 'finds by object id and wildcard, and tells -Home from -Foreign (Microsoft Graph is foreign)' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $sp = Get-EntraServicePrincipal -ClientId $rewst.ClientId
            (Get-EntraServicePrincipal -ObjectId $sp.ObjectId).DisplayName
            @(Get-EntraServicePrincipal 'rewst*').Count
            @(Get-EntraServicePrincipal -Home).DisplayName -join ','
            (Get-EntraServicePrincipal -Foreign).DisplayName -contains 'Microsoft Graph'
            @(Get-EntraServicePrincipal 'Rewst*' -Foreign).Count
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @('Rewst Integration', 1, 'Rewst Integration', $true, 0)
    }

    It 'writes ServicePrincipalNotFound for an unknown client id, and refuses -Foreign with -Home' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraServicePrincipal -ClientId 0f0e0d0c-0b0a-4909-8807-060504030201
            Get-EntraServicePrincipal -Foreign -Home
            Get-EntraServicePrincipal 'Nothing*'
        }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 2
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'ServicePrincipalNotFound,EntraAppKit.Commands.GetEntraServicePrincipalCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $run.Errors[1].FullyQualifiedErrorId | Should -Be 'InvalidRecipeInput,EntraAppKit.Commands.GetEntraServicePrincipalCommand'
        $run.Errors[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'shows a table at 80 columns with the whole client id, and a list with every field' {
        $run = Invoke-ModuleSession -Session $session -Script "Get-EntraServicePrincipal -Home | Out-String -Width 80 -Stream; Get-EntraServicePrincipal -Home | Format-List | Out-String -Width 80 -Stream"
        $run.Errors | Should -BeNullOrEmpty
        $lines = @($run.Output | ForEach-Object { "$_".TrimEnd() } | Where-Object { $_ })
        $lines[0] | Should -Match '^DisplayName\s+ClientId\s+Enabled\s+Foreign\s+AppReg$'
        $lines[2] | Should -Match '^Rewst Integration\s+[0-9a-f-]{36}\s+True\s+False\s+True$'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $lines | Should -Contain 'HiddenFromMyApps          : False'
        ($lines | Where-Object { $_ -like 'HomeTenantId *' }) | Should -Match '^HomeTenantId\s+: [0-9a-f-]{36}$'
    }
}

Describe 'New-EntraServicePrincipal in a second tenant (serviceprincipal-post-serviceprincipals)' {
    BeforeEach {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:mspId = (Get-EntraAppKitContext).TenantId
            $global:csp = New-RewstAppRegistration -Name 'Rewst CSP' -MultiTenant -WarningAction SilentlyContinue
            $global:single = New-WriteBackAppRegistration -Name 'WBE Single' -WarningAction SilentlyContinue
            Connect-EntraAppKit -LocalTenant -TenantName northwind | Out-Null
            $global:customerId = (Get-EntraAppKitContext).TenantId
        }
    }
    AfterEach { Remove-ModuleSession -Session $session }

    It "-WhatIf names the change and creates nothing; then the recipe's output provisions a foreign service principal, and a re-run is a no-op" {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { $csp | New-EntraServicePrincipal -WhatIf }
        $clientId = (Invoke-ModuleSession -Session $session -ScriptBlock { $csp.ClientId }).Output[0]
        $run.WhatIf | Should -Be @("Create the service principal (enterprise application) of client id $clientId in northwind.onmicrosoft.com")
        $run.Output | Should -BeNullOrEmpty
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraServicePrincipal 'Rewst*' }).Output | Should -BeNullOrEmpty

        $run = Invoke-ModuleSession -Session $session -ScriptBlock { $csp | New-EntraServicePrincipal; $mspId; $customerId }
        $run.Errors | Should -BeNullOrEmpty
        $sp, $mspId, $customerId = $run.Output
        $sp.ClientId | Should -Be $clientId
        $sp.IsForeign | Should -BeTrue
        $sp.HomeTenantId | Should -Be $mspId
        $sp.TenantId | Should -Be $customerId
        $sp.TenantName | Should -Be 'northwind.onmicrosoft.com'
        $sp.HasAppRegistration | Should -BeFalse
        $sp.SignInAudience | Should -Be 'AzureADMultipleOrgs'
        $sp.Changes | Should -Be @("Create the service principal (enterprise application) of client id $clientId in northwind.onmicrosoft.com")

        $again = Invoke-ModuleSession -Session $session -ScriptBlock { $csp | New-EntraServicePrincipal -Verbose 4>&1 }
        $again.Errors | Should -BeNullOrEmpty
        $again.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'POST *' } | Should -BeNullOrEmpty
        $again.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*nothing to create*' } | Should -Not -BeNullOrEmpty
        ($again.Output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).ObjectId | Should -Be $sp.ObjectId

        $foreign = Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraServicePrincipal -Foreign; Get-EntraServicePrincipal -Home }
        ($foreign.Output | Where-Object ClientId -EQ $clientId).IsForeign | Should -Be @($true)
        @($foreign.Output | Where-Object ClientId -EQ $clientId).Count | Should -Be 1
    }

    It 'fails with NoBackingApplication for a single-tenant app of the other tenant, and creates nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { $single | New-EntraServicePrincipal }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'NoBackingApplication,EntraAppKit.Commands.NewEntraServicePrincipalCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $run.Errors[0].Exception.Message | Should -BeLike '*NoBackingApplicationObject*'
        $run.Errors[0].ErrorDetails.RecommendedAction | Should -BeLike 'Graph request-id *'
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraServicePrincipal 'WBE*' }).Output | Should -BeNullOrEmpty
    }
}

Describe 'Set-EntraServicePrincipal (serviceprincipal-update) and Remove-EntraServicePrincipal (serviceprincipal-delete)' {
    BeforeEach {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:rewst = New-RewstAppRegistration -Name 'Rewst Integration' -WarningAction SilentlyContinue
        }
        $clientId = (Invoke-ModuleSession -Session $session -ScriptBlock { $rewst.ClientId }).Output[0]
    }
    AfterEach { Remove-ModuleSession -Session $session }

    It '-WhatIf lists only the values that differ, one line each, and changes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $rewst | Set-EntraServicePrincipal -AccountEnabled $false -AppRoleAssignmentRequired $false -HideFromMyApps $true -WhatIf
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty
        $run.WhatIf | Should -Be @(
            "Disable sign-in to 'Rewst Integration' ($clientId) in contoso.onmicrosoft.com (accountEnabled false)"
            "Hide 'Rewst Integration' ($clientId) from users' My Apps (add the tag HideApp)"
        )
        $sp = (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraServicePrincipal -ClientId $rewst.ClientId }).Output[0]
        $sp.AccountEnabled | Should -BeTrue
        $sp.HiddenFromMyApps | Should -BeFalse
    }

    It 'applies the changes, returns the service principal, and a re-run writes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraAppRegistration 'Rewst Integration' | Set-EntraServicePrincipal -AccountEnabled $false -HideFromMyApps $true -AppRoleAssignmentRequired $true
        }
        $run.Errors | Should -BeNullOrEmpty
        $sp = $run.Output[0]
        $sp.AccountEnabled | Should -BeFalse
        $sp.AppRoleAssignmentRequired | Should -BeTrue
        $sp.HiddenFromMyApps | Should -BeTrue
        $sp.Tags | Should -Contain 'HideApp'
        $sp.Changes.Count | Should -Be 3

        $registration = (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration -ClientId $rewst.ClientId }).Output[0]
        $registration.ServicePrincipalEnabled | Should -BeFalse

        $again = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraServicePrincipal -ClientId $rewst.ClientId | Set-EntraServicePrincipal -AccountEnabled $false -HideFromMyApps $true -WhatIf
        }
        $again.Errors | Should -BeNullOrEmpty
        $again.WhatIf | Should -BeNullOrEmpty

        $back = Invoke-ModuleSession -Session $session -ScriptBlock { $rewst | Set-EntraServicePrincipal -AccountEnabled $true -HideFromMyApps $false }
        $back.Output[0].AccountEnabled | Should -BeTrue
        $back.Output[0].Tags | Should -Not -Contain 'HideApp'
    }

    It 'Remove -WhatIf says the app registration stays; -Confirm:$false removes only the service principal' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { $rewst | Remove-EntraServicePrincipal -WhatIf }
        $run.WhatIf | Should -Be @("Remove the service principal (enterprise application) 'Rewst Integration' (client id $clientId) and the consent granted to it from contoso.onmicrosoft.com; its app registration, if any, stays (Remove-EntraAppRegistration removes it)")

        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraServicePrincipal 'Rewst Integration' | Remove-EntraServicePrincipal -Confirm:$false
            Get-EntraAppRegistration -ClientId $rewst.ClientId
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        $run.Output[0].ClientId | Should -Be $clientId
        $run.Output[0].ServicePrincipalId | Should -BeNullOrEmpty

        $gone = Invoke-ModuleSession -Session $session -ScriptBlock { $rewst | Remove-EntraServicePrincipal -Confirm:$false; $rewst | Set-EntraServicePrincipal -AccountEnabled $false }
        $gone.Errors.Count | Should -Be 2
        $gone.Errors[0].FullyQualifiedErrorId | Should -Be 'ServicePrincipalNotFound,EntraAppKit.Commands.RemoveEntraServicePrincipalCommand'
        $gone.Errors[1].FullyQualifiedErrorId | Should -Be 'ServicePrincipalNotFound,EntraAppKit.Commands.SetEntraServicePrincipalCommand'

        # New-EntraServicePrincipal provisions it again for the app of this tenant.
        $new = Invoke-ModuleSession -Session $session -ScriptBlock { $rewst | New-EntraServicePrincipal }
        $new.Errors | Should -BeNullOrEmpty
        $new.Output[0].HasAppRegistration | Should -BeTrue
        $new.Output[0].IsForeign | Should -BeFalse
    }
}

Describe 'Get-EntraAppRegistration -SignInAudience' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-RewstAppRegistration -Name 'Rewst Integration' -WarningAction SilentlyContinue | Out-Null
            New-RewstAppRegistration -Name 'Rewst CSP' -MultiTenant -WarningAction SilentlyContinue | Out-Null
        }
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'keeps the apps of one audience and refuses another value at binding' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (Get-EntraAppRegistration -SignInAudience AzureADMultipleOrgs).DisplayName
            (Get-EntraAppRegistration 'Rewst*' -SignInAudience AzureADMyOrg).DisplayName
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @('Rewst CSP', 'Rewst Integration')
        $bad = Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration -SignInAudience Everyone }
        $bad.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
    }

    It 'completes -SignInAudience from its ValidateSet' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (TabExpansion2 -inputScript 'Get-EntraAppRegistration -SignInAudience AzureADM' -cursorColumn 49).CompletionMatches.CompletionText
        }
        $run.Output | Should -Be @('AzureADMultipleOrgs', 'AzureADMyOrg')
    }

    It "completes Get-EntraServicePrincipal's -DisplayName and -ClientId from the tenant's service principals, other tenants' apps included" {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (TabExpansion2 -inputScript 'Get-EntraServicePrincipal Rewst' -cursorColumn 31).CompletionMatches.CompletionText
            $graph = (Get-EntraServicePrincipal 'Microsoft Graph').ClientId
            $graph
            (TabExpansion2 -inputScript "Remove-EntraServicePrincipal -ClientId $($graph.Substring(0, 8))" -cursorColumn (39 + 8)).CompletionMatches.ListItemText
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0..1] | Should -Be @("'Rewst CSP'", "'Rewst Integration'")
        $run.Output[3] | Should -Be "$($run.Output[2]) (Microsoft Graph)"
    }
}
