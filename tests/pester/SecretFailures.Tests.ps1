#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# A secret once created is in the user's hands or removed again, on every way a run can fail: Graph failing before the
# secret (it is the last step, so none exists), Graph failing on the secret itself, the user stopping the run while the
# secret is being added, and a warning that turns into a prompt nobody can answer after the secret exists. Graph fails
# for real here: the module talks over HTTP to the local tenant server, whose control endpoint injects the faults.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force

    function Get-SecretCount {
        # How many client secrets the app named $Name has, read back through the module.
        param($Session, [string] $Name)
        $run = Invoke-ModuleSession -Session $Session -Variables @{ name = $Name } -ScriptBlock { Get-EntraAppRegistration -DisplayName $name }
        $run.Errors | Should -BeNullOrEmpty
        @($run.Output).Count | Should -Be 1 -Because "the app '$Name' exists: every write that answered success is kept"
        $run.Output[0].SecretCount
    }
}

Describe 'Secrets when Graph fails' {
    BeforeAll {
        $server = Start-LocalTenantServer
        $session = New-ModuleSession
        $connected = Invoke-ModuleSession -Session $session -Variables @{ token = $server.Token; graph = $server.Uri } -ScriptBlock {
            Connect-EntraAppKit -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint $graph | Out-Null
        }
        $connected.Errors | Should -BeNullOrEmpty
    }
    AfterAll {
        Remove-ModuleSession -Session $session
        Stop-LocalTenantServer -Server $server
    }
    AfterEach { Set-LocalTenantFault -Server $server -Fault @{ clear = $true } }

    It 'a 500 on the admin consent leaves the app without a secret, gives Graph''s request-id, and a re-run finishes' {
        Set-LocalTenantFault -Server $server -Fault @{ fail = @{ count = 1; status = 500; method = 'POST'; pathContains = '/appRoleAssignedTo' } }
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-KonnectDcrApp -Name 'Consent Fails' -LeastPrivilege }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].ErrorDetails.RecommendedAction | Should -Match '^Graph request-id [0-9a-f-]{36}, tenant [0-9a-f-]{36} \(contoso\.onmicrosoft\.com\)$'
        Get-SecretCount $session 'Consent Fails' | Should -Be 0

        $again = Invoke-ModuleSession -Session $session -ScriptBlock { New-KonnectDcrApp -Name 'Consent Fails' -LeastPrivilege }
        $again.Errors | Should -BeNullOrEmpty
        $again.Output[0].ClientSecret | Should -BeOfType [securestring]
        $again.Output[0].Changes | Should -Contain 'Grant admin consent for Microsoft Graph Application.ReadWrite.OwnedBy (Application)'
        $again.Output[0].Changes[-1] | Should -BeLike "Add client secret 'Konnect DCR *' to 'Consent Fails', expiring in 12 months"
    }

    It 'a 500 on adding the secret says that no secret was created' {
        Set-LocalTenantFault -Server $server -Fault @{ fail = @{ count = 1; status = 500; method = 'POST'; pathContains = '/addPassword' } }
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-WriteBackAppRegistration -Name 'Secret Fails' }
        $run.Output | Should -BeNullOrEmpty
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].Exception.Message | Should -BeLike '*No client secret was created.'
        Get-SecretCount $session 'Secret Fails' | Should -Be 0
    }

    It 'a run stopped while its secret is being added leaves no secret nobody holds' {
        # Each Graph request takes a second, so the stop lands while addPassword is on its way (after the service principal).
        Clear-LocalTenantRequest -Server $server
        Set-LocalTenantFault -Server $server -Fault @{ latencyMs = 1000 }
        $ps = [powershell]::Create()
        try {
            $ps.Runspace = $session.Runspace
            $null = $ps.AddScript("New-WriteBackAppRegistration -Name 'Stopped' -AsPlainText")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTime]::UtcNow -lt $deadline -and -not $async.IsCompleted -and
                -not (Get-LocalTenantRequest -Server $server | Where-Object { $_.method -eq 'POST' -and $_.path -like '*/servicePrincipals' -and $_.status -eq 201 })) {
                Start-Sleep -Milliseconds 50
            }
            $async.IsCompleted | Should -BeFalse -Because 'the run is stopped before it ends'
            Start-Sleep -Milliseconds 300
            $ps.Stop()
            @($ps.EndInvoke($async)) | Should -BeNullOrEmpty
        }
        catch [System.Management.Automation.PipelineStoppedException] { }
        finally { $ps.Dispose() }
        Set-LocalTenantFault -Server $server -Fault @{ clear = $true }
        # The stop landed on the secret: the run looked for a secret whose value it never received, to remove it.
        Get-LocalTenantRequest -Server $server | Where-Object { $_.method -eq 'GET' -and $_.path -like '/applications/*?$select=passwordCredentials' } |
            Should -HaveCount 1
        Get-SecretCount $session 'Stopped' | Should -Be 0
    }
}

Describe 'A warning nobody can answer' {
    BeforeAll { $session = New-ModuleSession -Connect }
    AfterAll { Remove-ModuleSession -Session $session }

    It 'comes after the object with the secret is written' {
        # -WarningAction Inquire asks the host, which cannot answer here (as in a runbook): the object is already out.
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-WriteBackAppRegistration -Name 'Inquired' -AsPlainText -WarningAction Inquire | ForEach-Object { $global:kept = $_ }
        }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -Not -BeLike 'UnexpectedError*'
        $kept = (Invoke-ModuleSession -Session $session -ScriptBlock { $kept.ClientSecret }).Output[0]
        $kept | Should -Match '^.{40}$'
    }
}
