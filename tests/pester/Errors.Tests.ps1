#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The error records of the main user mistakes: what a script can test (FullyQualifiedErrorId, CategoryInfo.Category,
# TargetObject), what a person reads (the message), and that nothing was written. Each test runs in a session of its own.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $Tenant = 'contoso.onmicrosoft.com'
    $UnknownClientId = '0f0e0d0c-0b0a-4909-8807-060504030201'
}

Describe 'Not connected' {
    BeforeEach { $session = New-ModuleSession }
    AfterEach { Remove-ModuleSession -Session $session }

    It '<Command> fails with NotConnected (ConnectionError) and says how to connect' -ForEach @(
        @{ Command = 'New-RewstAppRegistration'; Script = { New-RewstAppRegistration } }
        @{ Command = 'New-EntraAppRegistration'; Script = { New-EntraAppRegistration -Name 'Contoso API' -NoSecret } }
        @{ Command = 'Get-EntraAppRegistration'; Script = { Get-EntraAppRegistration } }
        @{ Command = 'Grant-AdminConsent'; Script = { Grant-AdminConsent -ClientId '0f0e0d0c-0b0a-4909-8807-060504030201' } }
    ) {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock $Script
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "NotConnected,EntraAppKit.Commands.$($Command -replace '-', '')Command"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $run.Errors[0].Exception.Message | Should -Be 'Not connected. Run Connect-EntraAppKit first (Connect-EntraAppKit -LocalTenant works offline).'
    }

    It '<Command> names <Target> as the target' -ForEach @(
        @{ Command = 'New-EntraAppRegistration'; Script = { New-EntraAppRegistration -Name 'Contoso API' -NoSecret }; Target = 'Contoso API' }
        @{ Command = 'Grant-AdminConsent'; Script = { Grant-AdminConsent -ClientId '0f0e0d0c-0b0a-4909-8807-060504030201' }; Target = '0f0e0d0c-0b0a-4909-8807-060504030201' }
        @{ Command = 'Get-EntraAppRegistration'; Script = { Get-EntraAppRegistration -DisplayName 'Contoso*' }; Target = 'Contoso*' }
        @{ Command = 'New-RewstAppRegistration'; Script = { New-RewstAppRegistration }; Target = 'Rewst Integration' }
    ) {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock $Script
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].TargetObject | Should -Be $Target
    }

    It 'fails as a terminating error with -ErrorAction Stop, so a script stops there' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -ErrorAction Stop; 'not reached' }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.FullyQualifiedErrorId | Should -Be 'NotConnected,EntraAppKit.Commands.NewRewstAppRegistrationCommand'
    }
}

Describe 'Unknown permission' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'a misspelt delegated permission fails with UnknownPermission (InvalidArgument) naming the closest real one, before any write' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -DelegatedPermission 'User.Raed' }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'UnknownPermission,EntraAppKit.Commands.NewRewstAppRegistrationCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Errors[0].Exception.Message | Should -Be "Microsoft Graph has no delegated permission 'User.Raed'. Did you mean: User.Read?"
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output | Should -BeNullOrEmpty
    }

    It 'a misspelt delegated permission of a vendor recipe names the app as the target' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -DelegatedPermission 'User.Raed' }
        $run.Errors[0].TargetObject | Should -Be 'Rewst Integration'
    }

    It 'a misspelt application permission fails with UnknownPermission naming the app as the target' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-EntraAppRegistration -Name 'Contoso Reports' -ApplicationPermission 'Microsoft Graph/User.Raed.All' -NoSecret }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'UnknownPermission,EntraAppKit.Commands.NewEntraAppRegistrationCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Errors[0].TargetObject | Should -Be 'Contoso Reports'
        $run.Errors[0].Exception.Message | Should -Be "Microsoft Graph has no application permission 'User.Raed.All'. Did you mean: User.Read.All?"
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output | Should -BeNullOrEmpty
    }

    It 'an API the tenant does not have fails with UnknownResource (ObjectNotFound)' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-EntraAppRegistration -Name 'Contoso Reports' -ApplicationPermission 'Contoso API/Read' -NoSecret }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'UnknownResource,EntraAppKit.Commands.NewEntraAppRegistrationCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $run.Errors[0].TargetObject | Should -Be 'Contoso Reports'
        $run.Errors[0].Exception.Message | Should -BeLike "No service principal named 'Contoso API' exists in the tenant.*"
    }
}

Describe 'Client ids' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It '<Command> refuses a client id that is not a GUID while binding (ParameterArgumentValidationError, InvalidData)' -ForEach @(
        @{ Command = 'Get-EntraAppRegistration'; Script = { Get-EntraAppRegistration -ClientId 'contoso-api' } }
        @{ Command = 'Grant-AdminConsent'; Script = { Grant-AdminConsent -ClientId 'contoso-api' } }
        @{ Command = 'Remove-EntraAppRegistration'; Script = { Remove-EntraAppRegistration -ClientId 'contoso-api' -Confirm:$false } }
    ) {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock $Script
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ParameterArgumentValidationError,EntraAppKit.Commands.$($Command -replace '-', '')Command"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        # PowerShell's binder makes this record: it names the parameter and the value in the message, and has no target.
        $run.Errors[0].TargetObject | Should -BeNullOrEmpty
        $run.Errors[0].Exception.Message | Should -Be "Cannot validate argument on parameter 'ClientId'. The argument `"contoso-api`" is not an application (client) id: a GUID such as 00000000-0000-0000-0000-000000000000."
    }

    It '<Command> fails with ApplicationNotFound (ObjectNotFound) for a client id no app has, naming it as the target' -ForEach @(
        @{ Command = 'Get-EntraAppRegistration'; Script = { Get-EntraAppRegistration -ClientId '0f0e0d0c-0b0a-4909-8807-060504030201' }; Message = 'No app registration matches 0f0e0d0c-0b0a-4909-8807-060504030201.' }
        @{ Command = 'Remove-EntraAppRegistration'; Script = { Remove-EntraAppRegistration -ClientId '0f0e0d0c-0b0a-4909-8807-060504030201' -Confirm:$false }; Message = 'No application with client id 0f0e0d0c-0b0a-4909-8807-060504030201 exists in tenant contoso.onmicrosoft.com.' }
    ) {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock $Script
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "ApplicationNotFound,EntraAppKit.Commands.$($Command -replace '-', '')Command"
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $run.Errors[0].TargetObject | Should -Be $UnknownClientId
        $run.Errors[0].Exception.Message | Should -Be $Message
    }
}

Describe 'Grant-AdminConsent for an app the tenant does not have' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'fails with ApplicationNotFound (ObjectNotFound) naming the client id and the tenant' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { Grant-AdminConsent -ClientId '0f0e0d0c-0b0a-4909-8807-060504030201' }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'ApplicationNotFound,EntraAppKit.Commands.GrantAdminConsentCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $run.Errors[0].TargetObject | Should -Be $UnknownClientId
        $run.Errors[0].Exception.Message | Should -Be "No application with client id $UnknownClientId exists in tenant $Tenant."
    }

    It 'goes on with the next app of the pipeline' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $rewst = New-RewstAppRegistration
            '0f0e0d0c-0b0a-4909-8807-060504030201', $rewst.ClientId | ForEach-Object { [pscustomobject]@{ ClientId = $_ } } | Grant-AdminConsent
        }
        $run.Errors.FullyQualifiedErrorId | Should -Be 'ApplicationNotFound,EntraAppKit.Commands.GrantAdminConsentCommand'
        $run.Output.Status | Should -Be @('Granted')
    }
}

Describe '-NoSecret with secret options' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It '-NoSecret with <Option> fails with InvalidRecipeInput (InvalidArgument) naming the app, before any write' -ForEach @(
        @{ Option = '-SecretLifetimeMonths'; Script = { New-EntraAppRegistration -Name 'Contoso API' -NoSecret -SecretLifetimeMonths 6 } }
        @{ Option = '-NewSecret'; Script = { New-EntraAppRegistration -Name 'Contoso API' -NoSecret -NewSecret } }
    ) {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock $Script
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'InvalidRecipeInput,EntraAppKit.Commands.NewEntraAppRegistrationCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Errors[0].TargetObject | Should -Be 'Contoso API'
        $run.Errors[0].Exception.Message | Should -Be '-NoSecret cannot be combined with -NewSecret or -SecretLifetimeMonths.'
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output | Should -BeNullOrEmpty
    }
}

Describe 'A confirmation where nobody can answer' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'Remove-EntraAppRegistration without -Confirm:$false fails as PowerShell''s own cmdlets do (InvalidOperation), and removes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration | Remove-EntraAppRegistration }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Not -BeLike 'UnexpectedError*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output.DisplayName | Should -Be 'Rewst Integration'
    }
}
