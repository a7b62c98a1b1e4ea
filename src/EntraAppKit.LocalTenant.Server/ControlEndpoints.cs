using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace EntraAppKit.LocalTenant.Server
{
    /// <summary>
    /// The server's own endpoints, beside Graph: GET/DELETE /_localtenant/requests (the request log), POST
    /// /_localtenant/faults (fault rules) and POST /_localtenant/devicecode (the administrator approves a device code sign-in). With authentication on they take the tenant's administrator token only, since they
    /// change how the tenant answers everyone; every refusal is a JSON error <c>{"error":{"code","message"}}</c>.
    /// </summary>
    internal static class ControlEndpoints
    {
        /// <summary>A fault rule is a few hundred bytes; anything far larger is not one.</summary>
        private const int MaxBodyBytes = 64 * 1024;

        private const int MaxCount = 10_000;
        private const double MaxRetryAfterSeconds = 86_400;
        private const double MaxLatencyMs = 600_000;
        private const double MaxReplicationLagMs = 86_400_000;
        private const int MaxPathContains = 2048;

        private static readonly string[] Methods = { "GET", "POST", "PATCH", "PUT", "DELETE" };

        public static async Task HandleAsync(LocalTenantEngine tenant, HttpContext ctx)
        {
            int access = tenant.AuthorizeAdministrator(ctx.Request.Headers.Authorization.ToString(), out var why);
            if (access == 401)
            {
                ctx.Response.Headers.WWWAuthenticate = "Bearer";
                await ErrorAsync(ctx, 401, "InvalidAuthenticationToken", why).ConfigureAwait(false);
                return;
            }
            if (access == 403)
            {
                await ErrorAsync(ctx, 403, "Authorization_RequestDenied", why).ConfigureAwait(false);
                return;
            }

            string rest = (string?)ctx.Request.RouteValues["rest"] ?? "";
            string method = ctx.Request.Method;
            switch (rest)
            {
                case "requests" when HttpMethods.IsGet(method):
                    await RequestsAsync(tenant, ctx).ConfigureAwait(false);
                    return;
                case "requests" when HttpMethods.IsDelete(method):
                    tenant.RequestLog.Clear();
                    ctx.Response.StatusCode = 204;
                    return;
                case "faults" when HttpMethods.IsPost(method):
                    await FaultsAsync(tenant, ctx).ConfigureAwait(false);
                    return;
                case "devicecode" when HttpMethods.IsPost(method):
                    await DeviceCodeAsync(tenant, ctx).ConfigureAwait(false);
                    return;
                case "requests":
                case "faults":
                case "devicecode":
                    ctx.Response.Headers.Allow = rest == "requests" ? "GET, DELETE" : "POST";
                    await ErrorAsync(ctx, 405, "MethodNotAllowed", $"/_localtenant/{rest} does not answer {method}.").ConfigureAwait(false);
                    return;
                default:
                    await ErrorAsync(ctx, 404, "NotFound", "The control endpoints are /_localtenant/requests, /_localtenant/faults and /_localtenant/devicecode.").ConfigureAwait(false);
                    return;
            }
        }

        private static Task RequestsAsync(LocalTenantEngine tenant, HttpContext ctx)
        {
            // Every request, each with its kind ("graph", "identity", "resourceManager"): a client counting Graph round trips filters on it.
            var list = new JsonArray(tenant.RequestLog.AllEntries.Select(e => (JsonNode)new JsonObject
            {
                ["kind"] = JsonNamingPolicy.CamelCase.ConvertName(e.Kind.ToString()),
                ["method"] = e.Method, ["path"] = e.Path, ["status"] = e.Status,
                ["durationMs"] = Math.Round(e.Duration.TotalMilliseconds, 3), ["requestId"] = e.RequestId, ["inBatch"] = e.InBatch,
            }).ToArray());
            ctx.Response.ContentType = "application/json";
            // The counts cover every request since the last DELETE, also those the bounded log no longer holds.
            var log = tenant.RequestLog;
            return ctx.Response.WriteAsync(new JsonObject
            {
                ["value"] = list, ["capacity"] = log.Capacity, ["total"] = log.Total, ["roundTrips"] = log.RoundTrips, ["successfulWrites"] = log.SuccessfulWrites,
            }.ToJsonString());
        }

        /// <summary>Reads the whole rule before applying any of it: a refused body changes nothing.</summary>
        private static async Task FaultsAsync(LocalTenantEngine tenant, HttpContext ctx)
        {
            Action apply;
            try
            {
                var body = await ReadObjectAsync(ctx).ConfigureAwait(false);
                apply = Parse(body, tenant);
            }
            catch (ControlInputException e)
            {
                await ErrorAsync(ctx, 400, "BadRequest", e.Message).ConfigureAwait(false);
                return;
            }
            apply();
            ctx.Response.StatusCode = 204;
        }

        /// <summary>
        /// {"user_code":"…"}: signs the built-in administrator in for the device code a client is polling with. This endpoint,
        /// behind the admin token, is the credential: with authentication on, no code is approved by itself.
        /// </summary>
        private static async Task DeviceCodeAsync(LocalTenantEngine tenant, HttpContext ctx)
        {
            string userCode;
            try
            {
                var body = await ReadObjectAsync(ctx).ConfigureAwait(false);
                Only(body, "", "user_code");
                userCode = body["user_code"] is JsonValue v && v.TryGetValue<string>(out var code) && code.Length > 0 && code.Length <= 64
                    ? code
                    : throw new ControlInputException("'user_code' is the code the client showed (a string).");
            }
            catch (ControlInputException e)
            {
                await ErrorAsync(ctx, 400, "BadRequest", e.Message).ConfigureAwait(false);
                return;
            }
            if (tenant.ApproveDeviceCode(userCode)) { ctx.Response.StatusCode = 204; return; }
            await ErrorAsync(ctx, 404, "NotFound", "No device code sign-in that has not expired shows this user code.").ConfigureAwait(false);
        }

        private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await ctx.Request.Body.ReadAsync(chunk, 0, chunk.Length, ctx.RequestAborted).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes) throw new ControlInputException($"The body is larger than {MaxBodyBytes} bytes.");
            }
            try
            {
                var options = new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false };
                return JsonNode.Parse(buffer.ToArray(), null, options) as JsonObject ?? throw new ControlInputException("The body is a JSON object.");
            }
            catch (Exception e) when (e is JsonException || e is ArgumentException || e is InvalidOperationException)
            {
                throw new ControlInputException("The body is not valid JSON.");
            }
        }

        private static Action Parse(JsonObject body, LocalTenantEngine tenant)
        {
            Only(body, "", "clear", "replicationLagMs", "latencyMs", "throttle", "fail", "crash");
            var steps = new List<Action>();
            if (Bool(body, "clear") == true) steps.Add(tenant.Faults.Clear);
            if (Number(body, "replicationLagMs", 0, MaxReplicationLagMs) is double lag) steps.Add(() => tenant.Faults.ReplicationLag = TimeSpan.FromMilliseconds(lag));
            if (Number(body, "latencyMs", 0, MaxLatencyMs) is double latency) steps.Add(() => tenant.Faults.Latency = TimeSpan.FromMilliseconds(latency));
            if (Rule(body, "throttle") is JsonObject t)
            {
                Only(t, "throttle.", "count", "retryAfterSeconds", "method", "pathContains");
                int count = Count(t, "throttle.");
                double retryAfter = Number(t, "retryAfterSeconds", 0, MaxRetryAfterSeconds, "throttle.") ?? 1;
                string? m = Method(t, "throttle."), path = PathContains(t, "throttle.");
                steps.Add(() => tenant.Faults.Throttle(count, TimeSpan.FromSeconds(retryAfter), m, path));
            }
            if (Rule(body, "fail") is JsonObject f)
            {
                Only(f, "fail.", "count", "status", "retryAfterSeconds", "method", "pathContains");
                int count = Count(f, "fail.");
                int status = (int)(Number(f, "status", 500, 599, "fail.", whole: true) ?? 503);
                double? retryAfter = Number(f, "retryAfterSeconds", 0, MaxRetryAfterSeconds, "fail.");
                string? m = Method(f, "fail."), path = PathContains(f, "fail.");
                steps.Add(() => tenant.Faults.Fail(count, status, retryAfter.HasValue ? TimeSpan.FromSeconds(retryAfter.Value) : (TimeSpan?)null, m, path));
            }
            if (Rule(body, "crash") is JsonObject x)
            {
                Only(x, "crash.", "count", "method", "pathContains");
                int count = Count(x, "crash.");
                string? m = Method(x, "crash."), path = PathContains(x, "crash.");
                steps.Add(() => tenant.Faults.Crash(count, m, path));
            }
            return () => { foreach (var step in steps) step(); };
        }

        private static void Only(JsonObject o, string prefix, params string[] names)
        {
            foreach (var kv in o)
                if (!names.Contains(kv.Key, StringComparer.Ordinal))
                    throw new ControlInputException($"Unknown property '{prefix}{kv.Key}'; expected {string.Join(", ", names.Select(n => prefix + n))}.");
        }

        private static bool? Bool(JsonObject o, string name) =>
            o[name] == null ? (bool?)null
            : o[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b
            : throw new ControlInputException($"'{name}' is true or false.");

        private static JsonObject? Rule(JsonObject o, string name) =>
            o[name] == null ? null : o[name] as JsonObject ?? throw new ControlInputException($"'{name}' is a JSON object.");

        private static double? Number(JsonObject o, string name, double min, double max, string prefix = "", bool whole = false)
        {
            if (o[name] == null) return null;
            if (!(o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d))
                || d < min || d > max || (whole && d != Math.Floor(d)))
                throw new ControlInputException($"'{prefix}{name}' is {(whole ? "a whole number" : "a number")} from {min} to {max}.");
            return d;
        }

        private static int Count(JsonObject o, string prefix) =>
            (int)(Number(o, "count", 1, MaxCount, prefix, whole: true) ?? throw new ControlInputException($"'{prefix}count' is required."));

        private static string? Method(JsonObject o, string prefix)
        {
            if (o["method"] == null) return null;
            if (o["method"] is JsonValue v && v.TryGetValue<string>(out var m) && Methods.Contains(m.ToUpperInvariant())) return m;
            throw new ControlInputException($"'{prefix}method' is one of {string.Join(", ", Methods)}.");
        }

        private static string? PathContains(JsonObject o, string prefix)
        {
            if (o["pathContains"] == null) return null;
            if (o["pathContains"] is JsonValue v && v.TryGetValue<string>(out var p) && p.Length > 0 && p.Length <= MaxPathContains) return p;
            throw new ControlInputException($"'{prefix}pathContains' is a string of 1 to {MaxPathContains} characters.");
        }

        private static Task ErrorAsync(HttpContext ctx, int status, string code, string message)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString());
        }

        /// <summary>Bad input to a control endpoint: its message is the 400's.</summary>
        private sealed class ControlInputException : Exception
        {
            public ControlInputException(string message) : base(message) { }
        }
    }
}
