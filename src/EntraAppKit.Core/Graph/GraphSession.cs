using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// A connection to one tenant's Microsoft Graph: the real Microsoft.Graph SDK client, authenticated by an Azure.Core
    /// <see cref="TokenCredential"/>, sending through the target's transport, with every call traced.
    /// </summary>
    public sealed class GraphSession : IDisposable
    {
        private readonly HttpClient _httpClient;
        private readonly TokenCredential _credential;
        private readonly ConnectionTarget _target;

        private readonly BatchingHandler _batching;

        private GraphSession(HttpClient httpClient, GraphServiceClient client, ConnectionTarget target, TokenCredential credential, BatchingHandler batching)
        {
            _httpClient = httpClient;
            _batching = batching;
            _credential = credential;
            _target = target;
            Client = client;
        }

        /// <summary>The Microsoft Graph SDK client.</summary>
        internal GraphServiceClient Client { get; }

        /// <summary>The Graph root, without version (https://graph.microsoft.com).</summary>
        public string GraphEndpoint => _target.Environment.GraphEndpoint;

        /// <summary>The cloud the session's connection signs in to: its login authority host and Graph resource.</summary>
        public CloudEnvironment Cloud => _target.Environment;

        /// <summary>
        /// Opens a session to <paramref name="target"/>'s Graph with <paramref name="credential"/>, or, when it is null, with the
        /// target's built-in administrator (a local tenant's).
        /// </summary>
        public static GraphSession Create(ConnectionTarget target, TokenCredential? credential = null, GraphSessionOptions? options = null)
        {
            if (target == null) throw new ArgumentNullException(nameof(target));
            credential ??= target.BuiltInAdministrator ?? throw new ArgumentNullException(nameof(credential), $"{target.Name} has no built-in administrator: give a credential.");
            options ??= new GraphSessionOptions();
            string endpoint = target.Environment.GraphEndpoint.TrimEnd('/');
            // The SDK's own middleware (redirect, compression...) with our throttling retry in place of its RetryHandler sits in
            // front of the tracer, so each traced line is one real round trip.
            var handlers = GraphClientFactory.CreateDefaultHandlers();
            int retryAt = handlers.ToList().FindIndex(h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler);
            if (retryAt < 0) throw new InvalidOperationException("The Graph SDK's default handlers no longer include its RetryHandler; review ThrottleRetryHandler's placement.");
            handlers[retryAt] = new ThrottleRetryHandler();
            handlers.Add(new RequestTracer(options.Trace));
            // Below the tracer: each item of a $batch is traced as its own call, the $batch itself by the batcher.
            var batching = new BatchingHandler(options.Trace);
            handlers.Add(batching);
            var httpClient = GraphClientFactory.Create(handlers, "v1.0", "Global", null, target.CreateGraphTransport());
            httpClient.BaseAddress = new Uri(endpoint + "/v1.0/");
            var host = new Uri(endpoint).Host;
            Microsoft.Kiota.Abstractions.Authentication.IAuthenticationProvider auth = new AzureIdentityAuthenticationProvider(credential, new[] { host }, null, false, endpoint + "/.default");
            if (ReferenceEquals(credential, target.BuiltInAdministrator)) auth = new BuiltInAdministratorAuthentication(auth, () => target.BuiltInAdministratorNeedsNoToken);
            var client = new GraphServiceClient(httpClient, auth, endpoint + "/v1.0");
            return new GraphSession(httpClient, client, target, credential, batching);
        }

        /// <summary>
        /// The claims of the token this session calls Graph with, or null when they are not readable (an opaque token) or the
        /// credential holds every permission (the target's built-in administrator).
        /// </summary>
        public async Task<TokenClaims?> GetCallerClaimsAsync(CancellationToken cancellationToken = default)
        {
            if (ReferenceEquals(_credential, _target.BuiltInAdministrator)) return null;
            var token = await _credential.GetTokenAsync(new TokenRequestContext(new[] { GraphEndpoint + "/.default" }), cancellationToken).ConfigureAwait(false);
            return TokenClaims.Read(token.Token);
        }

        /// <summary>The appIds of the applications this session created: only these can be missing for replication lag.</summary>
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _created =
            new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        internal void NoteCreated(string appId) => _created[appId] = true;

        internal void NoteRemoved(string appId) => _created.TryRemove(appId, out _);

        /// <summary>
        /// Whether this session created the application <paramref name="appId"/>: an id it did not create and Graph does not know is
        /// unknown now, not lagging (an API piped in from New-CmgServerApp in this connection is the case that waits).
        /// </summary>
        internal bool Created(string appId) => _created.ContainsKey(appId);

        /// <summary>The organization as this session last read it (at connect): a session is one connection's, to one tenant.</summary>
        internal Tenants.TenantFacts? KnownTenant { get; set; }

        /// <summary>The object id of Microsoft Graph's service principal in the tenant, once read.</summary>
        internal string? MicrosoftGraphServicePrincipalId { get; set; }

        private Microsoft.Graph.Models.ServicePrincipal? _microsoftGraphServicePrincipal;

        /// <summary>
        /// Microsoft Graph's service principal from the shipped catalog, made once per session: setting its permission lists on
        /// a Graph model subscribes Kiota's backing store to each of them, which costs more than the rest of a plan. The object id
        /// consent fills in is this tenant's, so the session's plans share it.
        /// </summary>
        internal Microsoft.Graph.Models.ServicePrincipal MicrosoftGraphServicePrincipal
        {
            get
            {
                var graph = LazyInitializer.EnsureInitialized(ref _microsoftGraphServicePrincipal, () => Permissions.GraphPermissionCatalog.MicrosoftGraphServicePrincipal())!;
                if (graph.Id == null && MicrosoftGraphServicePrincipalId is { } id) graph.Id = id;
                return graph;
            }
        }

        /// <summary>
        /// Runs independent operations together: the requests they make at the same moment go out as one $batch
        /// (<see cref="GraphBatch"/>); <paramref name="then"/> starts after them and its request depends on theirs.
        /// </summary>
        internal Task BatchAsync(IEnumerable<Func<Task>> operations, Func<Task>? then = null) =>
            GraphBatch.RunAsync(_batching, operations.ToList(), then);

        public void Dispose() => _httpClient.Dispose();
    }
}
