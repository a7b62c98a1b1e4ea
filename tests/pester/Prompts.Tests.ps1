#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What a user at the console is asked and told while a command runs: -Confirm one change at a time (the host answers
# as the test queued), a plain word when a declined step means nothing was changed, progress that names each step and
# always completes, the warnings the README promises, and a refused sign-in said once with Entra's AADSTS code first.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
}

Describe '-Confirm' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'answered Yes, Yes, No applies nothing and says so' {
        $session.Host.Answer('Yes', 'Yes', 'No')
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration -Name 'Declined' -Confirm }
        $session.Host.AnswersLeft | Should -Be 0
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty
        $run.Warnings | Should -HaveCount 1
        $run.Warnings[0] | Should -BeLike "Nothing was changed: 'Add client secret*' was declined*"
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration -DisplayName 'Declined' -ErrorAction SilentlyContinue }).Output |
            Should -BeNullOrEmpty
    }

    It 'answered Yes to All applies every change' {
        $session.Host.Answer('Yes to All')
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-WriteBackAppRegistration -Name 'Confirmed' -Confirm -WarningAction SilentlyContinue }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].Changes | Should -HaveCount 3
        $run.Output[0].ClientSecret | Should -BeOfType [securestring]
    }
}

Describe 'Progress' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'names each step as it happens and completes' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-KonnectDcrApp -Name 'Stepped' -LeastPrivilege -WarningAction SilentlyContinue }
        $run.Errors | Should -BeNullOrEmpty
        $steps = @($run.Progress | Where-Object RecordType -eq 'Processing' | ForEach-Object StatusDescription | Select-Object -Unique)
        $steps | Should -Be @(
            'Reading the tenant'
            'Applying 5 change(s)'
            "Creating the application 'Stepped'"
            "Creating the service principal of 'Stepped'"
            "Granting admin consent to 'Stepped'"
            "Adding the client secret 'Konnect DCR $([DateTime]::UtcNow.ToString('yyyy-MM-dd'))'"
        )
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }

    It 'completes after -WhatIf' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-CmgServerApp -Name 'Previewed' -WhatIf }
        $run.Progress | Should -Not -BeNullOrEmpty
        $run.Progress[-1].RecordType | Should -Be 'Completed'
    }
}

Describe 'Warnings on the console' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'New-WriteBackAppRegistration says when to renew the secret, after writing the app' {
        $run = Invoke-ModuleSession -Session $session -OutDefault -ScriptBlock { New-WriteBackAppRegistration -Name 'Renewed' }
        $warning = @($run.HostLines | Where-Object { $_ -like 'WARNING: WriteBackExtreme does not warn before its client secret expires*' })
        $warning | Should -HaveCount 1
        $warning[0] | Should -Match 'renew it before \d{4}-\d{2}-\d{2} \(New-WriteBackAppRegistration -NewSecret\)\.$'
        [array]::IndexOf($run.HostLines, $warning[0]) | Should -BeGreaterThan ([array]::IndexOf($run.HostLines, ($run.HostLines | Where-Object { $_ -like 'ClientId *' } | Select-Object -First 1)))
    }
}

Describe 'A refused sign-in' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'Test-EntraAppCredential with a wrong secret says it once, with the AADSTS code first' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = New-KonnectDcrApp -Name 'Wrong Secret' -LeastPrivilege -WarningAction SilentlyContinue
            Test-EntraAppCredential -ClientId $app.ClientId -ClientSecret (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force)
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[-1].Success | Should -BeFalse
        $run.Output[-1].Error | Should -Match '^AADSTS7000215: Invalid client secret provided\.'
        $run.Warnings | Should -HaveCount 1
        $run.Warnings[0] | Should -Match '^AADSTS7000215: '
    }
}
