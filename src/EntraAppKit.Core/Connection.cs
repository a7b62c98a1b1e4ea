using System;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.LocalTenant.Persistence;

namespace EntraAppKit.Core
{
    /// <summary>The process's current connection: which tenant, how, and the Graph session to use.</summary>
    public sealed class EntraAppKitConnection : IDisposable
    {
        private static EntraAppKitConnection? _current;
        private Action<string>? _traceSink;

        private EntraAppKitConnection() { }

        /// <summary>The connection cmdlets use; null until Connect-EntraAppKit.</summary>
        public static EntraAppKitConnection? Current => _current;

        public GraphSession Session { get; private set; } = null!;
        public TenantFacts Tenant { get; private set; } = null!;
        public string AuthenticationMethod => Session.AuthenticationMethod;

        /// <summary>Where Graph trace lines go while a command runs (the cmdlet's verbose stream).</summary>
        public Action<string>? TraceSink { get => _traceSink; set => _traceSink = value; }

        /// <summary>Connects to the local tenant, in memory or persisted at <paramref name="path"/>, as its built-in administrator.</summary>
        public static async Task<EntraAppKitConnection> ConnectLocalTenantAsync(string? path, CancellationToken cancellationToken = default)
        {
            LocalTenant.LocalTenant tenant;
            try { tenant = path == null ? LocalTenant.LocalTenant.Create() : LocalTenant.LocalTenant.Open(path); }
            catch (LocalTenantStateException e) { throw new EntraAppKitException(ErrorIds.LocalTenantState, EntraErrorCategory.InvalidOperation, e.Message, e); }
            var connection = new EntraAppKitConnection();
            connection.Session = GraphSession.ForLocalTenant(tenant, new GraphSessionOptions { Trace = line => connection._traceSink?.Invoke(line) });
            connection.Tenant = await new RecipeEngine(connection.Session).GetTenantAsync(cancellationToken).ConfigureAwait(false);
            Replace(connection);
            return connection;
        }

        /// <summary>Forgets the current connection.</summary>
        public static void Disconnect() => Replace(null);

        /// <summary>The current connection, or a clear error when there is none.</summary>
        public static EntraAppKitConnection Require() => _current ?? throw new EntraAppKitException(ErrorIds.NotConnected, EntraErrorCategory.ConnectionError,
            "Not connected. Run Connect-EntraAppKit first (Connect-EntraAppKit -LocalTenant works offline).");

        private static void Replace(EntraAppKitConnection? connection)
        {
            var old = Interlocked.Exchange(ref _current, connection);
            old?.Dispose();
        }

        public void Dispose() => Session?.Dispose();
    }
}
