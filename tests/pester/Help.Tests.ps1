#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-Help against the packaged module: the MAML (en-US/EntraAppKit.dll-Help.xml) and the about topic that every build makes
# from docs/ with tools/HelpBuilder. Each cmdlet's help must come from docs/: its synopsis, description, every parameter's
# description, every example's code and the related links; without the MAML, Get-Help shows only the syntax.

BeforeDiscovery {
    $manifestPath = if ($env:ENTRAAPPKIT_MODULE) { $env:ENTRAAPPKIT_MODULE } else { Join-Path $PSScriptRoot '../../out/EntraAppKit/0.1.0/EntraAppKit.psd1' }
    $cmdlets = @((Import-PowerShellDataFile $manifestPath).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    $modulePath = if ($env:ENTRAAPPKIT_MODULE) { $env:ENTRAAPPKIT_MODULE } else { Join-Path $PSScriptRoot '../../out/EntraAppKit/0.1.0/EntraAppKit.psd1' }
    $docs = Join-Path $PSScriptRoot '../../docs'
    Import-Module $modulePath -Force

    # Help as a console shows it, with every run of white space as one space: Get-Help indents and wraps its own way.
    function Get-ShownText {
        param([Parameter(ValueFromPipeline)] $InputObject)
        end { ($input | Out-String -Width 4096) -replace '\s+', ' ' }
    }

    function ConvertTo-FlatText([string] $Markdown) {
        # The plain text Get-Help shows for a markdown line: [text](https://...) -> text (https://...), [text](Page.md) -> text.
        $text = [regex]::Replace($Markdown, '\[([^\]]+)\]\((https?://[^)]+)\)', '$1 ($2)')
        $text = [regex]::Replace($text, '\[([^\]]+)\]\([^)]+\)', '$1')
        ($text -replace '\s+', ' ').Trim()
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $page = [System.IO.File]::ReadAllText((Join-Path $docs "$Name.md")) -replace "`r`n", "`n"
        $help = Get-Help $Name -Full
        $full = Get-Help $Name -Full | Get-ShownText
        $examples = Get-Help $Name -Examples | Get-ShownText
    }

    It 'comes from the MAML, not from the cmdlet''s metadata alone' {
        $full | Should -Not -Match 'cannot find the Help files'
        $help.details.name | Should -Be $Name
    }

    It 'shows the synopsis and the description of docs/<Name>.md' {
        $synopsis = [regex]::Match($page, '## SYNOPSIS\n([^\n]+)').Groups[1].Value
        $description = [regex]::Match($page, '## DESCRIPTION\n([^\n]+)').Groups[1].Value
        $full.Contains('SYNOPSIS ' + (ConvertTo-FlatText $synopsis)) | Should -BeTrue -Because "Get-Help -Full shows the synopsis: $synopsis"
        $full.Contains('DESCRIPTION ' + (ConvertTo-FlatText $description)) | Should -BeTrue -Because "Get-Help -Full shows the description: $description"
    }

    It 'describes every parameter of the cmdlet' {
        # DontShow parameters are pipeline plumbing, hidden from help as from completion.
        $parameters = @((Get-Command $Name).Parameters.Values | Where-Object {
                $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and
                @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and -not $_.DontShow }).Count -gt 0
            } | ForEach-Object Name)
        foreach ($parameter in $parameters) {
            $entry = @($help.parameters.parameter | Where-Object { $_.name -eq $parameter })
            $entry.Count | Should -Be 1 -Because "-$parameter is a parameter of $Name"
            ($entry[0].description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
            $described = [regex]::Match($page, "### -$parameter\n([^\n]+)").Groups[1].Value
            $full.Contains((ConvertTo-FlatText $described)) | Should -BeTrue -Because "Get-Help -Full shows the description of -${parameter}: $described"
        }
    }

    It 'shows at least two examples, each with the code of docs/<Name>.md' {
        $section = [regex]::Match($page, '## EXAMPLES\n(.*?)\n## PARAMETERS', 'Singleline').Groups[1].Value
        $titles = @([regex]::Matches($section, '(?m)^### (.+)$') | ForEach-Object { $_.Groups[1].Value })
        $code = @([regex]::Matches($section, '```powershell\n(.*?)```', 'Singleline') | ForEach-Object { $_.Groups[1].Value })
        $titles.Count | Should -BeGreaterOrEqual 2
        @($help.examples.example).Count | Should -Be $titles.Count
        foreach ($title in $titles) { $examples.Contains((ConvertTo-FlatText $title)) | Should -BeTrue -Because "Get-Help -Examples shows the title '$title'" }
        foreach ($block in $code) { $examples.Contains((ConvertTo-FlatText $block)) | Should -BeTrue -Because "Get-Help -Examples shows this code:`n$block" }
    }

    It 'lists the related links: the about topic and more' {
        $links = @($help.relatedLinks.navigationLink | ForEach-Object { $_.linkText })
        $links | Should -Contain 'about_EntraAppKit'
        $links.Count | Should -BeGreaterOrEqual 2
        $full.Contains('RELATED LINKS about_EntraAppKit') | Should -BeTrue
    }
}

Describe 'Get-Help about_EntraAppKit' {
    BeforeAll {
        $text = (Get-Help about_EntraAppKit | Out-String) -replace "`r`n", "`n"
    }

    It 'shows the topic with its sections' {
        $text.TrimStart() | Should -BeLike 'TOPIC*about_EntraAppKit*'
        foreach ($heading in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'EXAMPLES', 'SEE ALSO') { $text | Should -Match "(?m)^$heading$" }
        $text.Contains('uniqueName') | Should -BeTrue
    }

    It 'is plain text, not markdown' {
        $text | Should -Not -Match '(?m)^#'
        $text.Contains('```') | Should -BeFalse
        $text.Contains('](') | Should -BeFalse
        $text | Should -Not -Match '(?m)^title:'
    }
}
