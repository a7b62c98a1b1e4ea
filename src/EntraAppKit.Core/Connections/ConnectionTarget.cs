using System;
using System.Net.Http;
using Azure.Core;
using Azure.Core.Pipeline;
using EntraAppKit.Core.Authentication;

namespace EntraAppKit.Core.Connections
{
    /// <summary>
    /// Where a connection goes, whatever the way one signs in (<see cref="SignInMethod"/>): the login authority and Microsoft
    /// Graph endpoint, and the transports that carry requests there: the network for a Microsoft cloud, in-process handlers
    /// for a local tenant (the Azure SDK's ClientOptions.Transport idea). <see cref="LocalTenantAdapter"/> makes the local one.
    /// </summary>
    public sealed class ConnectionTarget
    {
        private readonly Func<HttpMessageHandler>? _graphTransport;

        /// <param name="name">What Get-EntraAppKitContext shows as the environment.</param>
        /// <param name="environment">The login authority and Graph endpoint.</param>
        /// <param name="graphTransport">Makes the handler Graph requests end in; the network when null.</param>
        /// <param name="identityTransport">Carries Azure.Identity's token requests; the network when null.</param>
        /// <param name="tenantId">The tenant this target always is (a local tenant's), or null.</param>
        /// <param name="statePath">The file a local tenant keeps its state in, or null.</param>
        /// <param name="builtInAdministrator">A credential that needs no sign-in (a local tenant's administrator), or null.</param>
        /// <param name="builtInAdministratorNeedsNoToken">Whether Graph admits the built-in administrator without a token now (an in-process local tenant that does not require authentication).</param>
        /// <param name="builtInAdministratorGrant">What the target grants its built-in administrator: the claims of the token it would issue now, unsigned.</param>
        public ConnectionTarget(string name, CloudEnvironment environment, Func<HttpMessageHandler>? graphTransport = null,
            HttpPipelineTransport? identityTransport = null, string? tenantId = null, string? statePath = null, TokenCredential? builtInAdministrator = null,
            Func<bool>? builtInAdministratorNeedsNoToken = null, Func<TokenClaims>? builtInAdministratorGrant = null)
        {
            _builtInAdministratorNeedsNoToken = builtInAdministratorNeedsNoToken;
            _builtInAdministratorGrant = builtInAdministratorGrant;
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Environment = environment ?? throw new ArgumentNullException(nameof(environment));
            _graphTransport = graphTransport;
            IdentityTransport = identityTransport;
            TenantId = tenantId;
            StatePath = statePath;
            BuiltInAdministrator = builtInAdministrator;
        }

        /// <summary>A Microsoft cloud, over the network.</summary>
        public static ConnectionTarget Cloud(CloudEnvironment environment) => new ConnectionTarget(environment.Name, environment);

        public string Name { get; }

        public CloudEnvironment Environment { get; }

        /// <summary>Azure.Identity's transport; null for the network.</summary>
        public HttpPipelineTransport? IdentityTransport { get; }

        /// <summary>
        /// MSAL's instance discovery asks login.microsoftonline.com whether the authority is a Microsoft cloud; a target that
        /// answers sign-in in-process, or an authority host of one's own (-AuthorityHost), is not one, so it is skipped there.
        /// The one place that decides it: every credential's options take it from here (<see cref="Authentication.CredentialFactory"/>).
        /// </summary>
        public bool DisableInstanceDiscovery => IdentityTransport != null || !Environment.IsMicrosoftAuthorityHost;

        /// <summary>Where sign-in really goes, for Get-EntraAppKitContext: the authority host, or the in-process handler that answers its URLs.</summary>
        public string AuthorityDescription => IdentityTransport == null
            ? Environment.AuthorityHost.AbsoluteUri
            : $"{Environment.AuthorityHost.AbsoluteUri} (in-process: {Name})";

        public string? TenantId { get; }

        public string? StatePath { get; }

        public TokenCredential? BuiltInAdministrator { get; }

        private readonly Func<bool>? _builtInAdministratorNeedsNoToken;

        /// <summary>Whether the built-in administrator's Graph requests go without a token (then nothing is signed for them).</summary>
        internal bool BuiltInAdministratorNeedsNoToken => BuiltInAdministrator != null && _builtInAdministratorNeedsNoToken?.Invoke() == true;

        private readonly Func<TokenClaims>? _builtInAdministratorGrant;

        /// <summary>
        /// The built-in administrator's grant as the target says it, while its Graph requests go without a token: a token signed
        /// only to be read would make a local tenant generate its signing key. Null otherwise: then a token says it.
        /// </summary>
        internal TokenClaims? BuiltInAdministratorGrantWithoutToken() => _builtInAdministratorGrant != null && BuiltInAdministratorNeedsNoToken ? _builtInAdministratorGrant() : null;

        /// <summary>Where Graph requests really go, for Get-EntraAppKitContext: the endpoint, or the in-process handler that answers its URLs.</summary>
        public string EndpointDescription => _graphTransport == null
            ? Environment.GraphEndpoint
            : $"{Environment.GraphEndpoint} (in-process: {Name})";

        /// <summary>A new final handler for a Graph HTTP client (each client owns and disposes its own).</summary>
        internal HttpMessageHandler CreateGraphTransport() => _graphTransport?.Invoke() ?? new HttpClientHandler();

        public override string ToString() => Name;
    }
}
