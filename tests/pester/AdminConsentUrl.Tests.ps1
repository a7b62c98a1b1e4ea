#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The admin consent URL an MSP sends to a customer's administrator, on the packaged module against the in-process local
# tenant: Get-EntraAdminConsentUrl and AdminConsentUrl on the multitenant recipes' outputs. The URL's form, and "Don't use
# 'common'" for its tenant, are Microsoft's: "Admin consent on the Microsoft identity platform",
# https://learn.microsoft.com/entra/identity-platform/v2-admin-consent

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $RewstCallback = 'https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback'
    $EncodedCallback = [uri]::EscapeDataString($RewstCallback)
    $GraphDefault = [uri]::EscapeDataString('https://graph.microsoft.com/.default')
}

Describe 'Get-EntraAdminConsentUrl (v2-admin-consent)' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'takes New-RewstAppRegistration -MultiTenant from the pipeline and gives the v2 URL with its callback, Graph /.default and organizations' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:rewst = New-RewstAppRegistration -Name 'Rewst CSP' -MultiTenant -WarningAction SilentlyContinue
            $rewst | Get-EntraAdminConsentUrl
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Warnings | Should -BeNullOrEmpty
        $clientId = (Invoke-ModuleSession -Session $session -ScriptBlock { $rewst.ClientId }).Output[0]
        $run.Output.Count | Should -Be 1
        $run.Output[0] | Should -BeOfType [string]
        $run.Output[0] | Should -BeExactly "https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=$clientId&scope=$GraphDefault&redirect_uri=$EncodedCallback"
    }

    It 'names the customer tenant (a verified domain or a GUID) and carries -State and -Scope URL-encoded' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:rewst = New-RewstAppRegistration -Name 'Rewst CSP' -MultiTenant -WarningAction SilentlyContinue
            Get-EntraAdminConsentUrl -ClientId $rewst.ClientId -Tenant 'fabrikam.onmicrosoft.com' -State 'customer 42&x'
            Get-EntraAdminConsentUrl -ClientId $rewst.ClientId -Tenant '11112222-BBBB-3333-cccc-4444dddd5555' -Scope 'https://graph.microsoft.com/User.Read openid'
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -BeLike 'https://login.microsoftonline.com/fabrikam.onmicrosoft.com/v2.0/adminconsent?client_id=*'
        $run.Output[0] | Should -BeLike '*&state=customer%2042%26x'
        $run.Output[1] | Should -BeLike 'https://login.microsoftonline.com/11112222-bbbb-3333-cccc-4444dddd5555/v2.0/adminconsent?*'
        $run.Output[1] | Should -BeLike '*&scope=https%3A%2F%2Fgraph.microsoft.com%2FUser.Read%20openid&*'
    }

    It "refuses the tenant 'common' with CommonTenantNotAllowed, as the page says not to use it for admin consent" {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraAdminConsentUrl -ClientId '0f0e0d0c-0b0a-4909-8807-060504030201' -Tenant 'common'
        }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'CommonTenantNotAllowed,EntraAppKit.Commands.GetEntraAdminConsentUrlCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Errors[0].TargetObject | Should -Be '0f0e0d0c-0b0a-4909-8807-060504030201'
        $run.Errors[0].Exception.Message | Should -BeLike "*'common'*organizations*"
    }

    It 'has no -WhatIf: it writes nothing, so it does not support ShouldProcess' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (Get-Command Get-EntraAdminConsentUrl).Parameters.ContainsKey('WhatIf')
            # Splatted: a literal -WhatIf here is the mistake .ci/powershell-syntax reports, and PowerShell refuses at binding.
            $withWhatIf = @{ ClientId = '0f0e0d0c-0b0a-4909-8807-060504030201'; WhatIf = $true }
            Get-EntraAdminConsentUrl @withWhatIf
        }
        $run.Output[0] | Should -BeFalse
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'NamedParameterNotFound,EntraAppKit.Commands.GetEntraAdminConsentUrlCommand'
    }

    It 'warns for a single-tenant app (AADSTS50020) and still returns its URL' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-RewstAppRegistration -Name 'Rewst Single' -WarningAction SilentlyContinue | Get-EntraAdminConsentUrl
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output.Count | Should -Be 1
        $run.Output[0] | Should -BeLike 'https://login.microsoftonline.com/organizations/v2.0/adminconsent?*'
        $run.Warnings.Count | Should -Be 1
        $run.Warnings[0] | Should -BeLike "*'Rewst Single' is single tenant (signInAudience AzureADMyOrg)*AADSTS50020*"
    }

    It 'fails with NoRedirectUri for an app without a web redirect URI (a new WriteBackExtreme app), and works once it has one' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:wbe = New-WriteBackAppRegistration -MultiTenant -WarningAction SilentlyContinue
            $wbe | Get-EntraAdminConsentUrl
        }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'NoRedirectUri,EntraAppKit.Commands.GetEntraAdminConsentUrlCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'

        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $wbe | Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/backend/oauth/callback' | Out-Null
            $wbe | Get-EntraAdminConsentUrl -Tenant 'fabrikam.com'
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -BeLike 'https://login.microsoftonline.com/fabrikam.com/v2.0/adminconsent?*&redirect_uri=https%3A%2F%2Fwbe.contoso.com%2Fbackend%2Foauth%2Fcallback'
    }
}

Describe 'AdminConsentUrl on the multitenant recipes (v2-admin-consent)' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'New-RewstAppRegistration -MultiTenant carries the same URL Get-EntraAdminConsentUrl gives, and shows it in its list view' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:rewst = New-RewstAppRegistration -Name 'Rewst CSP' -MultiTenant -WarningAction SilentlyContinue
            $rewst.AdminConsentUrl
            $rewst | Get-EntraAdminConsentUrl
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -BeLike "https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=*&redirect_uri=$EncodedCallback"
        $run.Output[0] | Should -BeExactly $run.Output[1]
        $shown = Invoke-ModuleSession -Session $session -OutDefault -ScriptBlock { $rewst }
        # List labels may carry the host's colour sequences (FormatAccent): compare the text only.
        ($shown.HostLines -join "`n") -replace "\e\[[0-9;]*m", '' | Should -Match 'AdminConsentUrl\s+: https://login\.microsoftonline\.com/organizations/v2\.0/adminconsent'
    }

    It 'is null on the single-tenant variants' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (New-RewstAppRegistration -Name 'Rewst One' -WarningAction SilentlyContinue).AdminConsentUrl -eq $null
            (New-WriteBackAppRegistration -Name 'WriteBack One' -WarningAction SilentlyContinue).AdminConsentUrl -eq $null
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @($true, $true)
    }

    It 'New-WriteBackAppRegistration -MultiTenant carries it with its first redirect URI once Add-WriteBackRedirectUri gave it one' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $first = New-WriteBackAppRegistration -MultiTenant -WarningAction SilentlyContinue
            $null -eq $first.AdminConsentUrl
            $first | Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/backend/oauth/callback', 'https://wbe.contoso.com/oauth/return' | Out-Null
            (New-WriteBackAppRegistration -MultiTenant -WarningAction SilentlyContinue).AdminConsentUrl
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -BeTrue
        $run.Output[1] | Should -BeLike 'https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=*&scope=*&redirect_uri=https%3A%2F%2Fwbe.contoso.com%2Fbackend%2Foauth%2Fcallback'
    }
}
