#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Rewst's owned app registration (docs.rewst.help/documentation/integrations/cloud/microsoft-cloud-integration-bundle/
# owned-app-registration, seed 000), end to end: the packaged module runs New-RewstAppRegistration against the local tenant
# server, and then this file plays Rewst's "Authorize" button with plain HTTP only (Invoke-WebRequest, no EntraAppKit
# code) from what the recipe returned (ClientId, ClientSecret, AuthSubject, TenantId): the authorization code flow of
# learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow to Rewst's callback, the user's sign-in and consent
# on the authorize endpoint's pages, the code read from the 302's Location without following it (engine.rewst.io is not
# called), and Rewst's server redeeming it with the client secret. Auth Subject tenant_id puts the Tenant ID in the URLs,
# common puts /common/ there (a single-tenant app cannot use it: AADSTS50194). The settings the flow rests on, altered
# through Graph, fail as Entra documents: another redirect URI is AADSTS50011 on the page (reply-url, reference-error-codes),
# ID tokens off is AADSTS700054 in the redirect, a wrong secret is AADSTS7000215. No secret or password is printed: failure
# messages name status codes, error codes and messages only. The last Describe onboards a customer's tenant (northwind, a
# second tenant of the server's local cloud) to the multi-tenant app through its AdminConsentUrl (v2-admin-consent).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/OAuthClient.psm1') -Force

    $Callback = 'https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback'
    $GraphScope = 'https://graph.microsoft.com/.default'
    # A Global Administrator of the tenant, made at the server's start (--user), who clicks Rewst's Authorize.
    $UserPassword = 'Rw' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!9a'
    $UserName = 'rewst.admin@contoso.onmicrosoft.com'

    # The authorize URL Rewst's button opens in the user's browser: /{tenantId}/ for Auth Subject tenant_id, /common/ for common.
    function Get-AuthorizeUrl {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Authority, [string] $ResponseType = 'code',
            [string] $RedirectUri = $Callback, [string] $State = 'rewst-state', [hashtable] $More = @{})
        $query = [ordered]@{
            client_id     = $Recipe.ClientId
            response_type = $ResponseType
            redirect_uri  = $RedirectUri
            scope         = "openid profile offline_access $GraphScope"
            state         = $State
        }
        foreach ($key in $More.Keys) { $query[$key] = $More[$key] }
        $pairs = foreach ($key in $query.Keys) { "$key=$([uri]::EscapeDataString($query[$key]))" }
        "$($Server.Uri)/$Authority/oauth2/v2.0/authorize?$($pairs -join '&')"
    }

    # The whole interactive part (Invoke-SignIn), by the Global Administrator unless told otherwise.
    function Invoke-Authorize {
        param([Parameter(Mandatory)] [string] $Url, [Parameter(Mandatory)] $Browser, [string] $Login = $UserName, [string] $Password = $UserPassword)
        Invoke-SignIn -Url $Url -Browser $Browser -Login $Login -Password $Password
    }

    # Rewst's server redeems the code at the token endpoint of its Auth Subject with the client id and secret.
    function Request-CodeRedemption {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Authority, [Parameter(Mandatory)] [string] $Code, [string] $Secret = $Recipe.Secret)
        $form = @{
            grant_type = 'authorization_code'; client_id = $Recipe.ClientId; client_secret = $Secret; code = $Code; redirect_uri = $Callback
            scope = "openid profile offline_access $GraphScope"
        }
        Request-Token -Authority $Authority -Form $form
    }

    function Request-Token {
        param([Parameter(Mandatory)] [string] $Authority, [Parameter(Mandatory)] [hashtable] $Form)
        Invoke-TokenRequest -Uri "$($Server.Uri)/$Authority/oauth2/v2.0/token" -Form $Form
    }

    function Invoke-AdminGraph {
        param([Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body)
        Invoke-GraphRequest -Endpoint $Server.Uri -Token $Server.Token -Method $Method -Path $Path -Body $Body
    }

    # The recipe's application as the administrator reads it through Graph.
    function Get-RecipeApplication {
        param([Parameter(Mandatory)] $Recipe)
        $found = Invoke-AdminGraph -Method Get -Path "/applications?`$filter=appId eq '$($Recipe.ClientId)'"
        $found.Status | Should -Be 200
        @($found.Body.value).Count | Should -Be 1
        $found.Body.value[0]
    }

    # An error Entra sends to the redirect URI: error, error_description "AADSTSnnnn: …", error_uri, state, and no code.
    function Assert-RedirectError {
        param([Parameter(Mandatory)] [hashtable] $Returned, [Parameter(Mandatory)] [string] $ErrorName, [Parameter(Mandatory)] [int] $Code, [string] $State)
        $Returned['error'] | Should -BeExactly $ErrorName
        $Returned['error_description'] | Should -Match "^AADSTS${Code}: "
        $Returned['error_uri'] | Should -BeExactly "https://login.microsoftonline.com/error?code=$Code"
        if ($State) { $Returned['state'] | Should -BeExactly $State }
        $Returned.ContainsKey('code') | Should -BeFalse
    }

    # Runs the recipe in the module session; returns its output and the secret as text (-AsPlainText), for Rewst's side only.
    function Invoke-VendorRecipe {
        param([Parameter(Mandatory)] [string] $Name, [switch] $MultiTenant)
        $run = Invoke-ModuleSession -Session $Session -Variables @{ name = $Name; multi = [bool] $MultiTenant } -ScriptBlock {
            New-RewstAppRegistration -Name $name -MultiTenant:$multi -DelegatedPermission Mail.Read -AsPlainText -WarningAction SilentlyContinue
        }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        @($run.Output).Count | Should -Be 1
        $out = $run.Output[0]
        $out.ClientSecret | Should -BeOfType [string]
        [pscustomobject]@{
            ClientId    = $out.ClientId
            AuthSubject = $out.AuthSubject
            TenantId    = $out.TenantId
            RedirectUri = $out.RedirectUri
            Secret      = $out.ClientSecret
            AdminConsentUrl = $out.AdminConsentUrl
            # The Auth Subject names the authority of Rewst's URLs: the Tenant ID field for tenant_id, common otherwise.
            Authority   = if ($out.AuthSubject -eq 'tenant_id') { $out.TenantId } else { 'common' }
        }
    }

    # The local cloud also holds a customer's tenant (northwind), whose administrator (admin@northwind.onmicrosoft.com, with
    # the cloud's -AdminPassword) onboards the multi-tenant app and whose plain user then signs in to Rewst.
    $AdminPassword = 'Ad' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!3f'
    $CustomerUserName = 'rewst.user@northwind.onmicrosoft.com'
    $CustomerUserPassword = 'Nw' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!8e'
    $Server = Start-LocalTenantServer -Tenant 'northwind' -AdminPassword $AdminPassword -User @(
        "${UserName}:${UserPassword}:GlobalAdministrator", "${CustomerUserName}:${CustomerUserPassword}")
    $Customer = $Server.Tenants[0]
    $Session = New-ModuleSession -Server $Server
}

AfterAll {
    if ($Session) { Remove-ModuleSession -Session $Session }
    if ($Server) { Stop-LocalTenantServer -Server $Server }
}

Describe 'Rewst''s Authorize with New-RewstAppRegistration<Switch>' -ForEach @(
    @{ Switch = ''; Multi = $false; Name = 'Rewst Flow'; AuthSubject = 'tenant_id'; Audience = 'AzureADMyOrg' }
    @{ Switch = ' -MultiTenant'; Multi = $true; Name = 'Rewst Flow CSP'; AuthSubject = 'common'; Audience = 'AzureADMultipleOrgs' }
) {
    BeforeAll {
        $Recipe = Invoke-VendorRecipe -Name $Name -MultiTenant:$Multi
    }

    It 'returns what Rewst''s form asks for, and the app has Rewst''s redirect URI and ID tokens on' {
        $Recipe.AuthSubject | Should -BeExactly $AuthSubject -Because 'Rewst: common for multiple tenants, Tenant ID for your own'
        $Recipe.TenantId | Should -BeExactly $Server.TenantId
        $Recipe.RedirectUri | Should -BeExactly $Callback
        $Recipe.ClientId | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        $app = Get-RecipeApplication $Recipe
        $app.signInAudience | Should -BeExactly $Audience
        @($app.web.redirectUris) | Should -Be @($Callback)
        $app.web.implicitGrantSettings.enableIdTokenIssuance | Should -BeTrue -Because 'seed 000 asks for ID tokens checked'
    }

    It 'Authorize: the admin signs in and consents, the code at Rewst''s callback is redeemed with the secret (v2-oauth2-auth-code-flow)' {
        $browser = New-Browser
        $page = Invoke-Browser -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Recipe.Authority) -Browser $browser
        $consent = Submit-SignIn -Page $page -Browser $browser -Login $UserName -Password $UserPassword
        $consentText = Get-PageText $consent
        $consentText | Should -Match 'User\.Read' -Because 'the consent page lists the permissions the recipe requires'
        $consentText | Should -Match 'Mail\.Read'
        $browser.Cookies.GetCookies([uri] $Server.Uri)['ESTSAUTH'] | Should -Not -BeNullOrEmpty -Because 'the sign-in leaves a session'
        $returned = Get-Returned (Submit-Consent -Page $consent -Browser $browser) -Target $Callback
        $returned['state'] | Should -BeExactly 'rewst-state'
        $returned['code'] | Should -Not -BeNullOrEmpty

        # Rewst's server, not the browser: the code, the client id and the secret, at the Auth Subject's token endpoint.
        $tokens = Request-CodeRedemption -Recipe $Recipe -Authority $Recipe.Authority -Code $returned['code']
        $tokens.Status | Should -Be 200 -Because "the code redeems ($($tokens.Error): $($tokens.Description))"
        $access = ConvertFrom-Jwt $tokens.AccessToken
        $access.aud | Should -BeExactly 'https://graph.microsoft.com'
        $access.tid | Should -BeExactly $Server.TenantId
        $access.appid | Should -BeExactly $Recipe.ClientId
        $access.appidacr | Should -BeExactly '1' -Because 'access-token-claims-reference: 1 when the client authenticated with a secret'
        $access.upn | Should -BeExactly $UserName
        @($access.scp.Split(' ')) | Should -Contain 'User.Read'
        @($access.scp.Split(' ')) | Should -Contain 'Mail.Read'
        $tokens.RefreshToken | Should -Not -BeNullOrEmpty -Because 'offline_access keeps Rewst connected'
        $id = ConvertFrom-Jwt $tokens.IdToken
        $id.aud | Should -BeExactly $Recipe.ClientId
        $id.tid | Should -BeExactly $Server.TenantId
        $id.iss | Should -BeExactly "$($Server.Uri)/$($Server.TenantId)/v2.0"
        $id.preferred_username | Should -BeExactly $UserName

        # Rewst calls Graph with the user's token, and keeps it fresh with the refresh token and its secret.
        $me = Invoke-WebRequest -Uri "$($Server.Uri)/v1.0/me" -Headers @{ Authorization = "Bearer $($tokens.AccessToken)" } -SkipHttpErrorCheck
        [int] $me.StatusCode | Should -Be 200
        ($me.Content | ConvertFrom-Json).userPrincipalName | Should -BeExactly $UserName
        $refreshed = Request-Token -Authority $Recipe.Authority -Form @{
            grant_type = 'refresh_token'; client_id = $Recipe.ClientId; client_secret = $Recipe.Secret; refresh_token = $tokens.RefreshToken; scope = $GraphScope
        }
        $refreshed.Status | Should -Be 200 -Because "$($refreshed.Error): $($refreshed.Description)"
        (ConvertFrom-Jwt $refreshed.AccessToken).upn | Should -BeExactly $UserName
    }

    It 'with ID tokens on, response_type=code id_token with a nonce returns both in the fragment (v2-oauth2-auth-code-flow, hybrid)' {
        $browser = New-Browser
        $url = Get-AuthorizeUrl -Recipe $Recipe -Authority $Recipe.Authority -ResponseType 'code id_token' -State 'hybrid' -More @{ nonce = 'rewst-nonce-1' }
        $returned = Get-Returned (Invoke-Authorize -Url $url -Browser $browser) -Target $Callback -Separator '#'
        $returned['state'] | Should -BeExactly 'hybrid'
        $returned['code'] | Should -Not -BeNullOrEmpty
        $id = ConvertFrom-Jwt $returned['id_token']
        $id.nonce | Should -BeExactly 'rewst-nonce-1'
        $id.aud | Should -BeExactly $Recipe.ClientId
        $id.tid | Should -BeExactly $Server.TenantId
        $id.preferred_username | Should -BeExactly $UserName
        $id.c_hash | Should -Not -BeNullOrEmpty -Because 'a hybrid ID token carries the code''s hash'
        $tokens = Request-CodeRedemption -Recipe $Recipe -Authority $Recipe.Authority -Code $returned['code']
        $tokens.Status | Should -Be 200 -Because "$($tokens.Error): $($tokens.Description)"
    }

    It 'Auth Subject common: /common/ <Common>' -ForEach @(@{ Common = if ($Multi) { 'signs the home user in (multi-tenant app)' } else { 'is AADSTS50194 on the page (single-tenant app)' } }) {
        $browser = New-Browser
        $url = Get-AuthorizeUrl -Recipe $Recipe -Authority 'common' -State 'common'
        if (-not $Multi) {
            $page = Invoke-Browser -Url $url -Browser $browser
            [int] $page.StatusCode | Should -Be 400
            $page.Location | Should -BeNullOrEmpty
            Get-PageText $page | Should -Match "AADSTS50194: Application '$($Recipe.ClientId)'\(.*\) is not configured as a multi-tenant application\."
        }
        else {
            $returned = Get-Returned (Invoke-Authorize -Url $url -Browser $browser) -Target $Callback
            $returned['state'] | Should -BeExactly 'common'
            $tokens = Request-CodeRedemption -Recipe $Recipe -Authority 'common' -Code $returned['code']
            $tokens.Status | Should -Be 200 -Because "$($tokens.Error): $($tokens.Description)"
            (ConvertFrom-Jwt $tokens.AccessToken).tid | Should -BeExactly $Server.TenantId -Because 'the home user''s tenant issues the token'
        }
    }

    It 'a wrong client secret at the code redemption is AADSTS7000215 (reference-error-codes)' {
        $browser = New-Browser
        $returned = Get-Returned (Invoke-Authorize -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Recipe.Authority) -Browser $browser) -Target $Callback
        $wrong = Request-CodeRedemption -Recipe $Recipe -Authority $Recipe.Authority -Code $returned['code'] -Secret 'not-the-secret~0000000000000000000000000'
        $wrong.Status | Should -Be 401
        $wrong.Error | Should -BeExactly 'invalid_client'
        $wrong.Description | Should -BeLike "AADSTS7000215: Invalid client secret provided. *'$($Recipe.ClientId)'*"
        $wrong.AccessToken | Should -BeNullOrEmpty
    }

    It 'the redirect URI altered in the app is AADSTS50011 on the page, not a redirect (reply-url, reference-error-codes)' {
        $app = Get-RecipeApplication $Recipe
        $patched = Invoke-AdminGraph -Method Patch -Path "/applications/$($app.id)" -Body @{ web = @{ redirectUris = @("$Callback/changed") } }
        $patched.Status | Should -Be 204
        try {
            $browser = New-Browser
            $page = Invoke-Browser -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Recipe.Authority) -Browser $browser
            [int] $page.StatusCode | Should -Be 400
            $page.Location | Should -BeNullOrEmpty -Because 'Entra never redirects to an unregistered URI'
            Get-PageText $page | Should -Match ([regex]::Escape("AADSTS50011: The redirect URI '$Callback' specified in the request does not match the redirect URIs configured for the application '$($Recipe.ClientId)'."))
        }
        finally {
            (Invoke-AdminGraph -Method Patch -Path "/applications/$($app.id)" -Body @{ web = @{ redirectUris = @($Callback) } }).Status | Should -Be 204
        }
        $browser = New-Browser
        (Get-Returned (Invoke-Authorize -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Recipe.Authority) -Browser $browser) -Target $Callback)['code'] | Should -Not -BeNullOrEmpty
    }

    It 'ID tokens turned off: response_type id_token is AADSTS700054 in the redirect (enableIdTokenIssuance=false)' {
        $app = Get-RecipeApplication $Recipe
        $off = @{ web = @{ implicitGrantSettings = @{ enableIdTokenIssuance = $false } } }
        (Invoke-AdminGraph -Method Patch -Path "/applications/$($app.id)" -Body $off).Status | Should -Be 204
        try {
            foreach ($type in @('id_token', 'code id_token')) {
                $browser = New-Browser
                $url = Get-AuthorizeUrl -Recipe $Recipe -Authority $Recipe.Authority -ResponseType $type -State 'no-id' -More @{ nonce = 'rewst-nonce-2' }
                $returned = Get-Returned (Invoke-Browser -Url $url -Browser $browser) -Target $Callback -Separator '#'
                Assert-RedirectError -Returned $returned -ErrorName 'unsupported_response_type' -Code 700054 -State 'no-id'
                $returned['error_description'] | Should -Match "^AADSTS700054: response_type 'id_token' is not enabled for the application\."
            }
            # The code flow alone does not need ID token issuance.
            $browser = New-Browser
            (Get-Returned (Invoke-Authorize -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Recipe.Authority) -Browser $browser) -Target $Callback)['code'] | Should -Not -BeNullOrEmpty
        }
        finally {
            $on = @{ web = @{ implicitGrantSettings = @{ enableIdTokenIssuance = $true } } }
            (Invoke-AdminGraph -Method Patch -Path "/applications/$($app.id)" -Body $on).Status | Should -Be 204
        }
    }
}

# The multi-tenant variant's customer onboarding (learn.microsoft.com/entra/identity-platform/v2-admin-consent): the MSP sends
# the recipe's AdminConsentUrl to the customer's administrator, who signs in at it, consents for the organization, and is
# sent to Rewst's callback with admin_consent=True and the customer's tenant id; Rewst's server then signs in to the
# customer's tenant with the recipe's client id and secret (v2-oauth2-client-creds-grant-flow), and the customer's users
# sign in at /common (Auth Subject common) with no consent prompt. The session connects with -AccessToken and
# -GraphEndpoint, for which Connect-EntraAppKit takes no -AuthorityHost (it is a parameter of the sign-in methods only), so
# the URL is at https://login.microsoftonline.com: the test checks that, and sends the browser to the same path and query at
# the server's origin instead.
Describe 'Rewst''s customer onboarding with New-RewstAppRegistration -MultiTenant: the customer''s admin consent' {
    BeforeAll {
        $Recipe = Invoke-VendorRecipe -Name 'Rewst Onboarding' -MultiTenant
        $Single = Invoke-VendorRecipe -Name 'Rewst Onboarding Single'

        # The administrator's browser at the local tenant server instead of login.microsoftonline.com: same path and query.
        function ConvertTo-ServerUrl {
            param([Parameter(Mandatory)] [string] $Url)
            $Url | Should -BeLike 'https://login.microsoftonline.com/*'
            "$($Server.Uri)$(([uri] $Url).PathAndQuery)"
        }

        function Request-ClientCredential {
            param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Tenant)
            Request-Token -Authority $Tenant -Form @{ grant_type = 'client_credentials'; client_id = $Recipe.ClientId; client_secret = $Recipe.Secret; scope = $GraphScope }
        }
    }

    It 'AdminConsentUrl is the v2 admin consent URL for any organization, with Rewst''s callback and Graph''s /.default' {
        $Single.AdminConsentUrl | Should -BeNullOrEmpty -Because 'a single-tenant app has no customers to consent'
        $url = [uri] $Recipe.AdminConsentUrl
        $url.GetLeftPart([UriPartial]::Path) | Should -BeExactly 'https://login.microsoftonline.com/organizations/v2.0/adminconsent'
        $query = [System.Web.HttpUtility]::ParseQueryString($url.Query)
        $query['client_id'] | Should -BeExactly $Recipe.ClientId
        $query['scope'] | Should -BeExactly $GraphScope
        $query['redirect_uri'] | Should -BeExactly $Callback
    }

    It 'before consent the app has no service principal in the customer''s tenant: AADSTS7000229 for Rewst''s server there' {
        $before = Request-ClientCredential -Recipe $Recipe -Tenant $Customer.TenantId
        $before.Status | Should -Be 400 -Because "$($before.Error): $($before.Description)"
        $before.Error | Should -BeExactly 'invalid_client'
        $before.Description | Should -BeLike "AADSTS7000229: The client application $($Recipe.ClientId) is missing service principal in the tenant $($Customer.TenantId).*"
        $before.AccessToken | Should -BeNullOrEmpty
    }

    It 'a customer user who is no administrator gets access_denied AADSTS90093 at the customer''s admin consent URL' {
        # The URL pointed at the customer's tenant by its verified domain (v2-admin-consent: "{tenant}" the directory tenant).
        $url = (ConvertTo-ServerUrl $Recipe.AdminConsentUrl).Replace('/organizations/', "/$($Customer.Domain)/") + '&state=northwind-user'
        $browser = New-Browser
        $answer = Submit-SignIn -Page (Invoke-Browser -Url $url -Browser $browser) -Browser $browser -Login $CustomerUserName -Password $CustomerUserPassword
        $returned = Get-Returned $answer -Target $Callback
        Assert-RedirectError -Returned $returned -ErrorName 'access_denied' -Code 90093 -State 'northwind-user'
        $returned.ContainsKey('admin_consent') | Should -BeFalse
    }

    It 'the customer''s administrator declines: access_denied AADSTS65004 at the callback' {
        $url = (ConvertTo-ServerUrl $Recipe.AdminConsentUrl) + '&state=northwind-declined'
        $browser = New-Browser
        $consent = Submit-SignIn -Page (Invoke-Browser -Url $url -Browser $browser) -Browser $browser -Login $Customer.AdminUserPrincipalName -Password $AdminPassword
        Assert-RedirectError -Returned (Get-Returned (Submit-Consent -Page $consent -Browser $browser -Accept $false) -Target $Callback) -ErrorName 'access_denied' -Code 65004 -State 'northwind-declined'
    }

    It 'the customer''s administrator consents at /organizations: admin_consent=True for the customer''s tenant, and Rewst''s server signs in there' {
        $url = (ConvertTo-ServerUrl $Recipe.AdminConsentUrl) + '&state=northwind-admin'
        $browser = New-Browser
        $consent = Submit-SignIn -Page (Invoke-Browser -Url $url -Browser $browser) -Browser $browser -Login $Customer.AdminUserPrincipalName -Password $AdminPassword
        $consentText = Get-PageText $consent
        $consentText | Should -Match 'User\.Read' -Because 'the consent page lists the permissions the app requires'
        $consentText | Should -Match 'Mail\.Read'
        $returned = Get-Returned (Submit-Consent -Page $consent -Browser $browser) -Target $Callback
        $returned['admin_consent'] | Should -BeExactly 'True'
        $returned['tenant'] | Should -BeExactly $Customer.TenantId -Because 'the administrator who signed in says which tenant consented'
        $returned['scope'] | Should -BeExactly $GraphScope
        $returned['state'] | Should -BeExactly 'northwind-admin'
        $returned.ContainsKey('code') | Should -BeFalse -Because 'the admin consent endpoint returns no code'

        # The customer's tenant holds the app's service principal, owned by the MSP's tenant, and a tenant-wide grant.
        $sp = Invoke-WebRequest -Uri "$($Server.Uri)/v1.0/servicePrincipals(appId='$($Recipe.ClientId)')" -Headers @{ Authorization = "Bearer $($Customer.Token)" } -SkipHttpErrorCheck
        [int] $sp.StatusCode | Should -Be 200
        $principal = $sp.Content | ConvertFrom-Json
        $principal.appOwnerOrganizationId | Should -BeExactly $Server.TenantId
        $grants = Invoke-WebRequest -Uri "$($Server.Uri)/v1.0/oauth2PermissionGrants?`$filter=clientId eq '$($principal.id)'" -Headers @{ Authorization = "Bearer $($Customer.Token)" } -SkipHttpErrorCheck
        $grant = @(($grants.Content | ConvertFrom-Json).value)
        $grant.Count | Should -Be 1
        $grant[0].consentType | Should -BeExactly 'AllPrincipals'
        @($grant[0].scope.Split(' ', [StringSplitOptions]::RemoveEmptyEntries)) | Should -Contain 'Mail.Read'

        # Rewst's server: client credentials at the customer's token endpoint with the secret the MSP's tenant keeps.
        $tokens = Request-ClientCredential -Recipe $Recipe -Tenant $Customer.TenantId
        $tokens.Status | Should -Be 200 -Because "$($tokens.Error): $($tokens.Description)"
        $access = ConvertFrom-Jwt $tokens.AccessToken
        $access.tid | Should -BeExactly $Customer.TenantId
        $access.appid | Should -BeExactly $Recipe.ClientId
        # New-RewstAppRegistration requests delegated permissions only (User.Read, -DelegatedPermission): the app-only token
        # carries no roles, so there is no application permission to call Graph with in the customer's tenant: Graph refuses.
        $access.PSObject.Properties['roles'] | Should -BeNullOrEmpty
        $users = Invoke-WebRequest -Uri "$($Server.Uri)/v1.0/users" -Headers @{ Authorization = "Bearer $($tokens.AccessToken)" } -SkipHttpErrorCheck
        [int] $users.StatusCode | Should -Be 403 -Because 'an app-only token without roles may not list users (user-list: User.Read.All and up)'
        ($users.Content | ConvertFrom-Json).error.code | Should -BeExactly 'Authorization_RequestDenied'
    }

    It 'a customer user then signs in at /common (Auth Subject common) with no consent prompt, in the customer''s tenant' {
        $browser = New-Browser
        $page = Invoke-Browser -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority 'common' -State 'northwind-common') -Browser $browser
        $answer = Submit-SignIn -Page $page -Browser $browser -Login $CustomerUserName -Password $CustomerUserPassword
        $answer.Content | Should -Not -Match 'name="acceptConsent"' -Because 'the administrator consented for every user of the tenant'
        $returned = Get-Returned $answer -Target $Callback
        $returned['state'] | Should -BeExactly 'northwind-common'
        $tokens = Request-CodeRedemption -Recipe $Recipe -Authority 'common' -Code $returned['code']
        $tokens.Status | Should -Be 200 -Because "$($tokens.Error): $($tokens.Description)"
        $access = ConvertFrom-Jwt $tokens.AccessToken
        $access.tid | Should -BeExactly $Customer.TenantId
        $access.upn | Should -BeExactly $CustomerUserName
        @($access.scp.Split(' ')) | Should -Contain 'User.Read'
        @($access.scp.Split(' ')) | Should -Contain 'Mail.Read'
        $me = Invoke-WebRequest -Uri "$($Server.Uri)/v1.0/me" -Headers @{ Authorization = "Bearer $($tokens.AccessToken)" } -SkipHttpErrorCheck
        [int] $me.StatusCode | Should -Be 200
        ($me.Content | ConvertFrom-Json).userPrincipalName | Should -BeExactly $CustomerUserName
    }

    It 'the single-tenant variant''s app is not found in the customer''s tenant: AADSTS700016 on the page' {
        # Get-EntraAdminConsentUrl gives a single-tenant app a URL too, with a warning; Entra refuses it there.
        $run = Invoke-ModuleSession -Session $Session -Variables @{ clientId = $Single.ClientId; tenant = $Customer.Domain } -ScriptBlock {
            Get-EntraAdminConsentUrl -ClientId $clientId -Tenant $tenant
        }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        @($run.Warnings).Count | Should -BeGreaterThan 0 -Because 'the cmdlet warns that another tenant cannot consent to a single-tenant app'
        $urls = @((ConvertTo-ServerUrl ([string] @($run.Output)[0])), (Get-AuthorizeUrl -Recipe $Single -Authority $Customer.TenantId))
        foreach ($url in $urls) {
            $page = Invoke-Browser -Url $url -Browser (New-Browser)
            [int] $page.StatusCode | Should -Be 400
            $page.Location | Should -BeNullOrEmpty
            Get-PageText $page | Should -Match ([regex]::Escape("AADSTS700016: Application with identifier '$($Single.ClientId)' was not found in the directory '"))
        }
    }
}
