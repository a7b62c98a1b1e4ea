using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// /servicePrincipals through both front doors: create from an application, read, update, upsert and delete by id and
    /// appId, the 409 for a second service principal and the 400 for a missing backing application (learn.microsoft.com/graph/api/serviceprincipal-upsert, learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals, learn.microsoft.com/graph/errors).
    /// </summary>
    public abstract class ServicePrincipalsTests : DoorTests
    {
        protected ServicePrincipalsTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : ServicePrincipalsTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : ServicePrincipalsTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static string NotFound(string id) => $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.";

        [Fact]
        public async Task Post_creates_the_service_principal_of_an_application()
        {
            // learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals
            var app = await CreateAppAsync(new JsonObject
            {
                ["signInAudience"] = "AzureADMultipleOrgs",
                ["web"] = new JsonObject { ["redirectUris"] = new JsonArray("https://app.example.com/callback") },
            });
            string appId = (string)app["appId"]!;
            var sp = Ok(await Door.PostAsync("/servicePrincipals", new { appId }), 201);

            Assert.Equal(Root + "/$metadata#servicePrincipals/$entity", (string?)sp["@odata.context"]);
            string id = GuidOf(sp["id"]);
            Assert.NotEqual((string?)app["id"], id);
            Assert.NotEqual(appId, id);
            Assert.Equal(appId, (string?)sp["appId"]);
            Assert.Equal((string?)app["displayName"], (string?)sp["displayName"]);
            Assert.Equal((string?)app["displayName"], (string?)sp["appDisplayName"]);
            Assert.Equal("Application", (string?)sp["servicePrincipalType"]);
            Assert.Equal(Tenant.TenantId, (string?)sp["appOwnerOrganizationId"]);
            Assert.Equal("AzureADMultipleOrgs", (string?)sp["signInAudience"]);
            Assert.True((bool)sp["accountEnabled"]!);
            Assert.Contains(appId, Strings(sp["servicePrincipalNames"]));
            Assert.Equal(new[] { "https://app.example.com/callback" }, Strings(sp["replyUrls"]));
        }

        [Fact]
        public async Task Post_without_appId_is_400()
        {
            Error(await Door.PostAsync("/servicePrincipals", new { displayName = "x" }), 400, "Request_BadRequest", "Property 'appId' is required.");
        }

        [Fact]
        public async Task Post_for_an_appId_without_application_is_400_NoBackingApplicationObject()
        {
            // learn.microsoft.com/graph/errors
            string appId = Guid.NewGuid().ToString();
            string message = $"The appId '{appId}' of the service principal does not reference a valid application object.";
            var error = Error(await Door.PostAsync("/servicePrincipals", new { appId }), 400, "Request_BadRequest", message);
            var detail = Assert.Single(error["details"]!.AsArray())!;
            Assert.Equal("NoBackingApplicationObject", (string?)detail["code"]);
            Assert.Equal("appId", (string?)detail["target"]);
            Assert.Equal(message, (string?)detail["message"]);
        }

        [Fact]
        public async Task A_second_service_principal_for_the_same_app_is_409()
        {
            // Graph's text, as New-MgServicePrincipal reports it for a service principal that already exists: "Status: 409 (Conflict)
            // ErrorCode: Request_MultipleObjectsWithSameKeyValue" (learn.microsoft.com, Windows Autopilot device preparation,
            // Intune Provisioning Client); the ObjectConflict detail as Graph returns it beside the message.
            var (app, _) = await CreateAppWithSpAsync();
            string appId = (string)app["appId"]!;
            string message = $"The service principal cannot be created, updated, or restored because the service principal name {appId} is already in use.";
            var error = Error(await Door.PostAsync("/servicePrincipals", new { appId }), 409, "Request_MultipleObjectsWithSameKeyValue", message);
            var detail = Assert.Single(error["details"]!.AsArray())!;
            Assert.Equal("ObjectConflict", (string?)detail["code"]);
            Assert.Equal(message, (string?)detail["message"]);
            Error(await Door.PostAsync("/servicePrincipals", new { appId = FrontDoor.MicrosoftGraphAppId }), 409, "Request_MultipleObjectsWithSameKeyValue",
                $"The service principal cannot be created, updated, or restored because the service principal name {FrontDoor.MicrosoftGraphAppId} is already in use.");
        }

        [Fact]
        public async Task Post_with_unknown_or_read_only_properties_is_400()
        {
            var app = await CreateAppAsync();
            Error(await Door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]!, foo = 1 }), 400, "Request_BadRequest",
                "Property 'foo' does not exist as a declared property or extension property.");
            Error(await Door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]!, appDisplayName = "x" }), 400, "Request_BadRequest",
                "Property 'appDisplayName' is read-only and cannot be set.");
            Error(await Door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]!, accountEnabled = "yes" }), 400, "Request_BadRequest",
                "Invalid value specified for property 'accountEnabled' of resource 'ServicePrincipal'.");
        }

        [Fact]
        public async Task Get_by_id_and_by_appId_return_the_same_entity()
        {
            // learn.microsoft.com/graph/permissions-grant-via-msgraph: alternate key form /servicePrincipals(appId='…')
            var (_, sp) = await CreateAppWithSpAsync();
            var byId = Ok(await Door.GetAsync($"/servicePrincipals/{sp["id"]}"));
            var byAppId = Ok(await Door.GetAsync($"/servicePrincipals(appId='{sp["appId"]}')"));
            Assert.Equal(Root + "/$metadata#servicePrincipals/$entity", (string?)byId["@odata.context"]);
            Assert.Equal(byId.ToJsonString(), byAppId.ToJsonString());
            Assert.Equal(sp.ToJsonString(), byId.ToJsonString());
        }

        [Fact]
        public async Task Get_collection_filtered_by_appId()
        {
            // learn.microsoft.com/graph/permissions-grant-via-msgraph
            var (app, sp) = await CreateAppWithSpAsync();
            var list = Ok(await Door.GetAsync($"/servicePrincipals?$filter=appId eq '{app["appId"]}'"));
            Assert.Equal(Root + "/$metadata#servicePrincipals", (string?)list["@odata.context"]);
            Assert.Equal((string?)sp["id"], (string?)Assert.Single(Items(list))["id"]);
        }

        [Fact]
        public async Task Get_unknown_or_malformed_keys()
        {
            // learn.microsoft.com/graph/errors
            string id = Guid.NewGuid().ToString();
            Error(await Door.GetAsync($"/servicePrincipals/{id}"), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.GetAsync($"/servicePrincipals(appId='{id}')"), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.GetAsync("/servicePrincipals(appId='nope')"), 400, "Request_BadRequest",
                "Invalid value specified for object reference property 'appId'. Please ensure that this value has an appropriate syntax and length.");
            Error(await Door.GetAsync($"/servicePrincipals(displayName='{id}')"), 400, "Request_BadRequest",
                "The alternate key 'displayName' is not defined for the type 'microsoft.graph.servicePrincipal'.");
        }

        [Fact]
        public async Task Patch_by_id_and_by_appId_returns_204()
        {
            var (_, sp) = await CreateAppWithSpAsync();
            NoContent(await Door.PatchAsync($"/servicePrincipals/{sp["id"]}", new { tags = new[] { "WindowsAzureActiveDirectoryIntegratedApp" } }));
            NoContent(await Door.PatchAsync($"/servicePrincipals(appId='{sp["appId"]}')", new { notes = "patched by appId" }));
            var after = Ok(await Door.GetAsync($"/servicePrincipals/{sp["id"]}"));
            Assert.Equal(new[] { "WindowsAzureActiveDirectoryIntegratedApp" }, Strings(after["tags"]));
            Assert.Equal("patched by appId", (string?)after["notes"]);
        }

        [Fact]
        public async Task Patch_with_part_of_info_keeps_the_members_it_leaves_out()
        {
            // OData 4.01 Part 1 §11.4.3 (docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_UpdateanEntity):
            // "Missing properties of the containing entity or complex property ... MUST NOT be directly altered";
            // learn.microsoft.com/graph/api/serviceprincipal-update, Request body: "Existing properties that aren't included in the
            // request body maintains their previous values". info (informationalUrl, five members) is declared in the v1.0 CSDL
            // and not read-only; the page's table leaves it out. The quotes and the search of Azure CLI's
            // recordings are beside ApplicationsTests' Patch_with_part_of_web_keeps_the_members_it_leaves_out.
            var (_, sp) = await CreateAppWithSpAsync();
            NoContent(await Door.PatchAsync($"/servicePrincipals/{sp["id"]}", new { info = new { marketingUrl = "https://contoso.example.com/about" } }));
            NoContent(await Door.PatchAsync($"/servicePrincipals/{sp["id"]}", new { info = new { supportUrl = "https://contoso.example.com/help" } }));
            var info = Ok(await Door.GetAsync($"/servicePrincipals/{sp["id"]}"))["info"];
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(@"{""logoUrl"":null,""marketingUrl"":""https://contoso.example.com/about"",""privacyStatementUrl"":null,
                ""supportUrl"":""https://contoso.example.com/help"",""termsOfServiceUrl"":null}"), info), info?.ToJsonString());
        }

        [Fact]
        public async Task Patch_errors()
        {
            var (_, sp) = await CreateAppWithSpAsync();
            string id = Guid.NewGuid().ToString();
            Error(await Door.PatchAsync($"/servicePrincipals/{id}", new { notes = "x" }), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.PatchAsync($"/servicePrincipals/{sp["id"]}", new { appId = id }), 400, "Request_BadRequest", "Property 'appId' is read-only and cannot be set.");
            Error(await Door.PatchAsync($"/servicePrincipals/{sp["id"]}", new { foo = 1 }), 400, "Request_BadRequest",
                "Property 'foo' does not exist as a declared property or extension property.");
        }

        [Fact]
        public async Task Upsert_by_appId_creates_201_updates_204_and_404s_without_Prefer()
        {
            // learn.microsoft.com/graph/api/serviceprincipal-upsert: PATCH /servicePrincipals(appId='{appId}') + Prefer: create-if-missing returns 201 or 204
            var app = await CreateAppAsync();
            string appId = (string)app["appId"]!;
            Error(await Door.PatchAsync($"/servicePrincipals(appId='{appId}')", new { notes = "x" }), 404, "Request_ResourceNotFound", NotFound(appId));

            var created = Ok(await Door.PatchAsync($"/servicePrincipals(appId='{appId}')", new { notes = "created" }, CreateIfMissing), 201);
            Assert.Equal(appId, (string?)created["appId"]);
            Assert.Equal("created", (string?)created["notes"]);
            NoContent(await Door.PatchAsync($"/servicePrincipals(appId='{appId}')", new { notes = "updated" }, CreateIfMissing));
            Assert.Equal("updated", (string?)Ok(await Door.GetAsync($"/servicePrincipals/{created["id"]}"))["notes"]);
        }

        [Fact]
        public async Task Delete_by_id_and_by_appId_returns_204_and_keeps_the_application()
        {
            var (app1, sp1) = await CreateAppWithSpAsync();
            NoContent(await Door.DeleteAsync($"/servicePrincipals/{sp1["id"]}"));
            Error(await Door.GetAsync($"/servicePrincipals/{sp1["id"]}"), 404, "Request_ResourceNotFound", NotFound((string)sp1["id"]!));
            Error(await Door.DeleteAsync($"/servicePrincipals/{sp1["id"]}"), 404, "Request_ResourceNotFound");
            Ok(await Door.GetAsync($"/applications/{app1["id"]}"));

            var (app2, sp2) = await CreateAppWithSpAsync();
            NoContent(await Door.DeleteAsync($"/servicePrincipals(appId='{app2["appId"]}')"));
            Error(await Door.GetAsync($"/servicePrincipals/{sp2["id"]}"), 404, "Request_ResourceNotFound");
            // The application can get a new service principal afterwards.
            await CreateSpAsync((string)app2["appId"]!);
        }

        [Fact]
        public async Task Deleting_a_service_principal_removes_its_grants_and_assignments()
        {
            var (_, sp) = await CreateAppWithSpAsync();
            string graphSp = await GraphSpIdAsync();
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
            var assignment = Ok(await Door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30" }), 201);
            NoContent(await Door.DeleteAsync($"/servicePrincipals/{sp["id"]}"));
            Error(await Door.GetAsync($"/oauth2PermissionGrants/{grant["id"]}"), 404, "Request_ResourceNotFound");
            Error(await Door.GetAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{assignment["id"]}"), 404, "Request_ResourceNotFound");
        }

        [Fact]
        public async Task The_Microsoft_Graph_service_principal_cannot_be_deleted()
        {
            string graphSp = await GraphSpIdAsync();
            Error(await Door.DeleteAsync($"/servicePrincipals/{graphSp}"), 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            Ok(await Door.GetAsync($"/servicePrincipals/{graphSp}?$select=id"));
        }
    }
}
