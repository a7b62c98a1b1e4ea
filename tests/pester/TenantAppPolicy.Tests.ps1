#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-EntraTenantAppPolicy and Set-EntraTenantAppPolicy (issue 13, section 3) against the local tenant server, and seed 003's
# "two settings enable you to turn off those capabilities" walked through: with "Users can register applications" off a
# member's POST /applications is Graph's 403, and with user consent limited to low-impact permissions a member consents to
# User.Read but needs an administrator's approval for Mail.Read (Entra's "Need admin approval" page, AADSTS90094 at the app;
# learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent). The member's part is plain HTTP, as a browser
# and the app's server would do it (no EntraAppKit code); no secret or password is printed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/OAuthClient.psm1') -Force

    $Callback = 'https://app.contoso.example/signin-oidc'
    $MemberPassword = 'Mb' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!7c'
    $MemberName = 'megan@contoso.onmicrosoft.com'
    $Server = Start-LocalTenantServer -User @("${MemberName}:${MemberPassword}")
    $Session = New-ModuleSession
    $connected = Invoke-ModuleSession -Session $Session -Variables @{ token = $Server.Token; graph = $Server.Uri } -ScriptBlock {
        Connect-EntraAppKit -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint $graph | Out-Null
    }
    $connected.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $connected.Errors)

    # The member's browser and the app's Graph calls: OAuthClient's plain HTTP.
    function Invoke-AdminGraph {
        param([Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body, [string] $Token = $Server.Token)
        Invoke-GraphRequest -Endpoint $Server.Uri -Token $Token -Method $Method -Path $Path -Body $Body
    }

    # The authorize URL for the app, and the member's sign-in: the page that follows (consent, approval) or the redirect.
    function Invoke-MemberSignIn {
        param([Parameter(Mandatory)] [string] $Scope, [Parameter(Mandatory)] [string] $State)
        $query = "client_id=$($App.AppId)&response_type=code&redirect_uri=$([uri]::EscapeDataString($Callback))&scope=$([uri]::EscapeDataString($Scope))&state=$State"
        $browser = New-Browser
        $page = Invoke-Browser -Url "$($Server.Uri)/$($Server.TenantId)/oauth2/v2.0/authorize?$query" -Browser $browser
        $answer = Submit-SignIn -Page $page -Browser $browser -Login $MemberName -Password $MemberPassword
        [pscustomobject]@{ Browser = $browser; Answer = $answer }
    }

    # The page's only button, or the consent page's Accept.
    function Submit-Page {
        param([Parameter(Mandatory)] $SignIn, [bool] $Accept = $true)
        Submit-Consent -Page $SignIn.Answer -Browser $SignIn.Browser -Accept $Accept
    }

    function Get-Returned {
        param([Parameter(Mandatory)] $Response)
        OAuthClient\Get-Returned -Response $Response -Target $Callback
    }

    # The app's server redeems the code with its secret.
    function Request-MemberToken {
        param([Parameter(Mandatory)] [string] $Code)
        $response = Invoke-WebRequest -Method Post -Uri "$($Server.Uri)/$($Server.TenantId)/oauth2/v2.0/token" -SkipHttpErrorCheck -ContentType 'application/x-www-form-urlencoded' -Body @{
            grant_type = 'authorization_code'; client_id = $App.AppId; client_secret = $App.Secret; code = $Code; redirect_uri = $Callback
        }
        [int] $response.StatusCode | Should -Be 200
        ($response.Content | ConvertFrom-Json).access_token
    }

    function Invoke-Policy {
        param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [hashtable] $Variables = @{})
        Invoke-ModuleSession -Session $Session -ScriptBlock $ScriptBlock -Variables $Variables
    }

    # A web app of the tenant that signs its members in: Graph's User.Read, a secret (what any line-of-business app has).
    $created = Invoke-AdminGraph -Method Post -Path '/applications' -Body @{
        displayName = 'Contoso Portal'; signInAudience = 'AzureADMyOrg'
        web = @{ redirectUris = @($Callback) }
        requiredResourceAccess = @(@{ resourceAppId = '00000003-0000-0000-c000-000000000000'; resourceAccess = @(@{ id = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d'; type = 'Scope' }) })
    }
    $created.Status | Should -Be 201
    $secret = Invoke-AdminGraph -Method Post -Path "/applications/$($created.Body.id)/addPassword" -Body @{ passwordCredential = @{ displayName = 'portal' } }
    $App = [pscustomobject]@{ AppId = $created.Body.appId; Secret = $secret.Body.secretText }
}

AfterAll {
    if ($Session) { Remove-ModuleSession -Session $Session }
    if ($Server) { Stop-LocalTenantServer -Server $Server }
}

Describe 'Get-EntraTenantAppPolicy' {
    It 'shows a new tenant''s settings, with its TenantId' {
        $run = Invoke-Policy { Get-EntraTenantAppPolicy }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        $policy = $run.Output[0]
        $policy.TenantId | Should -Be $Server.TenantId
        $policy.UsersCanRegisterApps | Should -BeTrue
        $policy.UserConsent | Should -BeExactly 'AllowAll'
        $policy.AdminConsentWorkflow | Should -BeFalse
        $policy.PSObject.TypeNames[0] | Should -Be 'EntraAppKit.Model.Tenants.TenantAppPolicy'
    }
}

Describe 'Set-EntraTenantAppPolicy' {
    It '-WhatIf names each change from X to Y and changes nothing' {
        $run = Invoke-Policy { Set-EntraTenantAppPolicy -UserConsent LowImpact -UsersCanRegisterApps $false -UsersCanCreateSecurityGroups $true -WhatIf }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        $domain = $Server.Domain
        # UsersCanCreateSecurityGroups is already True: no change, no line.
        $run.WhatIf | Should -Be @(
            "Change UsersCanRegisterApps of tenant $domain from True to False"
            "Change UserConsent of tenant $domain from AllowAll to LowImpact"
        )
        (Invoke-AdminGraph -Method Get -Path '/policies/authorizationPolicy').Body.defaultUserRolePermissions.allowedToCreateApps | Should -BeTrue
    }

    It 'fails before any write when a reviewer is not a user of the tenant' {
        $run = Invoke-Policy { Set-EntraTenantAppPolicy -AdminConsentWorkflow $true -AdminConsentReviewer 'nobody@contoso.onmicrosoft.com' -Confirm:$false }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ReviewerNotFound,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Invoke-AdminGraph -Method Get -Path '/policies/adminConsentRequestPolicy').Body.isEnabled | Should -BeFalse
    }

    It 'changes the settings, and a re-run changes nothing' {
        $run = Invoke-Policy -Variables @{ reviewer = $MemberName } {
            Set-EntraTenantAppPolicy -AdminConsentWorkflow $true -AdminConsentReviewer $reviewer -AdminConsentReminders $true -AdminConsentRequestDurationDays 14 -Confirm:$false
        }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        $run.Output[0].AdminConsentWorkflow | Should -BeTrue
        $run.Output[0].AdminConsentReviewers | Should -Be @($MemberName)
        $run.Output[0].AdminConsentRequestDurationDays | Should -Be 14
        # Graph holds the reviewer as its query (adminconsentrequestpolicy-update).
        $held = (Invoke-AdminGraph -Method Get -Path '/policies/adminConsentRequestPolicy').Body
        $held.reviewers[0].query | Should -BeLike '/users/*'
        $held.reviewers[0].queryType | Should -BeExactly 'MicrosoftGraph'

        $again = Invoke-Policy -Variables @{ reviewer = $MemberName } {
            Set-EntraTenantAppPolicy -AdminConsentWorkflow $true -AdminConsentReviewer $reviewer -AdminConsentReminders $true -AdminConsentRequestDurationDays 14 -WhatIf
        }
        $again.Errors | Should -BeNullOrEmpty
        $again.WhatIf | Should -BeNullOrEmpty
        Clear-LocalTenantRequest -Server $Server
        $rerun = Invoke-Policy -Variables @{ reviewer = $MemberName } {
            Set-EntraTenantAppPolicy -AdminConsentWorkflow $true -AdminConsentReviewer $reviewer -Confirm:$false -Verbose 4>&1
        }
        $rerun.Errors | Should -BeNullOrEmpty
        @($rerun.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*already has these settings*' }).Count | Should -Be 1
        @(Get-LocalTenantRequest -Server $Server | Where-Object { $_.kind -eq 'graph' -and $_.method -ne 'GET' }).Count | Should -Be 0
    }
}

Describe 'Seed 003: the two settings that turn off what users may do with apps' {
    It 'with "Users can register applications" off, a member''s POST /applications is Graph''s 403' {
        # The administrator consents for everyone to what the member's tool needs, as an admin would for a registration tool.
        $sp = Invoke-AdminGraph -Method Post -Path '/servicePrincipals' -Body @{ appId = $App.AppId }
        $sp.Status | Should -Be 201
        $graph = (Invoke-AdminGraph -Method Get -Path "/servicePrincipals?`$filter=appId eq '00000003-0000-0000-c000-000000000000'").Body.value[0].id
        (Invoke-AdminGraph -Method Post -Path '/oauth2PermissionGrants' -Body @{ clientId = $sp.Body.id; consentType = 'AllPrincipals'; resourceId = $graph; scope = 'Application.ReadWrite.All' }).Status | Should -Be 201
        $signIn = Invoke-MemberSignIn -Scope 'openid https://graph.microsoft.com/Application.ReadWrite.All' -State 'reg'
        $token = Request-MemberToken -Code (Get-Returned $signIn.Answer)['code']
        (Invoke-AdminGraph -Method Post -Path '/applications' -Body @{ displayName = 'Megan''s app' } -Token $token).Status | Should -Be 201

        $run = Invoke-Policy { Set-EntraTenantAppPolicy -UsersCanRegisterApps $false -Confirm:$false }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        $refused = Invoke-AdminGraph -Method Post -Path '/applications' -Body @{ displayName = 'Megan''s second app' } -Token $token
        $refused.Status | Should -Be 403
        $refused.Body.error.code | Should -BeExactly 'Authorization_RequestDenied'
        $refused.Body.error.message | Should -BeExactly 'Insufficient privileges to complete the operation.'
    }

    It 'with user consent limited to low impact, a member consents to User.Read but not to Mail.Read' {
        $run = Invoke-Policy { Set-EntraTenantAppPolicy -UserConsent LowImpact -Confirm:$false }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        $run.Output[0].UserConsent | Should -BeExactly 'LowImpact'

        $signIn = Invoke-MemberSignIn -Scope 'openid profile User.Read' -State 'low'
        (Get-PageText $signIn.Answer) | Should -Not -Match 'Need admin approval'
        $signIn.Answer.Content | Should -Match 'name="acceptConsent"'
        $returned = Get-Returned (Submit-Page $signIn)
        $returned['code'] | Should -Not -BeNullOrEmpty
        Request-MemberToken -Code $returned['code'] | Should -Not -BeNullOrEmpty

        $mail = Invoke-MemberSignIn -Scope 'openid Mail.Read' -State 'mail'
        (Get-PageText $mail.Answer) | Should -Match 'Need admin approval'
        $mail.Answer.Content | Should -Match '<li>Mail.Read</li>'
        # The workflow is on (above): the page says a request can be sent; the app still hears AADSTS90094.
        $mail.Answer.Content | Should -Match 'request-approval'
        $back = Get-Returned (Submit-Page $mail -Accept $false)
        $back['error'] | Should -BeExactly 'access_denied'
        $back['error_description'] | Should -Match '^AADSTS90094: '
        $back['state'] | Should -BeExactly 'mail'
    }

    It 'with user consent off, even User.Read needs an administrator''s approval' {
        $run = Invoke-Policy { Set-EntraTenantAppPolicy -UserConsent DoNotAllow -Confirm:$false }
        $run.Errors | Should -BeNullOrEmpty -Because (Format-ErrorRecord $run.Errors)
        $signIn = Invoke-MemberSignIn -Scope 'openid User.Read Calendars.Read' -State 'none'
        (Get-PageText $signIn.Answer) | Should -Match 'Need admin approval'
        (Get-Returned (Submit-Page $signIn -Accept $false))['error_description'] | Should -Match '^AADSTS90094: '
    }
}
