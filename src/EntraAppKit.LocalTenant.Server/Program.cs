using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
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
                               [--no-auth] [--print-admin-token]

  --port N             port on 127.0.0.1 (0, the default, picks a free port; the base URL is printed)
  --path FILE          persist the tenant in FILE (created if missing, owner-only; holds the tenant's signing key;
                       several servers and pwsh sessions may share it; a damaged or foreign file is left untouched)
  --name NAME          initial domain NAME.onmicrosoft.com for a new tenant (default contoso)
  --tenant-id GUID     tenant id for a new tenant
  --domain DOMAIN      an extra verified domain for a new tenant (repeatable)
  --no-auth            Graph requests need no token: every request acts as the built-in admin (for quick experiments)
  --print-admin-token  print a 24-hour token of the built-in admin (Global Administrator) and keep serving

Graph requests need a bearer token the tenant issued (Graph's 401 without one), unless --no-auth.
Tokens: POST /{tenant}/oauth2/v2.0/token (client credentials, device code, refresh token), v1 /{tenant}/oauth2/token;
a device code signs the built-in admin in once the admin approves it: POST /_localtenant/devicecode {""user_code"":""…""}
(with --no-auth, by itself after the polling interval).
OpenID discovery at /{tenant}/v2.0/.well-known/openid-configuration. Managed identity (App Service protocol):
IDENTITY_ENDPOINT=<base URL>/msi/token and IDENTITY_HEADER=<printed at start-up>.

Control endpoints (not Graph): GET/DELETE /_localtenant/requests (the request log), POST /_localtenant/devicecode,
POST /_localtenant/faults with
JSON such as {""throttle"":{""count"":2,""retryAfterSeconds"":1.5}}, {""fail"":{""count"":1,""status"":503}},
{""crash"":{""count"":1}}, {""replicationLagMs"":2000}, {""latencyMs"":50} or {""clear"":true}. Unless --no-auth, they need
the built-in admin's token (Authorization: Bearer <token>, see --print-admin-token); bad input is a 400 JSON error.
Absolute URLs in answers are built on the listening address, never on the Host header.
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

            LocalTenantEngine tenant;
            try { tenant = options.Path == null ? LocalTenantEngine.Create(options.Tenant) : LocalTenantEngine.Open(options.Path, options.Tenant); }
            catch (LocalTenantStateException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }

            tenant.RequireAuthentication = !options.NoAuth;
            var app = Build(tenant, options.Port);
            await app.StartAsync().ConfigureAwait(false);
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            foreach (var line in StartupLines(tenant, address, options)) Console.WriteLine(line);
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

        /// <summary>Builds the web application for <paramref name="tenant"/> (also used by tests). Authentication follows <see cref="LocalTenantEngine.RequireAuthentication"/>.</summary>
        public static WebApplication Build(LocalTenantEngine tenant, int port)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k =>
            {
                k.Listen(System.Net.IPAddress.Loopback, port);
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
                    await WriteAsync(ctx, tenant.Reject(ToGraphRequest(ctx, Array.Empty<byte>()), error)).ConfigureAwait(false);
                }
            });
            app.Map("/_localtenant/{**rest}", (HttpContext ctx) => ControlEndpoints.HandleAsync(tenant, ctx));
            // A fallback endpoint, not app.Run: a terminal middleware would answer before the endpoint middleware that runs
            // the /_localtenant routes, leaving them unreachable. "{**path}" has no nonfile constraint, so /domains/x.com is served.
            app.MapFallback("{**path}", ctx => Serve(tenant, ctx));
            return app;
        }

        private static async Task Serve(LocalTenantEngine tenant, HttpContext ctx)
        {
            // One byte past the limit is enough to know the body is too large; the tenant answers 413, nothing more is buffered.
            byte[] body;
            try
            {
                body = await ReadBodyAsync(ctx.Request.Body, RequestLimits.MaxBodyBytes + 1, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is BadHttpRequestException) && !ctx.RequestAborted.IsCancellationRequested)
            {
                // Kestrel reports some malformed framings (a chunk size that overflows) as other exceptions: still the client's body.
                await WriteAsync(ctx, tenant.Reject(ToGraphRequest(ctx, Array.Empty<byte>()), GraphException.BadRequest("The request could not be read."))).ConfigureAwait(false);
                return;
            }
            await WriteAsync(ctx, await tenant.HandleAsync(ToGraphRequest(ctx, body), ctx.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        }

        /// <summary>
        /// The request as the engine sees it. Its absolute URI is built on the address the server listens on, never on the Host
        /// header: every absolute URL the tenant answers with (@odata.nextLink, @odata.context, discovery) follows it, so a forged
        /// Host changes none of them, and HTTP/1.0 without a Host is served too. The target is the raw one the client sent, so
        /// an escaped %2F stays inside its segment as it does in-process.
        /// </summary>
        private static GraphRequest ToGraphRequest(HttpContext ctx, byte[] body)
        {
            var req = ctx.Request;
            var local = ctx.Connection.LocalIpAddress ?? System.Net.IPAddress.Loopback;
            string host = local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
            string origin = $"http://{host}:{ctx.Connection.LocalPort}";
            string raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
            string target = raw.StartsWith("/", StringComparison.Ordinal) ? raw : (req.PathBase + req.Path).ToUriComponent() + req.QueryString.ToUriComponent();
            if (!Uri.TryCreate(origin + target, UriKind.Absolute, out var uri))
                uri = new Uri(origin + (req.PathBase + req.Path).ToUriComponent() + req.QueryString.ToUriComponent());
            var headers = req.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            return new GraphRequest(req.Method, uri, headers, body);
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
