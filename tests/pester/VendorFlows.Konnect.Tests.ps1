#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Kong Konnect's dynamic client registration with Azure AD (developer.konghq.com/how-to/azure-ad-dcr/), end to end: the
# packaged module runs New-KonnectDcrApp against the local tenant server, and then this file plays Konnect with plain HTTP
# only (Invoke-WebRequest, no EntraAppKit code) from what the recipe returned: a client-credentials token for the initial
# app (InitialClientId, ClientSecret), and per developer an application made, given a secret, rotated, read and deleted
# through Microsoft Graph; the developer's own token carries the ConsumerClaim (appid) and the IssuerUrl's issuer. With
# -LeastPrivilege (Application.ReadWrite.OwnedBy) the initial app manages only what it owns: Graph's 403 on an app the
# administrator made, which the default variant (Application.ReadWrite.All) can change. Removing the permission the flow
# rests on, or sending a wrong secret, fails as Entra documents. No secret is printed: failure messages name status codes,
# error codes and messages only.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/OAuthClient.psm1') -Force

    $GraphAppId = '00000003-0000-0000-c000-000000000000'
    $Denied = 'Insufficient privileges to complete the operation.'

    # One HTTP exchange as Konnect makes it: status, parsed JSON body (or $null), and Graph's error code and message.
    function Invoke-VendorGraph {
        param([Parameter(Mandatory)] [string] $Token, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body)
        Invoke-GraphRequest -Endpoint $Server.Uri -Token $Token -Method $Method -Path $Path -Body $Body
    }

    # A client-credentials token from the server's token endpoint (v2.0 with scope=, or v1 with resource=, as Kong's page).
    function Request-ClientToken {
        param([Parameter(Mandatory)] [string] $ClientId, [Parameter(Mandatory)] [string] $Secret, [ValidateSet('v1', 'v2')] [string] $Endpoint = 'v2')
        $form = @{ grant_type = 'client_credentials'; client_id = $ClientId; client_secret = $Secret }
        if ($Endpoint -eq 'v1') { $form.resource = 'https://graph.microsoft.com'; $path = 'oauth2/token' }
        else { $form.scope = 'https://graph.microsoft.com/.default'; $path = 'oauth2/v2.0/token' }
        Invoke-TokenRequest -Uri "$($Server.Uri)/$($Server.TenantId)/$path" -Form $form
    }

    function Get-InitialToken {
        param([Parameter(Mandatory)] $Recipe)
        $token = Request-ClientToken -ClientId $Recipe.InitialClientId -Secret $Recipe.Secret
        $token.Status | Should -Be 200 -Because "the initial app signs in with the recipe's client id and secret ($($token.Description))"
        $token.AccessToken
    }

    # Graph's 403 for a token without the permission, exactly.
    function Assert-Denied {
        param([Parameter(Mandatory)] $Response, [string] $Because)
        $Response.Status | Should -Be 403 -Because $Because
        $Response.Code | Should -Be 'Authorization_RequestDenied'
        $Response.Message | Should -Be $Denied
    }

    # The Graph application role the initial app's service principal holds for $Value, as the administrator reads it.
    function Get-GraphRoleAssignment {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Value)
        $graph = Invoke-VendorGraph -Token $Server.Token -Method Get -Path "/servicePrincipals(appId='$GraphAppId')"
        $graph.Status | Should -Be 200
        $roleId = @($graph.Body.appRoles | Where-Object value -EQ $Value)[0].id
        $assignments = Invoke-VendorGraph -Token $Server.Token -Method Get -Path "/servicePrincipals(appId='$($Recipe.InitialClientId)')/appRoleAssignments"
        $assignments.Status | Should -Be 200
        @($assignments.Body.value | Where-Object { $_.appRoleId -eq $roleId -and $_.resourceId -eq $graph.Body.id })
    }

    function Remove-GraphRoleAssignment {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Value)
        $assignment = @(Get-GraphRoleAssignment -Recipe $Recipe -Value $Value)
        $assignment.Count | Should -Be 1 -Because "the recipe granted $Value"
        $removed = Invoke-VendorGraph -Token $Server.Token -Method Delete -Path "/servicePrincipals/$($assignment[0].principalId)/appRoleAssignments/$($assignment[0].id)"
        $removed.Status | Should -Be 204
    }

    # Runs the recipe in the module session; returns its output and the secret as text, for the vendor's side only.
    function Invoke-DcrRecipe {
        param([Parameter(Mandatory)] [string] $Name, [switch] $LeastPrivilege)
        $run = Invoke-ModuleSession -Session $Session -Variables @{ name = $Name; least = [bool] $LeastPrivilege } -ScriptBlock {
            New-KonnectDcrApp -Name $name -LeastPrivilege:$least -WarningAction SilentlyContinue
        }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        @($run.Output).Count | Should -Be 1
        $out = $run.Output[0]
        $out.ClientSecret | Should -BeOfType [securestring]
        [pscustomobject]@{
            Output          = $out
            InitialClientId = $out.InitialClientId
            IssuerUrl       = $out.IssuerUrl
            ConsumerClaim   = $out.ConsumerClaim
            Secret          = [System.Net.NetworkCredential]::new('', $out.ClientSecret).Password
        }
    }

    $Server = Start-LocalTenantServer
    $Session = New-ModuleSession -Server $Server
}

AfterAll {
    if ($Session) { Remove-ModuleSession -Session $Session }
    if ($Server) { Stop-LocalTenantServer -Server $Server }
}

Describe 'Kong Konnect DCR with New-KonnectDcrApp<Switch>' -ForEach @(
    @{ Switch = ''; Least = $false; Name = 'Konnect DCR Flow'; Roles = @('Application.Read.All', 'Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy') }
    @{ Switch = ' -LeastPrivilege'; Least = $true; Name = 'Konnect DCR Flow Least'; Roles = @('Application.ReadWrite.OwnedBy') }
) {
    BeforeAll {
        $Recipe = Invoke-DcrRecipe -Name $Name -LeastPrivilege:$Least
    }

    It 'returns the settings Konnect''s Application Setup asks for' {
        $Recipe.IssuerUrl | Should -BeExactly "https://sts.windows.net/$($Server.TenantId)" -Because 'Kong: Issuer URL https://sts.windows.net/YOUR_TENANT_ID'
        $Recipe.ConsumerClaim | Should -BeExactly 'appid' -Because 'Kong: Consumer claims appid'
        $Recipe.InitialClientId | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    }

    It 'the initial client''s token is a v1 Graph token of the IssuerUrl whose ConsumerClaim is the initial client id, with the consented roles' {
        foreach ($endpoint in @('v2', 'v1')) {
            $token = Request-ClientToken -ClientId $Recipe.InitialClientId -Secret $Recipe.Secret -Endpoint $endpoint
            $token.Status | Should -Be 200 -Because "the ${endpoint} endpoint answers $($token.Description)"
            $claims = ConvertFrom-Jwt $token.AccessToken
            # Graph's tokens are v1.0 at either endpoint: iss is the sts.windows.net issuer, with the trailing slash Kong leaves off.
            $claims.iss | Should -BeExactly "$($Recipe.IssuerUrl)/"
            $claims.ver | Should -BeExactly '1.0'
            $claims.aud | Should -BeExactly 'https://graph.microsoft.com'
            $claims.tid | Should -BeExactly $Server.TenantId
            $claims.($Recipe.ConsumerClaim) | Should -BeExactly $Recipe.InitialClientId
            @($claims.roles | Sort-Object) | Should -Be @($Roles | Sort-Object)
        }
    }

    It 'a wrong initial client secret is Entra''s AADSTS7000215' {
        $token = Request-ClientToken -ClientId $Recipe.InitialClientId -Secret 'not-the-secret~0000000000000000000000000'
        $token.Status | Should -Be 401
        $token.Error | Should -BeExactly 'invalid_client'
        $token.Description | Should -BeLike "AADSTS7000215: Invalid client secret provided. *for a secret added to app '$($Recipe.InitialClientId)'.*"
        $token.AccessToken | Should -BeNullOrEmpty
    }

    It 'Konnect creates a developer''s application, gives it a secret, rotates it, reads it and deletes it' {
        $initial = Get-InitialToken $Recipe
        $initialSp = Invoke-VendorGraph -Token $Server.Token -Method Get -Path "/servicePrincipals(appId='$($Recipe.InitialClientId)')"
        $initialSp.Status | Should -Be 200

        # New App in the Dev Portal: an application in Azure, with the initial app as its owner.
        $created = Invoke-VendorGraph -Token $initial -Method Post -Path '/applications' -Body @{ displayName = "Konnect developer app$Switch" }
        $created.Status | Should -Be 201 -Because "$($created.Code) $($created.Message)"
        $app = $created.Body
        $owners = Invoke-VendorGraph -Token $initial -Method Get -Path "/applications/$($app.id)/owners"
        $owners.Status | Should -Be 200
        @($owners.Body.value.id) | Should -Be @($initialSp.Body.id) -Because 'an app-only creator owns what it creates'
        $listed = Invoke-VendorGraph -Token $initial -Method Get -Path "/applications?`$filter=appId eq '$($app.appId)'"
        $listed.Status | Should -Be 200
        @($listed.Body.value.displayName) | Should -Be @("Konnect developer app$Switch")

        # Its service principal, so that the developer's client id signs in to the tenant.
        $sp = Invoke-VendorGraph -Token $initial -Method Post -Path '/servicePrincipals' -Body @{ appId = $app.appId }
        $sp.Status | Should -Be 201 -Because "$($sp.Code) $($sp.Message)"

        # The Client Secret the developer is shown once.
        $first = Invoke-VendorGraph -Token $initial -Method Post -Path "/applications/$($app.id)/addPassword" -Body @{ passwordCredential = @{ displayName = 'Konnect' } }
        $first.Status | Should -Be 200 -Because "$($first.Code) $($first.Message)"
        $first.Body.secretText | Should -Not -BeNullOrEmpty
        $read = Invoke-VendorGraph -Token $initial -Method Get -Path "/applications/$($app.id)"
        $read.Status | Should -Be 200
        @($read.Body.passwordCredentials.keyId) | Should -Be @($first.Body.keyId)

        # The developer's bearer token (Kong: client_credentials, scope https://graph.microsoft.com/.default): Konnect maps
        # its ConsumerClaim to the developer's application, and checks its issuer.
        $developer = Request-ClientToken -ClientId $app.appId -Secret $first.Body.secretText -Endpoint v1
        $developer.Status | Should -Be 200 -Because $developer.Description
        $claims = ConvertFrom-Jwt $developer.AccessToken
        $claims.($Recipe.ConsumerClaim) | Should -BeExactly $app.appId
        $claims.iss | Should -BeExactly "$($Recipe.IssuerUrl)/"
        $v2 = Request-ClientToken -ClientId $app.appId -Secret $first.Body.secretText
        $v2.Status | Should -Be 200 -Because $v2.Description
        (ConvertFrom-Jwt $v2.AccessToken).($Recipe.ConsumerClaim) | Should -BeExactly $app.appId

        # Rotation: a new secret, then the old one removed; Graph keeps only the new one, and only the new one signs in.
        $second = Invoke-VendorGraph -Token $initial -Method Post -Path "/applications/$($app.id)/addPassword" -Body @{ passwordCredential = @{ displayName = 'Konnect rotated' } }
        $second.Status | Should -Be 200 -Because "$($second.Code) $($second.Message)"
        $second.Body.keyId | Should -Not -Be $first.Body.keyId
        $removed = Invoke-VendorGraph -Token $initial -Method Post -Path "/applications/$($app.id)/removePassword" -Body @{ keyId = $first.Body.keyId }
        $removed.Status | Should -Be 204 -Because "$($removed.Code) $($removed.Message)"
        $read = Invoke-VendorGraph -Token $initial -Method Get -Path "/applications/$($app.id)"
        $read.Status | Should -Be 200
        @($read.Body.passwordCredentials.keyId) | Should -Be @($second.Body.keyId)
        @($read.Body.passwordCredentials.displayName) | Should -Be @('Konnect rotated')
        $old = Request-ClientToken -ClientId $app.appId -Secret $first.Body.secretText
        $old.Status | Should -Be 401
        $old.Description | Should -BeLike 'AADSTS7000215: *'
        $new = Request-ClientToken -ClientId $app.appId -Secret $second.Body.secretText
        $new.Status | Should -Be 200 -Because $new.Description

        # An update Konnect makes when the developer renames the app.
        $patched = Invoke-VendorGraph -Token $initial -Method Patch -Path "/applications/$($app.id)" -Body @{ displayName = "Konnect developer app$Switch renamed" }
        $patched.Status | Should -Be 204 -Because "$($patched.Code) $($patched.Message)"
        (Invoke-VendorGraph -Token $initial -Method Get -Path "/applications/$($app.id)").Body.displayName | Should -BeExactly "Konnect developer app$Switch renamed"

        # Deleting the app in the Dev Portal deletes it in Azure, with its service principal: its secret signs in no more.
        $deleted = Invoke-VendorGraph -Token $initial -Method Delete -Path "/applications/$($app.id)"
        $deleted.Status | Should -Be 204 -Because "$($deleted.Code) $($deleted.Message)"
        $gone = Invoke-VendorGraph -Token $initial -Method Get -Path "/applications/$($app.id)"
        $gone.Status | Should -Be 404
        $gone.Code | Should -Be 'Request_ResourceNotFound'
        (Invoke-VendorGraph -Token $Server.Token -Method Get -Path "/servicePrincipals(appId='$($app.appId)')").Status | Should -Be 404
        $after = Request-ClientToken -ClientId $app.appId -Secret $second.Body.secretText
        $after.Status | Should -Be 400
        $after.Error | Should -BeExactly 'unauthorized_client'
        $after.Description | Should -BeLike "AADSTS700016: *'$($app.appId)'*"
    }

    It 'an application the administrator made is <Foreign> by the initial app' -ForEach @(@{ Foreign = if ($Least) { 'not writable' } else { 'writable' } }) {
        $initial = Get-InitialToken $Recipe
        $made = Invoke-VendorGraph -Token $Server.Token -Method Post -Path '/applications' -Body @{ displayName = "Admin's own app$Switch" }
        $made.Status | Should -Be 201
        $foreign = $made.Body

        $secret = Invoke-VendorGraph -Token $initial -Method Post -Path "/applications/$($foreign.id)/addPassword" -Body @{ passwordCredential = @{ displayName = 'Konnect' } }
        $patch = Invoke-VendorGraph -Token $initial -Method Patch -Path "/applications/$($foreign.id)" -Body @{ displayName = 'Taken over' }
        if ($Least) {
            # Application.ReadWrite.OwnedBy: "It cannot update any apps that it is not an owner of." (permissions-reference)
            Assert-Denied $secret -Because 'the initial app does not own it'
            Assert-Denied $patch
            Assert-Denied (Invoke-VendorGraph -Token $initial -Method Post -Path "/applications/$($foreign.id)/removePassword" -Body @{ keyId = [guid]::NewGuid() })
            Assert-Denied (Invoke-VendorGraph -Token $initial -Method Delete -Path "/applications/$($foreign.id)")
            $still = Invoke-VendorGraph -Token $Server.Token -Method Get -Path "/applications/$($foreign.id)"
            $still.Status | Should -Be 200
            $still.Body.displayName | Should -BeExactly "Admin's own app$Switch"
            @($still.Body.passwordCredentials) | Should -HaveCount 0
        }
        else {
            # Application.ReadWrite.All: every application in the tenant, which is why Kong now recommends OwnedBy only.
            $secret.Status | Should -Be 200 -Because "$($secret.Code) $($secret.Message)"
            $patch.Status | Should -Be 204 -Because "$($patch.Code) $($patch.Message)"
            $read = Invoke-VendorGraph -Token $Server.Token -Method Get -Path "/applications/$($foreign.id)"
            $read.Body.displayName | Should -BeExactly 'Taken over'
            @($read.Body.passwordCredentials.keyId) | Should -Be @($secret.Body.keyId)
            (Invoke-VendorGraph -Token $initial -Method Delete -Path "/applications/$($foreign.id)").Status | Should -Be 204
            (Invoke-VendorGraph -Token $Server.Token -Method Get -Path "/applications/$($foreign.id)").Status | Should -Be 404
        }
    }

    It 'without the Application.ReadWrite.OwnedBy grant (and ReadWrite.All) Konnect can no longer create or manage apps' {
        $initial = Get-InitialToken $Recipe
        $created = Invoke-VendorGraph -Token $initial -Method Post -Path '/applications' -Body @{ displayName = "Konnect before revocation$Switch" }
        $created.Status | Should -Be 201
        $owned = $created.Body

        Remove-GraphRoleAssignment -Recipe $Recipe -Value 'Application.ReadWrite.OwnedBy'
        $token = Get-InitialToken $Recipe
        @((ConvertFrom-Jwt $token).PSObject.Properties['roles'] | ForEach-Object { $_.Value }) | Should -Not -Contain 'Application.ReadWrite.OwnedBy'
        if (-not $Least) {
            # The default variant still holds Application.ReadWrite.All, which covers the flow: only both removed stop it.
            $still = Invoke-VendorGraph -Token $token -Method Post -Path '/applications' -Body @{ displayName = "Konnect with ReadWrite.All only$Switch" }
            $still.Status | Should -Be 201
            Remove-GraphRoleAssignment -Recipe $Recipe -Value 'Application.ReadWrite.All'
            $token = Get-InitialToken $Recipe
            @((ConvertFrom-Jwt $token).roles) | Should -Be @('Application.Read.All')
        }
        Assert-Denied (Invoke-VendorGraph -Token $token -Method Post -Path '/applications' -Body @{ displayName = "Konnect after revocation$Switch" }) -Because 'no permission to create applications is left'
        Assert-Denied (Invoke-VendorGraph -Token $token -Method Post -Path "/applications/$($owned.id)/addPassword" -Body @{ passwordCredential = @{ displayName = 'Konnect' } }) -Because 'owning is not enough without the permission'
        Assert-Denied (Invoke-VendorGraph -Token $token -Method Delete -Path "/applications/$($owned.id)")
        # The token issued before the revocation is a snapshot of its roles, as in Entra: it still works until it expires.
        (Invoke-VendorGraph -Token $initial -Method Post -Path "/applications/$($owned.id)/addPassword" -Body @{ passwordCredential = @{ displayName = 'Konnect' } }).Status | Should -Be 200
    }
}
