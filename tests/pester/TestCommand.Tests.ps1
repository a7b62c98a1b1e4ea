#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# README.md gives one command that runs every test, and CI runs that same command (.ci/run).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Support/ModuleSession.psm1') -Force
    $root = Get-RepositoryRoot
    $readme = [System.IO.File]::ReadAllText((Join-Path $root 'README.md')) -replace "`r`n", "`n"
    $section = [regex]::Match($readme, '(?ms)^## Running the tests\n(.*?)(?=^## |\z)').Groups[1].Value
}

Describe 'The test command' {
    It 'is one command in the README''s "Running the tests"' {
        $blocks = @([regex]::Matches($section, '(?ms)^```\w*\n(.*?)\n```') | ForEach-Object { $_.Groups[1].Value })
        $blocks.Count | Should -Be 1
        @($blocks[0] -split "`n" | Where-Object { $_.Trim() }).Count | Should -Be 1
    }

    It 'is the command .ci/run runs' {
        $command = [regex]::Match($section, '(?ms)^```\w*\n(.*?)\n```').Groups[1].Value.Trim()
        $ci = [System.IO.File]::ReadAllText((Join-Path $root '.ci/run'))
        $ci | Should -Match "(?m)^readme_command='([^']+)'$"
        [regex]::Match($ci, "(?m)^readme_command='([^']+)'$").Groups[1].Value | Should -Be $command
        $ci | Should -Match '(?m)^bash -c "\$readme_command"'
    }
}
