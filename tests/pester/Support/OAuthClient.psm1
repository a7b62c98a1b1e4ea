# The vendor's side of the VendorFlows suites, with plain HTTP only (no EntraAppKit code): a user's browser on the
# authorize endpoint's sign-in and consent pages, the redirect read without following it, the vendor's server at the
# token endpoint and at Graph, and the claims of the tokens it gets. The functions take every address and credential as
# a parameter (the test file's $Server, callback and users are its own); they assert with Pester's Should as they go.

Set-StrictMode -Version Latest

function ConvertFrom-Jwt {
    <#
    .SYNOPSIS
        The claims of a JWT: its payload, base64url-decoded, parsed. The signature is not checked: that is the business
        of the resource (Graph, the CMG service), not of the vendor's client; the claims are the test's.
    #>
    param([Parameter(Mandatory)] [string] $Jwt)
    $payload = $Jwt.Split('.')[1].Replace('-', '+').Replace('_', '/')
    $payload = $payload.PadRight($payload.Length + (4 - $payload.Length % 4) % 4, '=')
    [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json
}

function ConvertTo-Base64Url {
    # Base64url without padding (RFC 4648 section 5), as JWTs and PKCE write bytes.
    param([Parameter(Mandatory)] [byte[]] $Bytes)
    [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}

function New-Pkce {
    <#
    .SYNOPSIS
        RFC 7636: a fresh code_verifier (Verifier) and its S256 code_challenge (Challenge), as MSAL makes them for every
        interactive request.
    #>
    $verifier = ConvertTo-Base64Url ([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
    $challenge = ConvertTo-Base64Url ([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::ASCII.GetBytes($verifier)))
    [pscustomobject]@{ Verifier = $verifier; Challenge = $challenge }
}

function New-Browser {
    <#
    .SYNOPSIS
        The user's browser: its cookies (Cookies, where the sign-in leaves ESTSAUTH), and no redirect followed, so that
        the test reads the 302 to the redirect URI (the vendor's, not the server's, or the broker's, which is no web
        address) from its Location. HttpClient rather than Invoke-WebRequest: PowerShell 7.6's -MaximumRedirection 0
        with -SkipHttpErrorCheck throws InvalidOperationException on a 302 instead of returning it.
    #>
    $handler = [System.Net.Http.HttpClientHandler]::new()
    $handler.AllowAutoRedirect = $false
    $handler.CookieContainer = [System.Net.CookieContainer]::new()
    [pscustomobject]@{ Client = [System.Net.Http.HttpClient]::new($handler); Cookies = $handler.CookieContainer }
}

function Invoke-Browser {
    <#
    .SYNOPSIS
        One browser request, a GET or, with -Form, a form's POST: its Url, StatusCode, page (Content), and the Location
        of a redirect.
    #>
    param([Parameter(Mandatory)] [string] $Url, [Parameter(Mandatory)] $Browser, [hashtable] $Form)
    if ($Form) {
        $fields = [System.Collections.Generic.Dictionary[string, string]]::new()
        foreach ($key in $Form.Keys) { $fields[$key] = [string] $Form[$key] }
        $response = $Browser.Client.PostAsync($Url, [System.Net.Http.FormUrlEncodedContent]::new($fields)).GetAwaiter().GetResult()
    }
    else { $response = $Browser.Client.GetAsync($Url).GetAwaiter().GetResult() }
    try {
        [pscustomobject]@{
            Url        = $Url
            StatusCode = [int] $response.StatusCode
            Content    = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
            Location   = if ($response.Headers.Location) { $response.Headers.Location.OriginalString } else { $null }
        }
    }
    finally { $response.Dispose() }
}

function Get-FormField {
    # The value of a page's form field, which the page must have.
    param([Parameter(Mandatory)] $Page, [Parameter(Mandatory)] [string] $Name)
    $found = [regex]::Match($Page.Content, "name=""$Name"" value=""([^""]*)""")
    $found.Success | Should -BeTrue -Because "the page has a field ${Name} (status $([int] $Page.StatusCode))"
    [System.Net.WebUtility]::HtmlDecode($found.Groups[1].Value)
}

function Get-FormAction {
    # Where a page's form posts to: its action, resolved against the page's own address (Invoke-Browser's Url).
    param([Parameter(Mandatory)] $Page)
    $action = [System.Net.WebUtility]::HtmlDecode([regex]::Match($Page.Content, '<form method="post" action="([^"]*)"').Groups[1].Value)
    [uri]::new([uri] $Page.Url, $action).AbsoluteUri
}

function Get-PageText {
    # What the page says, without its markup.
    param([Parameter(Mandatory)] $Page)
    [System.Net.WebUtility]::HtmlDecode(($Page.Content -replace '<[^>]+>', ' '))
}

function Submit-SignIn {
    <#
    .SYNOPSIS
        The sign-in form, filled in as the user does with -Login and -Password; answers the consent page, the redirect
        once consented, or an error page.
    #>
    param([Parameter(Mandatory)] $Page, [Parameter(Mandatory)] $Browser, [Parameter(Mandatory)] [string] $Login, [Parameter(Mandatory)] [string] $Password)
    [int] $Page.StatusCode | Should -Be 200 -Because "the authorize endpoint shows its sign-in page ($(Get-PageText $Page))"
    $Page.Content | Should -Match 'name="passwd"'
    Invoke-Browser -Url (Get-FormAction $Page) -Browser $Browser -Form @{ ctx = (Get-FormField $Page 'ctx'); login = $Login; passwd = $Password }
}

function Submit-Consent {
    # The consent page, accepted (or, with -Accept $false, declined) as the user does; answers the redirect.
    param([Parameter(Mandatory)] $Page, [Parameter(Mandatory)] $Browser, [bool] $Accept = $true)
    [int] $Page.StatusCode | Should -Be 200 -Because 'the consent page follows the sign-in'
    $Page.Content | Should -Match 'name="acceptConsent"'
    Invoke-Browser -Url (Get-FormAction $Page) -Browser $Browser -Form @{ ctx = (Get-FormField $Page 'ctx'); acceptConsent = if ($Accept) { 'true' } else { 'false' } }
}

function Invoke-SignIn {
    <#
    .SYNOPSIS
        The whole interactive part of an authorize URL in -Browser: its sign-in page filled in with -Login and -Password,
        the consent page accepted when the user has not consented yet; answers the redirect (or the error page).
    #>
    param([Parameter(Mandatory)] [string] $Url, [Parameter(Mandatory)] $Browser, [Parameter(Mandatory)] [string] $Login, [Parameter(Mandatory)] [string] $Password)
    $answer = Submit-SignIn -Page (Invoke-Browser -Url $Url -Browser $Browser) -Browser $Browser -Login $Login -Password $Password
    if ([int] $answer.StatusCode -eq 200 -and $answer.Content -match 'name="acceptConsent"') { $answer = Submit-Consent -Page $answer -Browser $Browser }
    $answer
}

function Get-Returned {
    <#
    .SYNOPSIS
        The parameters of the 302 to the redirect URI -Target, from its query (-Separator '?') or fragment ('#'), read
        without following it.
    #>
    param([Parameter(Mandatory)] $Response, [Parameter(Mandatory)] [string] $Target, [string] $Separator = '?')
    [int] $Response.StatusCode | Should -Be 302 -Because "the authorize endpoint redirects to ${Target} ($(Get-PageText $Response))"
    $location = $Response.Location
    $location | Should -BeLike "$Target$Separator*"
    $returned = @{}
    foreach ($pair in $location.Substring($Target.Length + 1).Split('&')) {
        $parts = $pair.Split('=', 2)
        $returned[[uri]::UnescapeDataString($parts[0])] = [uri]::UnescapeDataString($parts[1].Replace('+', ' '))
    }
    $returned
}

function Invoke-TokenRequest {
    <#
    .SYNOPSIS
        A POST of -Form to the token endpoint -Uri, as the vendor's server makes it: Status, AccessToken, IdToken,
        RefreshToken, Scope, Error and Description (each $null when the answer lacks it), and the parsed answer (Body).
    #>
    param([Parameter(Mandatory)] [string] $Uri, [Parameter(Mandatory)] [hashtable] $Form)
    $response = Invoke-WebRequest -Method Post -Uri $Uri -Body $Form -ContentType 'application/x-www-form-urlencoded' -SkipHttpErrorCheck
    $json = $response.Content | ConvertFrom-Json
    $field = { param($name) if ($json.PSObject.Properties[$name]) { $json.$name } else { $null } }
    [pscustomobject]@{
        Status       = [int] $response.StatusCode
        AccessToken  = & $field 'access_token'
        IdToken      = & $field 'id_token'
        RefreshToken = & $field 'refresh_token'
        Scope        = & $field 'scope'
        Error        = & $field 'error'
        Description  = & $field 'error_description'
        Body         = $json
    }
}

function Invoke-GraphRequest {
    <#
    .SYNOPSIS
        One Graph call with a bearer -Token at -Endpoint (the server's Uri; -Path after /v1.0), -Body sent as JSON: its
        Status, the parsed JSON body (Body, or $null), and Graph's error Code and Message (or $null).
    #>
    param([Parameter(Mandatory)] [string] $Endpoint, [Parameter(Mandatory)] [string] $Token, [Parameter(Mandatory)] [string] $Method,
        [Parameter(Mandatory)] [string] $Path, $Body)
    $arguments = @{ Method = $Method; Uri = "$Endpoint/v1.0$Path"; Headers = @{ Authorization = "Bearer $Token" }; SkipHttpErrorCheck = $true }
    if ($null -ne $Body) { $arguments.Body = ($Body | ConvertTo-Json -Depth 8); $arguments.ContentType = 'application/json' }
    $response = Invoke-WebRequest @arguments
    $json = if ($response.Content) { $response.Content | ConvertFrom-Json } else { $null }
    $code = $null; $message = $null
    if ($json -and $json.PSObject.Properties['error']) { $code = $json.error.code; $message = $json.error.message }
    [pscustomobject]@{ Status = [int] $response.StatusCode; Body = $json; Code = $code; Message = $message }
}

Export-ModuleMember -Function ConvertFrom-Jwt, ConvertTo-Base64Url, New-Pkce, New-Browser, Invoke-Browser, Get-FormField, Get-FormAction, Get-PageText, Submit-SignIn, Submit-Consent, Invoke-SignIn, Get-Returned, Invoke-TokenRequest, Invoke-GraphRequest
