using System.Management.Automation;
using System.Security;
using EntraAppKit.Core.Connections;
using EntraAppKit.Model;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects EntraAppKit to a tenant.</para>
    /// <para type="description">Signs in through Azure.Identity: browser (-Interactive, the default), -DeviceCode, an app's client secret or certificate,
    /// a managed identity (Azure Automation included), workload identity federation, an existing Azure CLI or Az PowerShell login, or a token as is.
    /// -Environment picks the national cloud (login and Graph endpoints); -GraphEndpoint and -AuthorityHost replace either.
    /// -LocalTenant connects to the offline local tenant instead.
    /// Tokens stay in memory and Azure.Identity refreshes them.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "EntraAppKit", DefaultParameterSetName = InteractiveSet)]
    [OutputType(typeof(EntraAppKitContext))]
    public sealed class ConnectEntraAppKitCommand : EntraAppKitCmdlet
    {
        private const string LocalTenantSet = "LocalTenant";
        private const string LocalTenantSecretSet = "LocalTenantClientSecret";
        private const string LocalTenantDeviceCodeSet = "LocalTenantDeviceCode";
        private const string InteractiveSet = "Interactive";
        private const string DeviceCodeSet = "DeviceCode";
        private const string ClientSecretSet = "ClientSecret";
        private const string ThumbprintSet = "CertificateThumbprint";
        private const string CertificatePathSet = "CertificatePath";
        private const string ManagedIdentitySet = "ManagedIdentity";
        private const string ManagedIdentityResourceSet = "ManagedIdentityResourceId";
        private const string WorkloadIdentitySet = "WorkloadIdentity";
        private const string AzureCliSet = "AzureCli";
        private const string AzurePowerShellSet = "AzurePowerShell";
        private const string AccessTokenSet = "AccessToken";

        /// <summary>Connect to the offline local tenant: as its built-in administrator, or with -ClientId/-ClientSecret or -DeviceCode through its own token endpoints.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LocalTenantSet)]
        [Parameter(Mandatory = true, ParameterSetName = LocalTenantSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = LocalTenantDeviceCodeSet)]
        public SwitchParameter LocalTenant { get; set; }

        /// <summary>A JSON file that keeps the local tenant between sessions (created if missing).</summary>
        [Parameter(ParameterSetName = LocalTenantSet)]
        [Parameter(ParameterSetName = LocalTenantSecretSet)]
        [Parameter(ParameterSetName = LocalTenantDeviceCodeSet)]
        [ValidateNotBlank]
        public string? Path { get; set; }

        /// <summary>
        /// A tenant of the local cloud other than its first: NAME.onmicrosoft.com, created when missing. With -Path it is kept
        /// beside the file (FILE.tenants/NAME.json); without, it joins the in-memory cloud of the session's local connection.
        /// </summary>
        [Parameter(ParameterSetName = LocalTenantSet)]
        [Parameter(ParameterSetName = LocalTenantSecretSet)]
        [Parameter(ParameterSetName = LocalTenantDeviceCodeSet)]
        [ValidateNotBlank]
        public string? TenantName { get; set; }

        /// <summary>Sign in a user in the browser (the default).</summary>
        [Parameter(ParameterSetName = InteractiveSet)]
        public SwitchParameter Interactive { get; set; }

        /// <summary>Sign in a user with a device code, shown through the host (for sessions without a browser).</summary>
        [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet)]
        [Parameter(Mandatory = true, ParameterSetName = LocalTenantDeviceCodeSet)]
        public SwitchParameter DeviceCode { get; set; }

        /// <summary>The app (client) id to sign in as, a user-assigned managed identity's client id, or the public client for user sign-in.</summary>
        [Parameter(ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = WorkloadIdentitySet)]
        [Parameter(Mandatory = true, ParameterSetName = LocalTenantSecretSet)]
        [Parameter(ParameterSetName = LocalTenantDeviceCodeSet)]
        [ValidateClientId]
        public string? ClientId { get; set; }

        /// <summary>The app's client secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = LocalTenantSecretSet)]
        public SecureString? ClientSecret { get; set; }

        /// <summary>Thumbprint of the app's certificate in the CurrentUser or LocalMachine 'My' store.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [ValidateNotBlank]
        public string? CertificateThumbprint { get; set; }

        /// <summary>A .pfx/.pem file with the app's certificate and private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [ValidateNotBlank]
        public string? CertificatePath { get; set; }

        /// <summary>The password of -CertificatePath.</summary>
        [Parameter(ParameterSetName = CertificatePathSet)]
        public SecureString? CertificatePassword { get; set; }

        /// <summary>Sign in as the managed identity of this Azure resource (Azure Automation, VM, App Service, Functions).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentityResourceSet)]
        public SwitchParameter ManagedIdentity { get; set; }

        /// <summary>A user-assigned managed identity by its Azure resource id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ManagedIdentityResourceSet)]
        [ValidateNotBlank]
        public string? ResourceId { get; set; }

        /// <summary>Sign in with workload identity federation (GitHub Actions, Kubernetes): AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE.</summary>
        [Parameter(Mandatory = true, ParameterSetName = WorkloadIdentitySet)]
        public SwitchParameter WorkloadIdentity { get; set; }

        /// <summary>The federated token file (defaults to AZURE_FEDERATED_TOKEN_FILE).</summary>
        [Parameter(ParameterSetName = WorkloadIdentitySet)]
        [ValidateNotBlank]
        public string? FederatedTokenFile { get; set; }

        /// <summary>Reuse the Azure CLI's login (az login).</summary>
        [Parameter(Mandatory = true, ParameterSetName = AzureCliSet)]
        public SwitchParameter AzureCli { get; set; }

        /// <summary>Reuse Az PowerShell's login (Connect-AzAccount).</summary>
        [Parameter(Mandatory = true, ParameterSetName = AzurePowerShellSet)]
        public SwitchParameter AzurePowerShell { get; set; }

        /// <summary>A Microsoft Graph access token to use as is; when it expires, commands say so.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        public SecureString? AccessToken { get; set; }

        /// <summary>The tenant: a GUID or a verified domain.</summary>
        [Parameter(ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
        [Parameter(ParameterSetName = WorkloadIdentitySet)]
        [Parameter(ParameterSetName = AzureCliSet)]
        [Parameter(ParameterSetName = AzurePowerShellSet)]
        [ValidateNotBlank]
        public string? TenantId { get; set; }

        /// <summary>The national cloud: Global, USGov, USGovDoD or China (login authority and Graph endpoint).</summary>
        [Parameter(ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(ParameterSetName = ClientSecretSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = CertificatePathSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = ManagedIdentityResourceSet)]
        [Parameter(ParameterSetName = WorkloadIdentitySet)]
        [Parameter(ParameterSetName = AzureCliSet)]
        [Parameter(ParameterSetName = AzurePowerShellSet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateSet("Global", "USGov", "USGovDoD", "China")]
        public string Environment { get; set; } = "Global";

        /// <summary>Any other Microsoft Graph endpoint (overrides the environment's).</summary>
        [Parameter(ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(ParameterSetName = ClientSecretSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = CertificatePathSet)]
        [Parameter(ParameterSetName = ManagedIdentitySet)]
        [Parameter(ParameterSetName = ManagedIdentityResourceSet)]
        [Parameter(ParameterSetName = WorkloadIdentitySet)]
        [Parameter(ParameterSetName = AzureCliSet)]
        [Parameter(ParameterSetName = AzurePowerShellSet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [ValidateNotBlank]
        public string? GraphEndpoint { get; set; }

        /// <summary>
        /// Any other Microsoft Entra-compatible login authority (Azure Stack, a test double, the local tenant server over https;
        /// overrides the environment's). As Azure.Identity's AuthorityHost: the sign-in methods that use an authority take it.
        /// </summary>
        [Parameter(ParameterSetName = InteractiveSet)]
        [Parameter(ParameterSetName = DeviceCodeSet)]
        [Parameter(ParameterSetName = ClientSecretSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = CertificatePathSet)]
        [Parameter(ParameterSetName = WorkloadIdentitySet)]
        [ValidateNotNull]
        public System.Uri? AuthorityHost { get; set; }

        protected override object? ErrorTarget => ParameterSetName;

        protected override bool FailureTerminates => true;

        protected override bool ErrorsNameTenant => false;

        protected override void ExecuteCmdlet()
        {
            var options = new ConnectOptions
            {
                Target = Target(),
                Method = MethodFor(ParameterSetName),
                TenantId = TenantId, ClientId = ClientId, ClientSecret = ClientSecret,
                CertificateThumbprint = CertificateThumbprint,
                CertificatePath = CertificatePath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificatePath),
                CertificatePassword = CertificatePassword, ManagedIdentityResourceId = ResourceId,
                FederatedTokenFile = FederatedTokenFile == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(FederatedTokenFile),
                AccessToken = AccessToken,
                // Through the host, not the console: works in the ISE, VS Code and remoting.
                DeviceCodePrompt = message => OnPipelineThread(() => Host.UI.WriteLine(message)),
            };
            var connection = RunCore(ct => EntraAppKitConnection.ConnectAsync(options, ct));
            EntraAppKitConnection.Set(ConnectionScope, connection);
            WriteObject(RunCore(ct => connection.GetContextAsync(ct)));
        }

        /// <summary>Where: the local tenant, or a Microsoft cloud with an optional Graph endpoint of its own.</summary>
        private ConnectionTarget Target()
        {
            if (LocalTenant)
                return LocalTenantAdapter.Open(Path == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), TenantName, Connection?.Target);
            var environment = CloudEnvironment.FromName(Environment);
            if (GraphEndpoint != null) environment = environment.WithGraphEndpoint(GraphEndpoint);
            if (AuthorityHost != null) environment = environment.WithAuthorityHost(AuthorityHost);
            return ConnectionTarget.Cloud(environment);
        }

        /// <summary>How: the sign-in method a parameter set stands for, whatever the target.</summary>
        internal static SignInMethod MethodFor(string parameterSet) => parameterSet switch
        {
            LocalTenantSet => SignInMethod.BuiltInAdministrator,
            DeviceCodeSet => SignInMethod.DeviceCode,
            LocalTenantDeviceCodeSet => SignInMethod.DeviceCode,
            ClientSecretSet => SignInMethod.ClientSecret,
            LocalTenantSecretSet => SignInMethod.ClientSecret,
            ThumbprintSet => SignInMethod.CertificateThumbprint,
            CertificatePathSet => SignInMethod.CertificatePath,
            ManagedIdentitySet => SignInMethod.ManagedIdentity,
            ManagedIdentityResourceSet => SignInMethod.ManagedIdentity,
            WorkloadIdentitySet => SignInMethod.WorkloadIdentity,
            AzureCliSet => SignInMethod.AzureCli,
            AzurePowerShellSet => SignInMethod.AzurePowerShell,
            AccessTokenSet => SignInMethod.AccessToken,
            _ => SignInMethod.Interactive,
        };
    }
}
