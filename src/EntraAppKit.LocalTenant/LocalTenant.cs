using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Diagnostics;
using EntraAppKit.LocalTenant.Faults;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Persistence;

namespace EntraAppKit.LocalTenant
{
    /// <summary>
    /// An offline Microsoft Entra tenant that answers Microsoft Graph v1.0 requests for app registrations the way the
    /// real service does (graph-ground-truth.md): same URLs, JSON, status codes, error codes and messages, limits and
    /// replication lag. It is also the tenant's identity provider (OpenID discovery, token endpoints, managed identity
    /// endpoint) and authorises Graph calls from the claims of the tokens it issues. Serve it in-process with
    /// <see cref="CreateHandler"/> or over HTTP with the server.
    /// </summary>
    public sealed partial class LocalTenantEngine
    {
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly TenantState _state;
        private readonly Func<DateTimeOffset> _clock;
        private readonly string? _path;

        private LocalTenantEngine(TenantState state, LocalTenantOptions options, string? path)
        {
            _state = state;
            _clock = options.Clock;
            _path = path;
            RequireAuthentication = options.RequireAuthentication;
            DeviceCodeIntervalSeconds = options.DeviceCodeIntervalSeconds;
        }

        /// <summary>A new, empty tenant held in memory.</summary>
        public static LocalTenantEngine Create(LocalTenantOptions? options = null)
        {
            options ??= new LocalTenantOptions();
            return new LocalTenantEngine(TenantState.New(options, GraphSchema.V1, options.Clock()), options, null);
        }

        /// <summary>
        /// Opens the tenant persisted at <paramref name="path"/>, or creates it there. Every successful write is saved
        /// atomically. A corrupt or foreign file raises <see cref="LocalTenantStateException"/> and is left untouched.
        /// </summary>
        public static LocalTenantEngine Open(string path, LocalTenantOptions? options = null)
        {
            options ??= new LocalTenantOptions();
            bool upgraded = false;
            var state = StateFile.Exists(path)
                ? StateFile.Load(path, GraphSchema.V1, out upgraded)
                : TenantState.New(options, GraphSchema.V1, options.Clock());
            var tenant = new LocalTenantEngine(state, options, path);
            if (!StateFile.Exists(path) || upgraded) StateFile.Save(path, state);
            return tenant;
        }

        public string TenantId => _state.TenantId;

        public string DisplayName => _state.DisplayName;

        /// <summary>The initial <c>*.onmicrosoft.com</c> domain.</summary>
        public string InitialDomain => _state.InitialDomain;

        public IReadOnlyList<string> VerifiedDomains => _state.AllDomains;

        /// <summary>The file the tenant persists to, or null when it lives in memory only.</summary>
        public string? Path => _path;

        public FaultInjection Faults { get; } = new FaultInjection();

        public RequestLog RequestLog { get; } = new RequestLog();

        public GraphSchema Schema => GraphSchema.V1;

        /// <summary>Adds a verified custom domain (as an admin would in the portal).</summary>
        public void AddVerifiedDomain(string name)
        {
            _gate.Wait();
            try
            {
                if (!_state.CustomDomains.Contains(name, StringComparer.OrdinalIgnoreCase)) _state.CustomDomains.Add(name.ToLowerInvariant());
                Persist();
            }
            finally { _gate.Release(); }
        }

        /// <summary>Whether <paramref name="secret"/> is a current client secret of the application with <paramref name="appId"/>.</summary>
        public bool VerifyClientSecret(string appId, string secret)
        {
            _gate.Wait();
            try
            {
                var app = _state.Applications.All.FirstOrDefault(a => string.Equals((string?)a["appId"], appId, StringComparison.OrdinalIgnoreCase));
                return app != null && CheckSecret(app, secret) == SecretCheck.Valid;
            }
            finally { _gate.Release(); }
        }

        /// <summary>An <see cref="HttpMessageHandler"/> that answers requests in-process, for the Graph SDK or any HttpClient.</summary>
        public HttpMessageHandler CreateHandler() => new LocalTenantHandler(this);

        /// <summary>
        /// Answers one request: Microsoft Graph under /v1.0 (and /beta, refused), or one of the identity endpoints
        /// (<c>/{tenant}/oauth2/…</c>, discovery, <see cref="ManagedIdentityPath"/>). The host is ignored.
        /// </summary>
        public async Task<GraphResponse> HandleAsync(GraphRequest request, CancellationToken cancellationToken = default)
        {
            var identityRoute = IdentityRoute.Match(request.Uri);
            if (identityRoute != null) return await HandleIdentityAsync(request, identityRoute, cancellationToken).ConfigureAwait(false);

            var watch = Stopwatch.StartNew();
            string requestId = Guid.NewGuid().ToString();
            string relative = RelativePath(request.Uri);
            if (Faults.Latency > TimeSpan.Zero) await Task.Delay(Faults.Latency, cancellationToken).ConfigureAwait(false);

            GraphResponse response;
            try
            {
                // Graph authenticates before anything else; a $batch's items are authorised one by one with its token.
                request.Caller = Authenticate(request);
                var fault = Faults.Take(request.Method, relative);
                if (fault != null) throw fault;
                if (IsBatch(relative)) response = await HandleBatchAsync(request, cancellationToken).ConfigureAwait(false);
                else
                {
                    await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        response = Dispatch(request, relative);
                        if (request.Method != "GET" && response.Status < 300) Persist();
                    }
                    finally { _gate.Release(); }
                }
            }
            catch (GraphException e)
            {
                response = ErrorResponse(e, requestId, request.Header("client-request-id"));
            }
            response.Headers["request-id"] = requestId;
            response.Headers["client-request-id"] = request.Header("client-request-id") ?? requestId;
            RequestLog.Add(new RequestLogEntry(_clock(), request.Method, relative, response.Status, watch.Elapsed, requestId, request.InBatch));
            return response;
        }

        private GraphResponse ErrorResponse(GraphException e, string requestId, string? clientRequestId)
        {
            var response = new GraphResponse(e.Status, e.ToJson(requestId, clientRequestId, _clock()).ToJsonString(GraphJson.Options));
            foreach (var h in e.Headers) response.Headers[h.Key] = h.Value;
            return response;
        }

        private void Persist()
        {
            if (_path != null) StateFile.Save(_path, _state);
        }

        private static readonly Regex VersionRoot = new Regex(@"^/(?<version>v1\.0|beta)(?=/|$)", RegexOptions.CultureInvariant);

        /// <summary>The path and query below the version root: <c>/applications?$top=1</c>.</summary>
        private static string RelativePath(Uri uri)
        {
            string path = Uri.UnescapeDataString(uri.AbsolutePath);
            var m = VersionRoot.Match(path);
            if (m.Success) path = path.Substring(m.Length);
            if (path.Length == 0) path = "/";
            return path + uri.Query;
        }

        private static bool IsBatch(string relative) => relative == "/$batch" || relative.StartsWith("/$batch?", StringComparison.Ordinal);

        /// <summary>The service root the request was made against (https://graph.microsoft.com/v1.0 or the server's).</summary>
        private static string ServiceRoot(GraphRequest request) => request.Uri.GetLeftPart(UriPartial.Authority) + "/v1.0";

        private DateTimeOffset Now => _clock();

        private DateTimeOffset VisibleAt => _clock() + Faults.ReplicationLag;

        // ----- Routing -----

        private static readonly Regex SegmentWithKey = new Regex(
            @"^(?<set>[A-Za-z0-9$]+)(\((?:(?<key>[A-Za-z]+)=)?'(?<value>(?:[^']|'')*)'\))?$", RegexOptions.CultureInvariant);

        private GraphResponse Dispatch(GraphRequest request, string relative)
        {
            if (!VersionRoot.IsMatch(Uri.UnescapeDataString(request.Uri.AbsolutePath)) || Uri.UnescapeDataString(request.Uri.AbsolutePath).StartsWith("/beta", StringComparison.Ordinal))
                throw new GraphException(400, "BadRequest", "Invalid version: the local tenant serves Microsoft Graph v1.0 only.");
            int q = relative.IndexOf('?');
            string path = q < 0 ? relative : relative.Substring(0, q);
            var segments = path.Trim('/').Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0) throw GraphException.NoRoute("");
            var first = SegmentWithKey.Match(segments[0]);
            if (!first.Success) throw GraphException.NoRoute(segments[0]);
            string set = first.Groups["set"].Value;
            string? keyName = first.Groups["value"].Success ? (first.Groups["key"].Success ? first.Groups["key"].Value : "id") : null;
            string? keyValue = first.Groups["value"].Success ? first.Groups["value"].Value.Replace("''", "'") : null;
            if (keyName == null && segments.Length > 1 && segments[1] != "$count") { keyName = "id"; keyValue = segments[1]; segments = Remove(segments, 1); }
            var rest = segments.Skip(1).ToArray();

            switch (set)
            {
                case "applications": return Applications(request, keyName, keyValue, rest);
                case "servicePrincipals": return ServicePrincipals(request, keyName, keyValue, rest);
                case "oauth2PermissionGrants": return Grants(request, keyName, keyValue, rest);
                case "organization": return Organization(request, keyName, keyValue, rest);
                case "domains": return Domains(request, keyName, keyValue, rest);
                default: throw GraphException.NoRoute(set);
            }
        }

        private static string[] Remove(string[] a, int index) => a.Take(index).Concat(a.Skip(index + 1)).ToArray();

        // ----- Helpers shared by the handlers -----

        private static JsonObject ParseBody(GraphRequest request)
        {
            if (request.Body.Length == 0) throw GraphException.BadRequest("Empty Payload. JSON content expected.");
            try
            {
                return JsonNode.Parse(request.Body) as JsonObject ?? throw new JsonException();
            }
            catch (JsonException)
            {
                throw GraphException.BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
            }
        }

        private static GraphResponse Json(int status, JsonObject body) => new GraphResponse(status, body.ToJsonString(GraphJson.Options));

        private static GraphResponse NoContent() => new GraphResponse(204);

        private static JsonObject Entity(JsonObject item, string context, GraphRequest request, GraphSchema schema, string typeName)
        {
            var select = Select(request, schema, typeName);
            var projected = Query.CollectionQuery.Project(item, select);
            var result = new JsonObject { ["@odata.context"] = context + (select == null ? "/$entity" : "(" + string.Join(",", select) + ")/$entity") };
            foreach (var kv in projected.ToList()) { projected.Remove(kv.Key); result[kv.Key] = kv.Value; }
            return result;
        }

        private static IReadOnlyList<string>? Select(GraphRequest request, GraphSchema schema, string typeName)
        {
            var opt = QueryString.Parse(request.Uri.Query).FirstOrDefault(kv => kv.Key == "$select");
            return opt.Key == null ? null : Query.CollectionQuery.ParseSelect(opt.Value, schema, typeName);
        }

        private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        private static string PreciseTimestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Ids of grants and assignments look like Graph's: 43 URL-safe base64 characters.</summary>
        private static string NewOpaqueId()
        {
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return Identity.Base64Url.Encode(bytes);
        }

        private static void RequireMethod(GraphRequest request, params string[] allowed)
        {
            if (!allowed.Contains(request.Method)) throw GraphException.MethodNotAllowed();
        }

        /// <summary>Properties the client may never set.</summary>
        private static void RejectReadOnly(JsonObject body, params string[] names)
        {
            foreach (var n in names)
                if (body.ContainsKey(n)) throw GraphException.ReadOnly(n);
        }

        /// <summary>PATCH semantics: top-level properties in the body replace the stored ones; a complex value replaces the whole complex property (missing nested properties take their defaults).</summary>
        private void Merge(JsonObject target, JsonObject body, string typeName, ISet<string> materialize)
        {
            foreach (var kv in body)
            {
                if (kv.Key.Contains("@odata.")) continue;
                var prop = Schema.Property(typeName, kv.Key)!;
                if (kv.Value is JsonObject obj && Schema.HasType(prop.Type) && !prop.Collection)
                {
                    var fresh = Schema.Defaults(prop.Type, materialize);
                    Merge(fresh, obj, prop.Type, materialize);
                    target[kv.Key] = fresh;
                }
                else if (kv.Value is JsonArray items && Schema.HasType(prop.Type))
                {
                    var normalized = new JsonArray();
                    foreach (var item in items)
                    {
                        var fresh = Schema.Defaults(prop.Type, materialize);
                        Merge(fresh, item!.AsObject(), prop.Type, materialize);
                        normalized.Add(fresh);
                    }
                    target[kv.Key] = normalized;
                }
                else target[kv.Key] = kv.Value?.DeepClone();
            }
        }
    }
}
