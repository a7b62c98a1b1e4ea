using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Diagnostics;
using EntraAppKit.LocalTenant.Faults;
using EntraAppKit.LocalTenant.Handlers;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.ResourceManager;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant
{
    /// <summary>
    /// An offline Microsoft Entra tenant that answers Microsoft Graph v1.0 requests for app registrations the way the real
    /// service does: same URLs, JSON, status codes, error codes and messages, limits and replication lag. It is also the
    /// tenant's identity provider (OpenID discovery, token endpoints, managed identity endpoint) and authorises Graph calls
    /// from the claims of the tokens it issues. Serve it in-process with <see cref="CreateHandler"/> or over HTTP with the server.
    /// </summary>
    /// <remarks>
    /// A facade: the <see cref="RouteTable"/> lists the routes, <see cref="GraphRouter"/> matches them and asks the
    /// <see cref="GraphAuthorizer"/>, the handlers answer from the <see cref="ITenantStore"/>, and <see cref="IdentityProvider"/>
    /// answers the identity endpoints. A write holds the tenant alone (across processes, when several open one state file); reads of a tenant in
    /// memory share it (<see cref="TenantLock"/>); a successful Graph write is saved before it is answered.
    /// </remarks>
    public sealed class LocalTenantEngine
    {
        /// <summary>The managed identity endpoint's path (App Service protocol 2019-08-01): IDENTITY_ENDPOINT is the server's base URL plus this.</summary>
        public const string ManagedIdentityPath = "/msi/token";

        /// <summary>The Global Administrator directory role template id, carried in the built-in administrator's wids claim.</summary>
        public const string GlobalAdministratorRoleId = BuiltInAdministrator.GlobalAdministratorRoleId;

        /// <summary>The most requests one $batch may hold (learn.microsoft.com/graph/json-batching).</summary>
        public const int MaxBatchRequests = BatchHandler.MaxRequests;

        private readonly TenantLock _lock;
        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly RuntimeSettings _settings;
        private readonly TenantPersistence _persistence;
        private readonly GraphAuthenticator _authenticator;
        private readonly GraphRouter _router;
        private readonly IdentityRouter _identityRouter;
        private readonly IdentityProvider _identity;
        private readonly TokenIssuer _issuer;
        private readonly ClientSecretVerifier _secrets;
        private readonly ServicePrincipalFactory _servicePrincipals;
        private readonly DeviceCodeEndpoint _deviceCode;
        private readonly UserAccounts _accounts;
        private readonly UserPasswordVerifier _passwords;
        private readonly AuthorizeEndpoint _authorize;

        private LocalTenantEngine(TenantPersistence persistence, LocalTenantOptions options)
        {
            var store = persistence.Store;
            _store = store;
            _persistence = persistence;
            _lock = new TenantLock(persistence);
            _settings = new RuntimeSettings { RequireAuthentication = options.RequireAuthentication, AdministratorPassword = options.AdministratorPassword };
            DeviceCodeIntervalSeconds = options.DeviceCodeIntervalSeconds;
            RequestLog = new RequestLog(options.RequestLogCapacity);
            _clock = new TenantClock(options.Clock, Faults);
            var schema = GraphSchema.V1;
            var authorizer = new GraphAuthorizer(store);
            _accounts = new UserAccounts(store, _clock);
            _passwords = new UserPasswordVerifier(store);
            _servicePrincipals = new ServicePrincipalFactory(schema);
            _authenticator = new GraphAuthenticator(store, _clock, _settings);
            _issuer = new TokenIssuer(store);
            _secrets = new ClientSecretVerifier(store, _clock);
            var tenants = new TenantPathResolver(store);
            var consent = new UserConsent(store, _clock, _servicePrincipals, _persistence, Neighbours);
            var responses = new TokenResponses(_issuer, _clock);
            var deviceCode = new DeviceCodeEndpoint(store, _clock, _settings, tenants, consent, responses);
            var codes = new AuthorizationCodes(_clock, store);
            _authorize = new AuthorizeEndpoint(store, _clock, tenants, consent, new UserSignIn(store, _settings, _passwords, Neighbours), codes, _issuer,
                new OrganizationConsent(store, _clock, consent, _persistence));
            _deviceCode = deviceCode;
            var users = new UsersHandler(store, schema, authorizer, _accounts);
            Routes = new RouteTable(
                new ApplicationsHandler(store, _clock, schema, authorizer),
                new PasswordCredentialsHandler(store, _clock, schema, authorizer),
                new KeyCredentialsHandler(_clock, schema, authorizer),
                new ServicePrincipalsHandler(store, _clock, schema, authorizer, _servicePrincipals, Neighbours),
                new AppRoleAssignmentsHandler(store, _clock, schema, authorizer),
                new OAuth2PermissionGrantsHandler(store, _clock, schema, _settings, _persistence, authorizer),
                new OrganizationHandler(store, schema, authorizer),
                new DomainsHandler(store, schema),
                users,
                new RoleAssignmentsHandler(store, schema, authorizer, _accounts),
                new PoliciesHandler(store, schema, authorizer),
                new OwnersHandler(store, authorizer, users),
                new BatchHandler(HandleAsync, Reject),
                new DiscoveryEndpoint(store, tenants, Neighbours),
                new TokenEndpoint(store, _clock, tenants, _issuer, responses, _secrets, consent, deviceCode, codes, Neighbours),
                deviceCode,
                new ManagedIdentityEndpoint(store, _clock, _issuer),
                new ResourceManagerEndpoint(store, _clock),
                _authorize);
            _router = new GraphRouter(Routes, authorizer);
            _identityRouter = new IdentityRouter(Routes);
            _identity = new IdentityProvider(_lock, _clock);
            if (options.Users.Count > 0)
                using (_lock.Enter())
                    if (options.Users.Aggregate(false, (added, user) => _accounts.Seed(user) | added)) _persistence.Save();
        }

        /// <summary>A new, empty tenant held in memory.</summary>
        public static LocalTenantEngine Create(LocalTenantOptions? options = null)
        {
            options ??= new LocalTenantOptions();
            return new LocalTenantEngine(TenantPersistence.InMemory(InMemoryTenantStore.New(options, GraphSchema.V1, options.Clock()), GraphSchema.V1), options);
        }

        /// <summary>
        /// Opens the tenant persisted at <paramref name="path"/>, or creates it there. Every successful write is saved
        /// atomically before it is answered. Several processes may open one file: each request takes the file's lock and sees
        /// the others' writes. A corrupt, foreign or unusable file raises <see cref="LocalTenantStateException"/> and is left untouched.
        /// </summary>
        public static LocalTenantEngine Open(string path, LocalTenantOptions? options = null)
        {
            options ??= new LocalTenantOptions();
            var o = options;
            return new LocalTenantEngine(TenantPersistence.Open(path, GraphSchema.V1, () => InMemoryTenantStore.New(o, GraphSchema.V1, o.Clock()), o.JournalAfterBytes), o);
        }

        /// <summary>The other tenants of the local cloud this tenant belongs to (<see cref="LocalCloud"/>); none on its own.</summary>
        internal TenantNeighbours Neighbours { get; } = new TenantNeighbours();

        /// <summary>
        /// A copy of the application with <paramref name="appId"/> when this tenant registers it for several organizations
        /// (signInAudience other than AzureADMyOrg), for a sign-in or consent in another tenant of the cloud; null otherwise.
        /// </summary>
        internal ForeignApplication? SnapshotMultiTenantApplication(string appId, TimeSpan bound)
        {
            using (_lock.EnterRead(bound))
            {
                var app = _store.FindVisibleApplicationByAppId(appId, _clock.Now);
                if (app == null || app.SignInAudience == null || app.SignInAudience == "AzureADMyOrg") return null;
                var secrets = new Dictionary<string, StoredSecret>(StringComparer.OrdinalIgnoreCase);
                foreach (var credential in app.PasswordCredentials)
                    if ((string?)credential?["keyId"] is string keyId && _store.FindSecret(keyId) is StoredSecret stored) secrets[keyId] = stored;
                return new ForeignApplication(new ApplicationEntity((System.Text.Json.Nodes.JsonObject)app.Json.DeepClone()), _store.TenantId, secrets);
            }
        }

        /// <summary>The key that signs this tenant's tokens (for the common JWKS of its cloud).</summary>
        internal SigningKey SigningKeyFor(TimeSpan bound)
        {
            using (_lock.EnterRead(bound)) return _store.SigningKey;
        }

        /// <summary>Whether <paramref name="domain"/> is one of this tenant's verified domains.</summary>
        internal bool HasVerifiedDomain(string domain, TimeSpan bound)
        {
            using (_lock.EnterRead(bound)) return _store.AllDomains.Contains(domain, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>Whether this tenant is named by <paramref name="segment"/>, a tenant id or a verified domain, as in a sign-in URL.</summary>
        internal bool IsNamedBy(string segment)
        {
            if (string.Equals(segment, TenantId, StringComparison.OrdinalIgnoreCase)) return true;
            // A GUID names a tenant by id only: no need to wait for this tenant's lock to read its domains.
            return !Guid.TryParse(segment, out _) && HasVerifiedDomain(segment, TenantNeighbours.LockBound);
        }

        /// <summary>Whether this tenant registers an application with <paramref name="appId"/> (the local cloud starts its sign-ins at /common here).</summary>
        internal bool RegistersApplication(string appId)
        {
            using (_lock.EnterRead(TenantNeighbours.LockBound)) return _store.FindVisibleApplicationByAppId(appId, _clock.Now) != null;
        }

        /// <summary>The parameters of a pending sign-in, which this tenant gives up to the user's home tenant (<see cref="AuthorizeEndpoint.TakeParameters"/>).</summary>
        internal IReadOnlyList<KeyValuePair<string, string>>? TakeAuthorization(string ctx)
        {
            using (_lock.Enter(TenantNeighbours.LockBound)) return _authorize.TakeParameters(ctx);
        }

        /// <summary>The identity route a URL names and its {tenant} segment, or null for Graph and anything else.</summary>
        internal IdentityRoute? MatchIdentity(Uri uri, out string tenant) => _identityRouter.Match(uri, out tenant);

        /// <summary>The routes the tenant answers (for tests that check the table itself).</summary>
        internal RouteTable Routes { get; }

        /// <summary>The tenant's store (for tests that check its indexes).</summary>
        internal ITenantStore Store => _store;

        public string TenantId => _store.TenantId;

        public string DisplayName => _store.DisplayName;

        /// <summary>The initial <c>*.onmicrosoft.com</c> domain.</summary>
        public string InitialDomain => _store.InitialDomain;

        public IReadOnlyList<string> VerifiedDomains => _store.AllDomains;

        /// <summary>The file the tenant persists to, or null when it lives in memory only.</summary>
        public string? Path => _persistence.Path;

        public FaultInjection Faults { get; } = new FaultInjection();

        /// <summary>The newest requests (<see cref="LocalTenantOptions.RequestLogCapacity"/>) and exact counts of all since its last Clear.</summary>
        public RequestLog RequestLog { get; }

        public GraphSchema Schema => GraphSchema.V1;

        /// <summary>The delegated permissions the built-in administrator's tokens carry: what EntraAppKit needs.</summary>
        public static IReadOnlyList<string> AdminScopes => BuiltInAdministrator.Scopes;

        /// <summary>How long an access token the tenant issues is valid (Entra's default: 60 to 90 minutes; here one hour).</summary>
        public static TimeSpan AccessTokenLifetime => TokenIssuer.AccessTokenLifetime;

        /// <summary>
        /// Whether a Graph request without a token gets Graph's 401. False by default in-process: such a request acts as the
        /// built-in administrator (as <c>-LocalTenant</c> does). A request that carries a bearer token is always validated.
        /// </summary>
        public bool RequireAuthentication
        {
            get => _settings.RequireAuthentication;
            set => _settings.RequireAuthentication = value;
        }

        /// <summary>The device code flow's polling interval (Entra answers 5 seconds). Sign-in completes on the first poll after it.</summary>
        public int DeviceCodeIntervalSeconds
        {
            get => _settings.DeviceCodeIntervalSeconds;
            set => _settings.DeviceCodeIntervalSeconds = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "The interval is at least one second.");
        }

        /// <summary>
        /// Right after a service principal is created, Graph can fail a grant with 404 and still apply it
        /// (github.com/microsoftgraph/msgraph-sdk-dotnet/issues/3108). On by default.
        /// </summary>
        public bool LaggedGrantWritesApply
        {
            get => _settings.LaggedGrantWritesApply;
            set => _settings.LaggedGrantWritesApply = value;
        }

        /// <summary>The secret a managed identity client sends in X-IDENTITY-HEADER (App Service's IDENTITY_HEADER). Random per tenant, persisted.</summary>
        public string IdentityHeader => _store.IdentityHeader;

        /// <summary>The built-in administrator's object id (the oid of its tokens).</summary>
        public string AdministratorId => _store.AdministratorId;

        /// <summary>The built-in administrator's user principal name: admin@{initial domain}.</summary>
        public string AdministratorUserPrincipalName => BuiltInAdministrator.UserPrincipalName(_store.InitialDomain);

        /// <summary>The kid of the key that signs the tenant's tokens, as published in its JWKS.</summary>
        public string SigningKeyId => _store.SigningKey.KeyId;

        /// <summary>Adds a verified custom domain (as an admin would in the portal).</summary>
        public void AddVerifiedDomain(string name)
        {
            using (_lock.Enter())
            {
                _store.AddCustomDomain(name);
                _persistence.Save();
            }
        }

        /// <summary>
        /// The administrator approves a device code sign-in by the user code it showed. Needed when <see cref="RequireAuthentication"/>
        /// is on: a code is then never approved by itself. False when no live code has <paramref name="userCode"/>.
        /// </summary>
        public bool ApproveDeviceCode(string userCode)
        {
            using (_lock.Enter()) return _deviceCode.Approve(userCode);
        }

        /// <summary>
        /// Whether <paramref name="secret"/> is a current client secret of the application with <paramref name="appId"/>, or of
        /// its service principal here: a secret the client credentials grant accepts.
        /// </summary>
        public bool VerifyClientSecret(string appId, string secret)
        {
            using (_lock.Enter())
            {
                var app = appId == null ? null : _store.FindApplicationByAppId(appId);
                return app != null && _secrets.Check(app, _store.FindServicePrincipalByAppId(appId!), secret) == SecretCheck.Valid;
            }
        }

        /// <summary>Microsoft Graph as the resource of the tokens the engine issues itself (v1.0 tokens, audience https://graph.microsoft.com).</summary>
        private TokenResource GraphTokenResource => new TokenResource(TokenResourceKind.MicrosoftGraph, TokenIssuer.GraphAudience, false, _store.MicrosoftGraphServicePrincipal, null);

        /// <summary>
        /// A delegated Microsoft Graph access token for the built-in administrator (Global Administrator, <see cref="AdminScopes"/>),
        /// issued to Microsoft Graph Command Line Tools and signed by the tenant. One hour unless <paramref name="lifetime"/> says otherwise.
        /// </summary>
        public string IssueAdminToken(TimeSpan? lifetime = null)
        {
            var span = lifetime ?? TokenIssuer.AccessTokenLifetime;
            if (span <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "A token lifetime is positive.");
            using (_lock.Enter()) return _issuer.Sign(AdminGrant(span));
        }

        /// <summary>
        /// The claims (the JWT payload, as JSON) of the token <see cref="IssueAdminToken"/> would issue now, unsigned and so no
        /// token: what the tenant grants its built-in administrator (upn, scp, wids, exp), for a client that shows it without
        /// sending a token. No signing key is made for it.
        /// </summary>
        public string AdminTokenClaims()
        {
            using (_lock.Enter()) return AdminGrant(TokenIssuer.AccessTokenLifetime).ToJsonString();
        }

        /// <summary>The admin token's claims, read under the lock: one place, so the token and its description cannot differ.</summary>
        private System.Text.Json.Nodes.JsonObject AdminGrant(TimeSpan lifetime) =>
            _issuer.UserTokenClaims(WellKnownClients.GraphCommandLineTools, WellKnownClients.DisplayName(WellKnownClients.GraphCommandLineTools)!,
                AdminScopes, GraphTokenResource, v2Endpoint: false, _clock.Now, lifetime, "https://login.microsoftonline.com");

        /// <summary>
        /// Adds a user (as an administrator would with POST /users) with its directory roles, unless a user already has its
        /// userPrincipalName: its domain must be verified and its password meet Entra's policy. Returns the user's object id.
        /// Throws ArgumentException with Graph's reason when the user cannot be created.
        /// </summary>
        public string AddUser(LocalTenantUser user)
        {
            if (user == null) throw new ArgumentNullException(nameof(user));
            using (_lock.Enter())
            {
                if (_accounts.Seed(user)) _persistence.Save();
                return _store.FindUserByUserPrincipalName(user.UserPrincipalName)!.Id;
            }
        }

        /// <summary>
        /// A delegated Microsoft Graph access token for the user with <paramref name="userPrincipalName"/>, carrying
        /// <paramref name="scopes"/> and the user's directory roles (wids), issued to Microsoft Graph Command Line Tools as if
        /// the user had signed in and consented. For tests and tools that act as a particular user.
        /// </summary>
        public string IssueUserToken(string userPrincipalName, IEnumerable<string> scopes, TimeSpan? lifetime = null)
        {
            var span = lifetime ?? TokenIssuer.AccessTokenLifetime;
            if (span <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "A token lifetime is positive.");
            using (_lock.Enter())
            {
                var user = _store.FindUserByUserPrincipalName(userPrincipalName ?? "") ?? throw new ArgumentException($"The tenant has no user '{userPrincipalName}'.", nameof(userPrincipalName));
                return _issuer.MintUserToken(WellKnownClients.GraphCommandLineTools, WellKnownClients.DisplayName(WellKnownClients.GraphCommandLineTools)!,
                    scopes, GraphTokenResource,
                    v2Endpoint: false, _clock.Now, span, "https://login.microsoftonline.com", user.Id);
            }
        }

        /// <summary>Checks a user's password (for the identity side's sign-in of users): the user, or why it cannot sign in.</summary>
        internal UserPasswordCheck VerifyUserPassword(string userPrincipalName, string password, out Model.UserEntity? user)
        {
            using (_lock.Enter()) return _passwords.Verify(userPrincipalName, password, out user);
        }

        /// <summary>
        /// Whether an Authorization header admits its sender to the tenant's own controls (the server's /_localtenant endpoints):
        /// with <see cref="RequireAuthentication"/> it must carry a valid token the tenant issued to its built-in administrator
        /// (Global Administrator); 401 without a valid token, 403 for anyone else's; without it every caller is admitted.
        /// Returns 200, 401 or 403, and in <paramref name="message"/> why not (never the token).
        /// </summary>
        public int AuthorizeAdministrator(string? authorization, out string message)
        {
            message = "";
            if (!RequireAuthentication) return 200;
            if (string.IsNullOrWhiteSpace(authorization))
            {
                message = "The control endpoints need the tenant's administrator token (Authorization: Bearer <token>).";
                return 401;
            }
            Caller caller;
            try
            {
                var headers = new Dictionary<string, string> { ["Authorization"] = authorization! };
                caller = _authenticator.Authenticate(new GraphRequest("GET", new Uri("http://localhost/_localtenant"), headers));
            }
            catch (GraphException e)
            {
                message = e.Message;
                return 401;
            }
            if (caller.IsAppOnly || caller.ObjectId != _store.AdministratorId)
            {
                message = $"Only the tenant's built-in administrator {AdministratorUserPrincipalName} (Global Administrator) may use the control endpoints.";
                return 403;
            }
            return 200;
        }

        /// <summary>
        /// Creates a managed identity: a service principal with servicePrincipalType "ManagedIdentity" and its own appId, and no
        /// application object. The first one is the system-assigned identity that <see cref="ManagedIdentityPath"/> serves when the
        /// request names none; later ones are user-assigned (select them by client_id, mi_res_id or principal_id). It holds
        /// Graph permissions through app role assignments like any service principal.
        /// </summary>
        public (string AppId, string ServicePrincipalId) CreateManagedIdentity(string displayName)
        {
            if (string.IsNullOrWhiteSpace(displayName) || displayName.IndexOfAny(new[] { '/', '?', '#' }) >= 0)
                throw new ArgumentException("A managed identity needs a display name without '/', '?' or '#' (it ends its Azure resource id).", nameof(displayName));
            using (_lock.Enter())
            {
                bool systemAssigned = !_store.ManagedIdentities.Any();
                // A system-assigned identity belongs to its Azure resource (an Automation account here); a user-assigned one is a resource itself.
                string resourceId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/localtenant/providers/" +
                    (systemAssigned ? "Microsoft.Automation/automationAccounts/" : "Microsoft.ManagedIdentity/userAssignedIdentities/") + displayName;
                var sp = new ServicePrincipalEntity(_servicePrincipals.ForManagedIdentity(displayName, resourceId, systemAssigned));
                _store.AddServicePrincipal(sp, DateTimeOffset.MinValue);
                _persistence.Save();
                return (sp.AppId, sp.Id);
            }
        }

        /// <summary>An <see cref="HttpMessageHandler"/> that answers requests in-process, for the Graph SDK or any HttpClient.</summary>
        public HttpMessageHandler CreateHandler() => new LocalTenantHandler(this);

        /// <summary>
        /// Answers one request: Microsoft Graph under /v1.0 (and /beta, refused), or one of the identity endpoints
        /// (<c>/{tenant}/oauth2/…</c>, discovery, <see cref="ManagedIdentityPath"/>). The host is ignored.
        /// </summary>
        public async Task<GraphResponse> HandleAsync(GraphRequest request, CancellationToken cancellationToken = default)
        {
            var watch = Stopwatch.StartNew();
            var identityRoute = _identityRouter.Match(request.Uri, out var tenant);
            if (identityRoute != null)
            {
                var answer = await _identity.HandleAsync(request, identityRoute, tenant, cancellationToken).ConfigureAwait(false);
                RequestLog.Add(new RequestLogEntry(_clock.Now, request.Method, request.Uri.AbsolutePath, answer.Status, watch.Elapsed,
                    answer.Headers["x-ms-request-id"], inBatch: false, identityRoute.Kind));
                return answer;
            }

            string requestId = Guid.NewGuid().ToString();
            string relative = GraphRouter.RelativePath(request.Uri);
            if (Faults.Latency > TimeSpan.Zero) await Task.Delay(Faults.Latency, cancellationToken).ConfigureAwait(false);

            GraphResponse response;
            try
            {
                RequestLimits.Check(request);
                // Graph authenticates before anything else; a $batch's items are authorised one by one with its token.
                request.Caller = _authenticator.Authenticate(request);
                var fault = Faults.Take(request.Method, relative);
                if (fault != null) throw fault;
                var outsideLock = _router.MatchOutsideLock(relative);
                if (outsideLock != null) response = await _router.DispatchOutsideLockAsync(outsideLock, request, cancellationToken).ConfigureAwait(false);
                else
                {
                    bool write = request.Method != "GET";
                    // A read of a tenant in memory shares the lock with other reads (TenantLock says why that is safe).
                    using (await (write ? _lock.EnterAsync(cancellationToken) : _lock.EnterReadAsync(cancellationToken)).ConfigureAwait(false))
                    {
                        try { response = await _router.DispatchAsync(request, relative, cancellationToken).ConfigureAwait(false); }
                        catch when (write)
                        {
                            _persistence.Discard();
                            throw;
                        }
                        // Saved before it is answered: an acknowledged write survives a crash, and one that cannot be saved is
                        // undone (507). A refused write leaves nothing behind.
                        if (write && response.Status < 300) _persistence.Save();
                        else if (write) _persistence.Discard();
                    }
                }
            }
            catch (GraphException e)
            {
                response = ErrorResponse(e, requestId, request.Header("client-request-id"));
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // The last resort: a bug answers this request with Graph's 500, logged with its request-id, and never takes
                // down the server or the $batch around it. Every rejection a client can cause is a GraphException above.
                response = ErrorResponse(GraphException.Unexpected(), requestId, request.Header("client-request-id"));
            }
            return Logged(request, response, relative, requestId, watch.Elapsed);
        }

        /// <summary>
        /// Answers a Graph request a front door refused before the engine could read it (the server's HTTP parser gave up on the
        /// body): Graph's error body, correlation headers and a request log entry, like any other rejection.
        /// </summary>
        public GraphResponse Reject(GraphRequest request, GraphException error)
        {
            string requestId = Guid.NewGuid().ToString();
            return Logged(request, ErrorResponse(error, requestId, request.Header("client-request-id")), GraphRouter.RelativePath(request.Uri), requestId, TimeSpan.Zero);
        }

        private GraphResponse Logged(GraphRequest request, GraphResponse response, string relative, string requestId, TimeSpan elapsed)
        {
            response.Headers["request-id"] = requestId;
            response.Headers["client-request-id"] = request.Header("client-request-id") ?? requestId;
            RequestLog.Add(new RequestLogEntry(_clock.Now, request.Method, relative, response.Status, elapsed, requestId, request.InBatch));
            return response;
        }

        /// <summary>The one place a <see cref="GraphException"/> becomes Graph's error response.</summary>
        private GraphResponse ErrorResponse(GraphException e, string requestId, string? clientRequestId)
        {
            var response = new GraphResponse(e.Status, e.ToJson(requestId, clientRequestId, _clock.Now).ToJsonString(GraphJson.Options));
            foreach (var h in e.Headers) response.Headers[h.Key] = h.Value;
            return response;
        }
    }
}
