using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 10, point 12: absolute URLs the tenant answers with are built on its own base (the in-process handler's request URI,
    /// the server's listening address), never on a Host or forwarding header a client can forge. Graph's nextLink is to be
    /// followed verbatim (learn.microsoft.com/graph/paging), so a forged host there would send the client's token elsewhere.
    /// </summary>
    public abstract class HostHeaderTests : DoorTests
    {
        protected HostHeaderTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : HostHeaderTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : HostHeaderTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        public static TheoryData<string, string> Forgeries => new TheoryData<string, string>
        {
            { "Host", "evil.example" },
            { "Host", "evil.example:443" },
            { "X-Forwarded-Host", "evil.example" },
            { "Forwarded", "host=evil.example;proto=https" },
            { "X-Original-Host", "evil.example" },
        };

        private string Authority => new Uri(Root).GetLeftPart(UriPartial.Authority);

        [Theory]
        [MemberData(nameof(Forgeries))]
        public async Task A_forged_host_changes_no_nextLink(string header, string value)
        {
            // learn.microsoft.com/graph/paging: @odata.nextLink is a full URL to the next page.
            await CreateAppAsync();
            await CreateAppAsync();
            var page = Ok(await Door.GetAsync("/applications?$top=1", (header, value)));
            string next = (string)page["@odata.nextLink"]!;
            Assert.StartsWith(Root + "/applications?", next);
            Assert.DoesNotContain("evil", next);
            Assert.Single(Items(Ok(await Door.GetAsync(next))));
        }

        [Theory]
        [MemberData(nameof(Forgeries))]
        public async Task A_forged_host_changes_no_context_URL(string header, string value)
        {
            // learn.microsoft.com/graph/api/application-post-applications: @odata.context on the created object.
            var created = Ok(await Door.PostAsync("/applications", new { displayName = Unique("ctx"), signInAudience = "AzureADMyOrg" }, (header, value)), 201);
            Assert.Equal(Root + "/$metadata#applications/$entity", (string?)created["@odata.context"]);
            Assert.Equal(Root + "/$metadata#organization", (string?)Ok(await Door.GetAsync("/organization", (header, value)))["@odata.context"]);
            var secret = Ok(await Door.PostAsync($"/applications/{created["id"]}/addPassword", new { passwordCredential = new { displayName = "s" } }, (header, value)));
            Assert.Equal(Root + "/$metadata#microsoft.graph.passwordCredential", (string?)secret["@odata.context"]);
        }

        [Theory]
        [MemberData(nameof(Forgeries))]
        public async Task A_forged_host_changes_no_URL_inside_a_batch(string header, string value)
        {
            // learn.microsoft.com/graph/json-batching
            var batch = new JsonObject { ["requests"] = new JsonArray(new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "/organization" }) };
            var item = Ok(await Door.PostAsync("/$batch", batch, (header, value)))["responses"]![0]!;
            Assert.Equal(Root + "/$metadata#organization", (string?)item["body"]!["@odata.context"]);
        }

        [Theory]
        [MemberData(nameof(Forgeries))]
        public async Task A_forged_host_changes_no_discovery_endpoint(string header, string value)
        {
            // learn.microsoft.com/entra/identity-platform/v2-protocols-oidc: the document names the token and key endpoints.
            var call = await Door.GetAsync($"{Authority}/{Tenant.TenantId}/v2.0/.well-known/openid-configuration", (header, value));
            Assert.True(call.Status == 200, call.ToString());
            var doc = call.Json;
            Assert.Equal($"{Authority}/{Tenant.TenantId}/oauth2/v2.0/token", (string?)doc["token_endpoint"]);
            Assert.StartsWith(Authority + "/", (string?)doc["jwks_uri"]);
        }
    }
}
