using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Client secrets through both front doors: POST /applications/{id}/addPassword and /removePassword, the one-time
    /// secretText, the hint, the default two-year lifetime and the two-secret cap of personal audiences
    /// (learn.microsoft.com/graph/api/application-addpassword, learn.microsoft.com/entra/identity-platform/supported-accounts-validation).
    /// </summary>
    public abstract class PasswordCredentialTests : DoorTests
    {
        protected PasswordCredentialTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : PasswordCredentialTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : PasswordCredentialTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

        private async Task<JsonObject> AddPasswordAsync(string id, object? credential = null) =>
            Ok(await Door.PostAsync($"/applications/{id}/addPassword", new { passwordCredential = credential ?? new { displayName = "test" } }));

        [Fact]
        public async Task AddPassword_returns_secretText_once_and_GET_shows_only_the_hint()
        {
            // learn.microsoft.com/graph/api/application-addpassword
            var app = await CreateAppAsync();
            var before = Door.Clock.Now();
            var cred = await AddPasswordAsync((string)app["id"]!, new { displayName = "rewst" });

            Assert.Equal(Root + "/$metadata#microsoft.graph.passwordCredential", (string?)cred["@odata.context"]);
            Assert.Equal(
                new[] { "@odata.context", "customKeyIdentifier", "displayName", "endDateTime", "hint", "keyId", "secretText", "startDateTime" },
                cred.Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
            string secret = (string)cred["secretText"]!;
            Assert.InRange(secret.Length, 16, 64);
            Assert.Equal(secret.Substring(0, 3), (string?)cred["hint"]);
            string keyId = GuidOf(cred["keyId"]);
            Assert.Equal("rewst", (string?)cred["displayName"]);
            var start = Time(cred["startDateTime"]);
            Assert.InRange(start, before.AddSeconds(-5), Door.Clock.Now().AddSeconds(5));
            Assert.Equal(start.AddYears(2), Time(cred["endDateTime"])); // default endDateTime = start + 2 years

            var fetched = await Door.GetAsync($"/applications/{app["id"]}");
            Assert.DoesNotContain(secret, fetched.Text);
            var stored = Assert.Single(Ok(fetched)["passwordCredentials"]!.AsArray())!;
            Assert.Equal(keyId, (string?)stored["keyId"]);
            Assert.Equal(secret.Substring(0, 3), (string?)stored["hint"]);
            Assert.True(stored.AsObject().ContainsKey("secretText"));
            Assert.Null(stored["secretText"]);
            Assert.Equal((string?)cred["endDateTime"], (string?)stored["endDateTime"]);
            Assert.Equal("rewst", (string?)stored["displayName"]);

            Assert.True(Tenant.VerifyClientSecret((string)app["appId"]!, secret));
            Assert.False(Tenant.VerifyClientSecret((string)app["appId"]!, secret + "x"));
        }

        [Fact]
        public async Task The_newest_secret_is_listed_first()
        {
            // Azure CLI's recording against graph.microsoft.com, Azure/azure-cli
            // src/azure-cli/azure/cli/command_modules/role/tests/latest/recordings/test_app_credential.yaml: addPassword key1
            // ("startDateTime": "2022-05-07T06:52:43Z"), then key2 ("2022-05-07T06:52:46Z"), and the next GET answers
            // "passwordCredentials":[{…"displayName":"key2"…"startDateTime":"2022-05-07T06:52:46Z"},{…"displayName":"key1"…}].
            // Its test_graph.py (_test_credential) checks [0].displayName 'key2', [1] 'key1': "Graph API reverses the order of insertion".
            var app = await CreateAppAsync();
            string id = (string)app["id"]!;
            // key1 ends later than key2, as in the recording: the order is the order of adding, not of any date.
            await AddPasswordAsync(id, new { displayName = "key1", endDateTime = "2099-01-01T00:00:00Z" });
            await AddPasswordAsync(id, new { displayName = "key2", endDateTime = "2098-01-01T00:00:00Z" });
            await AddPasswordAsync(id, new { displayName = "key3", endDateTime = "2097-01-01T00:00:00Z" });
            var names = Ok(await Door.GetAsync($"/applications/{id}"))["passwordCredentials"]!.AsArray().Select(p => (string?)p!["displayName"]);
            Assert.Equal(new[] { "key3", "key2", "key1" }, names);
        }

        [Fact]
        public async Task AddPassword_echoes_the_times_the_client_sent()
        {
            // Graph answers addPassword {"startDateTime":"2021-04-20T00:00:00Z","endDateTime":"2299-12-31T23:59:59Z"} with those
            // same strings (Microsoft's Japan identity support blog, jpazureid: "出力例" of POST /v1.0/applications/{id}/addPassword),
            // while a start it picks itself has seven fractional digits ("2026-03-12T23:17:19.5583321Z" beside a sent
            // "2026-08-05T23:59:59Z" end). learn.microsoft.com/graph/api/application-addpassword.
            var app = await CreateAppAsync();
            var cred = await AddPasswordAsync((string)app["id"]!, new { displayName = "key 1", startDateTime = "2021-04-20T00:00:00Z", endDateTime = "2299-12-31T23:59:59Z" });
            Assert.Equal("2021-04-20T00:00:00Z", (string?)cred["startDateTime"]);
            Assert.Equal("2299-12-31T23:59:59Z", (string?)cred["endDateTime"]);
            var stored = Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray().Single()!;
            Assert.Equal("2021-04-20T00:00:00Z", (string?)stored["startDateTime"]);
            Assert.Equal("2299-12-31T23:59:59Z", (string?)stored["endDateTime"]);

            var fraction = await AddPasswordAsync((string)app["id"]!, new { endDateTime = "2030-01-01T00:00:00.5Z" });
            Assert.Equal("2030-01-01T00:00:00.5Z", (string?)fraction["endDateTime"]);
        }

        [Fact]
        public async Task AddPassword_by_appId_honours_the_requested_endDateTime()
        {
            // learn.microsoft.com/graph/api/application-addpassword: POST /applications(appId='{appId}')/addPassword
            var app = await CreateAppAsync();
            var end = Door.Clock.Now().AddMonths(12);
            string endText = end.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var cred = Ok(await Door.PostAsync($"/applications(appId='{app["appId"]}')/addPassword",
                new { passwordCredential = new { displayName = "CMG", endDateTime = endText } }));
            Assert.Equal(Time(endText), Time(cred["endDateTime"]));
            Assert.True(Tenant.VerifyClientSecret((string)app["appId"]!, (string)cred["secretText"]!));
        }

        [Fact]
        public async Task AddPassword_on_an_unknown_application_is_404()
        {
            // learn.microsoft.com/graph/errors
            string id = Guid.NewGuid().ToString();
            Error(await Door.PostAsync($"/applications/{id}/addPassword", new { passwordCredential = new { } }), 404, "Request_ResourceNotFound",
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
        }

        [Fact]
        public async Task AddPassword_rejects_bad_bodies()
        {
            var app = await CreateAppAsync();
            string path = $"/applications/{app["id"]}/addPassword";
            Error(await Door.PostAsync(path, new { passwordCredential = new { startDateTime = "2030-01-02T00:00:00Z", endDateTime = "2030-01-01T00:00:00Z" } }),
                400, "Request_BadRequest", "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.");
            Error(await Door.PostAsync(path, new { passwordCredential = new { secretText = "mine-mine-mine-mine" } }),
                400, "Request_BadRequest", "Property 'secretText' is read-only and cannot be set.");
            Error(await Door.PostAsync(path, new { credential = new { } }),
                400, "Request_BadRequest", "Property 'credential' does not exist as a declared property or extension property.");
            Error(await Door.PostAsync(path, new { passwordCredential = new { bogus = 1 } }),
                400, "Request_BadRequest", "Property 'bogus' does not exist as a declared property or extension property.");
            Assert.Empty(Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray());
        }

        [Fact]
        public async Task RemovePassword_returns_204_and_the_secret_stops_working()
        {
            // learn.microsoft.com/graph/api/application-addpassword
            var app = await CreateAppAsync();
            var keep = await AddPasswordAsync((string)app["id"]!);
            var drop = await AddPasswordAsync((string)app["id"]!);
            NoContent(await Door.PostAsync($"/applications/{app["id"]}/removePassword", new { keyId = (string)drop["keyId"]! }));

            var creds = Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray();
            Assert.Equal((string?)keep["keyId"], (string?)Assert.Single(creds)!["keyId"]);
            Assert.False(Tenant.VerifyClientSecret((string)app["appId"]!, (string)drop["secretText"]!));
            Assert.True(Tenant.VerifyClientSecret((string)app["appId"]!, (string)keep["secretText"]!));
        }

        [Fact]
        public async Task RemovePassword_with_an_unknown_or_malformed_keyId_is_400()
        {
            var app = await CreateAppAsync();
            string unknown = Guid.NewGuid().ToString();
            Error(await Door.PostAsync($"/applications/{app["id"]}/removePassword", new { keyId = unknown }), 400, "Request_BadRequest",
                $"No password credential found with keyId '{unknown}'.");
            Error(await Door.PostAsync($"/applications/{app["id"]}/removePassword", new { keyId = "nope" }), 400, "Request_BadRequest",
                "Invalid value specified for property 'keyId' of resource 'Application'.");
        }

        [Fact]
        public async Task Personal_audience_allows_two_secrets_and_rejects_a_third()
        {
            // learn.microsoft.com/entra/identity-platform/supported-accounts-validation: "Not allowed to add 3 passwords. You can only add a maximum of 2 passwords."
            var app = Ok(await Door.PostAsync("/applications", new { displayName = Unique("personal") }), 201); // default audience
            Assert.Equal("AzureADandPersonalMicrosoftAccount", (string?)app["signInAudience"]);
            string path = $"/applications/{app["id"]}/addPassword";
            var first = await AddPasswordAsync((string)app["id"]!);
            await AddPasswordAsync((string)app["id"]!);
            Error(await Door.PostAsync(path, new { passwordCredential = new { displayName = "third" } }), 400, "Request_BadRequest",
                "Not allowed to add 3 passwords. You can only add a maximum of 2 passwords.");
            Assert.Equal(2, Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray().Count);

            NoContent(await Door.PostAsync($"/applications/{app["id"]}/removePassword", new { keyId = (string)first["keyId"]! }));
            await AddPasswordAsync((string)app["id"]!);
        }

        [Fact]
        public async Task Work_and_school_audiences_have_no_two_secret_cap()
        {
            // learn.microsoft.com/entra/identity-platform/supported-accounts-validation: AzureADMyOrg and AzureADMultipleOrgs have "No limit*"
            foreach (var audience in new[] { "AzureADMyOrg", "AzureADMultipleOrgs" })
            {
                var app = await CreateAppAsync(new JsonObject { ["signInAudience"] = audience });
                for (int i = 0; i < 5; i++) await AddPasswordAsync((string)app["id"]!);
                Assert.Equal(5, Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray().Count);
            }
        }

        [Fact]
        public async Task An_expired_secret_no_longer_verifies()
        {
            var app = await CreateAppAsync();
            string end = Door.Clock.Now().AddDays(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var cred = await AddPasswordAsync((string)app["id"]!, new { endDateTime = end });
            Assert.True(Tenant.VerifyClientSecret((string)app["appId"]!, (string)cred["secretText"]!));
            Door.Clock.Advance(TimeSpan.FromDays(2));
            Assert.False(Tenant.VerifyClientSecret((string)app["appId"]!, (string)cred["secretText"]!));
        }
    }
}
