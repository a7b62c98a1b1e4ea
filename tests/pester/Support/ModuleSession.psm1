# Sessions of the module under test for the Pester suite: each one a runspace of its own with the packaged module
# imported, whose host records what it is shown (RecordingHost.cs), so a test sees the "What if:" lines of -WhatIf and
# the formatted output an example prints, next to its output objects and error records.

Set-StrictMode -Version Latest

function Get-RepositoryRoot {
    return (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
}

function Get-ModuleUnderTest {
    # build.ps1 -Task Test sets ENTRAAPPKIT_MODULE to the packaged module (out/EntraAppKit/<version>/EntraAppKit.psd1).
    if ($env:ENTRAAPPKIT_MODULE) { return $env:ENTRAAPPKIT_MODULE }
    $manifest = Import-PowerShellDataFile (Join-Path (Get-RepositoryRoot) 'EntraAppKit.psd1')
    return Join-Path (Get-RepositoryRoot) "out/EntraAppKit/$($manifest.ModuleVersion)/EntraAppKit.psd1"
}

function Get-PowerShellCommand {
    # The command line that starts another process of this PowerShell: the executable, or, where pwsh runs as a .NET tool
    # (dotnet pwsh, .config/dotnet-tools.json), dotnet with pwsh.dll.
    $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($process)
}

function New-ModuleSession {
    <#
    .SYNOPSIS
        A new runspace with the module under test imported, working in -WorkingDirectory, optionally connected to a new
        in-memory local tenant (-Connect) or to a local tenant server (-Server, Start-LocalTenantServer's: its Graph
        endpoint with its administrator's token). Close it with Remove-ModuleSession.
    #>
    param(
        [switch] $Connect,
        [string] $WorkingDirectory,
        $Server
    )
    if (-not ('EntraAppKit.PesterSupport.RecordingHost' -as [type])) {
        Add-Type -Path (Join-Path $PSScriptRoot 'RecordingHost.cs')
    }
    $recorder = New-Object EntraAppKit.PesterSupport.RecordingHost
    $runspace = [runspacefactory]::CreateRunspace($recorder, [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
    $runspace.Open()
    $session = [pscustomobject]@{ Runspace = $runspace; Host = $recorder; Module = (Get-ModuleUnderTest) }
    $setup = Invoke-ModuleSession -Session $session -Variables @{ __module = $session.Module; __location = $WorkingDirectory } -ScriptBlock {
        if ($__location) { Set-Location -LiteralPath $__location }
        # Plain text, as in a log: no ANSI colour sequences in the recorded lines.
        $PSStyle.OutputRendering = 'PlainText'
        Import-Module $__module -ErrorAction Stop
        Remove-Variable -Name __module, __location
    }
    if ($setup.Errors.Count -gt 0) { throw "Importing $($session.Module) failed: $($setup.Errors[0])" }
    if ($Connect) {
        $connected = Invoke-ModuleSession -Session $session -ScriptBlock { Connect-EntraAppKit -LocalTenant | Out-Null }
        if ($connected.Errors.Count -gt 0) { throw "Connect-EntraAppKit -LocalTenant failed: $($connected.Errors[0])" }
    }
    if ($Server) {
        $connected = Invoke-ModuleSession -Session $session -Variables @{ token = $Server.Token; graph = $Server.Uri } -ScriptBlock {
            Connect-EntraAppKit -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -GraphEndpoint $graph | Out-Null
        }
        if ($connected.Errors.Count -gt 0) {
            Remove-ModuleSession -Session $session
            throw "Connect-EntraAppKit -AccessToken -GraphEndpoint $($Server.Uri) failed: $(Format-ErrorRecord $connected.Errors)"
        }
    }
    return $session
}

function Invoke-ModuleSession {
    <#
    .SYNOPSIS
        Runs a script in a session, in its global scope as a console would, so variables stay for the next call.
    .OUTPUTS
        Output (the objects), Errors (every ErrorRecord written, and the terminating one), Warnings (their messages),
        HostLines (what the host was shown: with -OutDefault the formatted output too), WhatIf (the text after
        "What if: " of each line -WhatIf wrote) and Progress (the progress records, in order).
    #>
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory, ParameterSetName = 'ScriptBlock')] [scriptblock] $ScriptBlock,
        [Parameter(Mandatory, ParameterSetName = 'Script')] [string] $Script,
        # Variables set in the session before the script runs (a script block runs there as text, without this scope's variables).
        [hashtable] $Variables = @{},
        # Send the output to Out-Default, as the console does: its formatted text lands in HostLines.
        [switch] $OutDefault
    )
    if ($PSCmdlet.ParameterSetName -eq 'ScriptBlock') { $Script = $ScriptBlock.ToString() }
    foreach ($name in $Variables.Keys) { $Session.Runspace.SessionStateProxy.SetVariable($name, $Variables[$name]) }
    $null = $Session.Host.TakeLines()
    $null = $Session.Host.TakeProgress()
    $ps = [powershell]::Create()
    try {
        $ps.Runspace = $Session.Runspace
        $null = $ps.AddScript($Script, $false)
        if ($OutDefault) { $null = $ps.AddCommand('Out-Default') }
        $output = @()
        $terminating = $null
        $errors = New-Object System.Collections.Generic.List[System.Management.Automation.ErrorRecord]
        try {
            $output = @($ps.Invoke())
        }
        catch {
            # A terminating error: PowerShell.Invoke wraps the script's RuntimeException in a MethodInvocationException.
            $exception = $_.Exception
            while ($exception -is [System.Management.Automation.MethodInvocationException] -and $exception.InnerException) { $exception = $exception.InnerException }
            $record = if ($exception -is [System.Management.Automation.IContainsErrorRecord]) { $exception.ErrorRecord } else { $_ }
            $terminating = $record
        }
        foreach ($e in $ps.Streams.Error) { $errors.Add($e) }
        if ($terminating) { $errors.Add($terminating) }
        $lines = @($Session.Host.TakeLines())
        return [pscustomobject]@{
            Output    = $output
            Errors    = $errors.ToArray()
            Warnings  = @($ps.Streams.Warning | ForEach-Object { $_.Message })
            HostLines = $lines
            WhatIf    = @($lines | Where-Object { $_ -like 'What if: *' } | ForEach-Object { $_.Substring('What if: '.Length) })
            Progress  = @($Session.Host.TakeProgress())
        }
    }
    finally {
        $ps.Dispose()
    }
}

function Remove-ModuleSession {
    param([Parameter(Mandatory)] $Session)
    $Session.Runspace.Dispose()
}

function Format-ErrorRecord {
    # One line per record, for failure messages: the id a script can test, its category and target, and the message.
    param([System.Management.Automation.ErrorRecord[]] $ErrorRecord)
    foreach ($e in $ErrorRecord) { "$($e.FullyQualifiedErrorId) [$($e.CategoryInfo.Category); target '$($e.TargetObject)']: $($e.Exception.Message)" }
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-ModuleUnderTest, Get-PowerShellCommand, New-ModuleSession, Invoke-ModuleSession, Remove-ModuleSession, Format-ErrorRecord
