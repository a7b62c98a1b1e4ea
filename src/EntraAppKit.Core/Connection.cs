using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.LocalTenant.Persistence;

namespace EntraAppKit.Core
{
    /// <summary>
    /// A connection: which tenant and cloud, how, and the Graph session to use. Connections are kept per scope (the cmdlets
    /// use their runspace): Azure Automation runs several jobs in one sandbox process, and one job's Connect-EntraAppKit
    /// must never redirect another's writes to a different tenant.
    /// </summary>
    public sealed class EntraAppKitConnection : IDisposable
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, Holder> Scopes =
            new System.Runtime.CompilerServices.ConditionalWeakTable<object, Holder>();

        /// <summary>The scope of callers that name none: the process.</summary>
        public static readonly object ProcessScope = new object();

        private sealed class Holder { public EntraAppKitConnection? Connection; }

        private Action<string>? _traceSink;

        private EntraAppKitConnection() { }

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

        public GraphSession Session { get; private set; } = null!;
        public TenantFacts Tenant { get; private set; } = null!;
        public ConnectMethod Method { get; private set; }
        public CloudEnvironment Environment { get; private set; } = CloudEnvironment.Global;

        /// <summary>The credential behind the session; null for the local tenant's built-in administrator.</summary>
        public TokenCredential? Credential { get; private set; }

        public string AuthenticationMethod => Method.ToString();

        /// <summary>Where Graph trace lines go while a command runs (the cmdlet's verbose stream).</summary>
        public Action<string>? TraceSink { get => _traceSink; set => _traceSink = value; }

        /// <summary>Connects to the local tenant, in memory or persisted at <paramref name="path"/>, as its built-in administrator. The caller keeps the connection (see <see cref="Set"/>).</summary>
        public static async Task<EntraAppKitConnection> ConnectLocalTenantAsync(string? path, CancellationToken cancellationToken = default)
        {
            var tenant = OpenLocalTenant(path);
            var connection = new EntraAppKitConnection { Method = ConnectMethod.LocalTenant };
            connection.Session = GraphSession.ForLocalTenant(tenant, new GraphSessionOptions { Trace = line => connection._traceSink?.Invoke(line) });
            connection.Tenant = await new RecipeEngine(connection.Session).GetTenantAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }

        /// <summary>
        /// Signs in with an Azure.Identity credential built from <paramref name="options"/>, proves it by getting a token
        /// for Graph, and reads the tenant. Tokens stay in memory; Azure.Identity refreshes them.
        /// </summary>
        public static async Task<EntraAppKitConnection> ConnectAsync(ConnectOptions options, CancellationToken cancellationToken = default)
        {
            if (options.Method == ConnectMethod.LocalTenant) return await ConnectLocalTenantAsync(options.LocalTenantPath, cancellationToken).ConfigureAwait(false);
            LocalTenant.LocalTenantEngine? tenant = null;
            if (options.UseLocalTenant)
            {
                // The real Azure.Identity credential, talking to the local tenant's token endpoints in-process.
                tenant = options.LocalTenantInstance ?? OpenLocalTenant(options.LocalTenantPath);
                options.IdentityTransport = GraphSession.LocalTenantIdentityTransport(tenant);
                options.TenantId ??= tenant.TenantId;
                options.Environment = CloudEnvironment.Global;
            }
            var credential = CredentialFactory.Create(options);
            var connection = new EntraAppKitConnection { Method = options.Method, Environment = options.Environment, Credential = credential };
            await connection.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            var sessionOptions = new GraphSessionOptions { Trace = line => connection._traceSink?.Invoke(line) };
            connection.Session = tenant != null
                ? GraphSession.ForLocalTenant(tenant, sessionOptions, credential)
                : GraphSession.Create(credential, options.Environment.GraphEndpoint, sessionOptions);
            connection.Tenant = await new RecipeEngine(connection.Session).GetTenantAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }

        private static LocalTenant.LocalTenantEngine OpenLocalTenant(string? path)
        {
            try { return path == null ? LocalTenant.LocalTenantEngine.Create() : LocalTenant.LocalTenantEngine.Open(path); }
            catch (LocalTenantStateException e) { throw new EntraAppKitException(ErrorIds.LocalTenantState, EntraErrorCategory.InvalidOperation, e.Message, e); }
        }

        /// <summary>The current Graph token's claims (Azure.Identity serves it from its in-memory cache or refreshes it).</summary>
        public async Task<TokenClaims?> GetTokenClaimsAsync(CancellationToken cancellationToken = default) =>
            Credential == null ? null : TokenClaims.Read((await GetTokenAsync(cancellationToken).ConfigureAwait(false)).Token);

        private async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await Credential!.GetTokenAsync(new TokenRequestContext(new[] { Environment.GraphEndpoint + "/.default" }), cancellationToken).ConfigureAwait(false);
            }
            catch (AuthenticationFailedException e)
            {
                // Entra's own answer (AADSTS code and text) is in the inner MSAL exception; it never contains the secret.
                throw new EntraAppKitException(ErrorIds.AuthenticationFailed, EntraErrorCategory.PermissionDenied,
                    $"Sign-in by {Method} failed: {e.InnerException?.Message ?? e.Message}", e);
            }
        }

        /// <summary>Who is connected, to which tenant and cloud, how, with which permissions (Get-EntraAppKitContext).</summary>
        public async Task<EntraAppKitContext> GetContextAsync(CancellationToken cancellationToken = default)
        {
            var claims = await GetTokenClaimsAsync(cancellationToken).ConfigureAwait(false);
            bool local = Method == ConnectMethod.LocalTenant;
            return new EntraAppKitContext
            {
                Account = local ? "admin@" + Tenant.InitialDomain : claims?.UserPrincipalName ?? claims?.AppId,
                TenantId = Tenant.TenantId,
                TenantName = Tenant.InitialDomain,
                TenantDisplayName = Tenant.DisplayName,
                Environment = Session.LocalTenant != null ? "LocalTenant" : Environment.Name,
                AuthenticationMethod = AuthenticationMethod,
                GraphEndpoint = Session.GraphEndpoint,
                Scopes = (claims?.Scopes ?? Array.Empty<string>()).ToArray(),
                Roles = (claims?.Roles ?? Array.Empty<string>()).ToArray(),
                TokenExpiresOn = claims?.ExpiresOn,
                LocalTenantPath = Session.LocalTenant?.Path,
            };
        }

        /// <summary>Forgets the scope's connection and its in-memory tokens.</summary>
        public static void Disconnect(object scope) => Set(scope, null);

        public void Dispose() => Session?.Dispose();
    }
}
