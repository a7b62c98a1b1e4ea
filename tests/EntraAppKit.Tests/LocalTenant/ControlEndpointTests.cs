using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 10, point 14: with authentication on, the server's control endpoints take only a token the tenant issued to its
    /// built-in administrator (Global Administrator); every refusal, and every bad input, is a JSON error.
    /// </summary>
    public sealed class ControlEndpointTests : IAsyncLifetime
    {
        private IdentityKit _kit = null!;
        private ServerDoor _door = null!;
        private string _adminToken = "";
        private string _appToken = "";

        private Tenant Tenant => _kit.Tenant;

        public async Task InitializeAsync()
        {
            _kit = new IdentityKit();
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadWriteAll);
            _appToken = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            _adminToken = Tenant.IssueAdminToken();
            Tenant.RequireAuthentication = true;
            _door = (ServerDoor)await FrontDoor.OpenAsync("Server", Tenant);
        }

        public async Task DisposeAsync()
        {
            await _door.DisposeAsync();
            _kit.Dispose();
        }

        private static JsonObject JsonError((int Status, string Text) answer, int status, string code)
        {
            Assert.True(answer.Status == status, $"Expected {status} {code} but got {answer.Status} {answer.Text}");
            var error = JsonNode.Parse(answer.Text)!["error"]!.AsObject();
            Assert.Equal(code, (string?)error["code"]);
            Assert.False(string.IsNullOrEmpty((string?)error["message"]));
            return error;
        }

        [Theory]
        [InlineData("GET", "/_localtenant/requests")]
        [InlineData("DELETE", "/_localtenant/requests")]
        [InlineData("POST", "/_localtenant/faults")]
        public async Task Without_a_token_every_control_endpoint_is_401(string method, string path)
        {
            JsonError(await _door.ControlAsync(method, path, method == "POST" ? "{\"latencyMs\":5}" : null), 401, "InvalidAuthenticationToken");
            Assert.Equal(TimeSpan.Zero, Tenant.Faults.Latency);
        }

        [Theory]
        [InlineData("garbage")]
        [InlineData("a.b.c")]
        [InlineData("localtenant-admin.local")]
        public async Task A_token_the_tenant_did_not_issue_is_401_and_never_echoed(string token)
        {
            var error = JsonError(await _door.ControlAsync("POST", "/_localtenant/faults", "{\"latencyMs\":5}", token), 401, "InvalidAuthenticationToken");
            Assert.DoesNotContain(token, error.ToJsonString());
            Assert.Equal(TimeSpan.Zero, Tenant.Faults.Latency);
        }

        [Fact]
        public async Task The_legacy_admin_token_is_no_credential_when_authentication_is_on()
        {
            JsonError(await _door.ControlAsync("GET", "/_localtenant/requests", null, "localtenant-admin." + Tenant.TenantId), 401, "InvalidAuthenticationToken");
        }

        [Fact]
        public async Task An_expired_admin_token_is_401()
        {
            string shortLived = Tenant.IssueAdminToken(TimeSpan.FromMinutes(1));
            _kit.Clock.Advance(TimeSpan.FromMinutes(10));
            JsonError(await _door.ControlAsync("GET", "/_localtenant/requests", null, shortLived), 401, "InvalidAuthenticationToken");
        }

        [Fact]
        public async Task An_application_token_even_with_Application_ReadWrite_All_is_403()
        {
            // learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference: only a Global Administrator runs the tenant itself.
            Ok(await _door.GetAsync("/applications?$top=1", ("Authorization", "Bearer " + _appToken)));
            var error = JsonError(await _door.ControlAsync("POST", "/_localtenant/faults", "{\"latencyMs\":5}", _appToken), 403, "Authorization_RequestDenied");
            Assert.Contains(Tenant.AdministratorUserPrincipalName, (string?)error["message"]);
            Assert.Equal(TimeSpan.Zero, Tenant.Faults.Latency);
        }

        [Fact]
        public async Task The_admin_token_opens_every_control_endpoint()
        {
            Assert.Equal(204, (await _door.ControlAsync("DELETE", "/_localtenant/requests", null, _adminToken)).Status);
            Ok(await _door.GetAsync("/organization", ("Authorization", "Bearer " + _adminToken)));
            var (status, text) = await _door.ControlAsync("GET", "/_localtenant/requests", null, _adminToken);
            Assert.Equal(200, status);
            Assert.Equal("/organization", (string?)JsonNode.Parse(text)!["value"]![0]!["path"]);
            Assert.Equal(204, (await _door.ControlAsync("POST", "/_localtenant/faults", "{\"fail\":{\"count\":1,\"status\":502}}", _adminToken)).Status);
            Error(await _door.GetAsync("/organization", ("Authorization", "Bearer " + _adminToken)), 502, "generalException");
        }

        [Fact]
        public async Task A_device_code_signs_in_only_when_the_administrator_approves_it_with_the_admin_token()
        {
            // Issue 10, point 13: before, a well-known public client's device code signed a Global Administrator in by itself.
            using var http = new System.Net.Http.HttpClient();
            string oauth = $"{_door.Address}/{Tenant.TenantId}/oauth2/v2.0";
            async Task<(int Status, JsonObject Json)> Form(string path, params (string, string)[] fields)
            {
                using var response = await http.PostAsync(oauth + path, new System.Net.Http.FormUrlEncodedContent(fields.Select(f => new System.Collections.Generic.KeyValuePair<string, string>(f.Item1, f.Item2))));
                return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
            }
            const string GraphCommandLineTools = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
            var start = (await Form("/devicecode", ("client_id", GraphCommandLineTools), ("scope", "https://graph.microsoft.com/.default"))).Json;
            string userCode = (string)start["user_code"]!, deviceCode = (string)start["device_code"]!;
            Assert.Contains("POST /_localtenant/devicecode", (string)start["message"]!);
            Task<(int Status, JsonObject Json)> Poll() => Form("/token", ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", GraphCommandLineTools), ("device_code", deviceCode));

            _kit.Clock.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal("authorization_pending", (string?)(await Poll()).Json["error"]);
            string approval = $"{{\"user_code\":\"{userCode}\"}}";
            JsonError(await _door.ControlAsync("POST", "/_localtenant/devicecode", approval), 401, "InvalidAuthenticationToken");
            JsonError(await _door.ControlAsync("POST", "/_localtenant/devicecode", approval, _appToken), 403, "Authorization_RequestDenied");
            JsonError(await _door.ControlAsync("POST", "/_localtenant/devicecode", "{\"user_code\":42}", _adminToken), 400, "BadRequest");
            JsonError(await _door.ControlAsync("POST", "/_localtenant/devicecode", "{\"code\":\"x\"}", _adminToken), 400, "BadRequest");
            JsonError(await _door.ControlAsync("POST", "/_localtenant/devicecode", "{}", _adminToken), 400, "BadRequest");
            JsonError(await _door.ControlAsync("POST", "/_localtenant/devicecode", "{\"user_code\":\"ZZZZZZZZZ\"}", _adminToken), 404, "NotFound");
            JsonError(await _door.ControlAsync("GET", "/_localtenant/devicecode", null, _adminToken), 405, "MethodNotAllowed");
            Assert.Equal("authorization_pending", (string?)(await Poll()).Json["error"]);

            Assert.Equal(204, (await _door.ControlAsync("POST", "/_localtenant/devicecode", approval, _adminToken)).Status);
            var signedIn = await Poll();
            Assert.Equal(200, signedIn.Status);
            Assert.Equal(Tenant.AdministratorId, (string?)IdentityKit.Claims((string)signedIn.Json["access_token"]!)["oid"]);
        }

        public static TheoryData<string> BadBodies => new TheoryData<string>
        {
            "not json",
            "",
            "[]",
            "\"text\"",
            "{\"latencyMs\":\"5\"}",
            "{\"latencyMs\":-1}",
            "{\"latencyMs\":1e300}",
            "{\"replicationLagMs\":-5}",
            "{\"replicationLagMs\":true}",
            "{\"clear\":\"yes\"}",
            "{\"throttle\":{\"count\":-1}}",
            "{\"throttle\":{\"count\":0}}",
            "{\"throttle\":{\"count\":1.5}}",
            "{\"throttle\":{\"count\":1e12}}",
            "{\"throttle\":{\"count\":\"3\"}}",
            "{\"throttle\":{}}",
            "{\"throttle\":{\"count\":1,\"retryAfterSeconds\":-1}}",
            "{\"throttle\":{\"count\":1,\"retryAfterSeconds\":1e300}}",
            "{\"throttle\":{\"count\":1,\"method\":\"BREW\"}}",
            "{\"throttle\":{\"count\":1,\"method\":5}}",
            "{\"throttle\":{\"count\":1,\"pathContains\":\"\"}}",
            "{\"throttle\":[1]}",
            "{\"fail\":{\"count\":1,\"status\":200}}",
            "{\"fail\":{\"count\":1,\"status\":600}}",
            "{\"fail\":{\"count\":1,\"status\":502.5}}",
            "{\"fail\":{\"count\":1,\"colour\":\"red\"}}",
            "{\"crash\":{\"count\":-3}}",
            "{\"latencyMs\":5,\"latencyMs\":6}",
            "{\"latencyMs\":5,\"throttel\":{\"count\":1}}",
            "{\"latencyMs\":5,\"fail\":{\"count\":1,\"status\":404}}",
        };

        [Theory]
        [MemberData(nameof(BadBodies))]
        public async Task Bad_fault_input_is_a_400_that_applies_nothing(string body)
        {
            JsonError(await _door.ControlAsync("POST", "/_localtenant/faults", body, _adminToken), 400, "BadRequest");
            Assert.Equal(TimeSpan.Zero, Tenant.Faults.Latency);
            Assert.Equal(TimeSpan.Zero, Tenant.Faults.ReplicationLag);
            Assert.Equal(0, Tenant.Faults.PendingRules);
        }

        [Fact]
        public async Task A_fault_body_over_64_KB_is_a_400()
        {
            string body = "{\"throttle\":{\"count\":1,\"pathContains\":\"" + new string('p', 70_000) + "\"}}";
            JsonError(await _door.ControlAsync("POST", "/_localtenant/faults", body, _adminToken), 400, "BadRequest");
            Assert.Equal(0, Tenant.Faults.PendingRules);
        }

        [Fact]
        public async Task A_crash_rule_is_Graphs_500_for_the_next_matching_request()
        {
            Assert.Equal(204, (await _door.ControlAsync("POST", "/_localtenant/faults", "{\"crash\":{\"count\":1,\"method\":\"get\",\"pathContains\":\"/domains\"}}", _adminToken)).Status);
            Error(await _door.GetAsync("/domains", ("Authorization", "Bearer " + _adminToken)), 500, "generalException", "An unspecified error has occurred.");
            Ok(await _door.GetAsync("/domains", ("Authorization", "Bearer " + _adminToken)));
        }

        [Fact]
        public async Task With_authentication_off_the_control_endpoints_are_open()
        {
            Tenant.RequireAuthentication = false;
            try
            {
                Assert.Equal(200, (await _door.ControlAsync("GET", "/_localtenant/requests")).Status);
                Assert.Equal(204, (await _door.ControlAsync("POST", "/_localtenant/faults", "{\"clear\":true}")).Status);
                JsonError(await _door.ControlAsync("POST", "/_localtenant/faults", "{\"latencyMs\":-1}"), 400, "BadRequest");
            }
            finally { Tenant.RequireAuthentication = true; }
        }
    }
}
