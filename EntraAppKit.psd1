@{
    RootModule             = 'EntraAppKit.dll'
    ModuleVersion          = '0.1.0'
    GUID                   = '5b8f6f3e-2a41-4c1e-9a57-0f3c7d7e9a21'
    Author                 = 'EntraAppKit contributors'
    CompanyName            = 'EntraAppKit'
    Copyright              = '(c) EntraAppKit contributors. MIT License.'
    Description            = 'Vendor app-registration recipes for Microsoft Entra ID (Rewst, ConfigMgr CMG, WriteBackExtreme, Kong Konnect DCR) as one idempotent command each, over Microsoft Graph, with an offline local tenant.'
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    CmdletsToExport        = @(
        'Add-WriteBackRedirectUri'
        'Connect-EntraAppKit'
        'Disconnect-EntraAppKit'
        'Get-EntraAdminConsentUrl'
        'Get-EntraAppKitContext'
        'Get-EntraAppRegistration'
        'Grant-AdminConsent'
        'New-CmgClientApp'
        'New-CmgServerApp'
        'New-EntraAppRegistration'
        'New-KonnectDcrApp'
        'New-RewstAppRegistration'
        'New-WriteBackAppRegistration'
        'Remove-EntraAppRegistration'
        'Test-EntraAppCredential'
        # Consent you can see and revoke
        'Get-EntraAppConsent'
        'Revoke-EntraAppConsent'
        # Service principals
        'Get-EntraServicePrincipal'
        'New-EntraServicePrincipal'
        'Remove-EntraServicePrincipal'
        'Set-EntraServicePrincipal'
        # The tenant app settings
        'Get-EntraTenantAppPolicy'
        'Set-EntraTenantAppPolicy'
        # Every credential, and its expiry
        'Get-EntraAppCredential'
        # Secrets added, rotated and removed without an outage
        'New-EntraAppSecret'
        'Update-EntraAppSecret'
        'Remove-EntraAppCredential'
        # Certificates
        'New-EntraAppCertificate'
    )
    FormatsToProcess       = @('EntraAppKit.format.ps1xml')
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Entra', 'EntraID', 'AzureAD', 'AppRegistration', 'MicrosoftGraph', 'Rewst', 'ConfigMgr', 'CMG', 'PSEdition_Desktop', 'PSEdition_Core')
            ReleaseNotes = 'Recipes for Rewst, ConfigMgr CMG (server and client apps), WriteBackExtreme and Kong Konnect DCR over Microsoft Graph; offline local tenant.'
        }
    }
}
