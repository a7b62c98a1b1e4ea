#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Configuration Manager's cloud management gateway apps (learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/
# manually-register-azure-ad-apps, seed 001), end to end: the packaged module runs the README's pipeline, New-CmgServerApp |
# New-CmgClientApp | Grant-AdminConsent, against the local tenant server, and then this file plays both sides of the CMG
# with plain HTTP only (no EntraAppKit code) from what the recipes returned, the values ConfigMgr's import dialogs take.
# The CMG client (the native app: public client, the broker's redirect ms-appx-web://Microsoft.AAD.BrokerPlugin/{clientId})
# signs a domain user in by the authorization code flow with PKCE and no secret
# (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow) for the server app's user_impersonation; the
# access token's aud, scp, appid and iss are what the CMG service validates (access-token-claims-reference). The CMG
# server (the web app) signs in with its secret by client credentials (v2-oauth2-client-creds-grant-flow) for Graph: with
# -EnableUserDiscovery it holds Directory.Read.All and lists the users (Entra user discovery), without it Graph answers
# 403. Turning the settings the flow rests on off fails as Entra documents (AADSTS7000218 for a public client flow of an
# app that no longer allows them, AADSTS65001 consent_required with prompt=none and the consent page otherwise once the
# grant is gone); a refresh token the broker's redirect obtained still refreshes without a secret (a public client's).
# No secret or password is printed: failure messages name status codes, error codes and messages only.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/OAuthClient.psm1') -Force

    $GraphAppId = '00000003-0000-0000-c000-000000000000'
    # A domain user without an administrator role, whose Configuration Manager client signs in through the CMG.
    $UserPassword = 'Cm' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!7b'
    $UserName = 'cmg.user@contoso.onmicrosoft.com'

    # The CMG client's interactive request: the client app, the broker's redirect URI, the scope, PKCE; prompt as asked.
    function Get-ClientAuthorizeUrl {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Scope, [Parameter(Mandatory)] $Pkce, [string] $State = 'cmg', [string] $Prompt)
        $query = [ordered]@{
            client_id             = $Recipe.ClientId
            response_type         = 'code'
            redirect_uri          = $Recipe.BrokerRedirectUri
            scope                 = "openid profile offline_access $Scope"
            state                 = $State
            code_challenge        = $Pkce.Challenge
            code_challenge_method = 'S256'
        }
        if ($Prompt) { $query.prompt = $Prompt }
        $pairs = foreach ($key in $query.Keys) { "$key=$([uri]::EscapeDataString($query[$key]))" }
        "$($Server.Uri)/$($Recipe.TenantId)/oauth2/v2.0/authorize?$($pairs -join '&')"
    }

    function Request-Token {
        param([Parameter(Mandatory)] [hashtable] $Form, [string] $Path = 'oauth2/v2.0/token')
        Invoke-TokenRequest -Uri "$($Server.Uri)/$($Server.TenantId)/$Path" -Form $Form
    }

    # The CMG client redeems its code: no secret, the PKCE verifier, the broker's redirect URI.
    function Request-ClientCodeRedemption {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Code, [Parameter(Mandatory)] $Pkce, [Parameter(Mandatory)] [string] $Scope)
        Request-Token -Form @{
            grant_type = 'authorization_code'; client_id = $Recipe.ClientId; code = $Code; redirect_uri = $Recipe.BrokerRedirectUri
            code_verifier = $Pkce.Verifier; scope = $Scope
        }
    }

    # The user's sign-in through the CMG client, up to the code: the admin consent covers the user, so no consent page.
    function Invoke-ClientSignIn {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Scope, [Parameter(Mandatory)] $Pkce, [Parameter(Mandatory)] $Browser)
        $page = Invoke-Browser -Url (Get-ClientAuthorizeUrl -Recipe $Recipe -Scope $Scope -Pkce $Pkce) -Browser $Browser
        $answer = Submit-SignIn -Page $page -Browser $Browser -Login $UserName -Password $UserPassword
        $answer.Content | Should -Not -Match 'name="acceptConsent"' -Because 'the administrator consented for the organization (Grant-AdminConsent)'
        $returned = Get-Returned $answer -Target $Recipe.BrokerRedirectUri
        $returned['state'] | Should -BeExactly 'cmg'
        $returned['code']
    }

    function Invoke-AdminGraph {
        param([Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body, [string] $Token = $Server.Token)
        Invoke-GraphRequest -Endpoint $Server.Uri -Token $Token -Method $Method -Path $Path -Body $Body
    }

    function Get-Application {
        param([Parameter(Mandatory)] [string] $AppId)
        $found = Invoke-AdminGraph -Method Get -Path "/applications?`$filter=appId eq '$AppId'"
        $found.Status | Should -Be 200
        @($found.Body.value).Count | Should -Be 1
        $found.Body.value[0]
    }

    # The README's pipeline in the module session; returns the values ConfigMgr's import dialogs take, and the server's
    # secret as text for the CMG server's side only.
    function Invoke-VendorRecipe {
        param([Parameter(Mandatory)] [string] $ServerName, [Parameter(Mandatory)] [string] $ClientName, [switch] $EnableUserDiscovery)
        $run = Invoke-ModuleSession -Session $Session -Variables @{ serverName = $ServerName; clientName = $ClientName; discovery = [bool] $EnableUserDiscovery } -ScriptBlock {
            $server = New-CmgServerApp -Name $serverName -EnableUserDiscovery:$discovery -WarningAction SilentlyContinue
            $rows = $server | New-CmgClientApp -Name $clientName -WarningAction SilentlyContinue | Grant-AdminConsent -WarningAction SilentlyContinue
            [pscustomobject]@{ Server = $server; Rows = @($rows) }
        }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        @($run.Output).Count | Should -Be 1
        $server = $run.Output[0].Server
        $rows = @($run.Output[0].Rows)
        $rows.Count | Should -BeGreaterThan 0
        $client = $rows[0].App
        $server.SecretKey | Should -BeOfType [securestring]
        [pscustomobject]@{
            Server            = $server
            Client            = $client
            Rows              = $rows
            TenantId          = $server.TenantId
            ServerClientId    = $server.ClientId
            AppIdUri          = $server.AppIdUri.OriginalString
            ClientId          = $client.ClientId
            BrokerRedirectUri = "ms-appx-web://Microsoft.AAD.BrokerPlugin/$($client.ClientId)"
            Secret            = [System.Net.NetworkCredential]::new('', $server.SecretKey).Password
        }
    }

    $Server = Start-LocalTenantServer -User "${UserName}:${UserPassword}"
    $Session = New-ModuleSession -Server $Server
}

AfterAll {
    if ($Session) { Remove-ModuleSession -Session $Session }
    if ($Server) { Stop-LocalTenantServer -Server $Server }
}

Describe 'The CMG with New-CmgServerApp<Switch> | New-CmgClientApp | Grant-AdminConsent' -ForEach @(
    @{ Switch = ''; Discovery = $false; ServerName = 'CMG-ServerApp'; ClientName = 'CMG-ClientApp' }
    @{ Switch = ' -EnableUserDiscovery'; Discovery = $true; ServerName = 'CMG-ServerApp-Discovery'; ClientName = 'CMG-ClientApp-Discovery' }
) {
    BeforeAll {
        $Recipe = Invoke-VendorRecipe -ServerName $ServerName -ClientName $ClientName -EnableUserDiscovery:$Discovery
    }

    It 'returns what ConfigMgr''s import dialogs ask for, and the apps are registered as seed 001 says' {
        $Recipe.Server.TenantName | Should -BeExactly $Server.Domain
        $Recipe.TenantId | Should -BeExactly $Server.TenantId
        $Recipe.Server.AppName | Should -BeExactly $ServerName
        $Recipe.AppIdUri | Should -BeExactly "api://$($Server.TenantId)/$ServerName" -Because 'the recommended api://{tenantId}/{string}'
        $Recipe.Server.SecretKeyExpiry | Should -BeGreaterThan ([datetime]::UtcNow.AddMonths(11))
        $Recipe.Client.ServerClientId | Should -BeExactly $Recipe.ServerClientId

        $serverApp = Get-Application $Recipe.ServerClientId
        $serverApp.signInAudience | Should -BeExactly 'AzureADMyOrg'
        @($serverApp.publicClient.redirectUris) | Should -Contain 'http://localhost'
        @($serverApp.identifierUris) | Should -Be @($Recipe.AppIdUri)
        $scope = @($serverApp.api.oauth2PermissionScopes | Where-Object value -EQ 'user_impersonation')
        $scope.Count | Should -Be 1
        $scope[0].type | Should -BeExactly 'User' -Because 'Who can consent: Admins and users'
        $serverApp.web.implicitGrantSettings.enableIdTokenIssuance | Should -BeTrue -Because 'oauth2AllowIdTokenImplicitFlow: true'

        $clientApp = Get-Application $Recipe.ClientId
        $clientApp.isFallbackPublicClient | Should -BeTrue -Because 'Allow public client flows: Yes'
        @($clientApp.publicClient.redirectUris) | Should -Be @($Recipe.BrokerRedirectUri)
        $toServer = @($clientApp.requiredResourceAccess | Where-Object resourceAppId -EQ $Recipe.ServerClientId)
        @($toServer.resourceAccess.id) | Should -Be @($scope[0].id)
    }

    It 'the CMG client signs the user in by code and PKCE without a secret; the token is the server app''s, with user_impersonation (v2-oauth2-auth-code-flow)' {
        $serverApp = Get-Application $Recipe.ServerClientId
        $v2 = $serverApp.api.requestedAccessTokenVersion -eq 2
        foreach ($scope in @("$($Recipe.AppIdUri)/user_impersonation", "$($Recipe.AppIdUri)/.default")) {
            $browser = New-Browser
            $pkce = New-Pkce
            $code = Invoke-ClientSignIn -Recipe $Recipe -Scope $scope -Pkce $pkce -Browser $browser
            $tokens = Request-ClientCodeRedemption -Recipe $Recipe -Code $code -Pkce $pkce -Scope $scope
            $tokens.Status | Should -Be 200 -Because "the public client redeems its code for ${scope} ($($tokens.Error): $($tokens.Description))"
            $access = ConvertFrom-Jwt $tokens.AccessToken
            # What the CMG service validates: its own audience (the App ID URI in a v1.0 token, its appId in a v2.0 one), the
            # scope, the tenant, and the client app.
            if ($v2) {
                $access.aud | Should -BeExactly $Recipe.ServerClientId
                $access.azp | Should -BeExactly $Recipe.ClientId
                $access.iss | Should -BeExactly "$($Server.Uri)/$($Server.TenantId)/v2.0"
            }
            else {
                $access.aud | Should -BeExactly $Recipe.AppIdUri -Because "a v1.0 token's aud is the resource as requested (${scope})"
                $access.appid | Should -BeExactly $Recipe.ClientId
                $access.appidacr | Should -BeExactly '0' -Because 'access-token-claims-reference: 0 for a public client'
                $access.iss | Should -BeExactly "https://sts.windows.net/$($Server.TenantId)/"
                $access.upn | Should -BeExactly $UserName
            }
            @($access.scp.Split(' ')) | Should -Be @('user_impersonation')
            $access.tid | Should -BeExactly $Server.TenantId
            (ConvertFrom-Jwt $tokens.IdToken).preferred_username | Should -BeExactly $UserName
            # The client keeps the user signed in with the refresh token, as a public client: no secret.
            $refreshed = Request-Token -Form @{ grant_type = 'refresh_token'; client_id = $Recipe.ClientId; refresh_token = $tokens.RefreshToken; scope = $scope }
            $refreshed.Status | Should -Be 200 -Because "$($refreshed.Error): $($refreshed.Description)"
            @((ConvertFrom-Jwt $refreshed.AccessToken).scp.Split(' ')) | Should -Be @('user_impersonation')
        }
        # The same sign-in gives the client its Graph User.Read, which the administrator consented too.
        $browser = New-Browser
        $pkce = New-Pkce
        $code = Invoke-ClientSignIn -Recipe $Recipe -Scope 'https://graph.microsoft.com/User.Read' -Pkce $pkce -Browser $browser
        $graph = Request-ClientCodeRedemption -Recipe $Recipe -Code $code -Pkce $pkce -Scope 'https://graph.microsoft.com/User.Read'
        $graph.Status | Should -Be 200 -Because "$($graph.Error): $($graph.Description)"
        (ConvertFrom-Jwt $graph.AccessToken).aud | Should -BeExactly 'https://graph.microsoft.com'
    }

    It 'the CMG server''s secret gets a Graph token by client credentials; user discovery <Listing>' -ForEach @(@{ Listing = if ($Discovery) { 'lists the users (Directory.Read.All)' } else { 'is Graph''s 403 without Directory.Read.All' } }) {
        $tokens = Request-Token -Form @{ grant_type = 'client_credentials'; client_id = $Recipe.ServerClientId; client_secret = $Recipe.Secret; scope = 'https://graph.microsoft.com/.default' }
        $tokens.Status | Should -Be 200 -Because "the server app signs in with ConfigMgr's Secret Key ($($tokens.Error): $($tokens.Description))"
        $claims = ConvertFrom-Jwt $tokens.AccessToken
        $claims.aud | Should -BeExactly 'https://graph.microsoft.com'
        $claims.appid | Should -BeExactly $Recipe.ServerClientId
        $roles = @($claims.PSObject.Properties['roles'] | ForEach-Object { $_.Value })
        $users = Invoke-AdminGraph -Method Get -Path '/users' -Token $tokens.AccessToken
        if ($Discovery) {
            $roles | Should -Be @('Directory.Read.All')
            $users.Status | Should -Be 200
            @($users.Body.value.userPrincipalName) | Should -Contain $UserName
        }
        else {
            $roles | Should -BeNullOrEmpty
            $users.Status | Should -Be 403
            $users.Code | Should -BeExactly 'Authorization_RequestDenied'
        }
        $wrong = Request-Token -Form @{ grant_type = 'client_credentials'; client_id = $Recipe.ServerClientId; client_secret = 'not-the-secret~0000000000000000000000000'; scope = 'https://graph.microsoft.com/.default' }
        $wrong.Status | Should -Be 401
        $wrong.Description | Should -BeLike 'AADSTS7000215: *'
    }

    It 'public client flows off (isFallbackPublicClient=false): the device code flow is AADSTS7000218; the broker''s code still redeems without a secret' {
        $clientApp = Get-Application $Recipe.ClientId
        (Invoke-AdminGraph -Method Patch -Path "/applications/$($clientApp.id)" -Body @{ isFallbackPublicClient = $false }).Status | Should -Be 204
        try {
            # A public client flow proper (no redirect URI tells Entra the client type), polled without a secret: the
            # token endpoint asks for one, AADSTS7000218 (reference-error-codes).
            $scope = "$($Recipe.AppIdUri)/user_impersonation"
            $device = Request-Token -Path 'oauth2/v2.0/devicecode' -Form @{ client_id = $Recipe.ClientId; scope = $scope }
            $device.Status | Should -Be 200 -Because "$($device.Error): $($device.Description)"
            $poll = Request-Token -Form @{ grant_type = 'urn:ietf:params:oauth:grant-type:device_code'; client_id = $Recipe.ClientId; device_code = $device.Body.device_code }
            $poll.Status | Should -Be 401
            $poll.Error | Should -BeExactly 'invalid_client'
            $poll.Description | Should -BeLike "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.*"

            # The broker's redirect URI is a Mobile and desktop one: Entra knows the client is public from it, and
            # isFallbackPublicClient is only the fallback "where Microsoft Entra ID can't determine the client application
            # type" (reference-microsoft-graph-app-manifest, allowPublicClient), so the code flow is unchanged.
            $browser = New-Browser
            $pkce = New-Pkce
            $code = Invoke-ClientSignIn -Recipe $Recipe -Scope $scope -Pkce $pkce -Browser $browser
            $tokens = Request-ClientCodeRedemption -Recipe $Recipe -Code $code -Pkce $pkce -Scope $scope
            $tokens.Status | Should -Be 200 -Because "a public client's redirect needs no secret ($($tokens.Error): $($tokens.Description))"
        }
        finally {
            (Invoke-AdminGraph -Method Patch -Path "/applications/$($clientApp.id)" -Body @{ isFallbackPublicClient = $true }).Status | Should -Be 204
        }
    }

    # Microsoft documents client_secret on the refresh request as "required for web apps" (v2-oauth2-auth-code-flow,
    # "Refresh the access token"), and allowPublicClient/isFallbackPublicClient only as the fallback "where Microsoft Entra ID
    # can't determine the client application type" (reference-microsoft-graph-app-manifest): a refresh token the broker's
    # (Mobile and desktop) redirect obtained belongs to a public client.
    It 'public client flows off: the broker''s refresh token still refreshes without a secret' {
        $clientApp = Get-Application $Recipe.ClientId
        (Invoke-AdminGraph -Method Patch -Path "/applications/$($clientApp.id)" -Body @{ isFallbackPublicClient = $false }).Status | Should -Be 204
        try {
            $scope = "$($Recipe.AppIdUri)/user_impersonation"
            $browser = New-Browser
            $pkce = New-Pkce
            $code = Invoke-ClientSignIn -Recipe $Recipe -Scope $scope -Pkce $pkce -Browser $browser
            $tokens = Request-ClientCodeRedemption -Recipe $Recipe -Code $code -Pkce $pkce -Scope $scope
            $tokens.Status | Should -Be 200
            $refreshed = Request-Token -Form @{ grant_type = 'refresh_token'; client_id = $Recipe.ClientId; refresh_token = $tokens.RefreshToken; scope = $scope }
            $refreshed.Status | Should -Be 200 -Because "$($refreshed.Error): $($refreshed.Description)"
        }
        finally {
            (Invoke-AdminGraph -Method Patch -Path "/applications/$($clientApp.id)" -Body @{ isFallbackPublicClient = $true }).Status | Should -Be 204
        }
    }

    It 'the server''s scope taken out of the client''s required permissions alone revokes nothing: the consent grant still issues user_impersonation' {
        # Consent lives in the oauth2PermissionGrant, not in requiredResourceAccess (permissions-consent-overview): with the
        # grant kept, both the named scope and .default still give the token; the next test removes the grant itself.
        $clientApp = Get-Application $Recipe.ClientId
        $kept = @($clientApp.requiredResourceAccess | Where-Object resourceAppId -NE $Recipe.ServerClientId)
        (Invoke-AdminGraph -Method Patch -Path "/applications/$($clientApp.id)" -Body @{ requiredResourceAccess = $kept }).Status | Should -Be 204
        try {
            foreach ($scope in @("$($Recipe.AppIdUri)/user_impersonation", "$($Recipe.AppIdUri)/.default")) {
                $browser = New-Browser
                $pkce = New-Pkce
                $code = Invoke-ClientSignIn -Recipe $Recipe -Scope $scope -Pkce $pkce -Browser $browser
                $tokens = Request-ClientCodeRedemption -Recipe $Recipe -Code $code -Pkce $pkce -Scope $scope
                $tokens.Status | Should -Be 200 -Because "${scope}: $($tokens.Error): $($tokens.Description)"
                @((ConvertFrom-Jwt $tokens.AccessToken).scp.Split(' ')) | Should -Be @('user_impersonation')
            }
        }
        finally {
            (Invoke-AdminGraph -Method Patch -Path "/applications/$($clientApp.id)" -Body @{ requiredResourceAccess = @($clientApp.requiredResourceAccess) }).Status | Should -Be 204
        }
    }

    It 'without the organization''s consent to user_impersonation, prompt=none is AADSTS65001 consent_required and the user is asked to consent' {
        $clientSp = Invoke-AdminGraph -Method Get -Path "/servicePrincipals(appId='$($Recipe.ClientId)')"
        $serverSp = Invoke-AdminGraph -Method Get -Path "/servicePrincipals(appId='$($Recipe.ServerClientId)')"
        $grants = Invoke-AdminGraph -Method Get -Path "/oauth2PermissionGrants?`$filter=clientId eq '$($clientSp.Body.id)'"
        $grants.Status | Should -Be 200
        $grant = @($grants.Body.value | Where-Object { $_.resourceId -eq $serverSp.Body.id })
        $grant.Count | Should -Be 1 -Because 'Grant-AdminConsent consented to user_impersonation for all users'
        $grant[0].consentType | Should -BeExactly 'AllPrincipals'
        $grant[0].scope.Trim() | Should -BeExactly 'user_impersonation'
        (Invoke-AdminGraph -Method Delete -Path "/oauth2PermissionGrants/$($grant[0].id)").Status | Should -Be 204

        $scope = "$($Recipe.AppIdUri)/user_impersonation"
        $browser = New-Browser
        $pkce = New-Pkce
        # The interactive sign-in now stops at the consent page (Who can consent: Admins and users)...
        $page = Invoke-Browser -Url (Get-ClientAuthorizeUrl -Recipe $Recipe -Scope $scope -Pkce $pkce -State 'ask') -Browser $browser
        $consent = Submit-SignIn -Page $page -Browser $browser -Login $UserName -Password $UserPassword
        $consent.Content | Should -Match 'name="acceptConsent"'
        Get-PageText $consent | Should -Match 'user_impersonation'
        # ...and the silent one, with the user's session, is consent_required (v2-oauth2-auth-code-flow, "Error codes").
        $silent = Invoke-Browser -Url (Get-ClientAuthorizeUrl -Recipe $Recipe -Scope $scope -Pkce $pkce -State 'silent' -Prompt 'none') -Browser $browser
        $returned = Get-Returned $silent -Target $Recipe.BrokerRedirectUri
        $returned['error'] | Should -BeExactly 'consent_required'
        $returned['error_description'] | Should -BeLike "AADSTS65001: The user or administrator has not consented to use the application with ID '$($Recipe.ClientId)' named '$ClientName'.*"
        $returned['state'] | Should -BeExactly 'silent'
        $returned.ContainsKey('code') | Should -BeFalse

        # The user consents for themself: the code then redeems, and prompt=none works again.
        $answer = Submit-Consent -Page $consent -Browser $browser
        $code = (Get-Returned $answer -Target $Recipe.BrokerRedirectUri)['code']
        $tokens = Request-ClientCodeRedemption -Recipe $Recipe -Code $code -Pkce $pkce -Scope $scope
        $tokens.Status | Should -Be 200 -Because "$($tokens.Error): $($tokens.Description)"
        @((ConvertFrom-Jwt $tokens.AccessToken).scp.Split(' ')) | Should -Be @('user_impersonation')
        $again = Get-Returned (Invoke-Browser -Url (Get-ClientAuthorizeUrl -Recipe $Recipe -Scope $scope -Pkce $pkce -State 'silent' -Prompt 'none') -Browser $browser) -Target $Recipe.BrokerRedirectUri
        $again['code'] | Should -Not -BeNullOrEmpty
    }
}
