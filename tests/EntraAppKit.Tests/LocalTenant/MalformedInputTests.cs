using System;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Identity;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Input that once made the tenant answer an empty 500, unlogged and without a request-id (issue 10, point 10): each
    /// is now refused at its root with Graph's 400 (or, for a token, 401) and its error body (learn.microsoft.com/graph/errors),
    /// and logged under the request-id it carries. Several cases per kind, through both front doors.
    /// </summary>
    public abstract class MalformedInputTests : DoorTests
    {
        protected MalformedInputTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : MalformedInputTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : MalformedInputTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private const string Unreadable = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";

        private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        private int ApplicationCount => Tenant.Store.Applications.Count();

        // RFC 8259 section 4 leaves duplicate names undefined; Graph refuses such a payload as unreadable JSON
        // (learn.microsoft.com/graph/errors, 400 Bad Request "malformed or incorrect").
        [Theory]
        [InlineData("{\"displayName\":\"a\",\"displayName\":\"b\",\"signInAudience\":\"AzureADMyOrg\"}")]
        [InlineData("{\"displayName\":\"a\",\"signInAudience\":\"AzureADMyOrg\",\"web\":{\"redirectUris\":[],\"redirectUris\":[\"https://x.contoso.com\"]}}")]
        [InlineData("{\"displayName\":\"a\",\"signInAudience\":\"AzureADMyOrg\",\"tags\":[{\"k\":1,\"k\":2}]}")]
        [InlineData("{\"displayName\":\"a\",\"DisplayName\":\"b\",\"displayName\":\"c\"}")]
        public async Task Duplicate_keys_are_a_400_and_create_nothing(string json)
        {
            int before = ApplicationCount;
            Rejected(await Door.PostAsync("/applications", json), 400, "Request_BadRequest", Unreadable);
            Assert.Equal(before, ApplicationCount);
        }

        [Fact]
        public async Task Duplicate_keys_on_update_and_actions_are_a_400()
        {
            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", "{\"notes\":\"a\",\"notes\":\"b\"}"), 400, "Request_BadRequest", Unreadable);
            Rejected(await Door.PostAsync($"/applications/{app["id"]}/addPassword", "{\"passwordCredential\":{\"displayName\":\"a\",\"displayName\":\"b\"}}"), 400, "Request_BadRequest", Unreadable);
            Rejected(await Door.PostAsync("/servicePrincipals", $"{{\"appId\":\"{app["appId"]}\",\"appId\":\"{app["appId"]}\"}}"), 400, "Request_BadRequest", Unreadable);
            Assert.Null((string?)Ok(await Door.GetAsync($"/applications/{app["id"]}"))["notes"]);
        }

        // RFC 8259 section 8.1: JSON text exchanged between systems is UTF-8; these bytes are none.
        [Theory]
        [InlineData(new byte[] { 0xFF })]                   // never valid in UTF-8
        [InlineData(new byte[] { 0xC3 })]                   // a truncated two-byte sequence
        [InlineData(new byte[] { 0xC0, 0xAF })]             // an overlong '/'
        [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // a UTF-16 surrogate encoded as UTF-8 (CESU)
        [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // beyond U+10FFFF
        public async Task Invalid_UTF8_in_a_string_is_a_400(byte[] bad)
        {
            var body = Concat(Utf8("{\"displayName\":\"x"), bad, Utf8("\",\"signInAudience\":\"AzureADMyOrg\"}"));
            Rejected(await Door.PostAsync("/applications", body), 400, "Request_BadRequest", Unreadable);
            var inKey = Concat(Utf8("{\"displayName\":\"x\",\"n"), bad, Utf8("\":1}"));
            Rejected(await Door.PostAsync("/applications", inKey), 400, "Request_BadRequest", Unreadable);
        }

        // RFC 8259 section 8.2: an unpaired surrogate escape is not a character.
        [Theory]
        [InlineData("\\ud800")]
        [InlineData("\\udfff")]
        [InlineData("x\\ud800y")]
        [InlineData("\\udc00\\ud800")]
        public async Task Lone_surrogates_are_a_400(string escaped)
        {
            Rejected(await Door.PostAsync("/applications", $"{{\"displayName\":\"{escaped}\",\"signInAudience\":\"AzureADMyOrg\"}}"), 400, "Request_BadRequest", Unreadable);
            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", $"{{\"tags\":[\"{escaped}\"]}}"), 400, "Request_BadRequest", Unreadable);
        }

        // learn.microsoft.com/graph/api/resources/application: api, web, spa, publicClient and info are objects Graph always returns.
        [Theory]
        [InlineData("api")]
        [InlineData("web")]
        [InlineData("spa")]
        [InlineData("publicClient")]
        [InlineData("info")]
        public async Task Null_for_an_always_present_complex_property_is_a_400(string property)
        {
            int before = ApplicationCount;
            var body = new JsonObject { ["displayName"] = Unique("nulled"), ["signInAudience"] = "AzureADMyOrg", [property] = null };
            Rejected(await Door.PostAsync("/applications", body), 400, "Request_BadRequest", $"Invalid value specified for property '{property}' of resource 'Application'.");
            Assert.Equal(before, ApplicationCount);

            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { [property] = null }), 400, "Request_BadRequest");
            Assert.IsType<JsonObject>(Ok(await Door.GetAsync($"/applications/{app["id"]}"))[property]);
        }

        [Fact]
        public async Task Null_nested_in_a_complex_property_is_a_400()
        {
            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["web"] = new JsonObject { ["implicitGrantSettings"] = null } }),
                400, "Request_BadRequest", "Invalid value specified for property 'implicitGrantSettings' of resource 'Application'.");
        }

        // learn.microsoft.com/graph/api/resources/apiapplication: requestedAccessTokenVersion is an Int32, 1 or 2.
        [Theory]
        [InlineData("1.5")]
        [InlineData("1e10")]
        [InlineData("2147483648")]
        [InlineData("-1e400")]
        [InlineData("2.0000001")]
        [InlineData("\"2\"")]
        public async Task A_token_version_that_is_no_Int32_is_a_400(string value)
        {
            int before = ApplicationCount;
            string json = $"{{\"displayName\":\"{Unique("v")}\",\"signInAudience\":\"AzureADMyOrg\",\"api\":{{\"requestedAccessTokenVersion\":{value}}}}}";
            Rejected(await Door.PostAsync("/applications", json), 400, "Request_BadRequest", "Invalid value specified for property 'requestedAccessTokenVersion' of resource 'Application'.");
            Assert.Equal(before, ApplicationCount);
            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", $"{{\"api\":{{\"requestedAccessTokenVersion\":{value}}}}}"), 400, "Request_BadRequest");
        }

        // learn.microsoft.com/graph/api/application-addpassword: endDateTime defaults to two years after startDateTime.
        [Theory]
        [InlineData("9999-12-31T00:00:00Z", "startDateTime")]
        [InlineData("9998-06-01T00:00:00Z", "startDateTime")]
        [InlineData("9999-12-31T23:59:59.9999999Z", "startDateTime")]
        public async Task A_start_with_no_room_for_the_default_end_is_a_400(string start, string property)
        {
            var app = await CreateAppAsync();
            Rejected(await Door.PostAsync($"/applications/{app["id"]}/addPassword", new JsonObject { ["passwordCredential"] = new JsonObject { ["startDateTime"] = start } }),
                400, "Request_BadRequest", $"Invalid value specified for property '{property}' of resource 'PasswordCredential'.");
            Assert.Empty(Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray());
        }

        [Fact]
        public async Task A_late_start_with_its_own_end_is_accepted()
        {
            var app = await CreateAppAsync();
            var created = Ok(await Door.PostAsync($"/applications/{app["id"]}/addPassword",
                new JsonObject { ["passwordCredential"] = new JsonObject { ["startDateTime"] = "9999-12-30T00:00:00Z", ["endDateTime"] = "9999-12-31T00:00:00Z" } }));
            Assert.StartsWith("9999-12-31T00:00:00", (string?)created["endDateTime"]);
        }

        // learn.microsoft.com/graph/api/application-removepassword: keyId is an Edm.Guid, the action's only parameter.
        [Theory]
        [InlineData("{\"keyId\":12345}")]
        [InlineData("{\"keyId\":true}")]
        [InlineData("{\"keyId\":{}}")]
        [InlineData("{\"keyId\":[\"00000000-0000-0000-0000-000000000001\"]}")]
        [InlineData("{\"keyId\":null}")]
        [InlineData("{}")]
        public async Task A_keyId_that_is_no_GUID_string_is_a_400(string json)
        {
            var app = await CreateAppAsync();
            Rejected(await Door.PostAsync($"/applications/{app["id"]}/removePassword", json), 400, "Request_BadRequest",
                "Invalid value specified for property 'keyId' of resource 'Application'.");
        }

        [Fact]
        public async Task An_unknown_removePassword_parameter_is_a_400()
        {
            var app = await CreateAppAsync();
            var secret = Ok(await Door.PostAsync($"/applications/{app["id"]}/addPassword", new { passwordCredential = new { displayName = "s" } }));
            Rejected(await Door.PostAsync($"/applications/{app["id"]}/removePassword", new JsonObject { ["keyId"] = (string?)secret["keyId"], ["force"] = true }),
                400, "Request_BadRequest", "Property 'force' does not exist as a declared property or extension property.");
            Assert.Single(Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray());
        }

        // learn.microsoft.com/graph/json-batching: id, method and url are strings, headers an object of strings, dependsOn an array of ids.
        [Theory]
        [InlineData("{\"requests\":[{\"id\":1,\"method\":\"GET\",\"url\":\"/organization\"}]}")]
        [InlineData("{\"requests\":[{\"id\":\"1\",\"method\":7,\"url\":\"/organization\"}]}")]
        [InlineData("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":[\"/organization\"]}]}")]
        [InlineData("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/organization\",\"headers\":\"x\"}]}")]
        [InlineData("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/organization\",\"headers\":{\"ConsistencyLevel\":1}}]}")]
        [InlineData("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/organization\",\"dependsOn\":\"2\"}]}")]
        [InlineData("{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/organization\",\"dependsOn\":[2]}]}")]
        [InlineData("{\"requests\":{\"id\":\"1\"}}")]
        [InlineData("{\"requests\":[\"GET /organization\"]}")]
        [InlineData("{\"requests\":[{\"id\":\"\",\"method\":\"GET\",\"url\":\"/organization\"}]}")]
        [InlineData("{\"requests\":[{\"id\":\"1\",\"method\":\"G ET\",\"url\":\"/organization\"}]}")]
        [InlineData("[]")]
        public async Task A_wrongly_typed_batch_field_is_the_batch_400(string json)
        {
            Rejected(await Door.PostAsync("/$batch", json), 400, "BadRequest");
        }

        [Fact]
        public async Task A_wrongly_typed_batch_runs_none_of_its_items()
        {
            int before = ApplicationCount;
            string json = "{\"requests\":[{\"id\":\"1\",\"method\":\"POST\",\"url\":\"/applications\",\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"displayName\":\"x\",\"signInAudience\":\"AzureADMyOrg\"}},{\"id\":2,\"method\":\"GET\",\"url\":\"/organization\"}]}";
            Rejected(await Door.PostAsync("/$batch", json), 400, "BadRequest");
            Assert.Equal(before, ApplicationCount);
        }

        // learn.microsoft.com/graph/paging: a $skiptoken comes from @odata.nextLink; one the tenant did not write is refused.
        [Theory]
        [InlineData("offset:99999999999")]
        [InlineData("offset:-1")]
        [InlineData("offset:-2147483648")]
        [InlineData("offset:+5")]
        [InlineData("offset:1e3")]
        [InlineData("offset: 5")]
        [InlineData("offset:")]
        public async Task A_forged_skiptoken_is_a_400(string payload)
        {
            string token = "RFNwdAIAAQAAA" + Base64Url.Encode(payload);
            Rejected(await Door.GetAsync($"/applications?$skiptoken={token}"), 400, "Request_BadRequest",
                "The specified page token value has expired and can no longer be included in your request.");
        }

        // learn.microsoft.com/graph/errors: a token Graph cannot validate is 401 InvalidAuthenticationToken, whatever its claims hold.
        [Theory]
        [InlineData("exp", "1e20")]
        [InlineData("exp", "-1e20")]
        [InlineData("exp", "\"99999999999999999999\"")]
        [InlineData("exp", "1.7976931348623157e308")]
        [InlineData("exp", "253402300800")]
        public async Task A_validly_signed_token_with_an_impossible_lifetime_is_a_401(string claim, string value)
        {
            string token = Resign(Tenant.IssueAdminToken(), claim, value);
            Rejected(await Door.GetAsync("/organization", ("Authorization", "Bearer " + token)), 401, "InvalidAuthenticationToken",
                "Lifetime validation failed, the token is expired.");
        }

        [Theory]
        [InlineData("1e20")]
        [InlineData("-1e20")]
        public async Task A_validly_signed_token_with_an_impossible_nbf_is_refused_or_ignored_never_a_500(string value)
        {
            // An nbf no instant holds is no restriction (RFC 7519 section 4.1.5 makes nbf optional): the token's exp decides.
            var call = await Door.GetAsync("/organization", ("Authorization", "Bearer " + Resign(Tenant.IssueAdminToken(), "nbf", value)));
            Ok(call);
        }

        [Fact]
        public async Task A_token_whose_header_or_payload_repeats_a_claim_is_a_401()
        {
            string token = Tenant.IssueAdminToken();
            var parts = token.Split('.');
            string payload = Encoding.UTF8.GetString(Base64Url.Decode(parts[1]));
            Assert.Contains("\"aud\":", payload);
            string doubled = "{\"aud\":\"x\"," + payload.Substring(1);
            string forged = parts[0] + "." + Base64Url.Encode(doubled) + "." + parts[2];
            Rejected(await Door.GetAsync("/organization", ("Authorization", "Bearer " + forged)), 401, "InvalidAuthenticationToken");
            string header = "{\"alg\":\"none\"," + Encoding.UTF8.GetString(Base64Url.Decode(parts[0])).Substring(1);
            Rejected(await Door.GetAsync("/organization", ("Authorization", "Bearer " + Base64Url.Encode(header) + "." + parts[1] + "." + parts[2])), 401, "InvalidAuthenticationToken");
        }

        /// <summary>The token with one claim replaced by raw JSON <paramref name="json"/>, signed again with the tenant's own key.</summary>
        private string Resign(string token, string claim, string json)
        {
            var parts = token.Split('.');
            var header = JsonNode.Parse(Base64Url.Decode(parts[0]))!.AsObject();
            var payload = JsonNode.Parse(Base64Url.Decode(parts[1]))!.AsObject();
            payload[claim] = JsonNode.Parse(json);
            return Jwt.Create(header, payload, Tenant.Store.SigningKey.Sign);
        }
    }
}
