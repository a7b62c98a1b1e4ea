#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Issue 14 §3, certificates end to end, on the packaged module: New-EntraAppCertificate makes a certificate, writes its PFX
# and adds it to an app against the in-process local tenant (-WhatIf first, which writes nothing); the output pipes into
# Test-EntraAppCredential, which signs in with the PFX; a second certificate is added by PATCH and a third by addKey
# (learn.microsoft.com/graph/api/application-addkey) and every key stays; the output pipes into Remove-EntraAppCredential,
# which removes one certificate by PATCH and one by removeKey (learn.microsoft.com/graph/api/application-removekey),
# keeping the rest; New-EntraAppRegistration -CertificatePath / -Certificate gives an app a certificate instead of a secret; and Connect-EntraAppKit -CertificatePath signs in
# with the generated PFX at the local tenant server over HTTPS, in a child pwsh that trusts the server's CA (SSL_CERT_FILE).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Support/LocalTenantServer.psm1') -Force
}

Describe 'New-EntraAppCertificate against the local tenant' {
    BeforeAll {
        $work = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'cwd') -Force
        $session = New-ModuleSession -Connect -WorkingDirectory $work.FullName
        $null = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:app = New-EntraAppRegistration -Name 'Contoso Sync' -WarningAction SilentlyContinue
            $global:pw = ConvertTo-SecureString 'Pester-only-Pfx-Password-1' -AsPlainText -Force
        }
    }
    AfterAll { Remove-ModuleSession -Session $session }

    It '-WhatIf names the certificate and the app, and writes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app | New-EntraAppCertificate -PfxPath ./whatif.pfx -PfxPassword $pw -CerPath ./whatif.cer -WhatIf
            Test-Path ./whatif.pfx
            Test-Path ./whatif.cer
            @((Get-EntraAppRegistration -ClientId $app.ClientId)).Count
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0] | Should -BeFalse
        $run.Output[1] | Should -BeFalse
        $shown = $run.HostLines -join "`n"
        $shown | Should -Match "What if: Add certificate CN=Contoso Sync \(thumbprint [0-9A-F]{40}, valid until \d{4}-\d{2}-\d{2}\) to application 'Contoso Sync'"
        $shown | Should -Match 'What if: Write certificate CN=Contoso Sync .* to .*whatif\.pfx'
    }

    It 'makes the certificate, writes the PFX and CER, and the output signs in through Test-EntraAppCredential' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:first = $app | New-EntraAppCertificate -PfxPath ./app.pfx -PfxPassword $pw -CerPath ./app.cer
            $first
            $first | Test-EntraAppCredential -CertificatePassword $pw
            $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path ./app.pfx).Path, $pw)
            $cert.HasPrivateKey
            $cert.SignatureAlgorithm.FriendlyName
            ([System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path ./app.cer).Path)).HasPrivateKey
        }
        $run.Errors | Should -BeNullOrEmpty
        $made, $test, $hasKey, $algorithm, $cerHasKey = $run.Output
        $made.GetType().FullName | Should -Be 'EntraAppKit.Model.Operations.EntraAppCertificate'
        $made.Subject | Should -Be 'CN=Contoso Sync'
        $made.KeySize | Should -Be 2048
        $made.Method | Should -Be 'Patch'
        $made.KeyId | Should -Match '^[0-9a-f-]{36}$'
        $made.PfxPath | Should -BeLike '*app.pfx'
        ($made.EndDateTime - $made.StartDateTime).TotalDays | Should -BeGreaterThan 360
        $test.Success | Should -BeTrue
        $test.CredentialType | Should -Be 'Certificate'
        $hasKey | Should -BeTrue
        $algorithm | Should -Be 'sha256RSA'
        $cerHasKey | Should -BeFalse
        # The private key is in no output or stream.
        ($run.HostLines -join "`n") | Should -Not -Match 'PRIVATE KEY'
    }

    It 'adds a second certificate by PATCH and a third by addKey, and every certificate still signs in' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $global:second = $app | New-EntraAppCertificate -PfxPath ./second.pfx -PfxPassword $pw -KeySize 3072 -Months 6
            $global:third = $app | New-EntraAppCertificate -PfxPath ./third.pfx -PfxPassword $pw -ProofCertificatePath ./app.pfx -ProofCertificatePassword $pw
            $second.Method; $second.KeySize; $third.Method
            foreach ($made in $first, $second, $third) { ($made | Test-EntraAppCredential -CertificatePassword $pw).Success }
        }
        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0..2] | Should -Be @('Patch', 3072, 'AddKey')
        $run.Output[3..5] | Should -Be @($true, $true, $true)
    }

    It 'pipes into Remove-EntraAppCredential: -WhatIf names the certificate, PATCH and removeKey each remove one, a re-run is a no-op' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $first
            $first | Remove-EntraAppCredential -WhatIf
            @(Get-EntraAppCredential -ClientId $app.ClientId | Where-Object Kind -EQ 'Certificate').Count
            $first | Remove-EntraAppCredential -Confirm:$false
            $second | Remove-EntraAppCredential -ProofCertificatePath ./third.pfx -ProofCertificatePassword $pw -Confirm:$false
            (($first | Remove-EntraAppCredential -Confirm:$false -Verbose 4>&1) | ForEach-Object Message) -join ' '
            $left = @(Get-EntraAppCredential -ClientId $app.ClientId | Where-Object ObjectType -EQ 'Application')
            @($left | Where-Object Kind -EQ 'Certificate').Count
            @($left | Where-Object Kind -EQ 'Secret').Count
            ($first | Test-EntraAppCredential -CertificatePassword $pw -ErrorAction SilentlyContinue).Success
            ($third | Test-EntraAppCredential -CertificatePassword $pw).Success
        }
        $run.Errors | Should -BeNullOrEmpty
        $first, $before, $rerun, $certificates, $secrets, $firstSignsIn, $thirdSignsIn = $run.Output
        ($run.WhatIf -join "`n") | Should -Match ("Remove certificate 'CN=Contoso Sync' \(thumbprint $($first.Thumbprint), expires \d{4}-\d{2}-\d{2}, key id $($first.KeyId)\) " +
            "from 'Contoso Sync' by PATCH, keeping its 3 other credential\(s\)")
        $before | Should -Be 3
        $rerun | Should -Match 'nothing to remove'
        # The third certificate (which signed removeKey's proof) and the recipe's secret stay.
        $certificates | Should -Be 1
        $secrets | Should -Be 1
        $firstSignsIn | Should -Not -BeTrue
        $thirdSignsIn | Should -BeTrue
    }

    It 'New-EntraAppRegistration -CertificatePath gives the app that certificate instead of a secret, and a re-run writes nothing' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            New-EntraAppRegistration -Name 'Contoso Cert Recipe' -CertificatePath ./app.cer -WhatIf
            $made = New-EntraAppRegistration -Name 'Contoso Cert Recipe' -CertificatePath ./app.cer
            $made
            # The same certificate from its PFX: the app holds it, nothing is written.
            (New-EntraAppRegistration -Name 'Contoso Cert Recipe' -CertificatePath ./app.pfx -CertificatePassword $pw).Changes.Count
            (Test-EntraAppCredential -ClientId $made.ClientId -TenantId $made.TenantId -CertificatePath ./app.pfx -CertificatePassword $pw).Success
            # Another certificate as an object: added beside the first.
            $other = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path ./second.pfx).Path, $pw)
            (New-EntraAppRegistration -Name 'Contoso Cert Recipe' -Certificate $other).CertificateThumbprint
            @(Get-EntraAppCredential -ClientId $made.ClientId | Where-Object ObjectType -EQ 'Application' | ForEach-Object Kind)
            New-EntraAppRegistration -Name 'Contoso Cert Recipe' -CertificatePath ./app.cer -NewSecret
        }
        $run.WhatIf -join "`n" | Should -Match "Add certificate CN=Contoso Sync \(thumbprint $($run.Output[0].CertificateThumbprint), valid until \d{4}-\d{2}-\d{2}\) to application 'Contoso Cert Recipe' by PATCH"
        $made, $rerunChanges, $signsIn, $otherThumbprint, $kinds = $run.Output[0], $run.Output[1], $run.Output[2], $run.Output[3], $run.Output[4..($run.Output.Count - 1)]
        $made.GetType().FullName | Should -Be 'EntraAppKit.Model.Recipes.EntraAppRegistrationResult'
        $made.ClientSecret | Should -BeNullOrEmpty
        $made.CertificateThumbprint | Should -Match '^[0-9A-F]{40}$'
        $made.CertificateExpires | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddDays(300))
        @($made.Changes | Where-Object { $_ -like 'Add certificate*' }).Count | Should -Be 1
        $rerunChanges | Should -Be 0
        $signsIn | Should -BeTrue
        $otherThumbprint | Should -Not -Be $made.CertificateThumbprint
        $kinds | Should -Be @('Certificate', 'Certificate')
        # A certificate replaces the secret: the secret's parameters are refused with it.
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRecipeInput*'
    }

    It 'refuses to overwrite a file, and a proof certificate the app does not hold, before any write' {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app | New-EntraAppCertificate -PfxPath ./app.pfx -PfxPassword $pw
            $other = New-EntraAppRegistration -Name 'Contoso Other' -WarningAction SilentlyContinue
            $other | New-EntraAppCertificate -PfxPath ./other.pfx -PfxPassword $pw -ProofCertificatePath ./app.pfx -ProofCertificatePassword $pw
            Test-Path ./other.pfx
        }
        $run.Errors.Count | Should -Be 2
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidRecipeInput*'
        $run.Errors[1].FullyQualifiedErrorId | Should -BeLike 'ProofCertificateNotOnApp*'
        $run.Output[-1] | Should -BeFalse
    }

    It 'fails -Thumbprint off Windows with CertificateStoreUnavailable' -Skip:$IsWindows {
        $run = Invoke-ModuleSession -Session $session -ScriptBlock {
            $app | New-EntraAppCertificate -Thumbprint '0123456789ABCDEF0123456789ABCDEF01234567'
        }
        $run.Errors.Count | Should -Be 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'CertificateStoreUnavailable*'
    }
}

Describe 'Connect-EntraAppKit -CertificatePath with a generated PFX (local tenant server over HTTPS)' {
    BeforeAll {
        $tlsDirectory = Join-Path ([IO.Path]::GetTempPath()) "entraappkit-cert-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $tlsDirectory
        $server = Start-LocalTenantServer -TlsDirectory $tlsDirectory
    }
    AfterAll {
        if ($server) { Stop-LocalTenantServer -Server $server }
        Remove-Item -LiteralPath $tlsDirectory -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'signs in as the app with the PFX New-EntraAppCertificate wrote' {
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:ENTRAAPPKIT_MODULE
Set-Location $env:EAK_TEST_DIR
$token = ConvertTo-SecureString $env:EAK_TEST_TOKEN -AsPlainText -Force
Connect-EntraAppKit -AccessToken $token -GraphEndpoint $env:EAK_TEST_SERVER | Out-Null
$app = New-EntraAppRegistration -Name 'Contoso Unattended' -WarningAction SilentlyContinue
$pw = ConvertTo-SecureString 'Pester-only-Pfx-Password-2' -AsPlainText -Force
$made = $app | New-EntraAppCertificate -PfxPath ./unattended.pfx -PfxPassword $pw
Disconnect-EntraAppKit
$context = Connect-EntraAppKit -TenantId $env:EAK_TEST_TENANT -ClientId $app.ClientId -CertificatePath ./unattended.pfx -CertificatePassword $pw `
    -AuthorityHost $env:EAK_TEST_SERVER -GraphEndpoint $env:EAK_TEST_SERVER
"RESULT $($made.Method) $($context.AuthenticationMethod) $($context.Account -eq $app.ClientId) $($context.TenantId) $($context.AuthorityHost)"
'@
        $file = Join-Path $tlsDirectory 'child.ps1'
        Set-Content -LiteralPath $file -Value $script -Encoding utf8
        $command = @(Get-PowerShellCommand)
        $start = New-Object System.Diagnostics.ProcessStartInfo
        $start.FileName = $command[0]
        foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $start.ArgumentList.Add($argument) }
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $null = $start.Environment.Remove('SSL_CERT_DIR')
        $start.Environment['SSL_CERT_FILE'] = $server.CaFile
        $start.Environment['ENTRAAPPKIT_MODULE'] = Get-ModuleUnderTest
        $start.Environment['EAK_TEST_SERVER'] = $server.Uri
        $start.Environment['EAK_TEST_TENANT'] = $server.TenantId
        $start.Environment['EAK_TEST_TOKEN'] = $server.Token
        $start.Environment['EAK_TEST_DIR'] = $tlsDirectory
        $process = [System.Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(180000)) { $process.Kill($true); throw 'The child pwsh hung.' }
        $stdout + $stderr.Result | Should -Match "RESULT Patch \S+ True $($server.TenantId) $([regex]::Escape($server.Uri))"
    }
}
