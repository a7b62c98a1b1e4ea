using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;

namespace EntraAppKit.LocalTenant
{
    /// <summary>
    /// Several local tenants behind one front door, as Entra serves every tenant at one sign-in host and Graph at one
    /// address (learn.microsoft.com/entra/identity-platform/single-and-multi-tenant-apps). Each tenant keeps its own id,
    /// domains, users, objects, signing key and lock; the cloud only decides which tenant answers a request:
    /// <list type="bullet">
    /// <item>a sign-in URL's tenant segment (an id or a verified domain) names its tenant;</item>
    /// <item>at /common and /organizations, a flow already under way (a page's ctx, a code, a device code, a refresh token's
    /// tid) goes to the tenant that began it; a new one starts in the tenant that registers the client, and when the user
    /// who signs in there belongs to another tenant, the request starts anew in the user's home tenant with that sign-in, as
    /// Entra's home realm discovery sends a user to their own tenant (howto-convert-app-to-be-multi-tenant: "requests are
    /// routed to the tenant of the user");</item>
    /// <item>a Graph request goes to the tenant its token was issued by (tid); without a token, to the first tenant.</item>
    /// </list>
    /// Each tenant sees the others through its <c>TenantNeighbours</c>: the multi-tenant applications they register (a
    /// consent here gives one a service principal here, with appOwnerOrganizationId its home tenant) and their users' domains
    /// (AADSTS50020 for a user of another tenant at this tenant's own endpoint).
    /// </summary>
    public sealed class LocalCloud
    {
        private readonly object _adding = new object();

        // Replaced whole when a tenant is added, so a request reads one consistent list without a lock.
        private volatile LocalTenantEngine[] _tenants = Array.Empty<LocalTenantEngine>();

        private LocalCloud(IEnumerable<LocalTenantEngine> tenants)
        {
            foreach (var tenant in tenants) Join(tenant, nameof(tenants));
            if (_tenants.Length == 0) throw new ArgumentException("A local cloud has at least one tenant.", nameof(tenants));
        }

        /// <summary>The primary tenant's state file, for a cloud opened from one; its further tenants live beside it (<see cref="FurtherTenantPath"/>).</summary>
        public string? Path => Primary.Path;

        /// <summary>Adds a tenant, unless it shares an id or a verified domain with one of the cloud's.</summary>
        private void Join(LocalTenantEngine tenant, string parameter)
        {
            lock (_adding)
            {
                var current = _tenants;
                if (current.Any(t => string.Equals(t.TenantId, tenant.TenantId, StringComparison.OrdinalIgnoreCase)))
                    throw new ArgumentException($"Two tenants of the cloud have the id {tenant.TenantId}.", parameter);
                var taken = new HashSet<string>(current.SelectMany(t => t.VerifiedDomains), StringComparer.OrdinalIgnoreCase);
                if (tenant.VerifiedDomains.FirstOrDefault(taken.Contains) is string shared)
                    throw new ArgumentException($"Two tenants of the cloud have the verified domain {shared}.", parameter);
                var self = tenant;
                tenant.Neighbours.Join(() => _tenants.Where(t => !ReferenceEquals(t, self)));
                _tenants = current.Concat(new[] { tenant }).ToArray();
            }
        }

        /// <summary>The state file of a further tenant of a cloud kept at <paramref name="path"/>: FILE.tenants/NAME.json, beside the first tenant's FILE.</summary>
        public static string FurtherTenantPath(string path, string name) => System.IO.Path.Combine(path + ".tenants", name.ToLowerInvariant() + ".json");

        /// <summary>
        /// Opens the cloud kept at <paramref name="path"/> (created there if missing): the first of <paramref name="tenants"/>
        /// is the tenant in the file itself, every further tenant lives in FILE.tenants/NAME.json; those already there are
        /// opened too, after the ones named. Runtime settings (the administrator's password, authentication, the request log's bound) are the first's.
        /// </summary>
        public static LocalCloud Open(string path, IEnumerable<LocalTenantOptions>? tenants = null)
        {
            var named = (tenants ?? new[] { new LocalTenantOptions() }).ToList();
            if (named.Count == 0) named.Add(new LocalTenantOptions());
            var primary = named[0];
            var engines = new List<LocalTenantEngine> { LocalTenantEngine.Open(path, primary) };
            string folder = path + ".tenants";
            var kept = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.json").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).OrderBy(n => n, StringComparer.Ordinal).ToList()
                : new List<string>();
            foreach (var name in named.Skip(1).Select(o => o.Name.ToLowerInvariant()).Concat(kept).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var options = named.Skip(1).FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase)) ?? LocalTenantOptions.Named(name);
                options.AdministratorPassword ??= primary.AdministratorPassword;
                options.RequireAuthentication = primary.RequireAuthentication;
                options.Clock = primary.Clock;
                options.RequestLogCapacity = primary.RequestLogCapacity;
                engines.Add(LocalTenantEngine.Open(CreateFolderFor(FurtherTenantPath(path, name)), options));
            }
            return new LocalCloud(engines);
        }

        /// <summary>
        /// Adds a new tenant (in memory, or for a cloud kept in a file, in FILE.tenants/NAME.json), or returns the cloud's tenant
        /// whose initial domain is NAME.onmicrosoft.com. Throws ArgumentException when it would share an id or a domain.
        /// </summary>
        public LocalTenantEngine AddTenant(LocalTenantOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            lock (_adding)
            {
                string domain = options.Name + ".onmicrosoft.com";
                if (_tenants.FirstOrDefault(t => string.Equals(t.InitialDomain, domain, StringComparison.OrdinalIgnoreCase)) is LocalTenantEngine existing) return existing;
                var tenant = Path == null ? LocalTenantEngine.Create(options) : LocalTenantEngine.Open(CreateFolderFor(FurtherTenantPath(Path, options.Name)), options);
                Join(tenant, nameof(options));
                return tenant;
            }
        }

        private static string CreateFolderFor(string path)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            return path;
        }

        /// <summary>A cloud of the given tenants; the first answers what names no tenant (Graph without a token, unknown tenants).</summary>
        public static LocalCloud Of(params LocalTenantEngine[] tenants) => new LocalCloud(tenants ?? throw new ArgumentNullException(nameof(tenants)));

        /// <summary>A cloud of the given tenants; the first answers what names no tenant.</summary>
        public static LocalCloud Of(IEnumerable<LocalTenantEngine> tenants) => new LocalCloud(tenants ?? throw new ArgumentNullException(nameof(tenants)));

        /// <summary>The tenants, the first one first.</summary>
        public IReadOnlyList<LocalTenantEngine> Tenants => _tenants;

        /// <summary>The first tenant: the one a request that names no tenant reaches.</summary>
        public LocalTenantEngine Primary => _tenants[0];

        /// <summary>The tenant with this id or verified domain, or null.</summary>
        public LocalTenantEngine? Find(string idOrDomain) => _tenants.FirstOrDefault(t => t.IsNamedBy(idOrDomain));

        /// <summary>An <see cref="HttpMessageHandler"/> that answers requests for every tenant in-process.</summary>
        public HttpMessageHandler CreateHandler() => new LocalTenantHandler(HandleAsync);

        /// <summary>Answers one request in the tenant it belongs to (see the class remarks).</summary>
        public Task<GraphResponse> HandleAsync(GraphRequest request, CancellationToken cancellationToken = default)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            if (_tenants.Length == 1) return Primary.HandleAsync(request, cancellationToken);
            var route = Primary.MatchIdentity(request.Uri, out var segment);
            if (route == null) return TenantOfToken(request).HandleAsync(request, cancellationToken);
            if (string.Equals(segment, "common", StringComparison.OrdinalIgnoreCase) || string.Equals(segment, "organizations", StringComparison.OrdinalIgnoreCase))
                return HandleAnyTenantAsync(request, cancellationToken);
            // No tenant segment (managed identity, ARM) or an unknown tenant (its AADSTS90002): the first tenant answers.
            var named = segment.Length > 0 ? Find(segment) : null;
            return (named ?? Primary).HandleAsync(request, cancellationToken);
        }

        /// <summary>A request to /common or /organizations: the tenant of the flow it continues, or of its client, or the user's home tenant.</summary>
        private Task<GraphResponse> HandleAnyTenantAsync(GraphRequest request, CancellationToken cancellationToken)
        {
            var form = Parameters(request);
            string? ctx = Value(form, "ctx");
            var owner = ById(FlowIds.TenantOf(ctx)) ?? ById(FlowIds.TenantOf(Value(form, "code"))) ?? ById(FlowIds.TenantOf(Value(form, "device_code")))
                ?? ById(RefreshTokenTenant(Value(form, "refresh_token")));
            if (owner == null)
            {
                string? clientId = Value(form, "client_id");
                owner = clientId == null ? Primary : _tenants.FirstOrDefault(t => t.RegistersApplication(clientId)) ?? Primary;
            }
            // The sign-in page at /common came back with a user of another tenant: that tenant starts the request anew.
            string? login = Value(form, "login");
            if (ctx != null && login != null && owner.Neighbours.HomeTenantOf(login.Trim()) is LocalTenantEngine home &&
                owner.TakeAuthorization(ctx) is IReadOnlyList<KeyValuePair<string, string>> parameters)
            {
                var body = Encoding.UTF8.GetBytes(string.Join("&", parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
                var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/x-www-form-urlencoded" };
                var handOff = new GraphRequest("POST", new Uri(request.Uri.GetLeftPart(UriPartial.Path)), headers, body)
                {
                    SignInHandOff = (login.Trim(), Value(form, "passwd") ?? ""),
                };
                return home.HandleAsync(handOff, cancellationToken);
            }
            return owner.HandleAsync(request, cancellationToken);
        }

        /// <summary>The tenant whose token the Graph request carries (its tid), or the first tenant.</summary>
        private LocalTenantEngine TenantOfToken(GraphRequest request)
        {
            string? header = request.Header("Authorization");
            if (header != null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) &&
                Jwt.TryParse(header.Substring(7).Trim(), out var token) && ById(token.Claim("tid")) is LocalTenantEngine issuer)
                return issuer;
            return Primary;
        }

        private LocalTenantEngine? ById(string? tenantId) =>
            tenantId == null ? null : _tenants.FirstOrDefault(t => string.Equals(t.TenantId, tenantId, StringComparison.OrdinalIgnoreCase));

        private static string? RefreshTokenTenant(string? token) => token != null && Jwt.TryParse(token, out var jwt) ? jwt.Claim("tid") : null;

        /// <summary>The query's parameters and, for a form POST, the body's.</summary>
        private static List<KeyValuePair<string, string>> Parameters(GraphRequest request)
        {
            var all = QueryString.Parse(request.Uri.Query).ToList();
            if (request.Method == "POST") all.InsertRange(0, new OAuthForm(request).Pairs);
            return all;
        }

        private static string? Value(List<KeyValuePair<string, string>> form, string name)
        {
            foreach (var p in form)
                if (p.Key == name && p.Value.Length > 0) return p.Value;
            return null;
        }
    }
}
