using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 11, point 2: AAD instance discovery, GET /common/discovery/instance?api-version=1.1&amp;authorization_endpoint=…
    /// (learn.microsoft.com/entra/msal/dotnet/advanced/instance-discovery: "preferred_network", "preferred_cache", aliases;
    /// MSAL Python's msal/authority.py reads "tenant_discovery_endpoint" and refuses on "invalid_instance", asking with
    /// api-version 1.0). The answer points at the server itself, whatever host serves it.
    /// </summary>
    public abstract class InstanceDiscoveryTests : DoorTests
    {
        protected InstanceDiscoveryTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : InstanceDiscoveryTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : InstanceDiscoveryTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private string Origin => new Uri(Root).GetLeftPart(UriPartial.Authority);

        /// <summary>An identity endpoint's 200: Entra's correlation headers (x-ms-request-id), not Graph's request-id.</summary>
        private static JsonObject Answered(GraphCall call)
        {
            Assert.True(call.Status == 200, call.ToString());
            Assert.True(Guid.TryParse(call.Header("x-ms-request-id"), out _), call.ToString());
            return call.Json;
        }

        private Task<GraphCall> DiscoverAsync(string tenantSegment, string authorizationEndpoint, string apiVersion = "1.1") =>
            Door.GetAsync($"{Origin}/{tenantSegment}/discovery/instance?api-version={apiVersion}&authorization_endpoint={Uri.EscapeDataString(authorizationEndpoint)}");

        [Theory]
        [InlineData("1.1")]
        [InlineData("1.0")]
        public async Task The_answer_names_this_server_and_the_tenant_discovery_document_MSAL_reads_next(string apiVersion)
        {
            string tid = Tenant.TenantId;
            var doc = Answered(await DiscoverAsync("common", $"{Origin}/{tid}/oauth2/v2.0/authorize", apiVersion));
            string host = new Uri(Origin).Authority;
            Assert.Equal($"{Origin}/{tid}/v2.0/.well-known/openid-configuration", (string?)doc["tenant_discovery_endpoint"]);
            Assert.Equal("1.1", (string?)doc["api-version"]);
            var metadata = Assert.Single(doc["metadata"]!.AsArray())!.AsObject();
            Assert.Equal(host, (string?)metadata["preferred_network"]);
            Assert.Equal(host, (string?)metadata["preferred_cache"]);
            Assert.Equal(new[] { host }, Strings(metadata["aliases"]));

            // MSAL then reads that document: it is served, and its token endpoint is on the same host.
            var oidc = Answered(await Door.GetAsync((string)doc["tenant_discovery_endpoint"]!));
            Assert.Equal($"{Origin}/{tid}/oauth2/v2.0/token", (string?)oidc["token_endpoint"]);
        }

        [Fact]
        public async Task A_v1_authorize_endpoint_leads_to_the_v1_document_and_the_tenant_segment_is_kept()
        {
            var doc = Answered(await DiscoverAsync("organizations", $"{Origin}/{Tenant.InitialDomain}/oauth2/authorize"));
            Assert.Equal($"{Origin}/{Tenant.InitialDomain}/.well-known/openid-configuration", (string?)doc["tenant_discovery_endpoint"]);
            Answered(await Door.GetAsync((string)doc["tenant_discovery_endpoint"]!));
        }

        [Fact]
        public async Task Microsofts_own_host_gets_Microsofts_cloud_alias_groups_as_Entra_answers_them()
        {
            // MSAL Python (msal/application.py, _get_authority_aliases) asks exactly this before reading its token cache, whatever
            // authority it was given; az reaches the local tenant for it through a hosts entry. The expected body is the one
            // login.microsoftonline.com answered in Azure SDK for JavaScript test recordings (nock: GET /common/discovery/instance).
            var doc = Answered(await DiscoverAsync("common", "https://login.microsoftonline.com/common/oauth2/authorize"));
            Assert.Equal("https://login.microsoftonline.com/common/.well-known/openid-configuration", (string?)doc["tenant_discovery_endpoint"]);
            Assert.Equal("1.1", (string?)doc["api-version"]);
            Assert.Equal(
                "[{\"preferred_network\":\"login.microsoftonline.com\",\"preferred_cache\":\"login.windows.net\",\"aliases\":[\"login.microsoftonline.com\",\"login.windows.net\",\"login.microsoft.com\",\"sts.windows.net\"]}," +
                "{\"preferred_network\":\"login.partner.microsoftonline.cn\",\"preferred_cache\":\"login.partner.microsoftonline.cn\",\"aliases\":[\"login.partner.microsoftonline.cn\",\"login.chinacloudapi.cn\"]}," +
                "{\"preferred_network\":\"login.microsoftonline.de\",\"preferred_cache\":\"login.microsoftonline.de\",\"aliases\":[\"login.microsoftonline.de\"]}," +
                "{\"preferred_network\":\"login.microsoftonline.us\",\"preferred_cache\":\"login.microsoftonline.us\",\"aliases\":[\"login.microsoftonline.us\",\"login.usgovcloudapi.net\"]}," +
                "{\"preferred_network\":\"login-us.microsoftonline.com\",\"preferred_cache\":\"login-us.microsoftonline.com\",\"aliases\":[\"login-us.microsoftonline.com\"]}]",
                doc["metadata"]!.ToJsonString());

            // A v2 endpoint on another of Microsoft's hosts keeps its host and tenant.
            var v2 = Answered(await DiscoverAsync("common", "https://login.windows.net/contoso.com/oauth2/v2.0/authorize"));
            Assert.Equal("https://login.windows.net/contoso.com/v2.0/.well-known/openid-configuration", (string?)v2["tenant_discovery_endpoint"]);

            // Only Microsoft's https hosts on their default port: a look-alike is still an unknown instance.
            Assert.Equal(400, (await DiscoverAsync("common", "http://login.microsoftonline.com/common/oauth2/authorize")).Status);
            Assert.Equal(400, (await DiscoverAsync("common", "https://login.microsoftonline.com.evil.example/common/oauth2/authorize")).Status);
        }

        [Fact]
        public async Task Another_host_is_an_invalid_instance()
        {
            // What Entra answers for an authority it does not serve (AADSTS50049); MSAL Python raises on error == "invalid_instance".
            var call = await DiscoverAsync("common", "https://evil.example/common/oauth2/v2.0/authorize");
            Assert.Equal(400, call.Status);
            Assert.Equal("invalid_instance", (string?)call.Json["error"]);
            Assert.StartsWith("AADSTS50049: Unknown or invalid instance.", (string?)call.Json["error_description"]);
            Assert.Equal(new[] { 50049 }, call.Json["error_codes"]!.AsArray().Select(c => (int)c!));
        }

        [Fact]
        public async Task Without_an_authorization_endpoint_it_is_a_missing_parameter()
        {
            var call = await Door.GetAsync($"{Origin}/common/discovery/instance?api-version=1.1");
            Assert.Equal(400, call.Status);
            Assert.Equal("invalid_request", (string?)call.Json["error"]);
            Assert.Contains("'authorization_endpoint'", (string?)call.Json["error_description"]);
        }

        [Fact]
        public async Task It_is_answered_as_an_identity_endpoint_not_as_Graph()
        {
            // Before issue 11 this path fell through to Graph and answered Graph's 401 or 400 "Invalid version".
            var call = await DiscoverAsync("common", $"{Origin}/common/oauth2/v2.0/authorize");
            Assert.Equal(200, call.Status);
            Assert.Null(call.Json["error"]);
            Assert.NotNull(call.Header("x-ms-request-id"));
        }
    }
}
