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
  --path FILE          persist the tenant in FILE (created if missing; a corrupt or foreign file is left untouched)
  --name NAME          initial domain NAME.onmicrosoft.com for a new tenant (default contoso)
  --tenant-id GUID     tenant id for a new tenant
  --domain DOMAIN      an extra verified domain for a new tenant (repeatable)
  --no-auth            Graph requests need no token: every request acts as the built-in admin (for quick experiments)
  --print-admin-token  print a 24-hour token of the built-in admin (Global Administrator) and keep serving

Graph requests need a bearer token the tenant issued (Graph's 401 without one), unless --no-auth.
Tokens: POST /{tenant}/oauth2/v2.0/token (client credentials, device code, refresh token), v1 /{tenant}/oauth2/token,
OpenID discovery at /{tenant}/v2.0/.well-known/openid-configuration. Managed identity (App Service protocol):
IDENTITY_ENDPOINT=<base URL>/msi/token and IDENTITY_HEADER=<printed at start-up>.

Control endpoints (not Graph): GET/DELETE /_localtenant/requests, POST /_localtenant/faults
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
            builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
            var app = builder.Build();
            app.Map("/_localtenant/{**rest}", (HttpContext ctx) => Control(tenant, ctx));
            // A fallback endpoint, not app.Run: a terminal middleware would answer before the endpoint middleware that runs
            // the /_localtenant routes, leaving them unreachable. "{**path}" has no nonfile constraint, so /domains/x.com is served.
            app.MapFallback("{**path}", ctx => Serve(tenant, ctx));
            return app;
        }

        private static async Task Serve(LocalTenantEngine tenant, HttpContext ctx)
        {
            var req = ctx.Request;
            var uri = new Uri($"{req.Scheme}://{req.Host}{req.PathBase}{req.Path}{req.QueryString}");
            var headers = req.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            using var buffer = new MemoryStream();
            await req.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
            var response = await tenant.HandleAsync(new GraphRequest(req.Method, uri, headers, buffer.ToArray()), ctx.RequestAborted).ConfigureAwait(false);
            ctx.Response.StatusCode = response.Status;
            foreach (var h in response.Headers) ctx.Response.Headers[h.Key] = h.Value;
            if (response.Body != null) await ctx.Response.WriteAsync(response.Body, ctx.RequestAborted).ConfigureAwait(false);
        }

        private static async Task Control(LocalTenantEngine tenant, HttpContext ctx)
        {
            string rest = (string?)ctx.Request.RouteValues["rest"] ?? "";
            if (rest == "requests" && HttpMethods.IsGet(ctx.Request.Method))
            {
                var list = new JsonArray(tenant.RequestLog.Entries.Select(e => (JsonNode)new JsonObject
                {
                    ["method"] = e.Method, ["path"] = e.Path, ["status"] = e.Status,
                    ["durationMs"] = Math.Round(e.Duration.TotalMilliseconds, 3), ["requestId"] = e.RequestId, ["inBatch"] = e.InBatch,
                }).ToArray());
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(new JsonObject { ["value"] = list }.ToJsonString()).ConfigureAwait(false);
                return;
            }
            if (rest == "requests" && HttpMethods.IsDelete(ctx.Request.Method)) { tenant.RequestLog.Clear(); ctx.Response.StatusCode = 204; return; }
            if (rest == "faults" && HttpMethods.IsPost(ctx.Request.Method))
            {
                var body = await JsonNode.ParseAsync(ctx.Request.Body).ConfigureAwait(false) as JsonObject ?? new JsonObject();
                if (body["clear"] is JsonNode c && (bool)c) tenant.Faults.Clear();
                if (body["replicationLagMs"] is JsonNode lag) tenant.Faults.ReplicationLag = TimeSpan.FromMilliseconds((double)lag);
                if (body["latencyMs"] is JsonNode latency) tenant.Faults.Latency = TimeSpan.FromMilliseconds((double)latency);
                if (body["throttle"] is JsonObject t)
                    tenant.Faults.Throttle((int)t["count"]!, TimeSpan.FromSeconds((double?)t["retryAfterSeconds"] ?? 1), (string?)t["method"], (string?)t["pathContains"]);
                if (body["fail"] is JsonObject f)
                    tenant.Faults.Fail((int)f["count"]!, (int?)f["status"] ?? 503,
                        f["retryAfterSeconds"] is JsonNode ra ? TimeSpan.FromSeconds((double)ra) : (TimeSpan?)null, (string?)f["method"], (string?)f["pathContains"]);
                ctx.Response.StatusCode = 204;
                return;
            }
            ctx.Response.StatusCode = 404;
        }
    }
}
