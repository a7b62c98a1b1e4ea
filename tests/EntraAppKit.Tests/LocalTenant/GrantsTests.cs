using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Delegated admin consent through both front doors: GET/POST /oauth2PermissionGrants, GET/PATCH/DELETE
    /// /oauth2PermissionGrants/{id}, the existence-check filters and the duplicate error (learn.microsoft.com/graph/api/oauth2permissiongrant-post, learn.microsoft.com/graph/errors).
    /// </summary>
    public abstract class GrantsTests : DoorTests
    {
        protected GrantsTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : GrantsTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : GrantsTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static string NotFound(string id) => $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.";

        private async Task<(string Client, string Resource)> PairAsync()
        {
            var (_, sp) = await CreateAppWithSpAsync();
            return ((string)sp["id"]!, await GraphSpIdAsync());
        }

        [Fact]
        public async Task Post_creates_an_AllPrincipals_grant()
        {
            // learn.microsoft.com/graph/api/oauth2permissiongrant-post
            var (client, resource) = await PairAsync();
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants",
                new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read openid" }), 201);
            Assert.Equal(Root + "/$metadata#oauth2PermissionGrants/$entity", (string?)grant["@odata.context"]);
            Assert.False(string.IsNullOrEmpty((string?)grant["id"]));
            Assert.Equal(client, (string?)grant["clientId"]);
            Assert.Equal("AllPrincipals", (string?)grant["consentType"]);
            Assert.True(grant.ContainsKey("principalId"));
            Assert.Null(grant["principalId"]);
            Assert.Equal(resource, (string?)grant["resourceId"]);
            Assert.Equal("User.Read openid", (string?)grant["scope"]);

            var fetched = Ok(await Door.GetAsync($"/oauth2PermissionGrants/{grant["id"]}"));
            Assert.Equal(grant.ToJsonString(), fetched.ToJsonString());
        }

        [Fact]
        public async Task Existence_check_filters_find_the_grant()
        {
            // learn.microsoft.com/graph/api/oauth2permissiongrant-post: $filter=clientId eq '{c}' and consentType eq 'AllPrincipals'
            var (client, resource) = await PairAsync();
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read" }), 201);
            string id = (string)grant["id"]!;

            var list = Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{client}' and consentType eq 'AllPrincipals'"));
            Assert.Equal(Root + "/$metadata#oauth2PermissionGrants", (string?)list["@odata.context"]);
            Assert.Equal(id, (string?)Assert.Single(Items(list))["id"]);
            Assert.Equal(id, (string?)Assert.Single(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{client}' and resourceId eq '{resource}'"))))["id"]);
            Assert.Contains(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=resourceId eq '{resource}'&$top=999"))), g => (string?)g["id"] == id);
            Assert.Empty(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{client}' and consentType eq 'Principal'"))));
            Assert.Equal(id, (string?)Assert.Single(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{client}' and principalId eq null"))))["id"]);
        }

        [Fact]
        public async Task Principal_grants_need_a_principalId_and_filter_by_it()
        {
            // learn.microsoft.com/graph/api/oauth2permissiongrant-post: for AllPrincipals principalId is omitted or null
            var (client, resource) = await PairAsync();
            string user = Guid.NewGuid().ToString();
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "Principal", principalId = user, resourceId = resource, scope = "User.Read" }), 201);
            Assert.Equal(user, (string?)grant["principalId"]);
            Assert.Equal((string?)grant["id"], (string?)Assert.Single(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=principalId eq '{user}'"))))["id"]);

            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "Principal", resourceId = resource, scope = "User.Read" }),
                400, "Request_BadRequest", "Invalid value specified for property 'principalId' of resource 'OAuth2PermissionGrant'.");
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", principalId = user, resourceId = resource, scope = "User.Read" }),
                400, "Request_BadRequest", "Invalid value specified for property 'principalId' of resource 'OAuth2PermissionGrant'.");
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "Everyone", resourceId = resource, scope = "User.Read" }),
                400, "Request_BadRequest", "Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'.");
        }

        [Fact]
        public async Task A_duplicate_grant_is_400_Permission_entry_already_exists()
        {
            // learn.microsoft.com/graph/errors: "Permission entry already exists." (observed 400 Request_BadRequest)
            var (client, resource) = await PairAsync();
            var body = new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read" };
            Ok(await Door.PostAsync("/oauth2PermissionGrants", body), 201);
            Error(await Door.PostAsync("/oauth2PermissionGrants", body), 400, "Request_BadRequest", "Permission entry already exists.");
        }

        [Fact]
        public async Task Patch_changes_the_scope_only()
        {
            // learn.microsoft.com/graph/api/oauth2permissiongrant-post: "To add scopes later, PATCH /oauth2PermissionGrants/{id} {"scope":"…"}"
            var (client, resource) = await PairAsync();
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read" }), 201);
            string path = $"/oauth2PermissionGrants/{grant["id"]}";
            NoContent(await Door.PatchAsync(path, new { scope = "User.Read Directory.Read.All" }));
            Assert.Equal("User.Read Directory.Read.All", (string?)Ok(await Door.GetAsync(path))["scope"]);

            Error(await Door.PatchAsync(path, new { clientId = Guid.NewGuid().ToString() }), 400, "Request_BadRequest", "Property 'clientId' is read-only and cannot be set.");
            Error(await Door.PatchAsync(path, new { scope = new string('s', 3851) }), 400, "Request_BadRequest",
                "Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant'.");
            Error(await Door.PatchAsync(path, new { nope = 1 }), 400, "Request_BadRequest", "Property 'nope' does not exist as a declared property or extension property.");
        }

        [Fact]
        public async Task Delete_returns_204_then_404()
        {
            var (client, resource) = await PairAsync();
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read" }), 201);
            string id = (string)grant["id"]!;
            NoContent(await Door.DeleteAsync($"/oauth2PermissionGrants/{id}"));
            Error(await Door.GetAsync($"/oauth2PermissionGrants/{id}"), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.PatchAsync($"/oauth2PermissionGrants/{id}", new { scope = "x" }), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.DeleteAsync($"/oauth2PermissionGrants/{id}"), 404, "Request_ResourceNotFound", NotFound(id));
            // After the delete a grant for the same pair can be created again.
            Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read" }), 201);
        }

        [Fact]
        public async Task Set_and_action_names_are_read_without_regard_to_case_as_az_spells_them()
        {
            // az 2.45 deletes a grant at /oAuth2PermissionGrants/{id} (azure/cli/command_modules/role/_msgrpah/_graph_client.py,
            // oauth2_permission_grant_delete), and Graph answers it 204: its URL names are read without regard to case.
            var (client, resource) = await PairAsync();
            var grant = Ok(await Door.PostAsync("/OAuth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read" }), 201);
            // The answer names the set as Graph spells it, whatever the request's spelling.
            Assert.Equal(Root + "/$metadata#oauth2PermissionGrants/$entity", (string?)grant["@odata.context"]);
            NoContent(await Door.DeleteAsync($"/oAuth2PermissionGrants/{grant["id"]}"));
            Error(await Door.GetAsync($"/oauth2permissiongrants/{grant["id"]}"), 404, "Request_ResourceNotFound", NotFound((string)grant["id"]!));

            var (app, _) = await CreateAppWithSpAsync();
            Ok(await Door.PostAsync($"/APPLICATIONS/{app["id"]}/AddPassword", new { passwordCredential = new { displayName = "case" } }));
            var count = await Door.GetAsync("/applications/$COUNT", ("ConsistencyLevel", "eventual"));
            Assert.True(count.Status == 200 && int.TryParse(count.Text, out int apps) && apps >= 1, count.ToString());
            // A name that is no set at all is still Graph's 400.
            Error(await Door.GetAsync("/applicationz"), 400, "BadRequest", "Resource not found for the segment 'applicationz'.");
        }

        [Fact]
        public async Task Unknown_client_or_resource_is_404()
        {
            var (client, resource) = await PairAsync();
            string unknown = Guid.NewGuid().ToString();
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = unknown, consentType = "AllPrincipals", resourceId = resource, scope = "User.Read" }),
                404, "Request_ResourceNotFound", NotFound(unknown));
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = unknown, scope = "User.Read" }),
                404, "Request_ResourceNotFound", NotFound(unknown));
        }

        [Fact]
        public async Task Scope_is_required_and_at_most_3850_characters()
        {
            // learn.microsoft.com/graph/resources/oauth2permissiongrant: "at most 3850 characters"
            var (client, resource) = await PairAsync();
            const string invalidScope = "Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant'.";
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource }), 400, "Request_BadRequest", invalidScope);
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = new string('s', 3851) }),
                400, "Request_BadRequest", invalidScope);
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = client, consentType = "AllPrincipals", resourceId = resource, scope = new string('s', 3850) }), 201);
            Assert.Equal(3850, ((string)grant["scope"]!).Length);
        }
    }
}
