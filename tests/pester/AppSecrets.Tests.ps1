#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Issue 14 §2: add, rotate and remove client secrets without an outage. New-EntraAppSecret adds beside what the app has and
# returns a SecureString unless -AsPlainText; Update-EntraAppSecret keeps the old secrets valid and proves the new one;
# Remove-EntraAppCredential names what it removes, refuses the last credential (LastCredential) unless -Force, and a re-run
# is a no-op. Each Describe has a local tenant of its own.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $Today = [DateTime]::UtcNow.ToString('yyyy-MM-dd')
}

Describe 'New-EntraAppSecret' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'adds a secret from a recipe in the pipeline, a SecureString by default, named for who and when, and keeps the old one' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = New-RewstAppRegistration -Name 'Secrets' -WarningAction SilentlyContinue
            $secret = $app | New-EntraAppSecret -WarningAction SilentlyContinue
            $secret.ClientSecret.GetType().Name
            $secret.DisplayName
            (Get-EntraAppRegistration -ClientId $app.ClientId).SecretCount
            ($secret | Test-EntraAppCredential).Success
            ($app | Test-EntraAppCredential).Success
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -Be 'SecureString'
        $run.Output[1] | Should -Be "EntraAppKit by admin@contoso.onmicrosoft.com $Today"
        $run.Output[2..4] | Should -Be @(2, $true, $true)
    }

    It 'returns text with -AsPlainText, takes -DisplayName and -EndDate, and never shows the secret in verbose or host lines' {
        $run = Invoke-ModuleSession -Session $session -OutDefault -ScriptBlock {
            Get-EntraAppRegistration -DisplayName 'Secrets' | New-EntraAppSecret -DisplayName 'Vendor' -EndDate (Get-Date).AddDays(30) -AsPlainText -Verbose *>&1 |
                Tee-Object -Variable made | Where-Object { $_ -isnot [EntraAppKit.Model.Operations.EntraAppSecret] }
        }
        $run.Errors | Should -BeNullOrEmpty
        $made = (Invoke-ModuleSession -Session $session -ScriptBlock { $made | Where-Object { $_ -is [EntraAppKit.Model.Operations.EntraAppSecret] } }).Output[0]
        $made.ClientSecret | Should -BeOfType [string]
        $made.DisplayName | Should -Be "Vendor $Today"
        $made.EndDateTime.UtcDateTime.ToString('yyyy-MM-dd') | Should -Be ([DateTime]::UtcNow.AddDays(30).ToString('yyyy-MM-dd'))
        @($run.HostLines) | Where-Object { $_ -like "*$($made.ClientSecret)*" } | Should -BeNullOrEmpty
    }

    It '-WhatIf names the secret it would add and adds none' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            Get-EntraAppRegistration -DisplayName 'Secrets' | New-EntraAppSecret -DisplayName 'Preview' -Months 6 -WhatIf
            (Get-EntraAppRegistration -DisplayName 'Secrets').SecretCount
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.WhatIf | Should -Be @("Add client secret 'Preview $Today' to 'Secrets', expiring $([DateTime]::UtcNow.AddMonths(6).ToString('yyyy-MM-dd'))")
        $run.Output | Should -Be @(3)
    }

    It 'shows the secret as (hidden) in its default list view' {
        $run = Invoke-ModuleSession -Session $session -OutDefault -ScriptBlock {
            Get-EntraAppRegistration -DisplayName 'Secrets' | New-EntraAppSecret -WarningAction SilentlyContinue
        }
        $run.Errors | Should -BeNullOrEmpty
        # The host may render the labels in colour: compare the plain text.
        @($run.HostLines) | ForEach-Object { $_ -replace "`e\[[0-9;]*m", '' } | Where-Object { $_ -match '^ClientSecret\s*: \(hidden\)$' } | Should -HaveCount 1
    }
}

Describe 'Update-EntraAppSecret and Remove-EntraAppCredential' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'rotates: the new secret signs in, the old one stays valid until removed, then only the new one works' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = New-WriteBackAppRegistration -Name 'Rotate' -AsPlainText -WarningAction SilentlyContinue
            $new = $app | Update-EntraAppSecret -AsPlainText
            $new.SignInVerified
            $new.PreviousKeyIds.Count
            ($app | Test-EntraAppCredential).Success
            $new.PreviousKeyIds | ForEach-Object { Remove-EntraAppCredential -ClientId $new.ClientId -KeyId $_ -Confirm:$false }
            ($app | Test-EntraAppCredential -WarningAction SilentlyContinue).Success
            ($new | Test-EntraAppCredential).Success
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @($true, 1, $true, $false, $true)
    }

    It '-WhatIf of a rotation says the old secrets stay; -WhatIf of a removal names the secret' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = New-WriteBackAppRegistration -Name 'Named' -WarningAction SilentlyContinue
            $app | Update-EntraAppSecret -DisplayName 'Next' -WhatIf
            $second = $app | New-EntraAppSecret -DisplayName 'Second'
            $second | Remove-EntraAppCredential -WhatIf
            $second
        }
        $run.Errors | Should -BeNullOrEmpty
        $second = $run.Output[-1]
        $run.WhatIf | Should -Be @(
            "Add client secret 'Next $Today' to 'Named', expiring $([DateTime]::UtcNow.AddMonths(12).ToString('yyyy-MM-dd')); its existing secret stays valid until you remove it"
            "Remove client secret 'Second $Today' (hint $($second.Hint), expires $($second.EndDateTime.UtcDateTime.ToString('yyyy-MM-dd')), key id $($second.KeyId)) from 'Named'"
        )
    }

    It 'refuses the last credential with LastCredential, removes it with -Force, and a re-run is a no-op with a verbose line' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-WriteBackAppRegistration -Name 'Last' -WarningAction SilentlyContinue | Out-Null
        }
        $run.Errors | Should -BeNullOrEmpty
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $last = Get-EntraAppRegistration -DisplayName 'Last'
            $rotated = $last | Update-EntraAppSecret
            $rotated.PreviousKeyIds | ForEach-Object { Remove-EntraAppCredential -ClientId $rotated.ClientId -KeyId $_ -Confirm:$false }
            $rotated | Remove-EntraAppCredential -Confirm:$false
        }
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'LastCredential,EntraAppKit.Commands.RemoveEntraAppCredentialCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $rotated | Remove-EntraAppCredential -Force -Confirm:$false
            (Get-EntraAppRegistration -DisplayName 'Last').SecretCount
            $rotated | Remove-EntraAppCredential -Confirm:$false -Verbose 4>&1 | ForEach-Object { "$_" }
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -Be 0
        $run.Output | Should -Contain "'Last' has no credential $((Invoke-ModuleSession -Session $session -ScriptBlock { $rotated.KeyId }).Output[0]): nothing to remove (already removed)."
    }

    It 'takes ClientId and KeyId by property name from any row' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app = New-WriteBackAppRegistration -Name 'Rows' -WarningAction SilentlyContinue
            $extra = $app | New-EntraAppSecret
            [pscustomobject]@{ ClientId = $extra.ClientId; KeyId = $extra.KeyId; Kind = 'Secret' } | Remove-EntraAppCredential -Confirm:$false
            (Get-EntraAppRegistration -ClientId $app.ClientId).SecretCount
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -Be @(1)
    }
}
