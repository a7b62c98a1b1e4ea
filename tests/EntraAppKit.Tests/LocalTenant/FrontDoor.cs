using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

// The namespace is not "EntraAppKit.Tests.LocalTenant": that would shadow the EntraAppKit.LocalTenant namespace for
// every other test folder (EntraAppKit.Tests.Recipes resolves "LocalTenant.LocalTenantEngine" through EntraAppKit).
namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>Real time plus an offset that tests move forward, so replication lag and expiry need no real waits.</summary>
    public sealed class ManualClock
    {
        private long _offsetTicks;

        public DateTimeOffset Now() => DateTimeOffset.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    /// <summary>One HTTP exchange as a test sees it: status, headers (response and content), raw text and parsed JSON.</summary>
    public sealed class GraphCall
    {
        public GraphCall(int status, string text, IDictionary<string, string> headers, string? sentClientRequestId)
        {
            Status = status;
            Text = text;
            Headers = headers;
            SentClientRequestId = sentClientRequestId;
        }

        public int Status { get; }

        public string Text { get; }

        public IDictionary<string, string> Headers { get; }

        /// <summary>The client-request-id header the test sent, or null when it sent none.</summary>
        public string? SentClientRequestId { get; }

        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

        public JsonObject Json => JsonNode.Parse(Text)?.AsObject() ?? throw new InvalidOperationException("The response has no JSON body.");

        public override string ToString() => $"{Status} {Text}";
    }

    /// <summary>
    /// A way into a local tenant: the in-process <see cref="Tenant.CreateHandler"/> under https://graph.microsoft.com/v1.0,
    /// or the HTTP server from <see cref="Program.Build"/> on loopback. Endpoint tests run the same body through both.
    /// As an xunit class fixture it owns a fresh tenant (with a <see cref="ManualClock"/> and the verified custom domain
    /// <see cref="CustomDomain"/>) for the whole test class.
    /// </summary>
    public abstract class FrontDoor : IAsyncLifetime
    {
        public const string GraphRoot = "https://graph.microsoft.com/v1.0";

        public const string MicrosoftGraphAppId = "00000003-0000-0000-c000-000000000000";

        /// <summary>A verified custom domain every fixture tenant has (LocalTenantOptions.VerifiedDomains).</summary>
        public const string CustomDomain = "fabrikam.com";

        /// <summary>The built-in administrator's password at the sign-in page of every fixture tenant (LocalTenantOptions.AdministratorPassword).</summary>
        public const string AdministratorPassword = "Fixture-Admin-Passw0rd";

        /// <summary>Pass as a header to send no client-request-id at all.</summary>
        public static readonly (string Name, string? Value) WithoutClientRequestId = ("client-request-id", null);

        public static IEnumerable<object[]> Kinds => new[] { new object[] { "InProcess" }, new object[] { "Server" } };

        protected FrontDoor(Tenant? tenant)
        {
            Clock = new ManualClock();
            if (tenant == null)
            {
                var options = new LocalTenantOptions { Name = "contoso", Clock = Clock.Now, AdministratorPassword = AdministratorPassword };
                options.VerifiedDomains.Add(CustomDomain);
                tenant = Tenant.Create(options);
            }
            Tenant = tenant;
        }

        public abstract string Name { get; }

        public Tenant Tenant { get; }

        /// <summary>The local cloud the door serves, when it serves several tenants (<see cref="OpenAsync(string, LocalCloud)"/>); null for one tenant.</summary>
        public LocalCloud? Cloud { get; private set; }

        /// <summary>The clock of the fixture's own tenant (meaningless for a tenant passed in).</summary>
        public ManualClock Clock { get; }

        /// <summary>The service root, ".../v1.0", that context URLs and nextLinks are built on.</summary>
        public string Root { get; protected set; } = "";

        protected HttpClient Http { get; set; } = null!;

        public abstract Task InitializeAsync();

        public abstract Task DisposeAsync();

        /// <summary>Opens a door of <paramref name="kind"/> ("InProcess" or "Server") over an existing tenant.</summary>
        public static async Task<FrontDoor> OpenAsync(string kind, Tenant tenant)
        {
            FrontDoor door = kind switch
            {
                "InProcess" => new InProcessDoor(tenant),
                "Server" => new ServerDoor(tenant),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            await door.InitializeAsync();
            return door;
        }

        /// <summary>Opens a door of <paramref name="kind"/> over every tenant of <paramref name="cloud"/>; <see cref="Tenant"/> is its first.</summary>
        public static async Task<FrontDoor> OpenAsync(string kind, LocalCloud cloud)
        {
            FrontDoor door = kind switch
            {
                "InProcess" => new InProcessDoor(cloud.Primary),
                "Server" => new ServerDoor(cloud.Primary),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            door.Cloud = cloud;
            await door.InitializeAsync();
            return door;
        }

        public string Url(string pathOrUrl) =>
            pathOrUrl.StartsWith("http://", StringComparison.Ordinal) || pathOrUrl.StartsWith("https://", StringComparison.Ordinal) ? pathOrUrl : Root + pathOrUrl;

        /// <summary>
        /// Sends a request. <paramref name="body"/> is raw bytes or raw text (sent as is), a JsonNode, or any object serialized with
        /// System.Text.Json. A fresh client-request-id is sent unless <see cref="WithoutClientRequestId"/> is among the headers.
        /// </summary>
        public async Task<GraphCall> SendAsync(string method, string path, object? body = null, params (string Name, string? Value)[] headers)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Url(path));
            string? clientRequestId = Guid.NewGuid().ToString();
            foreach (var (name, value) in headers)
            {
                if (string.Equals(name, "client-request-id", StringComparison.OrdinalIgnoreCase)) { clientRequestId = value; continue; }
                request.Headers.TryAddWithoutValidation(name, value);
            }
            if (clientRequestId != null) request.Headers.TryAddWithoutValidation("client-request-id", clientRequestId);
            if (body is byte[] bytes)
            {
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            }
            else if (body != null)
            {
                string text = body switch
                {
                    string s => s,
                    JsonNode n => n.ToJsonString(),
                    _ => JsonSerializer.Serialize(body),
                };
                request.Content = new StringContent(text, Encoding.UTF8, "application/json");
            }
            return await ExchangeAsync(request, clientRequestId);
        }

        /// <summary>
        /// POSTs an application/x-www-form-urlencoded body, as a browser submits a form or a client calls a token endpoint. No
        /// client-request-id is sent unless among the headers.
        /// </summary>
        public async Task<GraphCall> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, params (string Name, string? Value)[] headers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url(url)) { Content = new FormUrlEncodedContent(fields) };
            string? clientRequestId = null;
            foreach (var (name, value) in headers)
            {
                if (string.Equals(name, "client-request-id", StringComparison.OrdinalIgnoreCase)) clientRequestId = value;
                request.Headers.TryAddWithoutValidation(name, value);
            }
            return await ExchangeAsync(request, clientRequestId);
        }

        private async Task<GraphCall> ExchangeAsync(HttpRequestMessage request, string? clientRequestId)
        {
            using var response = await Http.SendAsync(request);
            var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var h in response.Headers) all[h.Key] = string.Join(", ", h.Value);
            foreach (var h in response.Content.Headers) all[h.Key] = string.Join(", ", h.Value);
            string responseText = await response.Content.ReadAsStringAsync();
            return new GraphCall((int)response.StatusCode, responseText, all, clientRequestId);
        }

        public Task<GraphCall> GetAsync(string path, params (string Name, string? Value)[] headers) => SendAsync("GET", path, null, headers);

        public Task<GraphCall> PostAsync(string path, object? body, params (string Name, string? Value)[] headers) => SendAsync("POST", path, body, headers);

        public Task<GraphCall> PatchAsync(string path, object? body, params (string Name, string? Value)[] headers) => SendAsync("PATCH", path, body, headers);

        public Task<GraphCall> DeleteAsync(string path, params (string Name, string? Value)[] headers) => SendAsync("DELETE", path, null, headers);

        public override string ToString() => Name;
    }

    /// <summary>The in-process front door: an HttpClient over <see cref="Tenant.CreateHandler"/>.</summary>
    public sealed class InProcessDoor : FrontDoor
    {
        public InProcessDoor() : base(null) { }

        internal InProcessDoor(Tenant tenant) : base(tenant) { }

        public override string Name => "InProcess";

        public override Task InitializeAsync()
        {
            Http = new HttpClient(Cloud?.CreateHandler() ?? Tenant.CreateHandler());
            Root = GraphRoot;
            return Task.CompletedTask;
        }

        public override Task DisposeAsync()
        {
            Http?.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>The HTTP front door: the server of Program.Build on 127.0.0.1 with a free port, and a real HttpClient.</summary>
    public sealed class ServerDoor : FrontDoor
    {
        private WebApplication? _app;

        public ServerDoor() : base(null) { }

        internal ServerDoor(Tenant tenant) : base(tenant) { }

        public override string Name => "Server";

        /// <summary>The bound base address, e.g. http://127.0.0.1:54321.</summary>
        public string Address { get; private set; } = "";

        public override async Task InitializeAsync()
        {
            _app = Program.Build(Cloud ?? LocalCloud.Of(Tenant), 0);
            await _app.StartAsync();
            Address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Root = Address + "/v1.0";
            // As a script sees the server: a redirect is an answer to read (its Location), never followed; cookies are sent by hand.
            Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        }

        public override async Task DisposeAsync()
        {
            Http?.Dispose();
            if (_app != null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }

        /// <summary>Sends a request outside the Graph root (the server's /_localtenant control endpoints).</summary>
        public async Task<(int Status, string Text)> ControlAsync(string method, string path, string? json = null, string? token = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Address + path);
            if (token != null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            if (json != null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await Http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Assertions for Graph's response shapes (learn.microsoft.com/graph/errors).</summary>
    public static class GraphAssert
    {
        /// <summary>Every response carries request-id (a GUID) and client-request-id (echoed, or the request-id when none was sent).</summary>
        public static void CorrelationHeaders(GraphCall call)
        {
            string? requestId = call.Header("request-id");
            Assert.True(Guid.TryParse(requestId, out _), $"request-id header missing or not a GUID: {requestId}");
            Assert.Equal(call.SentClientRequestId ?? requestId, call.Header("client-request-id"));
        }

        /// <summary>Asserts the status and correlation headers and returns the JSON body.</summary>
        public static JsonObject Ok(GraphCall call, int status = 200)
        {
            Assert.True(call.Status == status, $"Expected {status} but got {call}");
            CorrelationHeaders(call);
            var json = call.Json;
            Assert.StartsWith("application/json", call.Header("Content-Type"));
            return json;
        }

        /// <summary>204 with an empty body.</summary>
        public static void NoContent(GraphCall call)
        {
            Assert.True(call.Status == 204, $"Expected 204 but got {call}");
            CorrelationHeaders(call);
            Assert.Equal("", call.Text);
        }

        /// <summary>
        /// Graph's error envelope, exactly: {"error":{"code","message",["details"],"innerError":{"date","request-id","client-request-id"}}},
        /// with innerError matching the response headers (learn.microsoft.com/graph/errors). Returns the "error" object.
        /// </summary>
        public static JsonObject Error(GraphCall call, int status, string code, string? message = null)
        {
            Assert.True(call.Status == status, $"Expected {status} {code} but got {call}");
            CorrelationHeaders(call);
            Assert.StartsWith("application/json", call.Header("Content-Type"));
            var root = call.Json;
            Assert.Equal(new[] { "error" }, root.Select(kv => kv.Key));
            var error = root["error"]!.AsObject();
            Assert.Equal(code, (string?)error["code"]);
            if (message != null) Assert.Equal(message, (string?)error["message"]);
            else Assert.False(string.IsNullOrEmpty((string?)error["message"]));
            Assert.Subset(new HashSet<string> { "code", "message", "details", "innerError" }, error.Select(kv => kv.Key).ToHashSet());
            var inner = error["innerError"]!.AsObject();
            Assert.Equal(new[] { "date", "request-id", "client-request-id" }, inner.Select(kv => kv.Key));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", (string?)inner["date"]);
            Assert.Equal(call.Header("request-id"), (string?)inner["request-id"]);
            Assert.Equal(call.Header("client-request-id"), (string?)inner["client-request-id"]);
            return error;
        }

        public static string GuidOf(JsonNode? node)
        {
            string? s = (string?)node;
            Assert.True(System.Guid.TryParse(s, out _), $"Not a GUID: {s}");
            return s!;
        }

        public static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => (string)n!).ToList();

        public static List<JsonObject> Items(JsonObject collection) => collection["value"]!.AsArray().Select(n => n!.AsObject()).ToList();
    }

    /// <summary>
    /// Base of the endpoint test classes: each derives twice (nested InProcess and Server classes), so every test runs
    /// through both front doors against a tenant shared by that class. Faults are reset before each test.
    /// </summary>
    public abstract class DoorTests
    {
        protected DoorTests(FrontDoor door)
        {
            Door = door;
            door.Tenant.Faults.Clear();
            door.Tenant.LaggedGrantWritesApply = true;
        }

        protected FrontDoor Door { get; }

        protected Tenant Tenant => Door.Tenant;

        protected string Root => Door.Root;

        protected static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 12);

        protected static readonly (string, string?) Eventual = ("ConsistencyLevel", "eventual");

        protected static readonly (string, string?) CreateIfMissing = ("Prefer", "create-if-missing");

        /// <summary>
        /// A refusal as Graph makes it (learn.microsoft.com/graph/errors): the exact error envelope with request-id, date and
        /// client-request-id, and an entry with that request-id and status in the tenant's RequestLog. Returns the "error" object.
        /// </summary>
        protected JsonObject Rejected(GraphCall call, int status, string code, string? message = null)
        {
            var error = GraphAssert.Error(call, status, code, message);
            string requestId = call.Header("request-id")!;
            var entry = Assert.Single(Tenant.RequestLog.Entries, e => e.RequestId == requestId);
            Assert.Equal(status, entry.Status);
            return error;
        }

        /// <summary>POST /applications with a single-tenant app unless the body says otherwise; asserts 201.</summary>
        protected async Task<JsonObject> CreateAppAsync(JsonObject? body = null)
        {
            body ??= new JsonObject();
            if (!body.ContainsKey("displayName")) body["displayName"] = Unique("app");
            if (!body.ContainsKey("signInAudience")) body["signInAudience"] = "AzureADMyOrg";
            return GraphAssert.Ok(await Door.PostAsync("/applications", body), 201);
        }

        protected async Task<JsonObject> CreateSpAsync(string appId) =>
            GraphAssert.Ok(await Door.PostAsync("/servicePrincipals", new { appId }), 201);

        /// <summary>An application with its service principal: (app, sp).</summary>
        protected async Task<(JsonObject App, JsonObject Sp)> CreateAppWithSpAsync(JsonObject? body = null)
        {
            var app = await CreateAppAsync(body);
            return (app, await CreateSpAsync((string)app["appId"]!));
        }

        /// <summary>The Microsoft Graph service principal's id, found the way learn.microsoft.com/graph/permissions-grant-via-msgraph does it.</summary>
        protected async Task<string> GraphSpIdAsync()
        {
            var list = GraphAssert.Ok(await Door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'&$select=id"));
            return (string)GraphAssert.Items(list).Single()["id"]!;
        }
    }
}
