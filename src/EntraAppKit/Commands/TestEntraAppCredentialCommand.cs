using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Model.Authentication;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Proves an app's client secret or certificate works by requesting a Microsoft Graph token with it.</para>
    /// <para type="description">Reports success, the application permissions the token carries, and the secret's expiry. Pipe a recipe's
    /// output straight in (New-KonnectDcrApp | Test-EntraAppCredential). Against the local tenant this runs offline.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "EntraAppCredential", DefaultParameterSetName = SecretSet)]
    [OutputType(typeof(AppCredentialTestResult))]
    public sealed class TestEntraAppCredentialCommand : EntraAppKitCmdlet
    {
        private const string SecretSet = "ClientSecret";
        private const string PathSet = "CertificatePath";
        private const string ThumbprintSet = "CertificateThumbprint";

        /// <summary>The app's client id.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>The tenant; the connected tenant's when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotBlank]
        public string? TenantId { get; set; }

        /// <summary>The client secret: a SecureString (or a string from -AsPlainText output). Binds from ClientSecret, SecretKey or InitialClientSecret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SecretSet, ValueFromPipelineByPropertyName = true)]
        [Alias("SecretKey", "InitialClientSecret")]
        [AllowNull]
        public object? ClientSecret { get; set; }

        /// <summary>A .pfx/.pem with the app's certificate and private key; binds from New-EntraAppCertificate's PfxPath.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PfxPath")]
        [ValidateNotBlank]
        public string? CertificatePath { get; set; }

        /// <summary>The password of -CertificatePath.</summary>
        [Parameter(ParameterSetName = PathSet)]
        public SecureString? CertificatePassword { get; set; }

        /// <summary>Thumbprint of the certificate in the CurrentUser or LocalMachine 'My' store.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [ValidateNotBlank]
        public string? CertificateThumbprint { get; set; }

        /// <summary>The national cloud to test against when not connected (Global, USGov, USGovDoD, China); the connection's otherwise.</summary>
        [Parameter]
        [ValidateSet("Global", "USGov", "USGovDoD", "China")]
        public string? Environment { get; set; }

        /// <summary>When the secret expires, shown in the result (binds from recipe output).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTimeOffset? SecretExpires { get; set; }

        /// <summary>The app's object when piped in (a recipe's output), kept in the result so its secret stays reachable.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var options = AppCredentialTestOptions.For(Connection, TenantId);
            options.ClientId = ClientId;
            options.SecretExpires = SecretExpires;
            if (Environment != null) options.Target = ConnectionTarget.Cloud(CloudEnvironment.FromName(Environment));
            switch (ParameterSetName)
            {
                case SecretSet:
                    options.ClientSecret = ClientSecret switch
                    {
                        SecureString secure => secure,
                        PSObject { BaseObject: SecureString wrapped } => wrapped,
                        string text => SecretText.ToSecureString(text),
                        PSObject { BaseObject: string wrappedText } => SecretText.ToSecureString(wrappedText),
                        _ => throw EntraAppKitException.InvalidInput(
                            "-ClientSecret is empty: a re-run of a recipe returns no secret (Graph shows it once). Pass the secret you saved, or run the recipe with -NewSecret."),
                    };
                    break;
                case PathSet:
                    string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath);
                    options.Certificate = CertificatePassword == null ? new X509Certificate2(path) : new X509Certificate2(path, CertificatePassword);
                    break;
                default:
                    options.Certificate = CertificateStore.Find(CertificateThumbprint!);
                    break;
            }
            var result = RunCore(ct => AppCredentialTester.TestAsync(options, ct));
            result.App = InputObject;
            WriteObject(result);
            // Said once, Entra's code first; the result's Error holds the same text.
            if (!result.Success) WriteWarning($"{result.Error} (Entra refused the {(result.CredentialType == "ClientSecret" ? "client secret" : "certificate")} of {ClientId}.)");
        }
    }
}
