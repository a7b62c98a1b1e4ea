using System;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Http;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 10, points 8 and 11: every size and depth a client controls is bounded (RequestLimits), so one request can neither
    /// crash the tenant nor be stored beyond Graph's documented limits, and Graph's own limits answer with Graph's errors.
    /// </summary>
    public abstract class GraphLimitsTests : DoorTests
    {
        protected GraphLimitsTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : GraphLimitsTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : GraphLimitsTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static string Nested(int depth, string inner = "displayName eq 'x'") => new string('(', depth) + inner + new string(')', depth);

        private async Task<JsonObject> BatchItemAsync(string url)
        {
            var batch = new JsonObject { ["requests"] = new JsonArray(new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = url }) };
            var response = Ok(await Door.PostAsync("/$batch", batch))["responses"]![0]!.AsObject();
            string requestId = (string)response["headers"]!["request-id"]!;
            Assert.Equal(requestId, (string?)response["body"]?["error"]?["innerError"]?["request-id"] ?? requestId);
            Assert.Single(Tenant.RequestLog.Entries, e => e.RequestId == requestId && e.InBatch);
            return response;
        }

        // ----- Point 8: recursion and sizes -----

        [Fact]
        public async Task A_filter_of_100000_nested_parentheses_in_a_batch_is_that_items_414_and_the_tenant_keeps_serving()
        {
            var item = await BatchItemAsync("/applications?$filter=" + Nested(100_000));
            Assert.Equal(414, (int)item["status"]!);
            Assert.Equal("RequestUriTooLong", (string?)item["body"]!["error"]!["code"]);
            Ok(await Door.GetAsync("/organization"));
        }

        [Theory]
        [InlineData(RequestLimits.MaxFilterDepth + 1)]
        [InlineData(1000)]
        [InlineData(1300)]
        public async Task A_filter_nested_deeper_than_the_limit_is_a_400_directly_and_in_a_batch(int depth)
        {
            string url = "/applications?$filter=" + Uri.EscapeDataString(Nested(depth));
            Rejected(await Door.GetAsync(url), 400, "BadRequest");
            var item = await BatchItemAsync(url);
            Assert.Equal(400, (int)item["status"]!);
            Assert.StartsWith("Invalid filter clause: The recursion limit has been exceeded", (string?)item["body"]!["error"]!["message"]);
        }

        [Fact]
        public async Task Not_and_parentheses_count_toward_the_same_depth()
        {
            string nots = string.Concat(Enumerable.Repeat("not ", RequestLimits.MaxFilterDepth + 1)) + "displayName eq 'x'";
            Rejected(await Door.GetAsync("/applications?$filter=" + Uri.EscapeDataString(nots)), 400, "BadRequest");
            string mixed = string.Concat(Enumerable.Repeat("not (", 60)) + "displayName eq 'x'" + new string(')', 60);
            Rejected(await Door.GetAsync("/applications?$filter=" + Uri.EscapeDataString(mixed)), 400, "BadRequest");
        }

        [Fact]
        public async Task A_filter_at_the_depth_limit_is_answered()
        {
            var app = await CreateAppAsync();
            var list = Ok(await Door.GetAsync("/applications?$filter=" + Uri.EscapeDataString(Nested(RequestLimits.MaxFilterDepth, $"id eq '{app["id"]}'"))));
            Assert.Equal((string?)app["id"], (string?)Items(list).Single()["id"]);
        }

        [Theory]
        [InlineData(RequestLimits.MaxJsonDepth + 1)]
        [InlineData(10_000)]
        [InlineData(100_000)]
        public async Task JSON_nested_deeper_than_the_limit_is_a_400(int depth)
        {
            string deep = new string('[', depth) + new string(']', depth);
            Rejected(await Door.PostAsync("/applications", $"{{\"displayName\":\"d\",\"tags\":{deep}}}"), 400, "Request_BadRequest");
            Rejected(await Door.PostAsync("/$batch", $"{{\"requests\":[{{\"id\":\"1\",\"method\":\"POST\",\"url\":\"/applications\",\"body\":{deep}}}]}}"), 400, "BadRequest");
        }

        [Theory]
        [InlineData(RequestLimits.MaxUrlLength + 1)]
        [InlineData(20_000)]
        public async Task A_url_longer_than_the_limit_is_a_414_directly_and_as_a_batch_item(int length)
        {
            string url = "/applications?$filter=displayName eq '" + new string('a', length) + "'";
            Rejected(await Door.GetAsync(url), 414, "RequestUriTooLong");
            Assert.Equal(414, (int)(await BatchItemAsync(url))["status"]!);
        }

        [Fact]
        public async Task A_body_over_4_MB_is_a_413_and_stores_nothing()
        {
            // learn.microsoft.com/graph/use-the-api: "Write requests in Microsoft Graph API have a size limit of 4 MB."
            int before = Tenant.Store.Applications.Count();
            string notes = new string('n', RequestLimits.MaxBodyBytes);
            Rejected(await Door.PostAsync("/applications", new { displayName = "big", signInAudience = "AzureADMyOrg", notes }), 413, "RequestEntityTooLarge",
                "The request size exceeds the maximum limit.");
            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new { notes }), 413, "RequestEntityTooLarge");
            Rejected(await Door.PostAsync("/$batch", new string(' ', RequestLimits.MaxBodyBytes + 1)), 413, "RequestEntityTooLarge");
            Assert.Equal(before + 1, Tenant.Store.Applications.Count());
        }

        [Fact]
        public async Task Headers_over_the_limit_are_a_431()
        {
            Rejected(await Door.GetAsync("/organization", ("X-Padding", new string('p', RequestLimits.MaxHeaderBytes))), 431, "RequestHeaderFieldsTooLarge");
            Ok(await Door.GetAsync("/organization", ("X-Padding", new string('p', 1000))));
        }

        // ----- Point 11: Graph's documented limits -----

        [Theory]
        [InlineData(RequestLimits.MaxApplicationCollectionEntries + 1)]
        [InlineData(5000)]
        [InlineData(873_813)]
        public async Task More_collection_entries_than_the_manifest_limit_are_a_400(int tags)
        {
            // learn.microsoft.com/entra/identity-platform/reference-app-manifest (Manifest limits): at most 1200 entries in all collections.
            const string message = "The size of the manifest has exceeded its limit. Please reduce the number of values and retry your request.";
            string json = $"{{\"displayName\":\"tagged\",\"signInAudience\":\"AzureADMyOrg\",\"tags\":[{string.Join(",", Enumerable.Repeat("\"x\"", tags))}]}}";
            int before = Tenant.Store.Applications.Count();
            Rejected(await Door.PostAsync("/applications", json), 400, "Request_BadRequest", message);
            Assert.Equal(before, Tenant.Store.Applications.Count());
            var app = await CreateAppAsync();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", $"{{\"tags\":[{string.Join(",", Enumerable.Repeat("\"x\"", tags))}]}}"), 400, "Request_BadRequest", message);
            Assert.Empty(Ok(await Door.GetAsync($"/applications/{app["id"]}"))["tags"]!.AsArray());
        }

        [Fact]
        public async Task Entries_count_over_all_collections_together()
        {
            // learn.microsoft.com/entra/identity-platform/reference-app-manifest: "in all the collections combined"
            var app = await CreateAppAsync();
            var tags = new JsonArray(Enumerable.Range(0, 700).Select(i => (JsonNode?)("t" + i)).ToArray());
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["tags"] = tags }));
            var redirects = new JsonArray(Enumerable.Range(0, 250).Select(i => (JsonNode?)$"https://r{i}.contoso.com/cb").ToArray());
            var uris = new JsonArray(Enumerable.Range(0, 251).Select(i => (JsonNode?)$"api://{Tenant.TenantId}/u{i}").ToArray());
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["web"] = new JsonObject { ["redirectUris"] = redirects } }));
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["identifierUris"] = uris }), 400, "Request_BadRequest");
        }

        [Theory]
        [InlineData("\"x\"")]
        [InlineData("42")]
        [InlineData("[]")]
        [InlineData("true")]
        public async Task A_passwordCredential_that_is_no_object_is_a_400(string value)
        {
            // learn.microsoft.com/graph/api/application-addpassword: the parameter is a passwordCredential object.
            var app = await CreateAppAsync();
            Rejected(await Door.PostAsync($"/applications/{app["id"]}/addPassword", $"{{\"passwordCredential\":{value}}}"), 400, "Request_BadRequest",
                "Invalid value specified for property 'passwordCredential' of resource 'Application'.");
            Assert.Empty(Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray());
        }

        [Theory]
        [InlineData("https://contoso.com/\u0000cb")]
        [InlineData("https://contoso.com/cb\u0001")]
        [InlineData("https://contoso.com/c\u007fb")]
        [InlineData("https://contoso.com/c\tb")]
        [InlineData("https://contoso.com/c\nb")]
        [InlineData("http://localhost/\u0085")]
        public async Task A_control_character_in_a_redirect_URI_is_a_400(string uri)
        {
            // learn.microsoft.com/entra/identity-platform/reply-url: redirect URIs are URIs, and RFC 3986 has no control characters.
            var app = await CreateAppAsync();
            foreach (var platform in new[] { "web", "spa", "publicClient" })
                Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { [platform] = new JsonObject { ["redirectUris"] = new JsonArray(uri) } }),
                    400, "Request_BadRequest", "Invalid value specified for property 'redirectUris' of resource 'Application'.");
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["identifierUris"] = new JsonArray($"api://{Tenant.TenantId}/x{uri.Substring(uri.Length - 3)}") }),
                400, "Request_BadRequest", "Invalid value specified for property 'identifierUris' of resource 'Application'.");
        }

        [Theory]
        [InlineData("/applications/%2F")]
        [InlineData("/applications/%2F%2F")]
        [InlineData("/applications/%2f")]
        [InlineData("/servicePrincipals/%2F")]
        public async Task An_escaped_slash_is_part_of_the_key_not_a_separator(string path)
        {
            // learn.microsoft.com/graph/api/application-get: GET /applications/{id} reads one object; "/" is no id.
            string key = Uri.UnescapeDataString(path.Substring(path.LastIndexOf('/') + 1));
            Rejected(await Door.GetAsync(path), 404, "Request_ResourceNotFound",
                $"Resource '{key}' does not exist or one of its queried reference-property objects are not present.");
        }

        [Theory]
        [InlineData("/applications?$filter=displayName eq 'a'&$filter=displayName eq 'b'", "$filter")]
        [InlineData("/applications?$top=1&$top=2", "$top")]
        [InlineData("/applications?$select=id&$select=displayName", "$select")]
        [InlineData("/applications?$top=5&$count=true&$count=true", "$count")]
        [InlineData("/organization?$select=id&$SELECT=id", "$SELECT")]
        public async Task A_repeated_query_option_is_a_400(string url, string option)
        {
            // learn.microsoft.com/graph/query-parameters: each system query option applies once.
            Rejected(await Door.GetAsync(url, Eventual), 400, "BadRequest",
                $"Query option '{option}' was specified more than once, but it must be specified at most once.");
        }

        [Theory]
        [InlineData("/applications?$foo=1", "$foo")]
        [InlineData("/applications?$top=1&$bar", "$bar")]
        [InlineData("/organization?$fitler=id eq 'x'", "$fitler")]
        [InlineData("/applications/00000000-0000-0000-0000-000000000000?$slect=id", "$slect")]
        public async Task An_unknown_system_query_option_is_a_400(string url, string option)
        {
            // learn.microsoft.com/graph/query-parameters lists the system query options; another '$' name is refused.
            Rejected(await Door.GetAsync(url), 400, "BadRequest", $"The query parameter '{option}' is not supported.");
        }

        [Fact]
        public async Task Custom_query_parameters_without_a_dollar_are_still_ignored()
        {
            Ok(await Door.GetAsync("/applications?$top=1&foo=1&foo=2"));
        }
    }
}
