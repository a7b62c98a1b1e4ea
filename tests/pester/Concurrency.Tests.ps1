#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Several PowerShell processes at once against one tenant: the local tenant's state file (-LocalTenant -Path) and the
# local tenant server. Each process is a background job (its own pwsh process) that imports the packaged module. No write
# that a process was told succeeded is lost, and processes running a recipe with one name end with one app.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force
    $Module = $env:ENTRAAPPKIT_MODULE
    $Processes = 3

    # Runs the recipes in $Processes pwsh processes at once; each connects with $Connect and returns what its recipes made.
    function Invoke-InProcesses {
        param([scriptblock] $Connect, [hashtable] $With = @{})
        $connectText = $Connect.ToString()
        $jobs = foreach ($i in 1..$Processes) {
            Start-Job -ArgumentList $Module, $connectText, $With, $i -ScriptBlock {
                param($module, $connect, $with, $i)
                $ErrorActionPreference = 'Stop'
                Import-Module $module
                & ([scriptblock]::Create($connect)) @with | Out-Null
                $own = New-RewstAppRegistration -Name "Process $i" -WarningAction SilentlyContinue
                $shared = New-RewstAppRegistration -Name 'One Name For All' -WarningAction SilentlyContinue
                [pscustomobject]@{ Own = $own.ClientId; Shared = $shared.ClientId }
            }
        }
        $null = $jobs | Wait-Job -Timeout 300
        $results = foreach ($job in $jobs) {
            if ($job.State -ne 'Completed') { throw "A process ended $($job.State): $($job.ChildJobs[0].JobStateInfo.Reason) $($job.ChildJobs[0].Error)" }
            Receive-Job -Job $job
        }
        $jobs | Remove-Job -Force
        $results
    }

    # What a fresh session connected with $Connect lists: client ids by display name.
    function Get-Registered {
        param([scriptblock] $Connect, [hashtable] $With = @{})
        $session = New-ModuleSession
        try {
            $run = Invoke-ModuleSession -Session $session -Variables @{ connect = $Connect.ToString(); with = $With } -ScriptBlock {
                & ([scriptblock]::Create($connect)) @with | Out-Null
                Get-EntraAppRegistration | Select-Object DisplayName, ClientId
            }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output
        }
        finally { Remove-ModuleSession -Session $session }
    }

    function Assert-NothingLost {
        param($Results, $Registered)
        @($Results).Count | Should -Be $Processes
        $byName = @{}
        foreach ($app in $Registered) { $byName[$app.DisplayName] = @($byName[$app.DisplayName]) + $app.ClientId | Where-Object { $_ } }
        foreach ($i in 1..$Processes) {
            $own = @($Results | Where-Object Own -EQ $byName["Process $i"])
            $own.Count | Should -Be 1 -Because "process $i was told its app was made"
        }
        @($byName['One Name For All']).Count | Should -Be 1 -Because 'one name is one app'
        @($Results.Shared | Select-Object -Unique) | Should -Be @($byName['One Name For All'])
    }
}

Describe 'Processes sharing one -LocalTenant -Path file' {
    BeforeAll {
        $state = Join-Path ([IO.Path]::GetTempPath()) "entraappkit-concurrency-$([guid]::NewGuid().ToString('N'))/tenant.json"
        $connect = { param($path) Connect-EntraAppKit -LocalTenant -Path $path }
    }
    AfterAll { Remove-Item -LiteralPath (Split-Path $state) -Recurse -Force -ErrorAction SilentlyContinue }

    It 'keep every app each process made, and make one app of one name' {
        $results = Invoke-InProcesses -Connect $connect -With @{ path = $state }
        Assert-NothingLost -Results $results -Registered (Get-Registered -Connect $connect -With @{ path = $state })
    }

    It 'keep them on a second round, which changes nothing' {
        $results = Invoke-InProcesses -Connect $connect -With @{ path = $state }
        $registered = Get-Registered -Connect $connect -With @{ path = $state }
        Assert-NothingLost -Results $results -Registered $registered
        @($registered).Count | Should -Be ($Processes + 1)
    }
}

Describe 'Processes sharing one local tenant server' {
    BeforeAll {
        $server = Start-LocalTenantServer
        $connect = { param($token, $graph) Connect-EntraAppKit -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint $graph }
        $with = @{ token = $server.Token; graph = $server.Uri }
    }
    AfterAll { Stop-LocalTenantServer -Server $server }

    It 'keep every app each process made, and make one app of one name' {
        $results = Invoke-InProcesses -Connect $connect -With $with
        Assert-NothingLost -Results $results -Registered (Get-Registered -Connect $connect -With $with)
    }
}
