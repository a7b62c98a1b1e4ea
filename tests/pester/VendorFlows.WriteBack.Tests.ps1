#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# WriteBackExtreme's OAuth with Microsoft Entra (docs.infotopics.com/writebackextreme/.../oauth-setup/microsoft-entra, seed 002),
# end to end: the packaged module runs New-WriteBackAppRegistration (single tenant, or -MultiTenant: "Select the account types
# you want to support") and then Add-WriteBackRedirectUri with the two return URLs the Management Console shows (steps 14-18),
# against the local tenant server, whose local cloud also holds a customer's tenant (northwind). Then this file plays the
# console's "Test OAuth" button (step 19) with plain HTTP only (no EntraAppKit code), from what the recipe returned
# (ClientId, ClientSecret, TenantId): for each return URL the authorization code flow of
# learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow, the user's sign-in and consent on the authorize
# endpoint's pages, the code read from the 302's Location without following it (the console's server is not called), and
# WriteBackExtreme's backend redeeming it with the client secret at that same return URL. A return URL the app lacks is
# AADSTS50011 on the page (reply-url). A user of another tenant of the cloud is seed 002's "Common error message" AADSTS50020
# on a single-tenant app, and signs in at /organizations or /common to the multi-tenant one, in the customer's tenant, which
# then holds the app's service principal (howto-convert-app-to-be-multi-tenant). The app switched back to AzureADMyOrg
# through Graph refuses that user at /common (AADSTS50194). No secret or password is printed: failure messages name status
# codes, error codes and messages only.

BeforeDiscovery {
    # The console's return URLs (as $ReturnUrls below), one test each.
    $ReturnUrlCases = @(@{ Url = 'https://wbe.contoso.com/return-url-1' }, @{ Url = 'https://wbe.contoso.com/return-url-2' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/OAuthClient.psm1') -Force

    # The two return URLs the console shows once the client ID is entered (the WriteBackExtreme server's own addresses).
    $ReturnUrls = @('https://wbe.contoso.com/return-url-1', 'https://wbe.contoso.com/return-url-2')
    # What the console signs users in for: their identity and profile, and a refresh token.
    $Scope = 'openid profile email offline_access User.Read'
    # A member of the MSP's (the home) tenant without an administrator role, and one of the customer's tenant (northwind).
    $HomeUser = @{ Login = 'wbe.user@contoso.onmicrosoft.com'; Password = 'Wb' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!4c' }
    $ForeignUser = @{ Login = 'wbe.user@northwind.onmicrosoft.com'; Password = 'Nw' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!5d' }
    $AdminPassword = 'Ad' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!6e'

    # The authorize URL "Test OAuth" opens in the user's browser, for one return URL, at one authority.
    function Get-AuthorizeUrl {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Authority, [Parameter(Mandatory)] [string] $RedirectUri, [string] $State = 'wbe-test')
        $query = [ordered]@{ client_id = $Recipe.ClientId; response_type = 'code'; redirect_uri = $RedirectUri; scope = $Scope; state = $State }
        $pairs = foreach ($key in $query.Keys) { "$key=$([uri]::EscapeDataString($query[$key]))" }
        "$($Server.Uri)/$Authority/oauth2/v2.0/authorize?$($pairs -join '&')"
    }

    # The whole interactive part in a new browser (Invoke-SignIn): the sign-in page, the consent page when the user has not
    # consented yet, the answer.
    function Invoke-Authorize {
        param([Parameter(Mandatory)] [string] $Url, [Parameter(Mandatory)] [hashtable] $User)
        Invoke-SignIn -Url $Url -Browser (New-Browser) -Login $User.Login -Password $User.Password
    }

    # WriteBackExtreme's backend redeems the code at the same authority, with the client id, the secret and the return URL.
    function Request-CodeRedemption {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Authority, [Parameter(Mandatory)] [string] $Code, [Parameter(Mandatory)] [string] $RedirectUri)
        $form = @{ grant_type = 'authorization_code'; client_id = $Recipe.ClientId; client_secret = $Recipe.Secret; code = $Code; redirect_uri = $RedirectUri; scope = $Scope }
        Invoke-TokenRequest -Uri "$($Server.Uri)/$Authority/oauth2/v2.0/token" -Form $form
    }

    # "Test OAuth" for one return URL: the user signs in (and consents), the code comes back there and is redeemed.
    function Invoke-TestOAuth {
        param([Parameter(Mandatory)] $Recipe, [Parameter(Mandatory)] [string] $Authority, [Parameter(Mandatory)] [string] $RedirectUri, [Parameter(Mandatory)] [hashtable] $User)
        $returned = Get-Returned (Invoke-Authorize -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Authority -RedirectUri $RedirectUri) -User $User) -Target $RedirectUri
        $returned['state'] | Should -BeExactly 'wbe-test'
        $returned['code'] | Should -Not -BeNullOrEmpty
        $tokens = Request-CodeRedemption -Recipe $Recipe -Authority $Authority -Code $returned['code'] -RedirectUri $RedirectUri
        $tokens.Status | Should -Be 200 -Because "the code redeems ($($tokens.Error): $($tokens.Description))"
        $tokens
    }

    function Invoke-TenantGraph {
        param([Parameter(Mandatory)] [string] $Token, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body)
        Invoke-GraphRequest -Endpoint $Server.Uri -Token $Token -Method $Method -Path $Path -Body $Body
    }

    # The recipe's application as the MSP's administrator reads it through Graph.
    function Get-RecipeApplication {
        param([Parameter(Mandatory)] $Recipe)
        $found = Invoke-TenantGraph -Token $Server.Token -Method Get -Path "/applications?`$filter=appId eq '$($Recipe.ClientId)'"
        $found.Status | Should -Be 200
        @($found.Body.value).Count | Should -Be 1
        $found.Body.value[0]
    }

    # Steps 1-18 in the module session: the app registration and its secret (-AsPlainText, for the console's field), then
    # the console's two return URLs added to the Web platform. Returns the recipe's output and what Add-WriteBackRedirectUri wrote.
    function Invoke-VendorRecipe {
        param([Parameter(Mandatory)] [string] $Name, [switch] $MultiTenant)
        $run = Invoke-ModuleSession -Session $Session -Variables @{ name = $Name; multi = [bool] $MultiTenant; urls = $ReturnUrls } -ScriptBlock {
            $app = New-WriteBackAppRegistration -Name $name -MultiTenant:$multi -AsPlainText -WarningAction SilentlyContinue
            $app
            $app | Add-WriteBackRedirectUri -Uri $urls -WarningAction SilentlyContinue
        }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        @($run.Output).Count | Should -Be 2
        $out = $run.Output[0]
        $out.ClientSecret | Should -BeOfType [string]
        [pscustomobject]@{
            ClientId        = $out.ClientId
            TenantId        = $out.TenantId
            Secret          = $out.ClientSecret
            AdminConsentUrl = $out.AdminConsentUrl
            Added           = $run.Output[1]
        }
    }

    $Server = Start-LocalTenantServer -Tenant 'northwind' -AdminPassword $AdminPassword -User @(
        "$($HomeUser.Login):$($HomeUser.Password)", "$($ForeignUser.Login):$($ForeignUser.Password)")
    $Customer = $Server.Tenants[0]
    $Session = New-ModuleSession -Server $Server
}

AfterAll {
    if ($Session) { Remove-ModuleSession -Session $Session }
    if ($Server) { Stop-LocalTenantServer -Server $Server }
}

Describe 'WriteBackExtreme''s Test OAuth with New-WriteBackAppRegistration<Switch> | Add-WriteBackRedirectUri' -ForEach @(
    # Single tenant: the console's URLs name the tenant; multi-tenant: /organizations, so that any organization's user signs in.
    @{ Switch = ''; Multi = $false; Name = 'WriteBack Flow'; Audience = 'AzureADMyOrg' }
    @{ Switch = ' -MultiTenant'; Multi = $true; Name = 'WriteBack Flow MSP'; Audience = 'AzureADMultipleOrgs' }
) {
    BeforeAll {
        $Recipe = Invoke-VendorRecipe -Name $Name -MultiTenant:$Multi
        $Authority = if ($Multi) { 'organizations' } else { $Recipe.TenantId }
    }

    It 'registers the account type asked for, no redirect URI until the console''s return URLs are added, then both' {
        $Recipe.TenantId | Should -BeExactly $Server.TenantId
        $Recipe.ClientId | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        $Recipe.AdminConsentUrl | Should -BeNullOrEmpty -Because 'seed 002 step 6: no redirect URI at registration, so no admin consent URL yet'
        $Recipe.Added.ClientId | Should -BeExactly $Recipe.ClientId
        $app = Get-RecipeApplication $Recipe
        $app.signInAudience | Should -BeExactly $Audience
        @($app.web.redirectUris | Sort-Object) | Should -Be @($ReturnUrls | Sort-Object) -Because 'steps 15-18 add both return URLs to the Web platform'
        @($app.passwordCredentials).Count | Should -Be 1
    }

    It 'Test OAuth at return URL <Url>: the home user signs in and consents, the code is redeemed with the secret' -ForEach $ReturnUrlCases {
        $url = $Url
        $tokens = Invoke-TestOAuth -Recipe $Recipe -Authority $Authority -RedirectUri $url -User $HomeUser
        $access = ConvertFrom-Jwt $tokens.AccessToken
        $access.tid | Should -BeExactly $Server.TenantId
        $access.appid | Should -BeExactly $Recipe.ClientId
        $access.appidacr | Should -BeExactly '1' -Because 'the backend authenticated with the client secret'
        $access.upn | Should -BeExactly $HomeUser.Login
        $id = ConvertFrom-Jwt $tokens.IdToken
        $id.aud | Should -BeExactly $Recipe.ClientId
        $id.iss | Should -BeExactly "$($Server.Uri)/$($Server.TenantId)/v2.0"
        $id.preferred_username | Should -BeExactly $HomeUser.Login
        $tokens.RefreshToken | Should -Not -BeNullOrEmpty
        $me = Invoke-TenantGraph -Token $tokens.AccessToken -Method Get -Path '/me'
        $me.Status | Should -Be 200
        $me.Body.userPrincipalName | Should -BeExactly $HomeUser.Login
    }

    It 'a return URL that was not added is AADSTS50011 on the page, not a redirect (reply-url)' {
        $other = 'https://wbe.contoso.com/return-url-3'
        $page = Invoke-Browser -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Authority -RedirectUri $other) -Browser (New-Browser)
        [int] $page.StatusCode | Should -Be 400
        $page.Location | Should -BeNullOrEmpty -Because 'Entra never redirects to an unregistered URI'
        Get-PageText $page | Should -Match ([regex]::Escape("AADSTS50011: The redirect URI '$other' specified in the request does not match the redirect URIs configured for the application '$($Recipe.ClientId)'."))
    }

    # Seed 002, "Common error messages": "AADSTS50020: User account xxx from identity provider x does not exist in tenant..."
    # "appears when the account type is set to single tenant and you are trying to login with an account that is not
    # registered in that tenant". At the MSP tenant's own endpoint it is so for either account type: that URL names the tenant.
    It 'AADSTS50020: User account xxx from identity provider x does not exist in tenant... (a customer user at the MSP tenant''s endpoint)' {
        $answer = Invoke-Authorize -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $Server.TenantId -RedirectUri $ReturnUrls[0]) -User $ForeignUser
        [int] $answer.StatusCode | Should -Be 400
        $answer.Location | Should -BeNullOrEmpty -Because 'the error is shown on Entra''s page, not sent to the console'
        $text = Get-PageText $answer
        $text | Should -Match ([regex]::Escape("AADSTS50020: User account '$($ForeignUser.Login)' from identity provider 'https://sts.windows.net/$($Customer.TenantId)/' does not exist in tenant '"))
        $text | Should -Match ([regex]::Escape("and cannot access the application '$($Recipe.ClientId)'"))
    }

    It 'a customer user at /organizations and /common: <Outcome>' -ForEach @(@{ Outcome = if ($Multi) { 'signs in to the home tenant, which gets the app''s service principal' } else { 'AADSTS50194 (single-tenant app)' } }) {
        if (-not $Multi) {
            foreach ($authority in 'organizations', 'common') {
                $page = Invoke-Browser -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority $authority -RedirectUri $ReturnUrls[0]) -Browser (New-Browser)
                [int] $page.StatusCode | Should -Be 400
                Get-PageText $page | Should -Match "AADSTS50194: Application '$($Recipe.ClientId)'\(.*\) is not configured as a multi-tenant application\."
            }
            return
        }
        foreach ($authority in 'organizations', 'common') {
            $tokens = Invoke-TestOAuth -Recipe $Recipe -Authority $authority -RedirectUri $ReturnUrls[1] -User $ForeignUser
            $access = ConvertFrom-Jwt $tokens.AccessToken
            $access.tid | Should -BeExactly $Customer.TenantId -Because 'howto-convert-app-to-be-multi-tenant: /common routes the request to the user''s tenant'
            $access.upn | Should -BeExactly $ForeignUser.Login
            $access.appid | Should -BeExactly $Recipe.ClientId
            $id = ConvertFrom-Jwt $tokens.IdToken
            $id.tid | Should -BeExactly $Customer.TenantId
            $id.iss | Should -BeExactly "$($Server.Uri)/$($Customer.TenantId)/v2.0"
            (Invoke-TenantGraph -Token $tokens.AccessToken -Method Get -Path '/me').Body.userPrincipalName | Should -BeExactly $ForeignUser.Login
        }
        $sp = Invoke-TenantGraph -Token $Customer.Token -Method Get -Path "/servicePrincipals(appId='$($Recipe.ClientId)')"
        $sp.Status | Should -Be 200 -Because 'the user''s consent creates the app''s service principal in the customer''s tenant'
        $sp.Body.appOwnerOrganizationId | Should -BeExactly $Server.TenantId
        $grants = Invoke-TenantGraph -Token $Customer.Token -Method Get -Path "/oauth2PermissionGrants?`$filter=clientId eq '$($sp.Body.id)'"
        @($grants.Body.value | Where-Object consentType -eq 'Principal').Count | Should -Be 1 -Because 'the user consented for themself'
    }

    # The key setting altered: only the multi-tenant app has an account type to switch back.
    if ($Multi) {
        It 'a re-run of the recipe, once the return URLs are there, gives the AdminConsentUrl with one of them' {
            $run = Invoke-ModuleSession -Session $Session -Variables @{ name = $Name } -ScriptBlock {
                New-WriteBackAppRegistration -Name $name -MultiTenant -WarningAction SilentlyContinue
            }
            $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
            $out = @($run.Output)[0]
            $out.ClientId | Should -BeExactly $Recipe.ClientId
            $url = [uri] $out.AdminConsentUrl
            $url.GetLeftPart([UriPartial]::Path) | Should -BeExactly 'https://login.microsoftonline.com/organizations/v2.0/adminconsent'
            $query = [System.Web.HttpUtility]::ParseQueryString($url.Query)
            $query['client_id'] | Should -BeExactly $Recipe.ClientId
            $ReturnUrls | Should -Contain $query['redirect_uri']
        }

        It 'the account type switched back to AzureADMyOrg through Graph refuses the customer user at /common (AADSTS50194)' {
            $app = Get-RecipeApplication $Recipe
            (Invoke-TenantGraph -Token $Server.Token -Method Patch -Path "/applications/$($app.id)" -Body @{ signInAudience = 'AzureADMyOrg' }).Status | Should -Be 204
            try {
                $page = Invoke-Browser -Url (Get-AuthorizeUrl -Recipe $Recipe -Authority 'common' -RedirectUri $ReturnUrls[0]) -Browser (New-Browser)
                [int] $page.StatusCode | Should -Be 400
                $page.Location | Should -BeNullOrEmpty
                Get-PageText $page | Should -Match "AADSTS50194: Application '$($Recipe.ClientId)'\(.*\) is not configured as a multi-tenant application\."
                # The home user still signs in at the tenant's own endpoint.
                $null = Invoke-TestOAuth -Recipe $Recipe -Authority $Server.TenantId -RedirectUri $ReturnUrls[0] -User $HomeUser
            }
            finally {
                (Invoke-TenantGraph -Token $Server.Token -Method Patch -Path "/applications/$($app.id)" -Body @{ signInAudience = 'AzureADMultipleOrgs' }).Status | Should -Be 204
            }
            $null = Invoke-TestOAuth -Recipe $Recipe -Authority 'common' -RedirectUri $ReturnUrls[0] -User $ForeignUser
        }
    }
}
