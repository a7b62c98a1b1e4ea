# The local tenant served over HTTP (src/EntraAppKit.LocalTenant.Server, entraappkit-localtenant) for the Pester suite:
# the module under test connects to it as to any Graph endpoint, and a test makes Graph fail or slow down through the
# server's control endpoint (/_localtenant/faults), which the in-process -LocalTenant does not offer.

Set-StrictMode -Version Latest

function Get-LocalTenantServerPath {
    # ENTRAAPPKIT_LOCALTENANT_SERVER, or the newest build of the server in the repository (build.ps1 builds Release).
    if ($env:ENTRAAPPKIT_LOCALTENANT_SERVER) { return $env:ENTRAAPPKIT_LOCALTENANT_SERVER }
    $bin = Join-Path $PSScriptRoot '../../../src/EntraAppKit.LocalTenant.Server/bin'
    $found = @(Get-ChildItem -Path $bin -Recurse -Filter 'entraappkit-localtenant.dll' -ErrorAction SilentlyContinue | Sort-Object LastWriteTimeUtc -Descending)
    if ($found.Count -eq 0) { throw "No build of the local tenant server under ${bin}: run ./build.ps1 first." }
    return $found[0].FullName
}

function Start-LocalTenantServer {
    <#
    .SYNOPSIS
        Starts a new local tenant on a free loopback port; returns its Graph endpoint (Uri), tenant id (TenantId), a
        24-hour token of its built-in administrator (Token) and the process. With -TlsDirectory it serves HTTPS with the
        CA and certificate it keeps there, and CaFile is the CA's PEM file; -TlsHost adds DNS names to its certificate
        (login.microsoftonline.com for az, with -Port 443). -User creates users ('UPN:PASSWORD[:ROLE[,ROLE...]]', the
        server's --user) and -AdminPassword lets the built-in administrator (AdminUserPrincipalName) sign in at the
        authorize endpoint's sign-in page (--admin-password); Domain is the tenant's initial domain, for their UPNs.
        -Tenant adds further tenants to the local cloud (the server's --tenant NAME[:GUID]), each 'NAME' or 'NAME:GUID', with
        the initial domain NAME.onmicrosoft.com: a -User whose UPN is in that domain is made in that tenant (given after its
        --tenant), every other -User in the first one; -AdminPassword is every tenant's administrator's. Tenants lists the
        further tenants in order, each with its TenantId, Domain, AdminUserPrincipalName and Token (its administrator's).
        Stop it with Stop-LocalTenantServer.
    #>
    param([string] $TlsDirectory, [int] $Port = 0, [string[]] $TlsHost = @(), [string[]] $User = @(), [string] $AdminPassword,
        [string[]] $Tenant = @())
    $arguments = @((Get-LocalTenantServerPath), '--port', "$Port", '--print-admin-token')
    if ($TlsDirectory) { $arguments += @('--https', '--tls-dir', $TlsDirectory) }
    foreach ($name in $TlsHost) { $arguments += @('--tls-host', $name) }
    $furtherDomains = @(foreach ($entry in $Tenant) { "$($entry.Split(':')[0]).onmicrosoft.com".ToLowerInvariant() })
    $domainOf = { param($entry) $upn = $entry.Split(':')[0]; $upn.Substring($upn.IndexOf('@') + 1).ToLowerInvariant() }
    foreach ($entry in $User) {
        if ($furtherDomains -notcontains (& $domainOf $entry)) { $arguments += @('--user', $entry) }
    }
    for ($i = 0; $i -lt $Tenant.Count; $i++) {
        $arguments += @('--tenant', $Tenant[$i])
        foreach ($entry in $User) {
            if ((& $domainOf $entry) -eq $furtherDomains[$i]) { $arguments += @('--user', $entry) }
        }
    }
    if ($AdminPassword) { $arguments += @('--admin-password', $AdminPassword) }
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = 'dotnet'
    foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $uri = $null
    $tenantId = $null
    $domain = $null
    $adminUpn = $null
    $token = $null
    $caFile = $null
    $further = [System.Collections.Generic.List[object]]::new()
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not ($token -and ($caFile -or -not $TlsDirectory) -and @($further | Where-Object Token).Count -eq $Tenant.Count) -and [DateTime]::UtcNow -lt $deadline) {
        $line = $process.StandardOutput.ReadLine()
        if ($null -eq $line) { break }
        if ($line -match '^Local tenant (\S+) \((\S+)\) listening on (https?://\S+)/v1\.0$') { $tenantId = $Matches[1]; $domain = $Matches[2]; $uri = $Matches[3] }
        if ($line -match '^Admin token \(([^,)]*)[^)]*\): (\S+)$') { $adminUpn = $Matches[1]; $token = $Matches[2] }
        if ($line -match '^Also tenant (\S+) \((\S+)\): ') {
            $further.Add([pscustomobject]@{ TenantId = $Matches[1]; Domain = $Matches[2]; AdminUserPrincipalName = $null; Token = $null })
        }
        if ($line -match '^Admin token of (\S+) \(([^,)]*)[^)]*\): (\S+)$') {
            $entry = $further | Where-Object Domain -eq $Matches[1] | Select-Object -First 1
            if ($entry) { $entry.AdminUserPrincipalName = $Matches[2]; $entry.Token = $Matches[3] }
        }
        if ($line -match '^TLS CA \([^)]*\): (.+?) \(trust it') { $caFile = $Matches[1] }
    }
    if (-not $uri -or -not $token -or ($TlsDirectory -and -not $caFile) -or @($further | Where-Object Token).Count -ne $Tenant.Count) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The local tenant server did not start: $($process.StandardError.ReadToEnd())"
    }
    [pscustomobject]@{
        Uri = $uri; TenantId = $tenantId; Token = $token; CaFile = $caFile; Process = $process
        Domain = $domain; AdminUserPrincipalName = $adminUpn; Tenants = @($further)
    }
}

function Stop-LocalTenantServer {
    param([Parameter(Mandatory)] $Server)
    if (-not $Server.Process.HasExited) { $Server.Process.Kill(); $Server.Process.WaitForExit() }
}

function Get-LocalTenantControlHeader {
    # The control endpoints take the built-in administrator's token, as Graph does any token, when authentication is on.
    param([Parameter(Mandatory)] $Server)
    @{ Authorization = "Bearer $($Server.Token)" }
}

function Invoke-LocalTenantControl {
    # A call of the harness to a control endpoint. Over --https it skips the certificate check: the harness is not the
    # client under test, and the clients under test (az, Node, the module) validate the server's certificate themselves.
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, [string] $Body)
    $arguments = @{ Method = $Method; Uri = "$($Server.Uri)$Path"; Headers = (Get-LocalTenantControlHeader $Server) }
    if ($Server.CaFile) { $arguments.SkipCertificateCheck = $true }
    if ($Body) { $arguments.Body = $Body; $arguments.ContentType = 'application/json' }
    Invoke-RestMethod @arguments
}

function Set-LocalTenantFault {
    <#
    .SYNOPSIS
        Posts a fault rule to the server (/_localtenant/faults): for example @{ fail = @{ count = 1; status = 500;
        method = 'POST'; pathContains = '/addPassword' } }, @{ crash = @{ count = 1 } }, @{ latencyMs = 500 } or @{ clear = $true }.
        Sends the server's admin token (Start-LocalTenantServer's Token).
    #>
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [hashtable] $Fault)
    $null = Invoke-LocalTenantControl -Server $Server -Method Post -Path '/_localtenant/faults' -Body ($Fault | ConvertTo-Json -Depth 5)
}

function Get-LocalTenantRequest {
    # The Graph requests the server has answered so far: method, path, status, requestId.
    param([Parameter(Mandatory)] $Server)
    # The log also lists token and discovery requests (kind 'identity'); they are not Graph requests.
    @((Invoke-LocalTenantControl -Server $Server -Method Get -Path '/_localtenant/requests').value |
        Where-Object kind -eq 'graph')
}

function Clear-LocalTenantRequest {
    param([Parameter(Mandatory)] $Server)
    $null = Invoke-LocalTenantControl -Server $Server -Method Delete -Path '/_localtenant/requests'
}

Export-ModuleMember -Function Start-LocalTenantServer, Stop-LocalTenantServer, Set-LocalTenantFault, Get-LocalTenantRequest, Clear-LocalTenantRequest
