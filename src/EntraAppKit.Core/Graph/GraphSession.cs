using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using EntraAppKit.LocalTenant;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// A connection to one tenant's Microsoft Graph: the real Microsoft.Graph SDK client, authenticated by an
    /// Azure.Core <see cref="TokenCredential"/>, with every call traced and counted.
    /// </summary>
    public sealed class GraphSession : IDisposable
    {
        /// <summary>Microsoft Graph's global endpoint; the local tenant answers it in-process.</summary>
        public const string GlobalGraphEndpoint = "https://graph.microsoft.com";

        private readonly HttpClient _httpClient;
        private readonly TokenCredential _credential;

        private GraphSession(HttpClient httpClient, GraphServiceClient client, RequestTracer tracer, string endpoint, string method, LocalTenant.LocalTenantEngine? localTenant, TokenCredential credential)
        {
            _credential = credential;
            _httpClient = httpClient;
            Client = client;
            Tracer = tracer;
            GraphEndpoint = endpoint;
            AuthenticationMethod = method;
            LocalTenant = localTenant;
        }

        /// <summary>The Microsoft Graph SDK client.</summary>
        internal GraphServiceClient Client { get; }

        /// <summary>Traces and counts every Graph round trip of this session.</summary>
        public RequestTracer Tracer { get; }

        public string GraphEndpoint { get; }

        /// <summary>How the session signed in (e.g. "LocalTenant").</summary>
        public string AuthenticationMethod { get; }

        /// <summary>The local tenant behind this session, when it is one.</summary>
        public LocalTenant.LocalTenantEngine? LocalTenant { get; }

        /// <summary>
        /// Connects to a local tenant in-process: as its built-in administrator, or with <paramref name="credential"/>, a real
        /// Azure.Identity credential whose token requests also go to the tenant (see <see cref="LocalTenantIdentityTransport"/>).
        /// </summary>
        public static GraphSession ForLocalTenant(LocalTenant.LocalTenantEngine tenant, GraphSessionOptions? options = null, TokenCredential? credential = null) =>
            Create(credential ?? new LocalTenantAdminCredential(tenant), GlobalGraphEndpoint, tenant.CreateHandler(), credential == null ? "LocalTenant" : "LocalTenantCredential", tenant, options);

        /// <summary>Azure.Identity's transport to a local tenant's in-process identity endpoints (no TLS, no network).</summary>
        public static Azure.Core.Pipeline.HttpPipelineTransport LocalTenantIdentityTransport(LocalTenant.LocalTenantEngine tenant) =>
            new Azure.Core.Pipeline.HttpClientTransport(new HttpClient(tenant.CreateHandler()));

        /// <summary>Connects to a local tenant served over HTTP (the server), e.g. http://127.0.0.1:5000.</summary>
        public static GraphSession ForLocalTenantServer(Uri serverRoot, LocalTenant.LocalTenantEngine? tenant = null, GraphSessionOptions? options = null) =>
            Create(new LocalTenantAdminCredential(tenant), serverRoot.GetLeftPart(UriPartial.Authority), new HttpClientHandler(), "LocalTenantServer", tenant, options);

        /// <summary>Connects with any Azure.Core credential to a Graph endpoint (https://graph.microsoft.com by default).</summary>
        public static GraphSession Create(TokenCredential credential, string? graphEndpoint = null, GraphSessionOptions? options = null) =>
            Create(credential, graphEndpoint ?? GlobalGraphEndpoint, new HttpClientHandler(), "TokenCredential", null, options);

        private static GraphSession Create(TokenCredential credential, string endpoint, HttpMessageHandler finalHandler, string method,
            LocalTenant.LocalTenantEngine? tenant, GraphSessionOptions? options)
        {
            options ??= new GraphSessionOptions();
            endpoint = endpoint.TrimEnd('/');
            var tracer = new RequestTracer(options.Trace);
            // The SDK's own middleware (redirect, compression...) with our throttling retry in place of its RetryHandler sits in
            // front of the tracer, so each traced line is one real round trip.
            var handlers = GraphClientFactory.CreateDefaultHandlers();
            int retryAt = handlers.ToList().FindIndex(h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler);
            if (retryAt < 0) throw new InvalidOperationException("The Graph SDK's default handlers no longer include its RetryHandler; review ThrottleRetryHandler's placement.");
            handlers[retryAt] = new ThrottleRetryHandler();
            handlers.Add(tracer.CreateHandler());
            var httpClient = GraphClientFactory.Create(handlers, "v1.0", "Global", null, finalHandler);
            httpClient.BaseAddress = new Uri(endpoint + "/v1.0/");
            var host = new Uri(endpoint).Host;
            var auth = new AzureIdentityAuthenticationProvider(credential, new[] { host }, null, false, endpoint + "/.default");
            var client = new GraphServiceClient(httpClient, auth, endpoint + "/v1.0");
            return new GraphSession(httpClient, client, tracer, endpoint, method, tenant, credential);
        }

        /// <summary>
        /// The claims of the token this session calls Graph with, or null when they are not readable (an opaque token, or
        /// the local tenant's built-in administrator, who holds every permission).
        /// </summary>
        public async Task<Authentication.TokenClaims?> GetCallerClaimsAsync(CancellationToken cancellationToken = default)
        {
            if (_credential is LocalTenantAdminCredential) return null;
            var token = await _credential.GetTokenAsync(new TokenRequestContext(new[] { GraphEndpoint + "/.default" }), cancellationToken).ConfigureAwait(false);
            return Authentication.TokenClaims.Read(token.Token);
        }

        public void Dispose() => _httpClient.Dispose();
    }

    /// <summary>Options for a <see cref="GraphSession"/>.</summary>
    public sealed class GraphSessionOptions
    {
        /// <summary>Receives one line per Graph call (method, path, status, request-id, ms). Never a body or a secret.</summary>
        public Action<string>? Trace { get; set; }
    }

    /// <summary>
    /// The local tenant's built-in administrator. The local tenant accepts any bearer token in this release;
    /// the credential still goes through the SDK's Azure.Core authentication path like every other.
    /// </summary>
    internal sealed class LocalTenantAdminCredential : TokenCredential
    {
        private readonly string _tenantId;

        public LocalTenantAdminCredential(LocalTenant.LocalTenantEngine? tenant) { _tenantId = tenant?.TenantId ?? "local"; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new AccessToken("localtenant-admin." + _tenantId, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new ValueTask<AccessToken>(GetToken(requestContext, cancellationToken));
    }
}
