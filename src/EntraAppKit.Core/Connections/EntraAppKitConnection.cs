using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model;

namespace EntraAppKit.Core.Connections
{
    /// <summary>
    /// A connection: where (<see cref="Target"/>), how (<see cref="Method"/>), the tenant, and the Graph session to use.
    /// Connections are kept per scope (the cmdlets use their runspace): Azure Automation runs several jobs in one sandbox
    /// process, and one job's Connect-EntraAppKit must never redirect another's writes to a different tenant.
    /// </summary>
    public sealed class EntraAppKitConnection : IDisposable
    {
        private static readonly ConditionalWeakTable<object, Holder> Scopes = new ConditionalWeakTable<object, Holder>();

        /// <summary>The scope of callers that name none: the process.</summary>
        public static readonly object ProcessScope = new object();

        private sealed class Holder { public EntraAppKitConnection? Connection; }

        private EntraAppKitConnection(ConnectionTarget target, SignInMethod method, TokenCredential credential)
        {
            Target = target; Method = method; Credential = credential;
        }

        /// <summary>The connection of <paramref name="scope"/>; null until a connect in that scope.</summary>
        public static EntraAppKitConnection? Get(object scope) => Scopes.TryGetValue(scope, out var h) ? h.Connection : null;

        /// <summary>Makes <paramref name="connection"/> the scope's connection (disposing the one it replaces).</summary>
        public static void Set(object scope, EntraAppKitConnection? connection)
        {
            var holder = Scopes.GetValue(scope, _ => new Holder());
            var old = Interlocked.Exchange(ref holder.Connection, connection);
            if (!ReferenceEquals(old, connection)) old?.Dispose();
        }

        /// <summary>The scope's connection, or a clear error when there is none.</summary>
        public static EntraAppKitConnection Require(object scope) => Get(scope) ?? throw new EntraAppKitException(ErrorIds.NotConnected, EntraErrorCategory.ConnectionError,
            "Not connected. Run Connect-EntraAppKit first (Connect-EntraAppKit -LocalTenant works offline).");

        /// <summary>Forgets the scope's connection and its in-memory tokens.</summary>
        public static void Disconnect(object scope) => Set(scope, null);

        public ConnectionTarget Target { get; }
        public SignInMethod Method { get; }
        public GraphSession Session { get; private set; } = null!;
        public TenantFacts Tenant { get; private set; } = null!;

        /// <summary>The credential behind the session (Azure.Identity's, or the target's built-in administrator).</summary>
        public TokenCredential Credential { get; }

        /// <summary>How the connection signed in, as Get-EntraAppKitContext shows it.</summary>
        public string AuthenticationMethod => Method == SignInMethod.BuiltInAdministrator ? LocalTenantAdapter.TargetName : Method.ToString();

        /// <summary>
        /// Whether the method asks the target's login authority for its tokens (the credentials <see cref="CredentialFactory"/>
        /// gives an AuthorityHost); a managed identity, the Azure CLI, Az PowerShell, a token as is and a built-in administrator do not.
        /// </summary>
        private bool SignsInAtAuthority => Method switch
        {
            SignInMethod.Interactive or SignInMethod.DeviceCode or SignInMethod.ClientSecret or SignInMethod.CertificateThumbprint
                or SignInMethod.CertificatePath or SignInMethod.WorkloadIdentity => true,
            _ => false,
        };

        /// <summary>Where Graph trace lines go while a command runs (the cmdlet's verbose stream).</summary>
        public Action<string>? TraceSink { get; set; }

        /// <summary>
        /// Signs in as <paramref name="options"/> say (an Azure.Identity credential, or the target's built-in administrator),
        /// proves it by getting a token for Graph, and reads the tenant. Tokens stay in memory; Azure.Identity refreshes them.
        /// The caller keeps the connection (see <see cref="Set"/>).
        /// </summary>
        public static async Task<EntraAppKitConnection> ConnectAsync(ConnectOptions options, CancellationToken cancellationToken = default)
        {
            var target = options.Target;
            TokenCredential credential = options.Method == SignInMethod.BuiltInAdministrator
                ? target.BuiltInAdministrator ?? throw EntraAppKitException.InvalidInput($"{target.Name} has no built-in administrator; only a local tenant has one. Choose a sign-in method.")
                : CredentialFactory.Create(options);
            var connection = new EntraAppKitConnection(target, options.Method, credential);
            // A built-in administrator cannot fail to sign in: its token is made when something needs one (never, in-process).
            if (!(options.Method == SignInMethod.BuiltInAdministrator && target.BuiltInAdministratorNeedsNoToken)) await connection.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            connection.Session = GraphSession.Create(target, credential, new GraphSessionOptions { Trace = line => connection.TraceSink?.Invoke(line) });
            connection.Tenant = await new TenantReader(connection.Session, new LagRetryPolicy()).ReadTenantAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }

        /// <summary>
        /// The current Graph token's claims (Azure.Identity serves it from its in-memory cache or refreshes it); null when not a JWT.
        /// A built-in administrator whose requests carry no token has its grant said by the target instead: the claims its token would carry.
        /// </summary>
        public async Task<TokenClaims?> GetTokenClaimsAsync(CancellationToken cancellationToken = default) =>
            (ReferenceEquals(Credential, Target.BuiltInAdministrator) ? Target.BuiltInAdministratorGrantWithoutToken() : null)
            ?? TokenClaims.Read((await GetTokenAsync(cancellationToken).ConfigureAwait(false)).Token);

        private async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await Credential.GetTokenAsync(new TokenRequestContext(new[] { Target.Environment.GraphEndpoint + "/.default" }), cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException e)
            {
                // Entra's own answer (AADSTS code and text) is in the inner MSAL exception; it never contains the secret.
                // A TLS failure never reached Entra: a connection error, not a refusal.
                var category = EntraSignInError.TlsFailure(e) != null ? EntraErrorCategory.ConnectionError : EntraErrorCategory.PermissionDenied;
                throw new EntraAppKitException(ErrorIds.AuthenticationFailed, category,
                    $"Sign-in by {Method} failed: {EntraSignInError.Describe(e)}", e);
            }
        }

        /// <summary>Who is connected, to which tenant and cloud, how, with which permissions (Get-EntraAppKitContext).</summary>
        public async Task<EntraAppKitContext> GetContextAsync(CancellationToken cancellationToken = default)
        {
            var claims = await GetTokenClaimsAsync(cancellationToken).ConfigureAwait(false);
            return new EntraAppKitContext
            {
                Account = claims?.UserPrincipalName ?? claims?.AppId,
                TenantId = Tenant.TenantId,
                TenantName = Tenant.InitialDomain,
                TenantDisplayName = Tenant.DisplayName,
                Environment = Target.Name,
                AuthenticationMethod = AuthenticationMethod,
                AuthorityHost = SignsInAtAuthority ? Target.AuthorityDescription : null,
                GraphEndpoint = Target.EndpointDescription,
                DirectoryRoles = (claims?.DirectoryRoles ?? Array.Empty<string>())
                    .Where(w => !string.Equals(w, DirectoryRoleNames.MemberUser, StringComparison.OrdinalIgnoreCase)).Select(DirectoryRoleNames.NameOf).ToArray(),
                Scopes = (claims?.Scopes ?? Array.Empty<string>()).ToArray(),
                Roles = (claims?.Roles ?? Array.Empty<string>()).ToArray(),
                TokenExpiresOn = claims?.ExpiresOn,
                LocalTenantPath = Target.StatePath,
            };
        }

        public void Dispose() => Session?.Dispose();
    }
}
