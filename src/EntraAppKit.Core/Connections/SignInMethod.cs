namespace EntraAppKit.Core.Connections
{
    /// <summary>How Connect-EntraAppKit signs in, whatever the <see cref="ConnectionTarget"/>.</summary>
    public enum SignInMethod
    {
        Interactive,
        DeviceCode,
        ClientSecret,
        CertificateThumbprint,
        CertificatePath,
        ManagedIdentity,
        WorkloadIdentity,
        AzureCli,
        AzurePowerShell,
        AccessToken,

        /// <summary>No sign-in: the target's built-in administrator (only a local tenant has one).</summary>
        BuiltInAdministrator,
    }
}
