using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EntraAppKit.LocalTenant.Server
{
    /// <summary>Serves one local tenant over HTTP on 127.0.0.1: the same engine as the in-process handler.</summary>
    public static class Program
    {
        public const string Usage = @"entraappkit-localtenant: an offline Microsoft Entra tenant that speaks Microsoft Graph v1.0

Usage: entraappkit-localtenant [--port N] [--path FILE] [--name NAME] [--tenant-id GUID] [--domain DOMAIN]...
                               [--user UPN:PASSWORD[:ROLE[,ROLE...]]]...
                               [--tenant NAME[:GUID] [--domain DOMAIN]... [--user ...]...]...
                               [--no-auth] [--print-admin-token] [--admin-password PASSWORD]
                               [--https [--tls-dir DIR] [--tls-host NAME]...]
                               [--trust-proxy] [--request-log N]

  --port N             port on 127.0.0.1 (0, the default, picks a free port; the base URL is printed)
  --path FILE          persist the tenant in FILE (created if missing, owner-only; holds the tenant's signing key;
                       several servers and pwsh sessions may share it; a damaged or foreign file is left untouched)
  --name NAME          initial domain NAME.onmicrosoft.com for a new tenant (default contoso)
  --tenant-id GUID     tenant id for a new tenant
  --domain DOMAIN      an extra verified domain for a new tenant (repeatable)
  --user UPN:PASSWORD[:ROLE[,ROLE...]]
                       a user to create (repeatable), in a new tenant or in the --path tenant when it has no user with
                       that UPN; its domain must be verified and its password meet Entra's policy (8+ characters, three of
                       lowercase, uppercase, digits, symbols). ROLE: GlobalAdministrator, PrivilegedRoleAdministrator,
                       ApplicationAdministrator, CloudApplicationAdministrator, ApplicationDeveloper, UserAdministrator, or
                       a role template id. A password with ':' in it ends with ':' or ':ROLES'.
  --tenant NAME[:GUID] a further tenant in the same local cloud (repeatable): NAME.onmicrosoft.com, with the id GUID or a
                       new one; the --tenant-id, --domain and --user options after it are its own. Sign-in URLs name a tenant
                       by id or domain; /common and /organizations send each user to their home tenant; Graph answers in
                       the tenant that issued the token. A multi-tenant app registered in one tenant gets a service principal
                       in another when that tenant's admin consents (/{tenant}/v2.0/adminconsent). With --path FILE a
                       further tenant is kept in FILE.tenants/NAME.json (and opened again from there). The control endpoints act on the first tenant.
  --no-auth            Graph requests need no token: every request acts as the built-in admin (for quick experiments)
  --print-admin-token  print a 24-hour token of the built-in admin (Global Administrator) and keep serving
  --admin-password PASSWORD
                       the built-in admin's password at the sign-in page of /{tenant}/oauth2/v2.0/authorize (none by
                       default: no one signs in there); kept in memory only
  --https              serve over TLS: a self-signed CA and a certificate for 127.0.0.1 and localhost it signed are made
                       once and reused on restart (renewed, with a new CA, once expired); the CA's PEM file is printed, for
                       REQUESTS_CA_BUNDLE (az, Python) or NODE_EXTRA_CA_CERTS (Node). Kept beside --path FILE as FILE.ca.pem
                       and FILE.tls.pfx (owner-only), or in --tls-dir DIR. The CA's private key is never saved.
  --tls-dir DIR        where --https keeps its files when there is no --path
  --tls-host NAME      an extra DNS name in the --https certificate (repeatable), for a host routed here by a hosts entry:
                       login.microsoftonline.com, where MSAL Python (az) sends instance discovery (with --port 443)
  --trust-proxy        build absolute URLs on X-Forwarded-Proto and X-Forwarded-Host (only behind a reverse proxy you run)
  --request-log N      how many of the newest requests /_localtenant/requests keeps (default 10000); its counts
                       (roundTrips, successfulWrites, total) count every request since the last DELETE

Graph requests need a bearer token the tenant issued (Graph's 401 without one), unless --no-auth.
Tokens: POST /{tenant}/oauth2/v2.0/token (client credentials, device code, authorization code, refresh token,
on-behalf-of), v1 /{tenant}/oauth2/token;
a device code signs the built-in admin in once the admin approves it: POST /_localtenant/devicecode {""user_code"":""…""}
(with --no-auth, by itself after the polling interval).
Authorization code flow and OpenID Connect sign-in: GET /{tenant}/oauth2/v2.0/authorize (v1: /{tenant}/oauth2/authorize)
shows a sign-in form (fields login, passwd, ctx; --admin-password), then a consent form (ctx, acceptConsent=true|false),
then redirects with the code; POST it to the token endpoint (grant_type=authorization_code).
OpenID discovery at /{tenant}/v2.0/.well-known/openid-configuration, MSAL's instance discovery at /common/discovery/instance.
Tokens for Graph (https://graph.microsoft.com or this server's base URL) and, app-only, for Azure Resource Manager
(https://management.core.windows.net/, https://management.azure.com/), which answers GET /tenants and /subscriptions (none)
for az login --allow-no-subscriptions. Managed identity (App Service protocol):
IDENTITY_ENDPOINT=<base URL>/msi/token and IDENTITY_HEADER=<printed at start-up>.

Control endpoints (not Graph): GET/DELETE /_localtenant/requests (the request log: the newest requests, each with its kind,
graph, identity or resourceManager, and exact counts of all since the last DELETE), POST /_localtenant/devicecode,
POST /_localtenant/faults with
JSON such as {""throttle"":{""count"":2,""retryAfterSeconds"":1.5}}, {""fail"":{""count"":1,""status"":503}},
{""crash"":{""count"":1}}, {""replicationLagMs"":2000}, {""latencyMs"":50} or {""clear"":true}. Unless --no-auth, they need
the built-in admin's token (Authorization: Bearer <token>, see --print-admin-token); bad input is a 400 JSON error.
Absolute URLs in answers are built on the listening scheme and address, never on the Host header (unless --trust-proxy).
Ctrl+C stops the server.";

        public static async Task<int> Main(string[] args)
        {
            ServerOptions options;
            try { options = ServerOptions.Parse(args); }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(Usage);
                return 2;
            }
            if (options.Help) { Console.WriteLine(Usage); return 0; }

            LocalCloud cloud;
            try
            {
                cloud = options.Path == null
                    ? LocalCloud.Of(options.AllTenants.Select(LocalTenantEngine.Create).ToList())
                    : LocalCloud.Open(options.Path, options.AllTenants);
            }
            catch (LocalTenantStateException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
            catch (ArgumentException e)
            {
                // A --user the tenant refuses (unknown role, unverified domain, weak password): a usage error.
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            var tenant = cloud.Primary;
            foreach (var t in cloud.Tenants) t.RequireAuthentication = !options.NoAuth;
            TlsCertificates? tls = null;
            if (options.Https)
            {
                try
                {
                    tls = options.Path != null
                        ? TlsCertificates.BesideStateFile(options.Path, DateTimeOffset.UtcNow, options.TlsHostNames)
                        : TlsCertificates.InFolder(options.TlsFolder!, DateTimeOffset.UtcNow, options.TlsHostNames);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is System.Security.Cryptography.CryptographicException)
                {
                    Console.Error.WriteLine($"The TLS certificates could not be made or read: {e.Message}");
                    return 1;
                }
            }
            var app = Build(cloud, options.Port, tls?.Server, options.TrustProxy);
            await app.StartAsync().ConfigureAwait(false);
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            foreach (var line in StartupLines(tenant, address, options)) Console.WriteLine(line);
            foreach (var further in cloud.Tenants.Skip(1))
            {
                Console.WriteLine($"Also tenant {further.TenantId} ({further.InitialDomain}): {address}/{further.TenantId}/v2.0/.well-known/openid-configuration" +
                    (further.Path != null ? $", saved to {further.Path}" : ""));
                if (options.PrintAdminToken)
                    Console.WriteLine($"Admin token of {further.InitialDomain} ({further.AdministratorUserPrincipalName}, Global Administrator, valid 24 hours): {further.IssueAdminToken(TimeSpan.FromHours(24))}");
            }
            if (tls != null)
                Console.WriteLine($"TLS CA ({(tls.Reused ? "reused" : "new")}, valid until {tls.Authority.NotAfter.ToUniversalTime():yyyy-MM-dd}): {tls.CaPath} " +
                    "(trust it: REQUESTS_CA_BUNDLE for az and Python, NODE_EXTRA_CA_CERTS for Node)");
            Console.Out.Flush();
            await app.WaitForShutdownAsync().ConfigureAwait(false);
            Console.WriteLine("Stopped.");
            return 0;
        }

        /// <summary>What the server prints once it listens: where Graph and the identity endpoints are, and how to authenticate.</summary>
        public static IEnumerable<string> StartupLines(LocalTenantEngine tenant, string address, ServerOptions options)
        {
            yield return $"Local tenant {tenant.TenantId} ({tenant.InitialDomain}) listening on {address}/v1.0";
            if (tenant.Path != null) yield return $"State is saved to {tenant.Path}";
            yield return $"Identity provider: {address}/{tenant.TenantId}/v2.0/.well-known/openid-configuration";
            yield return $"Managed identity: IDENTITY_ENDPOINT={address}{LocalTenantEngine.ManagedIdentityPath} IDENTITY_HEADER={tenant.IdentityHeader}";
            if (options.NoAuth)
                yield return $"Authentication is off (--no-auth): every Graph request acts as the built-in admin {tenant.AdministratorUserPrincipalName}.";
            else if (!options.PrintAdminToken)
                yield return "Graph requests need a bearer token (401 without one). Start with --print-admin-token for an admin token, or --no-auth to need none.";
            if (options.PrintAdminToken)
                yield return $"Admin token ({tenant.AdministratorUserPrincipalName}, Global Administrator, valid 24 hours): {tenant.IssueAdminToken(TimeSpan.FromHours(24))}";
        }

        /// <summary>
        /// Builds the web application for <paramref name="tenant"/> (also used by tests). Authentication follows
        /// <see cref="LocalTenantEngine.RequireAuthentication"/>. With <paramref name="certificate"/> every request is served over
        /// TLS with it; with <paramref name="trustProxy"/> absolute URLs follow X-Forwarded-Proto and X-Forwarded-Host.
        /// </summary>
        public static WebApplication Build(LocalTenantEngine tenant, int port, X509Certificate2? certificate = null, bool trustProxy = false) =>
            Build(LocalCloud.Of(tenant), port, certificate, trustProxy);

        /// <summary>
        /// Builds the web application for every tenant of <paramref name="cloud"/>: each request reaches the tenant it belongs
        /// to (<see cref="LocalCloud.HandleAsync"/>); the control endpoints act on the first tenant.
        /// </summary>
        public static WebApplication Build(LocalCloud cloud, int port, X509Certificate2? certificate = null, bool trustProxy = false)
        {
            var tenant = cloud.Primary;
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k =>
            {
                k.Listen(System.Net.IPAddress.Loopback, port, listen =>
                {
                    if (certificate != null) listen.UseHttps(certificate);
                });
                // Kestrel refuses an oversized request line or header block with a bare status and no body. Its bounds sit above
                // the tenant's own (RequestLimits), so the tenant answers those requests itself, with Graph's error body and a log entry.
                k.Limits.MaxRequestLineSize = 8 * RequestLimits.MaxUrlLength;
                k.Limits.MaxRequestHeadersTotalSize = 2 * RequestLimits.MaxHeaderBytes;
            });
            var app = builder.Build();
            // What Kestrel's parser still refuses while the body is read (a malformed chunk, a body past its own limit) is
            // answered by the tenant too, instead of an empty 400 or 413.
            app.Use(async (ctx, next) =>
            {
                try { await next().ConfigureAwait(false); }
                catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
                {
                    var error = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? RequestLimits.BodyTooLarge()
                        : GraphException.BadRequest("The request could not be read.");
                    await WriteAsync(ctx, tenant.Reject(ToGraphRequest(ctx, Array.Empty<byte>(), trustProxy), error)).ConfigureAwait(false);
                }
            });
            app.Map("/_localtenant/{**rest}", (HttpContext ctx) => ControlEndpoints.HandleAsync(tenant, ctx));
            // A fallback endpoint, not app.Run: a terminal middleware would answer before the endpoint middleware that runs
            // the /_localtenant routes, leaving them unreachable. "{**path}" has no nonfile constraint, so /domains/x.com is served.
            app.MapFallback("{**path}", ctx => Serve(cloud, ctx, trustProxy));
            return app;
        }

        private static async Task Serve(LocalCloud cloud, HttpContext ctx, bool trustProxy)
        {
            var tenant = cloud.Primary;
            // One byte past the limit is enough to know the body is too large; the tenant answers 413, nothing more is buffered.
            byte[] body;
            try
            {
                body = await ReadBodyAsync(ctx.Request.Body, RequestLimits.MaxBodyBytes + 1, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is BadHttpRequestException) && !ctx.RequestAborted.IsCancellationRequested)
            {
                // Kestrel reports some malformed framings (a chunk size that overflows) as other exceptions: still the client's body.
                await WriteAsync(ctx, tenant.Reject(ToGraphRequest(ctx, Array.Empty<byte>(), trustProxy), GraphException.BadRequest("The request could not be read."))).ConfigureAwait(false);
                return;
            }
            await WriteAsync(ctx, await cloud.HandleAsync(ToGraphRequest(ctx, body, trustProxy), ctx.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        }

        /// <summary>
        /// The request as the engine sees it. Its absolute URI is built on the address the server listens on and its scheme
        /// (https under --https), never on the Host header: every absolute URL the tenant answers with (@odata.nextLink,
        /// @odata.context, discovery) follows it, so a forged Host changes none of them, and HTTP/1.0 without a Host is served
        /// too. Only with <paramref name="trustProxy"/> do X-Forwarded-Proto and X-Forwarded-Host replace them (<see cref="ForwardedOrigin"/>).
        /// The target is the raw one the client sent, so an escaped %2F stays inside its segment as it does in-process.
        /// </summary>
        private static GraphRequest ToGraphRequest(HttpContext ctx, byte[] body, bool trustProxy)
        {
            var req = ctx.Request;
            var local = ctx.Connection.LocalIpAddress ?? System.Net.IPAddress.Loopback;
            string host = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
            string origin = $"{(req.IsHttps ? "https" : "http")}://{host}:{ctx.Connection.LocalPort}";
            if (trustProxy) origin = ForwardedOrigin(req.Headers["X-Forwarded-Proto"].ToString(), req.Headers["X-Forwarded-Host"].ToString()) ?? origin;
            string raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
            string target = raw.StartsWith("/", StringComparison.Ordinal) ? raw : (req.PathBase + req.Path).ToUriComponent() + req.QueryString.ToUriComponent();
            if (!Uri.TryCreate(origin + target, UriKind.Absolute, out var uri))
                uri = new Uri(origin + (req.PathBase + req.Path).ToUriComponent() + req.QueryString.ToUriComponent());
            var headers = req.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            return new GraphRequest(req.Method, uri, headers, body);
        }

        /// <summary>
        /// The origin a reverse proxy reports (X-Forwarded-Proto http or https, X-Forwarded-Host host[:port]; the first value of
        /// each list, as the proxy nearest the client set it), or null when it reports none or something that is not an origin.
        /// Without a forwarded scheme the proxy is taken to speak https; without a forwarded host the listening address stands.
        /// </summary>
        public static string? ForwardedOrigin(string? proto, string? host)
        {
            static string First(string? v) => (v ?? "").Split(',')[0].Trim();
            string scheme = First(proto).ToLowerInvariant(), authority = First(host);
            if (authority.Length == 0) return null;
            if (scheme.Length == 0) scheme = "https";
            if (scheme != "http" && scheme != "https") return null;
            // Only a bare authority: a path, query, user info or fragment smuggled into the header is refused.
            if (authority.IndexOfAny(new[] { '/', '?', '#', '@', '\\', ' ' }) >= 0) return null;
            if (!Uri.TryCreate($"{scheme}://{authority}", UriKind.Absolute, out var uri) || uri.PathAndQuery != "/") return null;
            return uri.GetLeftPart(UriPartial.Authority);
        }

        private static async Task<byte[]> ReadBodyAsync(Stream stream, int max, System.Threading.CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while (buffer.Length < max && (read = await stream.ReadAsync(chunk, 0, (int)Math.Min(chunk.Length, max - buffer.Length), cancellationToken).ConfigureAwait(false)) > 0)
                buffer.Write(chunk, 0, read);
            return buffer.ToArray();
        }

        private static async Task WriteAsync(HttpContext ctx, GraphResponse response)
        {
            ctx.Response.StatusCode = response.Status;
            foreach (var h in response.Headers) ctx.Response.Headers[h.Key] = h.Value;
            if (response.Body != null) await ctx.Response.WriteAsync(response.Body, ctx.RequestAborted).ConfigureAwait(false);
        }
    }
}
