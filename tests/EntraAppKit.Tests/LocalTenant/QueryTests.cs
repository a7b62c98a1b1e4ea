using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// OData query options through both front doors: $filter (eq, and, startswith), $select, $top bounds, paging by
    /// @odata.nextLink, the default page size, and $count / /$count with ConsistencyLevel: eventual (learn.microsoft.com/graph/paging,
    /// learn.microsoft.com/graph/aad-advanced-queries).
    /// </summary>
    public abstract class QueryTests : DoorTests
    {
        protected QueryTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : QueryTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : QueryTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private const string RawCountMessage = "Raw count (/$count) is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information";
        private const string CountMessage = "Count (?$count=true) is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information";

        /// <summary>Creates <paramref name="count"/> apps named "{prefix}-{i:000}" and returns their ids.</summary>
        private async Task<List<string>> CreateManyAsync(string prefix, int count)
        {
            var ids = new List<string>();
            for (int i = 0; i < count; i++)
                ids.Add((string)(await CreateAppAsync(new JsonObject { ["displayName"] = $"{prefix}-{i:000}" }))["id"]!);
            return ids;
        }

        /// <summary>Follows @odata.nextLink verbatim until it is gone; returns the pages.</summary>
        private async Task<List<JsonObject>> AllPagesAsync(string first, params (string, string?)[] headers)
        {
            var pages = new List<JsonObject>();
            string? next = first;
            while (next != null)
            {
                var page = Ok(await Door.GetAsync(next, headers));
                pages.Add(page);
                next = (string?)page["@odata.nextLink"];
                if (next != null) Assert.StartsWith(Root + "/applications?", next);
                Assert.True(pages.Count < 50, "nextLink never ends");
            }
            return pages;
        }

        // ----- $filter -----

        [Fact]
        public async Task Filter_eq_on_appId_displayName_and_uniqueName()
        {
            // learn.microsoft.com/graph/permissions-grant-via-msgraph, learn.microsoft.com/graph/api/application-upsert: existence checks by appId and uniqueName
            string unique = Unique("filter");
            var app = await CreateAppAsync(new JsonObject { ["displayName"] = unique, ["uniqueName"] = unique + "-u" });
            await CreateAppAsync(new JsonObject { ["displayName"] = unique + "-other" });
            foreach (var filter in new[] { $"appId eq '{app["appId"]}'", $"displayName eq '{unique}'", $"uniqueName eq '{unique}-u'", $"id eq '{app["id"]}'" })
            {
                var list = Ok(await Door.GetAsync($"/applications?$filter={filter}"));
                Assert.Equal(Root + "/$metadata#applications", (string?)list["@odata.context"]);
                Assert.Equal((string?)app["id"], (string?)Assert.Single(Items(list))["id"]);
            }
            Assert.Empty(Items(Ok(await Door.GetAsync($"/applications?$filter=appId eq '{Guid.NewGuid()}'"))));
        }

        [Fact]
        public async Task Filter_and_with_startswith()
        {
            string prefix = Unique("sw");
            await CreateAppAsync(new JsonObject { ["displayName"] = prefix + "-alpha", ["signInAudience"] = "AzureADMyOrg" });
            var multi = await CreateAppAsync(new JsonObject { ["displayName"] = prefix + "-beta", ["signInAudience"] = "AzureADMultipleOrgs" });
            await CreateAppAsync(new JsonObject { ["displayName"] = "x" + prefix });

            var starts = Items(Ok(await Door.GetAsync($"/applications?$filter=startswith(displayName,'{prefix}')")));
            Assert.Equal(new[] { prefix + "-alpha", prefix + "-beta" }, starts.Select(a => (string)a["displayName"]!).OrderBy(n => n));

            var both = Items(Ok(await Door.GetAsync($"/applications?$filter=startswith(displayName,'{prefix}') and signInAudience eq 'AzureADMultipleOrgs'")));
            Assert.Equal((string?)multi["id"], (string?)Assert.Single(both)["id"]);
        }

        [Fact]
        public async Task Filter_on_an_unsupported_property_is_400_Request_UnsupportedQuery()
        {
            Error(await Door.GetAsync("/applications?$filter=foo eq 'x'"), 400, "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property 'foo' of resource 'Application'.");
            Error(await Door.GetAsync("/applications?$filter=identifierUris eq 'api://x'"), 400, "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property 'identifierUris' of resource 'Application'.");
            Error(await Door.GetAsync("/oauth2PermissionGrants?$filter=bar eq 'x'"), 400, "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property 'bar' of resource 'OAuth2PermissionGrant'.");
            Error(await Door.GetAsync("/servicePrincipals?$filter=startswith(nope,'x')"), 400, "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property 'nope' of resource 'ServicePrincipal'.");
        }

        [Fact]
        public async Task Filter_syntax_errors_are_400()
        {
            Error(await Door.GetAsync("/applications?$filter=displayName eq"), 400, "BadRequest");
            Error(await Door.GetAsync("/applications?$filter=displayName gt 'a'"), 400, "Request_UnsupportedQuery", "Unsupported query operator 'gt'.");
        }

        // learn.microsoft.com/graph/filter-query-parameter, "Filter using lambda operators": any over a string collection with
        // eq or startswith. Azure CLI sends these: az ad sp show --id <appId or SPN> (servicePrincipalNames/any(c:c eq '…')),
        // az ad app show --id api://… (identifierUris/any(s:s eq '…')).
        [Fact]
        public async Task Filter_any_over_servicePrincipalNames_identifierUris_and_tags()
        {
            string tag = Unique("tag");
            var app = await CreateAppAsync(new JsonObject { ["tags"] = new JsonArray(tag, "other") });
            string appId = (string)app["appId"]!;
            string uri = "api://" + appId;
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["identifierUris"] = new JsonArray(uri) }));
            var sp = await CreateSpAsync(appId);
            await CreateAppAsync(new JsonObject { ["tags"] = new JsonArray(tag + "-longer") });

            string Only(JsonObject list) => (string)Assert.Single(Items(list))["id"]!;
            Assert.Equal((string?)sp["id"], Only(Ok(await Door.GetAsync($"/servicePrincipals?$filter=servicePrincipalNames/any(c:c eq '{appId}')"))));
            Assert.Equal((string?)sp["id"], Only(Ok(await Door.GetAsync($"/servicePrincipals?$filter=servicePrincipalNames/any(c:c eq '{uri.ToUpperInvariant()}')"))));
            Assert.Equal((string?)app["id"], Only(Ok(await Door.GetAsync($"/applications?$filter=identifierUris/any(x:x eq '{uri}')"))));
            Assert.Equal((string?)app["id"], Only(Ok(await Door.GetAsync($"/applications?$filter=tags/any(t: t eq '{tag}')"))));
            Assert.Equal(2, Items(Ok(await Door.GetAsync($"/applications?$filter=tags/any(t:startswith(t, '{tag}'))"))).Count);
            Assert.Equal((string?)sp["id"], Only(Ok(await Door.GetAsync($"/servicePrincipals?$filter=servicePrincipalNames/any(c:startswith(c,'api://{appId}')) and appId eq '{appId}'"))));
            Assert.Empty(Items(Ok(await Door.GetAsync($"/applications?$filter=identifierUris/any(x:x eq 'api://{Guid.NewGuid()}')"))));
        }

        [Fact]
        public async Task Filter_lambda_forms_Graph_does_not_take_are_refused()
        {
            // No application or servicePrincipal property lists "all" among its $filter operators (learn.microsoft.com/graph/api/resources/application,
            // learn.microsoft.com/graph/api/resources/serviceprincipal), nor a lambda over a non-collection or a complex collection.
            Error(await Door.GetAsync("/applications?$filter=tags/all(t:t eq 'x')"), 400, "Request_UnsupportedQuery", "Unsupported Query.");
            Error(await Door.GetAsync("/applications?$filter=displayName/any(t:t eq 'x')"), 400, "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'Application'.");
            Error(await Door.GetAsync("/applications?$filter=appRoles/any(t:t eq 'x')"), 400, "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified for property 'appRoles' of resource 'Application'.");
            Error(await Door.GetAsync("/servicePrincipals?$filter=tags/any(t:t gt 'x')"), 400, "Request_UnsupportedQuery", "Unsupported query operator 'gt'.");
            // Syntax: the body must use its own range variable, and the lambda must close.
            Error(await Door.GetAsync("/applications?$filter=tags/any(t:u eq 'x')"), 400, "BadRequest");
            Error(await Door.GetAsync("/applications?$filter=tags/any(t:t eq 'x'"), 400, "BadRequest");
            Error(await Door.GetAsync("/applications?$filter=tags/some(t:t eq 'x')"), 400, "BadRequest");
        }

        [Fact]
        public async Task Filter_lambda_inside_deep_parentheses_keeps_the_depth_limit()
        {
            string lambda = "tags/any(t:t eq 'x')";
            string ok = new string('(', 10) + lambda + new string(')', 10);
            Ok(await Door.GetAsync("/applications?$filter=" + Uri.EscapeDataString(ok)));
            int n = EntraAppKit.LocalTenant.Http.RequestLimits.MaxFilterDepth + 1;
            string deep = new string('(', n) + lambda + new string(')', n);
            Error(await Door.GetAsync("/applications?$filter=" + Uri.EscapeDataString(deep)), 400, "BadRequest");
        }

        // ----- $select -----

        [Fact]
        public async Task Select_returns_only_the_selected_properties_and_says_so_in_the_context()
        {
            var app = await CreateAppAsync();
            var list = Ok(await Door.GetAsync($"/applications?$filter=id eq '{app["id"]}'&$select=id,displayName"));
            Assert.Equal(Root + "/$metadata#applications(id,displayName)", (string?)list["@odata.context"]);
            Assert.Equal(new[] { "id", "displayName" }, Assert.Single(Items(list)).Select(kv => kv.Key));

            var one = Ok(await Door.GetAsync($"/applications/{app["id"]}?$select=appId,signInAudience"));
            Assert.Equal(Root + "/$metadata#applications(appId,signInAudience)/$entity", (string?)one["@odata.context"]);
            Assert.Equal(new[] { "@odata.context", "appId", "signInAudience" }, one.Select(kv => kv.Key));
            Assert.Equal((string?)app["appId"], (string?)one["appId"]);
        }

        [Fact]
        public async Task Select_of_an_unknown_property_is_400_Request_UnsupportedQuery()
        {
            var app = await CreateAppAsync();
            const string message = "Property 'x' does not exist as a declared property or extension property.";
            Error(await Door.GetAsync("/applications?$select=id,x"), 400, "Request_UnsupportedQuery", message);
            Error(await Door.GetAsync($"/applications/{app["id"]}?$select=x"), 400, "Request_UnsupportedQuery", message);
            Error(await Door.GetAsync("/servicePrincipals?$select=x"), 400, "Request_UnsupportedQuery", message);
        }

        // ----- $top and paging (learn.microsoft.com/graph/paging) -----

        [Theory]
        [InlineData("0")]
        [InlineData("1000")]
        [InlineData("-1")]
        [InlineData("ten")]
        public async Task Top_outside_1_to_999_is_400(string top)
        {
            // learn.microsoft.com/graph/paging: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
            Error(await Door.GetAsync($"/applications?$top={top}"), 400, "Request_BadRequest",
                $"Invalid page size specified: '{top}'. Must be between 1 and 999 inclusive.");
        }

        [Fact]
        public async Task Top_1_and_999_are_accepted()
        {
            // learn.microsoft.com/graph/errors
            await CreateManyAsync(Unique("top"), 2);
            var one = Ok(await Door.GetAsync("/applications?$top=1"));
            Assert.Single(Items(one));
            Assert.NotNull((string?)one["@odata.nextLink"]);
            Assert.False(Ok(await Door.GetAsync("/applications?$top=999")).ContainsKey("@odata.nextLink"));
        }

        [Fact]
        public async Task Paging_follows_nextLink_verbatim_until_exhausted()
        {
            // learn.microsoft.com/graph/paging: "follow @odata.nextLink verbatim"
            string prefix = Unique("page");
            var ids = await CreateManyAsync(prefix, 7);
            var pages = await AllPagesAsync($"/applications?$filter=startswith(displayName,'{prefix}')&$top=3");

            Assert.Equal(new[] { 3, 3, 1 }, pages.Select(p => Items(p).Count));
            Assert.All(pages, p => Assert.Equal(Root + "/$metadata#applications", (string?)p["@odata.context"]));
            var seen = pages.SelectMany(Items).Select(a => (string)a["id"]!).ToList();
            Assert.Equal(seen.Count, seen.Distinct().Count());
            Assert.Equal(ids.OrderBy(i => i), seen.OrderBy(i => i));
            Assert.False(pages.Last().ContainsKey("@odata.nextLink"));
        }

        [Fact]
        public async Task Directory_lists_default_to_100_per_page()
        {
            // learn.microsoft.com/graph/paging: "Directory lists default to 100 per page"
            string prefix = Unique("hundred");
            var ids = await CreateManyAsync(prefix, 101);
            var pages = await AllPagesAsync($"/applications?$filter=startswith(displayName,'{prefix}')");
            Assert.Equal(new[] { 100, 1 }, pages.Select(p => Items(p).Count));
            Assert.Equal(ids.OrderBy(i => i), pages.SelectMany(Items).Select(a => (string)a["id"]!).OrderBy(i => i));
        }

        [Fact]
        public async Task An_unreadable_skiptoken_is_400()
        {
            Error(await Door.GetAsync("/applications?$skiptoken=garbage"), 400, "Request_BadRequest",
                "The specified page token value has expired and can no longer be included in your request.");
        }

        // ----- $count (learn.microsoft.com/graph/aad-advanced-queries) -----

        [Fact]
        public async Task Count_true_needs_ConsistencyLevel_eventual()
        {
            // learn.microsoft.com/graph/aad-advanced-queries: "$count … need ConsistencyLevel: eventual, and that header isn't carried into nextLink requests automatically"
            string prefix = Unique("count");
            await CreateManyAsync(prefix, 4);
            string url = $"/applications?$filter=startswith(displayName,'{prefix}')&$count=true&$top=3";
            Error(await Door.GetAsync(url), 400, "Request_UnsupportedQuery", CountMessage);

            var pages = await AllPagesAsync(url, Eventual);
            Assert.Equal(2, pages.Count);
            Assert.All(pages, p => Assert.Equal(4, (int?)p["@odata.count"]));
            Assert.Equal(new[] { "@odata.context", "@odata.count", "@odata.nextLink", "value" }, pages[0].Select(kv => kv.Key));
            Error(await Door.GetAsync((string)pages[0]["@odata.nextLink"]!), 400, "Request_UnsupportedQuery", CountMessage);
        }

        [Fact]
        public async Task Raw_count_needs_ConsistencyLevel_eventual()
        {
            // learn.microsoft.com/graph/errors
            await CreateManyAsync(Unique("raw"), 2);
            var error = Error(await Door.GetAsync("/applications/$count"), 400, "Request_UnsupportedQuery", RawCountMessage);
            Assert.StartsWith("Raw count (/$count) is not supported because the 'ConsistencyLevel:eventual' header is missing.", (string?)error["message"]);

            var all = Items(Ok(await Door.GetAsync("/applications?$top=999&$select=id")));
            var count = await Door.GetAsync("/applications/$count", Eventual);
            Assert.Equal(200, count.Status);
            CorrelationHeaders(count);
            Assert.StartsWith("text/plain", count.Header("Content-Type"));
            Assert.Equal(all.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), count.Text);

            var sps = await Door.GetAsync("/servicePrincipals/$count", Eventual);
            Assert.Equal(200, sps.Status);
            Assert.True(int.Parse(sps.Text, System.Globalization.CultureInfo.InvariantCulture) >= 1); // at least Microsoft Graph's
            Error(await Door.GetAsync("/servicePrincipals/$count"), 400, "Request_UnsupportedQuery", RawCountMessage);
        }
    }
}
