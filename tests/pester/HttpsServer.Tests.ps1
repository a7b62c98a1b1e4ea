#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# EntraAppKit against the local tenant server over HTTPS, end to end: Connect-EntraAppKit signs in at the server
# (-AuthorityHost) with an app's client secret and calls Graph there (-GraphEndpoint), every recipe runs, and
# Test-EntraAppCredential requests its token from the same server. The module validates the server's certificate as any
# other: it runs in a child pwsh whose SSL_CERT_FILE names the server's CA, because .NET reads the certificates it trusts
# when the process starts. Only this file's own setup calls skip the certificate check.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force

    $tlsDirectory = Join-Path ([IO.Path]::GetTempPath()) "entraappkit-https-$([guid]::NewGuid().ToString('N'))"
    $null = New-Item -ItemType Directory -Path $tlsDirectory
    $server = Start-LocalTenantServer -TlsDirectory $tlsDirectory
    $admin = @{ Authorization = "Bearer $($server.Token)" }
    $graph = "$($server.Uri)/v1.0"

    # The test's setup, as the administrator: -SkipCertificateCheck here only, never in the module under test.
    function Invoke-Admin {
        param([string] $Method = 'Get', [string] $Path, $Body)
        $call = @{ Method = $Method; Uri = "$graph$Path"; Headers = $admin; SkipCertificateCheck = $true }
        if ($null -ne $Body) { $call.ContentType = 'application/json'; $call.Body = ($Body | ConvertTo-Json -Depth 6) }
        Invoke-RestMethod @call
    }

    function Get-ServerRequest {
        # Every entry of the server's request log (kind graph, identity or resourceManager).
        @((Invoke-RestMethod -Uri "$($server.Uri)/_localtenant/requests" -Headers $admin -SkipCertificateCheck).value)
    }

    function Clear-ServerRequest {
        $null = Invoke-RestMethod -Method Delete -Uri "$($server.Uri)/_localtenant/requests" -Headers $admin -SkipCertificateCheck
    }

    function Find-App {
        param([string] $DisplayName)
        @((Invoke-Admin -Path "/applications?`$filter=displayName eq '$DisplayName'").value)
    }

    # The app the module signs in as: a client secret and the Graph application permissions the recipes write with
    # (PermissionPreflight), read the tenant with (GET /organization, /domains) and grant with.
    $runner = Invoke-Admin -Method Post -Path '/applications' -Body @{ displayName = 'EntraAppKit HTTPS runner' }
    $runnerSecret = (Invoke-Admin -Method Post -Path "/applications/$($runner.id)/addPassword" -Body @{ passwordCredential = @{ displayName = 'pester' } }).secretText
    $runnerPrincipal = Invoke-Admin -Method Post -Path '/servicePrincipals' -Body @{ appId = $runner.appId }
    $graphPrincipal = @((Invoke-Admin -Path "/servicePrincipals?`$filter=appId eq '00000003-0000-0000-c000-000000000000'").value)[0]
    $runnerRoles = 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Organization.Read.All', 'Domain.Read.All'
    foreach ($role in $runnerRoles) {
        $appRole = $graphPrincipal.appRoles | Where-Object value -EQ $role
        $null = Invoke-Admin -Method Post -Path "/servicePrincipals/$($graphPrincipal.id)/appRoleAssignedTo" -Body @{
            principalId = $runnerPrincipal.id; resourceId = $graphPrincipal.id; appRoleId = $appRole.id
        }
    }

    # A child pwsh running -Script. The script talks to this process in steps: it writes 'STEP <name> <json>' on stdout
    # and waits for a line on stdin before going on, so the test can read and clear the server's log between steps.
    # The secret reaches it through its environment, never its command line or output.
    function Start-Child {
        param([Parameter(Mandatory)] [string] $Script, [switch] $TrustServer)
        $file = Join-Path $tlsDirectory "child-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $file -Value $Script -Encoding utf8
        $command = @(Get-PowerShellCommand)
        $start = New-Object System.Diagnostics.ProcessStartInfo
        $start.FileName = $command[0]
        foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $start.ArgumentList.Add($argument) }
        $start.UseShellExecute = $false
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        # Neither the parent's trust settings nor anything else decides what the child trusts: only SSL_CERT_FILE below.
        $null = $start.Environment.Remove('SSL_CERT_FILE')
        $null = $start.Environment.Remove('SSL_CERT_DIR')
        if ($TrustServer) { $start.Environment['SSL_CERT_FILE'] = $server.CaFile }
        $start.Environment['ENTRAAPPKIT_MODULE'] = Get-ModuleUnderTest
        $start.Environment['EAK_TEST_SERVER'] = $server.Uri
        $start.Environment['EAK_TEST_TENANT'] = $server.TenantId
        $start.Environment['EAK_TEST_CLIENT'] = $runner.appId
        $start.Environment['EAK_TEST_SECRET'] = $runnerSecret
        $process = [System.Diagnostics.Process]::Start($start)
        [pscustomobject]@{ Process = $process; Other = New-Object System.Collections.Generic.List[string] }
    }

    function Receive-Step {
        # The next step's data; a child that says nothing for two minutes is a hang, and fails the test as one.
        param([Parameter(Mandatory)] $Child, [Parameter(Mandatory)] [string] $Name, [int] $TimeoutSeconds = 120)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ($true) {
            $left = $deadline - [DateTime]::UtcNow
            $read = $Child.Process.StandardOutput.ReadLineAsync()
            if ($left -le [TimeSpan]::Zero -or -not $read.Wait($left)) {
                Stop-Child $Child
                throw "The child pwsh gave no '$Name' step within $TimeoutSeconds s (a hang). Its other output: $($Child.Other -join ' | ')"
            }
            $line = $read.Result
            if ($null -eq $line) { throw "The child pwsh ended before step '$Name' (exit code $($Child.Process.ExitCode)). Its other output: $($Child.Other -join ' | ')" }
            if ($line -match '^STEP (\S+) (.*)$') {
                $data = $Matches[2] | ConvertFrom-Json
                if ($Matches[1] -eq 'error') { throw "The child pwsh failed before step '${Name}': $($data.FullyQualifiedErrorId) [$($data.Category)]: $($data.Message)" }
                if ($Matches[1] -ne $Name) { throw "Expected step '$Name' from the child pwsh, got '$($Matches[1])'." }
                return $data
            }
            $Child.Other.Add($line)
        }
    }

    function Send-Go {
        param([Parameter(Mandatory)] $Child)
        $Child.Process.StandardInput.WriteLine('go')
        $Child.Process.StandardInput.Flush()
    }

    function Stop-Child {
        param([Parameter(Mandatory)] $Child)
        if (-not $Child.Process.HasExited) { $Child.Process.Kill($true); $Child.Process.WaitForExit() }
    }

    # What every child script starts with: the step protocol, and any failure reported as its ErrorRecord's stable parts.
    $childPrelude = @'
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
function Step([string] $Name, $Data) {
    [Console]::Out.WriteLine("STEP $Name " + (ConvertTo-Json -InputObject $Data -Depth 6 -Compress))
    [Console]::Out.Flush()
    $null = [Console]::In.ReadLine()
}
trap {
    $record = $_
    Step 'error' ([ordered]@{
        FullyQualifiedErrorId = $record.FullyQualifiedErrorId
        Category              = "$($record.CategoryInfo.Category)"
        Target                = "$($record.TargetObject)"
        Message               = $record.Exception.Message
    })
    exit 1
}
Import-Module $env:ENTRAAPPKIT_MODULE
$secret = ConvertTo-SecureString $env:EAK_TEST_SECRET -AsPlainText -Force
Remove-Item Env:\EAK_TEST_SECRET
'@
}

AfterAll {
    if ($server) { Stop-LocalTenantServer -Server $server }
    if ($tlsDirectory) { Remove-Item -LiteralPath $tlsDirectory -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'EntraAppKit connected to the local tenant server over HTTPS' {
    BeforeAll {
        $script = $childPrelude + @'

$context = Connect-EntraAppKit -TenantId $env:EAK_TEST_TENANT -ClientId $env:EAK_TEST_CLIENT -ClientSecret $secret -AuthorityHost $env:EAK_TEST_SERVER -GraphEndpoint $env:EAK_TEST_SERVER
Step 'connected' ([ordered]@{
    Environment = $context.Environment; AuthorityHost = $context.AuthorityHost; GraphEndpoint = $context.GraphEndpoint
    AuthenticationMethod = $context.AuthenticationMethod; Account = $context.Account; TenantId = $context.TenantId; Roles = $context.Roles
})

$quiet = @{ WarningAction = 'SilentlyContinue' }
$rewst = New-RewstAppRegistration -Name 'HTTPS Rewst' @quiet
$cmgServer = New-CmgServerApp -Name 'HTTPS-CMG-Server' @quiet
$cmgClient = $cmgServer | New-CmgClientApp -Name 'HTTPS-CMG-Client' @quiet
$writeBack = New-WriteBackAppRegistration -Name 'HTTPS WriteBack' @quiet
$redirect = $writeBack | Add-WriteBackRedirectUri -Uri 'https://wbe.contoso.com/backend/oauth/callback' @quiet
$konnect = New-KonnectDcrApp -Name 'HTTPS Konnect' @quiet
$general = New-EntraAppRegistration -Name 'HTTPS General' -ApplicationPermission 'Application.Read.All' -DelegatedPermission 'User.Read' -NoSecret @quiet
$consent = @(Grant-AdminConsent -ClientId $general.ClientId @quiet)
# Only what a recipe shows besides its secret: the secrets stay in this process.
Step 'recipes' ([ordered]@{
    Rewst     = [ordered]@{ ClientId = $rewst.ClientId; AuthSubject = $rewst.AuthSubject; HasSecret = $null -ne $rewst.ClientSecret }
    CmgServer = [ordered]@{ ClientId = $cmgServer.ClientId; AppIdUri = $cmgServer.AppIdUri; HasSecret = $null -ne $cmgServer.SecretKey }
    CmgClient = [ordered]@{ ClientId = $cmgClient.ClientId }
    WriteBack = [ordered]@{ ClientId = $writeBack.ClientId; HasSecret = $null -ne $writeBack.ClientSecret }
    Redirect  = [ordered]@{ ClientId = $redirect.ClientId }
    Konnect   = [ordered]@{ ClientId = $konnect.InitialClientId; IssuerUrl = $konnect.IssuerUrl; HasSecret = $null -ne $konnect.InitialClientSecret }
    General   = [ordered]@{ ClientId = $general.ClientId }
    Consent   = @($consent | ForEach-Object { [ordered]@{ Permission = $_.Permission; Type = "$($_.Type)"; Status = "$($_.Status)" } })
})

$test = $konnect | Test-EntraAppCredential
Step 'tested' ([ordered]@{ ClientId = $test.ClientId; Success = $test.Success; Error = $test.Error; Roles = $test.Roles; CredentialType = $test.CredentialType })
'@
        Clear-ServerRequest
        $child = Start-Child -Script $script -TrustServer
        $connected = Receive-Step $child 'connected'
        $connectRequests = Get-ServerRequest
        Send-Go $child
        $recipes = Receive-Step $child 'recipes' -TimeoutSeconds 240
        # Only Test-EntraAppCredential's requests from here on.
        Clear-ServerRequest
        Send-Go $child
        $tested = Receive-Step $child 'tested'
        $testRequests = Get-ServerRequest
        Send-Go $child
        $exited = $child.Process.WaitForExit(60000)
    }
    AfterAll { if ($child) { Stop-Child $child } }

    It 'signs in at the server with the app''s client secret, and the context says where' {
        $connected.AuthenticationMethod | Should -Be 'ClientSecret'
        $connected.Account | Should -Be $runner.appId
        $connected.TenantId | Should -Be $server.TenantId
        $connected.AuthorityHost | Should -Be "$($server.Uri)/"
        $connected.GraphEndpoint | Should -Be $server.Uri
        @($connected.Roles) | Should -Contain 'AppRoleAssignment.ReadWrite.All'
    }

    It 'requests its token from the server''s token endpoint, without asking anyone about the authority' {
        $identity = @($connectRequests | Where-Object kind -EQ 'identity')
        @($identity | Where-Object { $_.method -eq 'POST' -and $_.path -eq "/$($server.TenantId)/oauth2/v2.0/token" -and $_.status -eq 200 }) | Should -HaveCount 1
        # Instance discovery is off for an authority that is not Microsoft's: no /common/discovery/instance, here or anywhere.
        @($connectRequests | Where-Object path -Match 'discovery/instance') | Should -BeNullOrEmpty
        @($connectRequests | Where-Object { $_.kind -eq 'graph' -and $_.path -like '/organization*' }) | Should -Not -BeNullOrEmpty
    }

    It 'runs every recipe there, and each app is on the server' {
        foreach ($name in 'HTTPS Rewst', 'HTTPS-CMG-Server', 'HTTPS-CMG-Client', 'HTTPS WriteBack', 'HTTPS Konnect', 'HTTPS General') {
            @(Find-App $name) | Should -HaveCount 1 -Because "the recipe made '$name' on the server"
        }
        (Find-App 'HTTPS Rewst')[0].appId | Should -Be $recipes.Rewst.ClientId
        $recipes.Rewst.HasSecret | Should -BeTrue
        $recipes.CmgServer.HasSecret | Should -BeTrue
        $recipes.WriteBack.HasSecret | Should -BeTrue
        $recipes.Konnect.HasSecret | Should -BeTrue
        $recipes.Konnect.IssuerUrl | Should -Match $server.TenantId
        $recipes.CmgServer.AppIdUri | Should -Be "api://$($server.TenantId)/HTTPS-CMG-Server"
        (Find-App 'HTTPS WriteBack')[0].web.redirectUris | Should -Contain 'https://wbe.contoso.com/backend/oauth/callback'
        $recipes.Redirect.ClientId | Should -Be $recipes.WriteBack.ClientId
        $serverAppAccess = (Find-App 'HTTPS-CMG-Client')[0].requiredResourceAccess.resourceAppId
        $serverAppAccess | Should -Contain $recipes.CmgServer.ClientId
    }

    It 'grants admin consent there' {
        $rows = @($recipes.Consent)
        ($rows | Where-Object Permission -EQ 'Application.Read.All').Status | Should -Be 'Granted'
        ($rows | Where-Object Permission -EQ 'User.Read').Status | Should -Be 'Granted'
        $principal = @((Invoke-Admin -Path "/servicePrincipals?`$filter=appId eq '$($recipes.General.ClientId)'").value)[0]
        $assigned = @((Invoke-Admin -Path "/servicePrincipals/$($principal.id)/appRoleAssignments").value)
        $assigned.appRoleId | Should -Contain ($graphPrincipal.appRoles | Where-Object value -EQ 'Application.Read.All').id
    }

    It 'Test-EntraAppCredential proves the Konnect secret with a token from the server' {
        $tested.Success | Should -BeTrue -Because $tested.Error
        $tested.ClientId | Should -Be $recipes.Konnect.ClientId
        $tested.Roles | Should -Be @('Application.Read.All', 'Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy')
        # Its one request: the server's token endpoint, for the Konnect app (Graph is not called).
        @($testRequests | Where-Object { $_.kind -eq 'identity' -and $_.method -eq 'POST' -and $_.path -eq "/$($server.TenantId)/oauth2/v2.0/token" -and $_.status -eq 200 }) | Should -HaveCount 1
        @($testRequests) | Should -HaveCount 1
    }

    It 'ends cleanly, having printed nothing of a secret' {
        $exited | Should -BeTrue
        $child.Process.ExitCode | Should -Be 0
        ($child.Other -join "`n") | Should -Not -Match ([regex]::Escape($runnerSecret))
    }
}

Describe 'EntraAppKit over HTTPS without trusting the server''s CA' {
    It 'fails the connection with an ErrorRecord naming the TLS failure, promptly' {
        $script = $childPrelude + @'

Connect-EntraAppKit -TenantId $env:EAK_TEST_TENANT -ClientId $env:EAK_TEST_CLIENT -ClientSecret $secret -AuthorityHost $env:EAK_TEST_SERVER -GraphEndpoint $env:EAK_TEST_SERVER | Out-Null
Step 'connected' @{}
'@
        Clear-ServerRequest
        $child = Start-Child -Script $script
        try {
            $failure = $null
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            try { $null = Receive-Step $child 'connected' -TimeoutSeconds 90 } catch { $failure = $_.Exception.Message }
            Write-Host "Without the CA ($([int]$clock.Elapsed.TotalSeconds) s, Azure.Core's retries included): $failure"
            $failure | Should -Match "failed before step 'connected': AuthenticationFailed,EntraAppKit\.Commands\.ConnectEntraAppKitCommand \[ConnectionError\]:"
            # The reason, not Azure.Core's "Retry failed after 4 tries": no trusted root for the server's certificate
            # (.NET on Linux says PartialChain, as the server sends its certificate without the CA's).
            $failure | Should -Match 'the TLS connection to the login authority failed: The remote certificate is invalid because of errors in the certificate chain: (PartialChain|UntrustedRoot)\.'
            Send-Go $child
            $child.Process.WaitForExit(30000) | Should -BeTrue
            $child.Process.ExitCode | Should -Be 1
            # The TLS handshake failed, so no request reached the server's log.
            @(Get-ServerRequest) | Should -BeNullOrEmpty
        }
        finally { Stop-Child $child }
    }
}

Describe 'New-RewstAppRegistration run twice over HTTPS' {
    BeforeAll {
        $script = $childPrelude + @'

Connect-EntraAppKit -TenantId $env:EAK_TEST_TENANT -ClientId $env:EAK_TEST_CLIENT -ClientSecret $secret -AuthorityHost $env:EAK_TEST_SERVER -GraphEndpoint $env:EAK_TEST_SERVER | Out-Null
Step 'connected' @{}
$first = New-RewstAppRegistration -Name 'HTTPS Rewst Rerun' -WarningAction SilentlyContinue
Step 'first' @{ ClientId = $first.ClientId; Changes = @($first.Changes).Count }
$second = New-RewstAppRegistration -Name 'HTTPS Rewst Rerun' -WarningAction SilentlyContinue
Step 'second' @{ ClientId = $second.ClientId; Changes = @($second.Changes).Count; HasSecret = $null -ne $second.ClientSecret }
'@
        $child = Start-Child -Script $script -TrustServer
        $null = Receive-Step $child 'connected'
        Clear-ServerRequest
        Send-Go $child
        $first = Receive-Step $child 'first'
        $firstRequests = @(Get-ServerRequest | Where-Object kind -EQ 'graph')
        Clear-ServerRequest
        Send-Go $child
        $second = Receive-Step $child 'second'
        $secondRequests = @(Get-ServerRequest | Where-Object kind -EQ 'graph')
        Send-Go $child
        $null = $child.Process.WaitForExit(60000)
        # A round trip is a request on the wire (a $batch is one; its items are logged inBatch); a write is a changing item, never the $batch envelope.
        $roundTrips = { param($requests) @($requests | Where-Object { -not $_.inBatch }) }
        $writes = { param($requests) @($requests | Where-Object { @('POST', 'PATCH', 'PUT', 'DELETE') -contains $_.method -and $_.path -ne '/$batch' }) }
        $firstTrips = & $roundTrips $firstRequests
        $secondTrips = & $roundTrips $secondRequests
        $firstWrites = & $writes $firstRequests
        $secondWrites = & $writes $secondRequests
        Write-Host "New-RewstAppRegistration over HTTPS: first run: $($firstTrips.Count) round trips ($($firstWrites.Count) writes); second run: $($secondTrips.Count) round trips ($($secondWrites.Count) writes)"
    }
    AfterAll { if ($child) { Stop-Child $child } }

    It 'the first run creates the app (its Graph requests: the README''s 3 round trips, 3 writes)' {
        $firstTrips.Count | Should -Be 3 -Because (($firstRequests | ForEach-Object { "$($_.method) $($_.path)" }) -join '; ')
        $firstWrites.Count | Should -Be 3
        @(Find-App 'HTTPS Rewst Rerun') | Should -HaveCount 1
    }

    It 'the second run finds it and makes no write (the README''s 2 round trips, 0 writes)' {
        $second.ClientId | Should -Be $first.ClientId
        $second.HasSecret | Should -BeFalse
        $secondWrites | Should -BeNullOrEmpty -Because (($secondWrites | ForEach-Object { "$($_.method) $($_.path)" }) -join '; ')
        $secondTrips.Count | Should -Be 2 -Because (($secondRequests | ForEach-Object { "$($_.method) $($_.path)" }) -join '; ')
        @(Find-App 'HTTPS Rewst Rerun') | Should -HaveCount 1
    }
}
