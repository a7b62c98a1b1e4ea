#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# A client secret is in the user's hands once: a SecureString unless -AsPlainText, never in verbose, warning or
# progress text, named by recipe and date, never silently replaced by a re-run, and kept by every command it is piped
# through. Each Describe has a local tenant of its own.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $Today = [DateTime]::UtcNow.ToString('yyyy-MM-dd')
}

Describe 'A new secret' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'is a SecureString by default and text with -AsPlainText' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            (New-WriteBackAppRegistration -Name 'Secure' -WarningAction SilentlyContinue).ClientSecret.GetType().Name
            (New-WriteBackAppRegistration -Name 'Plain' -AsPlainText -WarningAction SilentlyContinue).ClientSecret.GetType().Name
        }
        $run.Output | Should -Be @('SecureString', 'String')
    }

    It 'appears in no verbose, warning, information or host line of the run that made it' {
        # Every record but the output object goes to the host, as a console shows it ("VERBOSE: ...", "WARNING: ...").
        $run = Invoke-ModuleSession -Session $session -OutDefault -ScriptBlock {
            New-RewstAppRegistration -Name 'Quiet' -AsPlainText -Verbose *>&1 | Tee-Object -Variable made |
                Where-Object { $_ -isnot [EntraAppKit.Model.Recipes.RewstAppRegistration] }
        }
        $secret = (Invoke-ModuleSession -Session $session -ScriptBlock { ($made | Where-Object { $_ -is [EntraAppKit.Model.Recipes.RewstAppRegistration] }).ClientSecret }).Output[0]
        $secret | Should -Match '^.{40}$'
        $traced = @($run.HostLines)
        $traced | Where-Object { $_ -match '^VERBOSE: Graph POST /v1\.0/applications/[0-9a-f-]{36}/addPassword -> 200 \(request-id [0-9a-f-]{36}, \d+ ms\)$' } | Should -HaveCount 1
        $traced | Where-Object { $_ -like "*$secret*" } | Should -BeNullOrEmpty
    }

    It 'is named by recipe and date, and a second one gets #2' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-KonnectDcrApp -Name 'Dated' -LeastPrivilege -WarningAction SilentlyContinue | Out-Null
            New-KonnectDcrApp -Name 'Dated' -LeastPrivilege -NewSecret -WarningAction SilentlyContinue | ForEach-Object Changes
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @("Add client secret 'Konnect DCR $Today " + "#2' to 'Dated', expiring in 12 months")
    }
}

Describe 'A re-run' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'adds no secret, says which ones the app has and how to add another' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-RewstAppRegistration -Name 'Again' -WarningAction SilentlyContinue | Out-Null
            New-RewstAppRegistration -Name 'Again'
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].ClientSecret | Should -BeNullOrEmpty
        $run.Output[0].Changes | Should -BeNullOrEmpty
        ($run.Warnings -join "`n") | Should -Match "'Rewst $Today'"
        ($run.Warnings -join "`n") | Should -Match '-NewSecret'
    }
}

Describe 'A secret piped through other commands' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'stays reachable from the end of the CMG pipeline, and the user is told to keep the result' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:rows = New-CmgServerApp -Name 'Piped Server' | New-CmgClientApp -Name 'Piped Client' | Grant-AdminConsent
            $global:rows[0].App.ServerApp.SecretKey.Length
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -Be 40
        ($run.Warnings -join "`n") | Should -Match "(?m)^The new client secret of 'Piped Server' is in this command's output, which goes to the next command in the pipeline"
    }

    It 'is tested by Test-EntraAppCredential straight from the recipe, and kept in its result' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:tested = New-KonnectDcrApp -Name 'Tested' -LeastPrivilege | Test-EntraAppCredential
            $global:tested.Success
            $global:tested.App.ClientSecret.GetType().Name
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @($true, 'SecureString')
    }

    It 'passes through Add-WriteBackRedirectUri, which adds the return URL' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:written = New-WriteBackAppRegistration -Name 'WriteBack Piped' -WarningAction SilentlyContinue |
                Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/return-url-1'
            $global:written.ClientSecret.GetType().Name
            $global:written.WebRedirectUris
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @('SecureString', 'https://wbe.contoso.com/return-url-1')
    }
}
