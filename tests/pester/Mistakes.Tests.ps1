#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# User mistakes that used to surface as UnexpectedError, with a wrong category, after a wait, or after a write: each fails at
# once with a stable ErrorId and its category, and the tenant is unchanged.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $Unknown = '0f0e0d0c-0b0a-4909-8807-060504030201'

    function Assert-Refused {
        param($Run, [string] $ErrorId, [string] $Category)
        $Run.Output | Should -BeNullOrEmpty
        $Run.Errors.Count | Should -Be 1 -Because (Format-ErrorRecord $Run.Errors)
        # PowerShell's binding ids carry a suffix for a mandatory parameter (ParameterArgumentValidationErrorNullNotAllowed).
        $Run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId*,*" -Because (Format-ErrorRecord $Run.Errors)
        $Run.Errors[0].CategoryInfo.Category | Should -Be $Category
    }
}

Describe 'Blank and $null values in string and list parameters fail at binding' {
    BeforeAll {
        $session = New-ModuleSession -Connect
        $app = (Invoke-ModuleSession -Session $session -ScriptBlock { New-WriteBackAppRegistration -Name 'Mistakes WBE' -SecretLifetimeMonths 12 }).Output[0]
    }
    AfterAll { Remove-ModuleSession -Session $session }

    # Every list parameter of every cmdlet, and the string parameters a user types; each with the values that used to get through.
    It '<Command> -<Parameter> <Label> is ParameterArgumentValidationError (InvalidData), nothing written' -ForEach @(
        foreach ($list in @(
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'WebRedirectUri'; Good = 'https://app.contoso.com/cb' }
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'SpaRedirectUri'; Good = 'https://app.contoso.com/spa' }
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'PublicClientRedirectUri'; Good = 'https://login.microsoftonline.com/common/oauth2/nativeclient' }
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'IdentifierUri'; Good = 'api://{appId}' }
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'DelegatedPermission'; Good = 'User.Read' }
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'ApplicationPermission'; Good = 'User.Read.All' }
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'Scope'; Good = 'access_as_user' }
                @{ Command = 'New-EntraAppRegistration'; Prefix = "-Name 'Blank Lists' -NoSecret"; Parameter = 'AppRole'; Good = 'Data.Read' }
                @{ Command = 'New-RewstAppRegistration'; Prefix = ''; Parameter = 'DelegatedPermission'; Good = 'User.Read' }
                @{ Command = 'Add-WriteBackRedirectUri'; Prefix = '-ClientId $app.ClientId'; Parameter = 'Uri'; Good = 'https://wbe.contoso.com/ok' }
                @{ Command = 'Grant-AdminConsent'; Prefix = '-ClientId $app.ClientId'; Parameter = 'Permission'; Good = 'User.Read' }
            )) {
            foreach ($bad in @(
                    @{ Label = 'with a $null element'; Value = '@($good, $null)' }
                    @{ Label = 'with an empty element'; Value = "@(`$good, '')" }
                    @{ Label = 'with a white-space element'; Value = "@(`$good, '   ')" }
                    @{ Label = 'as $null'; Value = '$null' }
                    @{ Label = 'as an empty list'; Value = '@()' }
                )) {
                $list + @{ Label = $bad.Label; Value = $bad.Value }
            }
        }
        foreach ($text in @(
                @{ Command = 'New-EntraAppRegistration'; Prefix = '-NoSecret'; Parameter = 'Name' }
                @{ Command = 'New-RewstAppRegistration'; Prefix = ''; Parameter = 'UniqueName' }
                @{ Command = 'New-CmgServerApp'; Prefix = ''; Parameter = 'AppIdUriDomain' }
                @{ Command = 'Get-EntraAppRegistration'; Prefix = ''; Parameter = 'DisplayName' }
                @{ Command = 'Get-EntraAppRegistration'; Prefix = ''; Parameter = 'UniqueName' }
                @{ Command = 'Test-EntraAppCredential'; Prefix = '-ClientId $app.ClientId -ClientSecret $app.ClientSecret'; Parameter = 'TenantId' }
            )) {
            foreach ($bad in @(
                    @{ Label = 'as white space'; Value = "'   '" }
                    @{ Label = 'as an empty string'; Value = "''" }
                    @{ Label = 'with a NUL character'; Value = '"a`0b"' }
                )) {
                $text + @{ Label = $bad.Label; Value = $bad.Value }
            }
        }
    ) {
        $before = @((Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output).Count
        $run = Invoke-ModuleSession -Session $session -Variables @{ good = $Good; app = $app } -Script "$Command $Prefix -$Parameter $Value"
        if ($Parameter -in 'Scope', 'AppRole' -and $Label -match 'empty element|white-space') {
            # The string became a scope or role before validation: its blank Value is refused by the recipe, still before any read.
            Assert-Refused $run 'InvalidRecipeInput' 'InvalidArgument'
            $run.Errors[0].Exception.Message | Should -BeLike '*needs a Value*'
        }
        else {
            Assert-Refused $run 'ParameterArgumentValidationError' 'InvalidData'
            $run.Errors[0].Exception.Message | Should -BeLike "*'$Parameter'*"
        }
        @((Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output).Count | Should -Be $before
    }
}

Describe 'A command that needs confirmation in a host that cannot ask' {
    BeforeEach {
        # The recording host answers no prompt unless told to, as pwsh -NonInteractive and Azure Automation do.
        $session = New-ModuleSession -Connect
        $app = (Invoke-ModuleSession -Session $session -ScriptBlock { New-WriteBackAppRegistration -Name 'Confirm Me' }).Output[0]
    }
    AfterEach { Remove-ModuleSession -Session $session }

    It '<Label> fails at once with ConfirmationRequired (InvalidOperation), says how to confirm in advance, and changes nothing' -ForEach @(
        @{ Label = 'Remove-EntraAppRegistration (ConfirmImpact High)'; Script = 'Remove-EntraAppRegistration -ClientId $app.ClientId' }
        @{ Label = 'Remove-EntraAppRegistration from the pipeline'; Script = '$app | Remove-EntraAppRegistration' }
        @{ Label = 'Add-WriteBackRedirectUri -Confirm'; Script = "Add-WriteBackRedirectUri -ClientId `$app.ClientId -Uri 'https://wbe.contoso.com/cb' -Confirm" }
        @{ Label = 'New-EntraAppRegistration -Confirm'; Script = "New-EntraAppRegistration -Name 'Confirm New' -NoSecret -Confirm" }
    ) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-ModuleSession -Session $session -Variables @{ app = $app } -Script $Script
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        Assert-Refused $run 'ConfirmationRequired' 'InvalidOperation'
        $run.Errors[0].Exception.Message | Should -BeLike '*-Confirm:$false*'
        $after = (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output
        @($after).Count | Should -Be 1
        $after[0].WebRedirectUris | Should -BeNullOrEmpty
    }

    It 'runs with -Confirm:$false' {
        $run = Invoke-ModuleSession -Session $session -Variables @{ app = $app } -ScriptBlock { Remove-EntraAppRegistration -ClientId $app.ClientId -Confirm:$false }
        $run.Errors | Should -BeNullOrEmpty
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output | Should -BeNullOrEmpty
    }
}

Describe 'Connect-EntraAppKit -LocalTenant -Path that cannot be a state file' {
    BeforeAll {
        # A state file with one app, made by the module in a session of its own, then damaged by $Damage (or cut in half).
        function New-DamagedStateFile {
            param([scriptblock] $Damage, [switch] $Truncate)
            $file = Join-Path ([System.IO.Path]::GetTempPath()) "entraappkit-damaged-$([guid]::NewGuid().ToString('N')).json"
            $maker = New-ModuleSession
            try {
                $made = Invoke-ModuleSession -Session $maker -Variables @{ file = $file } -ScriptBlock {
                    Connect-EntraAppKit -LocalTenant -Path $file | Out-Null
                    New-EntraAppRegistration -Name 'Damaged Later' -WarningAction SilentlyContinue | Out-Null
                }
                $made.Errors | Should -BeNullOrEmpty
            }
            finally { Remove-ModuleSession -Session $maker }
            $text = Get-Content -LiteralPath $file -Raw
            if ($Truncate) { $text = $text.Substring(0, [int]($text.Length / 2)) }
            else {
                $doc = $text | ConvertFrom-Json
                & $Damage $doc
                $text = $doc | ConvertTo-Json -Depth 64 -Compress
            }
            Set-Content -LiteralPath $file -Value $text -NoNewline
            $file
        }
    }
    BeforeEach { $session = New-ModuleSession }
    AfterEach { Remove-ModuleSession -Session $session }

    It '-Path <Label> fails with <ErrorId> (<Category>)' -ForEach @(
        @{ Label = 'of a folder'; Path = { [System.IO.Path]::GetTempPath() }; ErrorId = 'InvalidRecipeInput'; Category = 'InvalidArgument'; Message = '*is a folder*tenant.json*' }
        @{ Label = 'of a new folder'; Path = { $d = Join-Path ([System.IO.Path]::GetTempPath()) ([guid]::NewGuid()); New-Item -ItemType Directory $d | Out-Null; $d }; ErrorId = 'InvalidRecipeInput'; Category = 'InvalidArgument'; Message = '*is a folder*' }
        @{ Label = 'with a NUL character'; Path = { "tenant`0.json" }; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Message = '*NUL*' }
        @{ Label = 'of white space'; Path = { '   ' }; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData'; Message = '*white space*' }
        # A state file damaged by hand, or written by a newer EntraAppKit: refused with what is wrong, and left untouched.
        @{ Label = 'of a file with an application without id'; Path = { New-DamagedStateFile { param($d) $d.applications[0].PSObject.Properties.Remove('id') } }; ErrorId = 'LocalTenantState'; Category = 'InvalidOperation'; Message = "*incomplete or damaged (applications``[0``].id is missing*left untouched*" }
        @{ Label = 'of a newer format'; Path = { New-DamagedStateFile { param($d) $d.format = 'EntraAppKit.LocalTenant/3' } }; ErrorId = 'LocalTenantState'; Category = 'InvalidOperation'; Message = '*newer version of EntraAppKit*' }
        @{ Label = 'of a truncated file'; Path = { New-DamagedStateFile { param($d) } -Truncate }; ErrorId = 'LocalTenantState'; Category = 'InvalidOperation'; Message = '*is corrupt*' }
    ) {
        $run = Invoke-ModuleSession -Session $session -Variables @{ target = (& $Path) } -ScriptBlock { Connect-EntraAppKit -LocalTenant -Path $target }
        $run.Errors.Count | Should -Be 1 -Because (Format-ErrorRecord $run.Errors)
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $run.Errors[0].CategoryInfo.Category | Should -Be $Category
        $run.Errors[0].Exception.Message | Should -BeLike $Message
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppKitContext }).Output | Should -BeNullOrEmpty
        if ($ErrorId -eq 'LocalTenantState') { $run.Errors[0].Exception.Message | Should -BeLike '*left untouched*' }
    }
}

Describe 'New-CmgClientApp -ServerClientId of an app that does not exist' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It 'fails at once with UnknownResource (ObjectNotFound), writing nothing: an id this connection did not create is not replication lag' -ForEach @(
        @{ Label = 'a random id'; Id = { [guid]::NewGuid().ToString() } }
        @{ Label = 'a fixed unknown id'; Id = { '0f0e0d0c-0b0a-4909-8807-060504030201' } }
        @{ Label = 'the id of an app removed since'; Id = { (Invoke-ModuleSession -Session $session -ScriptBlock { $s = New-CmgServerApp -Name 'Gone Server'; Remove-EntraAppRegistration -ClientId $s.ClientId -Confirm:$false; $s.ClientId }).Output[0] } }
    ) {
        $id = & $Id
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-ModuleSession -Session $session -Variables @{ id = $id } -ScriptBlock { New-CmgClientApp -ServerClientId $id }
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        Assert-Refused $run 'UnknownResource' 'ObjectNotFound'
        $run.Errors[0].Exception.Message | Should -BeLike "*$id*"
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration -DisplayName 'CMG-ClientApp' }).Output | Should -BeNullOrEmpty
    }

    It 'still takes a server app made in this connection, piped in' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { New-CmgServerApp | New-CmgClientApp }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].ServerClientId | Should -Not -BeNullOrEmpty
    }
}

Describe 'A value Graph refuses only in the follow-up PATCH' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It '<Parameter> <Value> fails the plan with InvalidRecipeInput (InvalidArgument) naming it, and no app is made' -ForEach @(
        @{ Parameter = 'WebRedirectUri'; Value = 'http://wbe.contoso.com/{appId}/callback' }
        @{ Parameter = 'SpaRedirectUri'; Value = 'http://spa.contoso.com/{appId}' }
        @{ Parameter = 'PublicClientRedirectUri'; Value = '{appId}' }
        @{ Parameter = 'IdentifierUri'; Value = 'https://not-verified.example.com/{appId}' }
        @{ Parameter = 'WebRedirectUri'; Value = 'https://contoso.com/{appId}/a;b' }
    ) {
        $run = Invoke-ModuleSession -Session $session -Variables @{ p = @{ $Parameter = $Value } } -ScriptBlock { New-EntraAppRegistration -Name 'Half Built' @p }
        Assert-Refused $run 'InvalidRecipeInput' 'InvalidArgument'
        $run.Errors[0].Exception.Message | Should -BeLike "*$($Value.Replace('[', '`['))*"
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output | Should -BeNullOrEmpty
    }
}

Describe 'Two inputs never share an app' {
    BeforeEach { $session = New-ModuleSession -Connect }
    AfterEach { Remove-ModuleSession -Session $session }

    It "-Name '<Second>' after '<First>' (one key) is UniqueNameTaken (ResourceExists) naming both; the first app is unchanged" -ForEach @(
        @{ First = 'Prod (EU)'; Second = 'Prod EU' }
        @{ First = 'A+B'; Second = 'A B' }
        @{ First = 'Collide App'; Second = 'collide-app' }
    ) {
        $made = (Invoke-ModuleSession -Session $session -Variables @{ n = $First } -ScriptBlock { New-EntraAppRegistration -Name $n -NoSecret }).Output[0]
        $run = Invoke-ModuleSession -Session $session -Variables @{ n = $Second } -ScriptBlock { New-EntraAppRegistration -Name $n -NoSecret }
        Assert-Refused $run 'UniqueNameTaken' 'ResourceExists'
        $run.Errors[0].Exception.Message | Should -BeLike "*'$First'*client id $($made.ClientId)*"
        $run.Errors[0].Exception.Message | Should -BeLike "*'$Second'*"
        $apps = (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output
        @($apps).Count | Should -Be 1
        $apps[0].DisplayName | Should -Be $First
        $apps[0].ClientId | Should -Be $made.ClientId
    }

    It 'names made only of emoji get an app each' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock { '🚀', '🎉', '🚀🚀' | ForEach-Object { New-EntraAppRegistration -Name $_ -NoSecret } }
        $run.Errors | Should -BeNullOrEmpty
        @($run.Output.ClientId | Select-Object -Unique).Count | Should -Be 3
        @($run.Output.UniqueName | Select-Object -Unique).Count | Should -Be 3
    }

    It "-UniqueName '<UniqueName>' is <ErrorId> (<Category>) before any write" -ForEach @(
        @{ UniqueName = '   '; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
        @{ UniqueName = "o'brien"; ErrorId = 'InvalidRecipeInput'; Category = 'InvalidArgument' }
        @{ UniqueName = ' padded '; ErrorId = 'InvalidRecipeInput'; Category = 'InvalidArgument' }
        @{ UniqueName = 'a/b'; ErrorId = 'InvalidRecipeInput'; Category = 'InvalidArgument' }
    ) {
        $run = Invoke-ModuleSession -Session $session -Variables @{ u = $UniqueName } -ScriptBlock { New-RewstAppRegistration -UniqueName $u }
        Assert-Refused $run $ErrorId $Category
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppRegistration }).Output | Should -BeNullOrEmpty
    }

    It '-UniqueName of another recipe''s app is AppOfAnotherRecipe; -ClientId applies a recipe to it on purpose, with a warning' {
        $rewst = (Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration }).Output[0]
        $run = Invoke-ModuleSession -Session $session -Variables @{ r = $rewst } -ScriptBlock { New-CmgServerApp -UniqueName $r.UniqueName }
        Assert-Refused $run 'AppOfAnotherRecipe' 'ResourceExists'
        $run.Errors[0].Exception.Message | Should -BeLike "*-ClientId $($rewst.ClientId)*"
        $converted = Invoke-ModuleSession -Session $session -Variables @{ r = $rewst } -ScriptBlock { New-WriteBackAppRegistration -Name 'Rewst Integration' -ClientId $r.ClientId }
        $converted.Errors | Should -BeNullOrEmpty
        $converted.Output[0].ClientId | Should -Be $rewst.ClientId
        $converted.Warnings | Should -Contain "'Rewst Integration' was made by another recipe (rewst): -ClientId applies the WriteBack recipe to it this time, and it stays that recipe's app (found by its key)."
        (Invoke-ModuleSession -Session $session -ScriptBlock { New-RewstAppRegistration }).Output[0].ClientId | Should -Be $rewst.ClientId
    }
}

Describe 'Connect-EntraAppKit -AuthorityHost that is not an https login authority' {
    BeforeEach { $session = New-ModuleSession }
    AfterEach { Remove-ModuleSession -Session $session }

    It '-AuthorityHost <Value> fails with InvalidRecipeInput (InvalidArgument) before any request' -ForEach @(
        # Port 1 on the loopback: a request there would be refused and retried for seconds, so the time limit shows none was made.
        @{ Value = 'http://127.0.0.1:1' }
        @{ Value = 'login.contoso.example' }
        @{ Value = 'https://127.0.0.1:1/?tenant=x' }
    ) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-ModuleSession -Session $session -Variables @{ authority = $Value } -ScriptBlock {
            $secret = ConvertTo-SecureString 'not-a-real-secret' -AsPlainText -Force
            Connect-EntraAppKit -TenantId '00000000-0000-0000-0000-000000000001' -ClientId '00000000-0000-0000-0000-000000000002' -ClientSecret $secret -AuthorityHost $authority
        }
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $run.Errors.Count | Should -Be 1 -Because (Format-ErrorRecord $run.Errors)
        $run.Errors[0].FullyQualifiedErrorId | Should -Be 'InvalidRecipeInput,EntraAppKit.Commands.ConnectEntraAppKitCommand'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $run.Errors[0].Exception.Message | Should -Be "'$Value' is not an https login authority host (for example https://login.microsoftonline.com)."
        (Invoke-ModuleSession -Session $session -ScriptBlock { Get-EntraAppKitContext }).Output | Should -BeNullOrEmpty
    }

    It 'is not a parameter of <Method>, which signs in without an authority of its own' -ForEach @(
        @{ Method = '-ManagedIdentity'; Line = 'Connect-EntraAppKit -ManagedIdentity -AuthorityHost https://login.contoso.example' }
        @{ Method = '-AzureCli'; Line = 'Connect-EntraAppKit -AzureCli -AuthorityHost https://login.contoso.example' }
        @{ Method = '-AccessToken'; Line = 'Connect-EntraAppKit -AccessToken (ConvertTo-SecureString x -AsPlainText -Force) -AuthorityHost https://login.contoso.example' }
    ) {
        $run = Invoke-ModuleSession -Session $session -Script $Line
        $run.Errors.Count | Should -Be 1 -Because (Format-ErrorRecord $run.Errors)
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AmbiguousParameterSet,*'
    }
}
