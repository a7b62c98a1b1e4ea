using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Server;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>The server's command line (ServerOptions.Parse).</summary>
    public sealed class ServerOptionsTests
    {
        [Fact]
        public void Defaults()
        {
            var o = ServerOptions.Parse(Array.Empty<string>());
            Assert.Equal(0, o.Port);
            Assert.Null(o.Path);
            Assert.False(o.Help);
            Assert.Equal("contoso", o.Tenant.Name);
            Assert.Null(o.Tenant.TenantId);
            Assert.Empty(o.Tenant.VerifiedDomains);
        }

        [Fact]
        public void Every_option_is_read_and_builds_the_tenant_it_describes()
        {
            var id = Guid.NewGuid();
            var o = ServerOptions.Parse(new[]
            {
                "--port", "8080", "--path", "/tmp/tenant.json", "--name", "fabrikam", "--tenant-id", id.ToString(),
                "--domain", "fabrikam.com", "--domain", "contoso.net",
            });
            Assert.Equal(8080, o.Port);
            Assert.Equal("/tmp/tenant.json", o.Path);
            Assert.Equal("fabrikam", o.Tenant.Name);
            Assert.Equal(id, o.Tenant.TenantId);
            Assert.Equal(new[] { "fabrikam.com", "contoso.net" }, o.Tenant.VerifiedDomains);

            var tenant = Tenant.Create(o.Tenant);
            Assert.Equal(id.ToString(), tenant.TenantId);
            Assert.Equal("fabrikam.onmicrosoft.com", tenant.InitialDomain);
            Assert.Equal(new[] { "fabrikam.onmicrosoft.com", "fabrikam.com", "contoso.net" }, tenant.VerifiedDomains);
        }

        [Theory]
        [InlineData("--help")]
        [InlineData("-h")]
        public void Help(string flag) => Assert.True(ServerOptions.Parse(new[] { flag }).Help);

        [Theory]
        [InlineData("--port 0", 0)]
        [InlineData("--port 65535", 65535)]
        public void Port_range_edges_are_accepted(string args, int port) => Assert.Equal(port, ServerOptions.Parse(args.Split(' ')).Port);

        [Theory]
        [InlineData("--port", "--port needs a value.")]
        [InlineData("--port abc", "--port takes a number from 0 to 65535.")]
        [InlineData("--port 65536", "--port takes a number from 0 to 65535.")]
        [InlineData("--port -1", "--port takes a number from 0 to 65535.")]
        [InlineData("--port 1.5", "--port takes a number from 0 to 65535.")]
        [InlineData("--path", "--path needs a value.")]
        [InlineData("--tenant-id nope", "--tenant-id takes a GUID.")]
        [InlineData("--domain", "--domain needs a value.")]
        [InlineData("--name bad.name", "--name takes letters, digits and hyphens (it becomes NAME.onmicrosoft.com).")]
        [InlineData("--bogus", "Unknown argument '--bogus'.")]
        [InlineData("8080", "Unknown argument '8080'.")]
        public void Bad_input_is_an_ArgumentException(string args, string message)
        {
            var e = Assert.Throws<ArgumentException>(() => ServerOptions.Parse(args.Split(' ')));
            Assert.Equal(message, e.Message);
        }

        [Fact]
        public void Https_options_are_read()
        {
            // Issue 11, point 1: --https keeps its files beside --path, or in --tls-dir.
            var beside = ServerOptions.Parse(new[] { "--https", "--path", "/tmp/t.json", "--trust-proxy" });
            Assert.True(beside.Https);
            Assert.True(beside.TrustProxy);
            Assert.Null(beside.TlsFolder);
            var folder = ServerOptions.Parse(new[] { "--https", "--tls-dir", "/tmp/tls" });
            Assert.Equal("/tmp/tls", folder.TlsFolder);
            Assert.False(folder.TrustProxy);
            Assert.Empty(folder.TlsHostNames);
            var named = ServerOptions.Parse(new[] { "--https", "--tls-dir", "/tmp/tls", "--tls-host", "Login.MicrosoftOnline.com", "--tls-host", "*.example.test" });
            Assert.Equal(new[] { "login.microsoftonline.com", "*.example.test" }, named.TlsHostNames);
        }

        [Theory]
        [InlineData("--https", "--https needs --path FILE or --tls-dir DIR: the CA clients trust is kept there, and reused on restart.")]
        [InlineData("--tls-dir /tmp/x", "--tls-dir is where --https keeps its certificates; it needs --https.")]
        [InlineData("--https --tls-dir /tmp/x --path /tmp/t.json", "--tls-dir and --path: with --path the certificates are kept beside the state file.")]
        [InlineData("--tls-host login.microsoftonline.com", "--tls-host names a host in the --https certificate; it needs --https.")]
        [InlineData("--https --tls-dir /tmp/x --tls-host a..b", "--tls-host takes a DNS name such as login.microsoftonline.com, not 'a..b'.")]
        [InlineData("--https --tls-dir /tmp/x --tls-host a/b", "--tls-host takes a DNS name such as login.microsoftonline.com, not 'a/b'.")]
        [InlineData("--https --tls-dir /tmp/x --tls-host 127.0.0.1:443", "--tls-host takes a DNS name such as login.microsoftonline.com, not '127.0.0.1:443'.")]
        public void Https_options_that_do_not_fit_are_an_ArgumentException(string args, string message) =>
            Assert.Equal(message, Assert.Throws<ArgumentException>(() => ServerOptions.Parse(args.Split(' '))).Message);

        [Fact]
        public void An_empty_name_is_an_ArgumentException() =>
            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--name", "" }));
    }

    /// <summary>The HTTP server itself: loopback binding and the /_localtenant/requests and /_localtenant/faults control endpoints.</summary>
    public sealed class ServerControlTests : IClassFixture<ServerDoor>
    {
        private readonly ServerDoor _door;

        public ServerControlTests(ServerDoor door)
        {
            _door = door;
            door.Tenant.Faults.Clear();
        }

        [Fact]
        public void Binds_to_loopback_on_a_free_port()
        {
            var uri = new Uri(_door.Address);
            Assert.Equal("127.0.0.1", uri.Host);
            Assert.NotEqual(0, uri.Port);
            Assert.Equal(_door.Address + "/v1.0", _door.Root);
        }

        [Fact]
        public async Task Requests_endpoint_lists_and_clears_the_log()
        {
            Assert.Equal(204, (await _door.ControlAsync("DELETE", "/_localtenant/requests")).Status);
            var org = await _door.GetAsync("/organization");
            Ok(org);
            Error(await _door.GetAsync($"/applications/{Guid.NewGuid()}"), 404, "Request_ResourceNotFound");

            var (status, text) = await _door.ControlAsync("GET", "/_localtenant/requests");
            Assert.Equal(200, status);
            var entries = JsonNode.Parse(text)!["value"]!.AsArray().Select(e => e!.AsObject()).ToList();
            Assert.Equal(2, entries.Count); // control calls are not Graph requests and are not logged
            Assert.Equal(new[] { "durationMs", "inBatch", "kind", "method", "path", "requestId", "status" }, entries[0].Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("graph", (string?)entries[0]["kind"]);
            Assert.Equal("GET", (string?)entries[0]["method"]);
            Assert.Equal("/organization", (string?)entries[0]["path"]);
            Assert.Equal(200, (int)entries[0]["status"]!);
            Assert.Equal(org.Header("request-id"), (string?)entries[0]["requestId"]);
            Assert.False((bool)entries[0]["inBatch"]!);
            Assert.Equal(404, (int)entries[1]["status"]!);

            Assert.Equal(204, (await _door.ControlAsync("DELETE", "/_localtenant/requests")).Status);
            Assert.Empty(JsonNode.Parse((await _door.ControlAsync("GET", "/_localtenant/requests")).Text)!["value"]!.AsArray());
            Assert.Empty(_door.Tenant.RequestLog.Entries);
        }

        [Fact]
        public async Task Faults_endpoint_throttles_with_a_fractional_Retry_After()
        {
            // learn.microsoft.com/graph/throttling
            Assert.Equal(204, (await _door.ControlAsync("POST", "/_localtenant/faults", "{\"throttle\":{\"count\":1,\"retryAfterSeconds\":1.5}}")).Status);
            var throttled = await _door.GetAsync("/organization");
            Error(throttled, 429, "TooManyRequests");
            Assert.Equal("1.5", throttled.Header("Retry-After"));
            Ok(await _door.GetAsync("/organization"));

            await _door.ControlAsync("POST", "/_localtenant/faults", "{\"throttle\":{\"count\":1,\"method\":\"POST\",\"pathContains\":\"/applications\"}}");
            Ok(await _door.GetAsync("/applications?$top=1"));
            var post = await _door.PostAsync("/applications", new { displayName = "throttled" });
            Error(post, 429, "TooManyRequests");
            Assert.Equal("1", post.Header("Retry-After")); // the default
        }

        [Fact]
        public async Task Faults_endpoint_fails_requests()
        {
            await _door.ControlAsync("POST", "/_localtenant/faults", "{\"fail\":{\"count\":1}}");
            Error(await _door.GetAsync("/organization"), 503, "serviceNotAvailable");
            await _door.ControlAsync("POST", "/_localtenant/faults", "{\"fail\":{\"count\":1,\"status\":502,\"retryAfterSeconds\":4}}");
            var bad = await _door.GetAsync("/organization");
            Error(bad, 502, "generalException");
            Assert.Equal("4", bad.Header("Retry-After"));
            Ok(await _door.GetAsync("/organization"));
        }

        [Fact]
        public async Task Faults_endpoint_sets_lag_and_latency_and_clears_everything()
        {
            Assert.Equal(204, (await _door.ControlAsync("POST", "/_localtenant/faults", "{\"replicationLagMs\":60000,\"latencyMs\":5}")).Status);
            Assert.Equal(TimeSpan.FromMinutes(1), _door.Tenant.Faults.ReplicationLag);
            Assert.Equal(TimeSpan.FromMilliseconds(5), _door.Tenant.Faults.Latency);

            // learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: the lag the endpoint set is the one Graph shows
            var app = Ok(await _door.PostAsync("/applications", new { displayName = "lagged", signInAudience = "AzureADMyOrg" }), 201);
            Error(await _door.GetAsync($"/applications/{app["id"]}"), 404, "Request_ResourceNotFound");

            await _door.ControlAsync("POST", "/_localtenant/faults", "{\"throttle\":{\"count\":3}}");
            Assert.Equal(204, (await _door.ControlAsync("POST", "/_localtenant/faults", "{\"clear\":true}")).Status);
            Assert.Equal(TimeSpan.Zero, _door.Tenant.Faults.ReplicationLag);
            Assert.Equal(TimeSpan.Zero, _door.Tenant.Faults.Latency);
            Assert.Equal(0, _door.Tenant.Faults.PendingRules);
        }

        [Theory]
        [InlineData("GET", "/_localtenant/nope", 404, "NotFound")]
        [InlineData("GET", "/_localtenant", 404, "NotFound")]
        [InlineData("GET", "/_localtenant/faults", 405, "MethodNotAllowed")]
        [InlineData("PUT", "/_localtenant/faults", 405, "MethodNotAllowed")]
        [InlineData("POST", "/_localtenant/requests", 405, "MethodNotAllowed")]
        [InlineData("PATCH", "/_localtenant/requests", 405, "MethodNotAllowed")]
        public async Task Unknown_control_routes_and_methods_are_JSON_errors(string method, string path, int status, string code)
        {
            var (actual, text) = await _door.ControlAsync(method, path, method == "GET" ? null : "{}");
            Assert.Equal(status, actual);
            Assert.Equal(code, (string?)JsonNode.Parse(text)!["error"]!["code"]);
            Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(text)!["error"]!["message"]));
        }
    }
}
