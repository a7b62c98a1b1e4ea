#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What a user may type and what the vendor's form gets back: permissions by GUID or in any case are shown in Graph's
# spelling, a misspelt API gets a suggestion, Rewst's Auth Subject is one of its two words, CMG's App ID URI path can be
# chosen and its outputs splat into Configuration Manager's import cmdlets, and the context says when nobody is connected.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
}

Describe 'Not connected' {
    BeforeAll { $session = New-ModuleSession }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'Get-EntraAppKitContext returns nothing and says how to connect' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppKitContext }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        $run.Warnings | Should -Be @('Not connected. Run Connect-EntraAppKit first (Connect-EntraAppKit -LocalTenant works offline).')
    }
}

Describe 'Inputs and vendor values' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'a permission given by its GUID or in lower case is shown in Graph''s spelling, once' {
        # e1fe6dd8-ba31-4d61-89e7-88639da4683d is User.Read's id in Microsoft's permission catalog.
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-RewstAppRegistration -Name 'Spelled' -DelegatedPermission 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', 'mail.send' -WhatIf
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.WhatIf[0] | Should -BeLike '*; requires Microsoft Graph User.Read (Delegated); requires Microsoft Graph Mail.Send (Delegated))'
    }

    It 'a misspelt API name fails before any write with the closest real one' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-EntraAppRegistration -Name 'Misspelt' -ApplicationPermission 'Microsoft Grph/User.Read.All' -NoSecret
        }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].Exception.Message | Should -BeLike "No service principal named 'Microsoft Grph' exists in the tenant.*Did you mean: Microsoft Graph?"
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration -DisplayName 'Misspelt' -ErrorAction SilentlyContinue }).Output |
            Should -BeNullOrEmpty
    }

    It 'Rewst''s Auth Subject is tenant_id for a single-tenant app and common for a multitenant one; TenantId is the GUID' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $single = New-RewstAppRegistration -Name 'Rewst Single' -WarningAction SilentlyContinue
            $multi = New-RewstAppRegistration -Name 'Rewst Multi' -MultiTenant -WarningAction SilentlyContinue
            $single.AuthSubject; $multi.AuthSubject; $single.TenantId
        }
        $run.Output[0..1] | Should -Be @('tenant_id', 'common')
        $run.Output[2] | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    }

    It 'New-CmgServerApp -AppIdUriPath sets the last segment of the App ID URI, and ToImportParameters splats it' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:server = New-CmgServerApp -Name 'CMG Import' -AppIdUriPath 'ConfigMgrService' -WarningAction SilentlyContinue
            "$($server.AppIdUri)"
            $server.ToImportParameters().Keys | Sort-Object
            (Get-EntraAppKitContext).TenantId
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -Be "api://$($run.Output[-1])/ConfigMgrService"
        $run.Output[1..7] | Should -Be @('AppIdUri', 'AppName', 'ClientId', 'SecretKey', 'SecretKeyExpiry', 'TenantId', 'TenantName')
    }

    It 'ToImportParameters of a re-run without a secret says why and what to do' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (New-CmgServerApp -Name 'CMG Import' -AppIdUriPath 'ConfigMgrService' -WarningAction SilentlyContinue).ToImportParameters()
        }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].Exception.InnerException.Message | Should -Be ("'CMG Import' already had a client secret, so this run made none and Graph never shows one again: " +
            'Import-CMAADServerApplication needs -SecretKey. Use the output of the run that made the secret, or run New-CmgServerApp -NewSecret and use its output.')
    }

    It 'the client app''s ToImportParameters has what Import-CMAADClientApplication takes' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $client = $server | New-CmgClientApp -Name 'CMG Import Client'
            $parameters = $client.ToImportParameters()
            $parameters.Keys | Sort-Object
            $parameters.ClientId -eq $client.ClientId
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @('AppName', 'ClientId', 'TenantId', $true)
    }
}
