using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// /applications through both front doors: create with Graph's defaults, read, update and delete by id and by the
    /// appId and uniqueName alternate keys, the uniqueName upsert, and the 400s for malformed bodies (learn.microsoft.com/graph/api/application-post-applications, learn.microsoft.com/graph/api/application-upsert, learn.microsoft.com/graph/errors).
    /// </summary>
    public abstract class ApplicationsTests : DoorTests
    {
        protected ApplicationsTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : ApplicationsTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : ApplicationsTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static string NotFound(string id) => $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.";

        // ----- POST /applications -----

        [Fact]
        public async Task Post_without_signInAudience_returns_201_with_Graphs_defaults()
        {
            // learn.microsoft.com/graph/api/application-post-applications
            string name = Unique("defaults");
            var app = Ok(await Door.PostAsync("/applications", new { displayName = name }), 201);

            Assert.Equal(Root + "/$metadata#applications/$entity", (string?)app["@odata.context"]);
            string id = GuidOf(app["id"]);
            string appId = GuidOf(app["appId"]);
            Assert.NotEqual(id, appId);
            Assert.Equal(name, (string?)app["displayName"]);
            Assert.Equal("AzureADandPersonalMicrosoftAccount", (string?)app["signInAudience"]);
            Assert.Equal(2, (int?)app["api"]!["requestedAccessTokenVersion"]);
            Assert.Empty(app["identifierUris"]!.AsArray());
            Assert.Empty(app["requiredResourceAccess"]!.AsArray());
            Assert.Empty(app["passwordCredentials"]!.AsArray());
            Assert.False((bool)app["web"]!["implicitGrantSettings"]!["enableIdTokenIssuance"]!);
            Assert.True(app.ContainsKey("isFallbackPublicClient"));
            Assert.Null(app["isFallbackPublicClient"]);
            Assert.Equal(Tenant.InitialDomain, (string?)app["publisherDomain"]);
            Assert.True(DateTimeOffset.TryParse((string?)app["createdDateTime"], out _));
        }

        [Fact]
        public async Task Post_with_AzureADMyOrg_leaves_requestedAccessTokenVersion_null()
        {
            // learn.microsoft.com/entra/identity-platform/reference-microsoft-graph-app-manifest: null means v1; only the personal audiences force 2
            var app = await CreateAppAsync(new JsonObject { ["signInAudience"] = "AzureADMyOrg" });
            Assert.Equal("AzureADMyOrg", (string?)app["signInAudience"]);
            Assert.True(app["api"]!.AsObject().ContainsKey("requestedAccessTokenVersion"));
            Assert.Null(app["api"]!["requestedAccessTokenVersion"]);
        }

        [Fact]
        public async Task Ids_and_appIds_are_distinct_GUIDs()
        {
            // learn.microsoft.com/graph/api/application-post-applications: id is the object id, appId the client id, both server-assigned
            var a = await CreateAppAsync();
            var b = await CreateAppAsync();
            var ids = new[] { GuidOf(a["id"]), GuidOf(a["appId"]), GuidOf(b["id"]), GuidOf(b["appId"]) };
            Assert.Equal(4, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        [Fact]
        public async Task Post_without_displayName_is_400()
        {
            // learn.microsoft.com/graph/api/application-post-applications: displayName is required
            Error(await Door.PostAsync("/applications", new { signInAudience = "AzureADMyOrg" }), 400, "Request_BadRequest", "Property 'displayName' is required.");
        }

        [Fact]
        public async Task Post_with_passwordCredentials_is_400()
        {
            // learn.microsoft.com/graph/api/application-post-applications
            var body = new JsonObject
            {
                ["displayName"] = Unique("pw"),
                ["passwordCredentials"] = new JsonArray(new JsonObject { ["displayName"] = "s" }),
            };
            Error(await Door.PostAsync("/applications", body), 400, "Request_BadRequest",
                "Adding passwordCredential when creating applications is not supported. Use the addPassword method.");
        }

        [Fact]
        public async Task Post_with_read_only_appId_is_400()
        {
            var body = new { displayName = Unique("ro"), appId = Guid.NewGuid().ToString() };
            Error(await Door.PostAsync("/applications", body), 400, "Request_BadRequest", "Property 'appId' is read-only and cannot be set.");
        }

        [Fact]
        public async Task Unknown_property_in_POST_or_PATCH_body_is_400()
        {
            // learn.microsoft.com/graph/errors (Request_BadRequest); checked against the v1.0 CSDL
            const string message = "Property 'foo' does not exist as a declared property or extension property.";
            Error(await Door.PostAsync("/applications", new { displayName = Unique("x"), foo = 1 }), 400, "Request_BadRequest", message);
            Error(await Door.PostAsync("/applications", new { displayName = Unique("x"), web = new { foo = true } }), 400, "Request_BadRequest", message);
            var app = await CreateAppAsync();
            Error(await Door.PatchAsync($"/applications/{app["id"]}", new { foo = "bar" }), 400, "Request_BadRequest", message);
        }

        [Fact]
        public async Task Wrong_JSON_type_in_POST_or_PATCH_body_is_400()
        {
            const string message = "Invalid value specified for property 'isFallbackPublicClient' of resource 'Application'.";
            Error(await Door.PostAsync("/applications", new { displayName = Unique("x"), isFallbackPublicClient = "yes" }), 400, "Request_BadRequest", message);
            var app = await CreateAppAsync();
            Error(await Door.PatchAsync($"/applications/{app["id"]}", new { isFallbackPublicClient = "yes" }), 400, "Request_BadRequest", message);
            Error(await Door.PostAsync("/applications", new { displayName = Unique("x"), signInAudience = "Everyone" }), 400, "Request_BadRequest",
                "Invalid value specified for property 'signInAudience' of resource 'Application'.");
        }

        [Fact]
        public async Task Malformed_or_empty_JSON_is_400()
        {
            Error(await Door.PostAsync("/applications", "{not json"), 400, "Request_BadRequest",
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
            Error(await Door.PostAsync("/applications", ""), 400, "Request_BadRequest", "Empty Payload. JSON content expected.");
        }

        [Fact]
        public async Task Implicit_grant_flags_are_false_unless_set()
        {
            // learn.microsoft.com/graph/api/application-post-applications: web.implicitGrantSettings.enableIdTokenIssuance false in the sample 201 response
            var app = await CreateAppAsync(new JsonObject { ["web"] = new JsonObject { ["redirectUris"] = new JsonArray("https://app.example.com/cb") } });
            var flags = app["web"]!["implicitGrantSettings"]!;
            Assert.False((bool)flags["enableIdTokenIssuance"]!);
            Assert.False((bool)flags["enableAccessTokenIssuance"]!);

            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { web = new { implicitGrantSettings = new { enableIdTokenIssuance = true } } }));
            flags = Ok(await Door.GetAsync($"/applications/{app["id"]}"))["web"]!["implicitGrantSettings"]!;
            Assert.True((bool)flags["enableIdTokenIssuance"]!);
            Assert.False((bool)flags["enableAccessTokenIssuance"]!);
        }

        [Fact]
        public async Task Concurrent_creates_all_succeed_with_distinct_ids()
        {
            var calls = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                Door.PostAsync("/applications", new { displayName = Unique($"parallel{i}"), signInAudience = "AzureADMyOrg" })));
            var apps = calls.Select(c => Ok(c, 201)).ToList();
            Assert.Equal(16, apps.Select(a => (string)a["id"]!).Distinct().Count());
            Assert.Equal(16, apps.Select(a => (string)a["appId"]!).Distinct().Count());
        }

        [Fact]
        public async Task Only_the_v1_0_root_is_served()
        {
            string host = Root.Substring(0, Root.Length - "/v1.0".Length);
            const string message = "Invalid version: the local tenant serves Microsoft Graph v1.0 only.";
            Error(await Door.GetAsync(host + "/beta/applications"), 400, "BadRequest", message);
            Error(await Door.GetAsync(host + "/applications"), 400, "BadRequest", message);
        }

        // ----- GET /applications, /applications/{id}, /applications(appId='…') -----

        [Fact]
        public async Task Get_collection_has_context_and_value()
        {
            var app = await CreateAppAsync();
            var list = Ok(await Door.GetAsync("/applications"));
            Assert.Equal(Root + "/$metadata#applications", (string?)list["@odata.context"]);
            Assert.Contains(Items(list), a => (string?)a["id"] == (string?)app["id"]);
            Assert.False(list.ContainsKey("@odata.count"));
        }

        [Fact]
        public async Task Get_by_id_and_by_appId_return_the_same_entity()
        {
            // learn.microsoft.com/graph/api/application-upsert: addressing by id and by the appId alternate key
            var created = await CreateAppAsync();
            var byId = Ok(await Door.GetAsync($"/applications/{created["id"]}"));
            var byAppId = Ok(await Door.GetAsync($"/applications(appId='{created["appId"]}')"));
            Assert.Equal(Root + "/$metadata#applications/$entity", (string?)byId["@odata.context"]);
            Assert.Equal(Root + "/$metadata#applications/$entity", (string?)byAppId["@odata.context"]);
            Assert.Equal(byId.ToJsonString(), byAppId.ToJsonString());
            Assert.Equal(created.ToJsonString(), byId.ToJsonString());
        }

        [Fact]
        public async Task Get_unknown_id_or_appId_is_404_Request_ResourceNotFound()
        {
            // learn.microsoft.com/graph/errors
            string id = Guid.NewGuid().ToString();
            Error(await Door.GetAsync($"/applications/{id}"), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.GetAsync($"/applications(appId='{id}')"), 404, "Request_ResourceNotFound", NotFound(id));
        }

        [Fact]
        public async Task Get_by_malformed_appId_is_400()
        {
            Error(await Door.GetAsync("/applications(appId='not-a-guid')"), 400, "Request_BadRequest",
                "Invalid value specified for object reference property 'appId'. Please ensure that this value has an appropriate syntax and length.");
        }

        [Fact]
        public async Task Unsupported_method_is_405_and_unknown_segment_is_400()
        {
            var app = await CreateAppAsync();
            Error(await Door.SendAsync("PUT", $"/applications/{app["id"]}", new { displayName = "x" }), 405, "Request_BadRequest",
                "The HTTP method is not supported for this resource.");
            Error(await Door.DeleteAsync("/applications"), 405, "Request_BadRequest", "The HTTP method is not supported for this resource.");
            Error(await Door.GetAsync($"/applications/{app["id"]}/nope"), 400, "BadRequest", "Resource not found for the segment 'nope'.");
            Error(await Door.GetAsync("/nothingHere"), 400, "BadRequest", "Resource not found for the segment 'nothingHere'.");
        }

        // ----- PATCH -----

        [Fact]
        public async Task Patch_by_id_and_by_appId_returns_204_and_updates()
        {
            var app = await CreateAppAsync();
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { description = "by id" }));
            Assert.Equal("by id", (string?)Ok(await Door.GetAsync($"/applications/{app["id"]}"))["description"]);
            NoContent(await Door.PatchAsync($"/applications(appId='{app["appId"]}')", new { description = "by appId" }));
            var after = Ok(await Door.GetAsync($"/applications/{app["id"]}"));
            Assert.Equal("by appId", (string?)after["description"]);
            Assert.Equal((string?)app["displayName"], (string?)after["displayName"]); // properties left out keep their values
        }

        [Fact]
        public async Task Patch_replaces_the_whole_redirectUris_collection()
        {
            // learn.microsoft.com/graph/api/application-update: PATCH replaces the whole redirectUris collection
            var app = await CreateAppAsync(new JsonObject
            {
                ["web"] = new JsonObject { ["redirectUris"] = new JsonArray("https://a.example.com/cb", "https://b.example.com/cb") },
            });
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { web = new { redirectUris = new[] { "https://c.example.com/cb" } } }));
            var after = Ok(await Door.GetAsync($"/applications/{app["id"]}"));
            Assert.Equal(new[] { "https://c.example.com/cb" }, Strings(after["web"]!["redirectUris"]));
        }

        // ----- PATCH with part of a complex property -----
        // OData 4.01 Part 1 §11.4.3 "Update an Entity" (docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_UpdateanEntity):
        // "The semantics of PATCH, as defined in [RFC5789], is to merge the content in the request payload with the entity's
        // current state, applying the update only to those components specified in the request body. Collection properties and
        // primitive properties provided in the payload corresponding to updatable properties MUST replace the value of the
        // corresponding property in the entity or complex type. Missing properties of the containing entity or complex property,
        // including dynamic properties, MUST NOT be directly altered unless as a side effect of changes resulting from the
        // provided properties." (oasis-tcs/odata-specs, ODATA-1472, adds: "Complex properties are updated by applying PATCH
        // semantics recursively".) learn.microsoft.com/graph/api/application-update, Request body: "Existing properties that are
        // not included in the request body will maintain their previous values or be recalculated based on changes to other
        // property values." Azure CLI's az ad app update builds its body from the arguments given only (Azure/azure-cli,
        // role/custom.py update_application: body = {} filled by _set_application_properties), so --web-home-page-url sends
        // {"web":{"homePageUrl":…}} alone. Its recordings (role/tests/latest/recordings/test_app_scenario.yaml) PATCH web whole,
        // so none shows a partial web followed by a GET; the rule above is the evidence.

        private static void SameJson(string expected, JsonNode? actual) =>
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected} but got {actual?.ToJsonString()}");

        private async Task<JsonNode?> WebOf(JsonObject app) => Ok(await Door.GetAsync($"/applications/{app["id"]}"))["web"];

        [Fact]
        public async Task Patch_with_part_of_web_keeps_the_members_it_leaves_out()
        {
            var app = await CreateAppAsync(JsonNode.Parse(@"{""web"":{""homePageUrl"":""https://myapp.example.com/"",""logoutUrl"":""https://myapp.example.com/logout"",
                ""redirectUris"":[""https://myapp.example.com/a"",""https://myapp.example.com/b""],
                ""implicitGrantSettings"":{""enableIdTokenIssuance"":true,""enableAccessTokenIssuance"":true}}}")!.AsObject());

            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { web = new { homePageUrl = "https://home.example.com/" } }));
            SameJson(@"{""homePageUrl"":""https://home.example.com/"",""logoutUrl"":""https://myapp.example.com/logout"",
                ""redirectUris"":[""https://myapp.example.com/a"",""https://myapp.example.com/b""],""redirectUriSettings"":[],
                ""implicitGrantSettings"":{""enableIdTokenIssuance"":true,""enableAccessTokenIssuance"":true}}", await WebOf(app));

            // A complex value inside a complex value merges too; a primitive sent as null is set to null.
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", JsonNode.Parse(@"{""web"":{""logoutUrl"":null,""implicitGrantSettings"":{""enableAccessTokenIssuance"":false}}}")!.AsObject()));
            SameJson(@"{""homePageUrl"":""https://home.example.com/"",""logoutUrl"":null,
                ""redirectUris"":[""https://myapp.example.com/a"",""https://myapp.example.com/b""],""redirectUriSettings"":[],
                ""implicitGrantSettings"":{""enableIdTokenIssuance"":true,""enableAccessTokenIssuance"":false}}", await WebOf(app));
        }

        [Fact]
        public async Task Patch_with_part_of_api_keeps_its_scopes_and_token_version()
        {
            // The merged api is what the application rules see: a personal audience needs requestedAccessTokenVersion 2
            // (learn.microsoft.com/entra/identity-platform/supported-accounts-validation), which the PATCH leaves out and keeps.
            string scopeId = Guid.NewGuid().ToString();
            string client = Guid.NewGuid().ToString();
            var app = await CreateAppAsync(JsonNode.Parse($@"{{""signInAudience"":""AzureADandPersonalMicrosoftAccount"",""api"":{{""requestedAccessTokenVersion"":2,
                ""oauth2PermissionScopes"":[{{""id"":""{scopeId}"",""value"":""user_impersonation"",""type"":""User"",""isEnabled"":true,
                ""adminConsentDisplayName"":""Access the API"",""adminConsentDescription"":""Access the API as the signed-in user.""}}]}}}}")!.AsObject());
            var scopes = app["api"]!["oauth2PermissionScopes"]!.DeepClone();

            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", JsonNode.Parse($@"{{""api"":{{""knownClientApplications"":[""{client}""]}}}}")!.AsObject()));
            var api = Ok(await Door.GetAsync($"/applications/{app["id"]}"))["api"]!;
            SameJson($@"{{""acceptMappedClaims"":null,""knownClientApplications"":[""{client}""],""requestedAccessTokenVersion"":2,
                ""oauth2PermissionScopes"":{scopes.ToJsonString()},""preAuthorizedApplications"":[]}}", api);
        }

        [Fact]
        public async Task Patch_with_part_of_parentalControlSettings_keeps_legalAgeGroupRule()
        {
            // A new application's legalAgeGroupRule is "Allow" (learn.microsoft.com/graph/api/application-post-applications, sample 201 response).
            var app = await CreateAppAsync();
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { parentalControlSettings = new { countriesBlockedForMinors = new[] { "GB" } } }));
            SameJson(@"{""countriesBlockedForMinors"":[""GB""],""legalAgeGroupRule"":""Allow""}",
                Ok(await Door.GetAsync($"/applications/{app["id"]}"))["parentalControlSettings"]);
        }

        [Fact]
        public async Task A_refused_partial_web_changes_nothing()
        {
            var app = await CreateAppAsync(JsonNode.Parse(@"{""web"":{""homePageUrl"":""https://myapp.example.com/"",""redirectUris"":[""https://myapp.example.com/a""],
                ""implicitGrantSettings"":{""enableIdTokenIssuance"":true}}}")!.AsObject());
            var before = (await WebOf(app))!.ToJsonString();
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", JsonNode.Parse(@"{""web"":{""homePageUrl"":""https://other.example.com/"",""implicitGrantSettings"":null}}")!.AsObject()),
                400, "Request_BadRequest", "Invalid value specified for property 'implicitGrantSettings' of resource 'Application'.");
            // The merged web is checked as a whole: an http redirect URI that is no loopback is refused, the stored web stays.
            Rejected(await Door.PatchAsync($"/applications/{app["id"]}", new { web = new { homePageUrl = "https://other.example.com/", redirectUris = new[] { "http://example.com/cb" } } }),
                400, "Request_BadRequest");
            SameJson(before, await WebOf(app));
        }

        [Fact]
        public async Task KeyCredential_times_come_back_as_the_client_sent_them()
        {
            // Azure CLI's recording against graph.microsoft.com, Azure/azure-cli role/tests/latest/recordings/test_app_scenario.yaml:
            // POST /v1.0/applications with keyCredentials [{… "endDateTime": "2023-06-08T05:55:05Z", … "startDateTime":
            // "2022-06-09T05:55:05Z" …}] answers "endDateTime": "2023-06-08T05:55:05Z" and "startDateTime": "2022-06-09T05:55:05Z",
            // and the GET after it the same: whole seconds with Z, no fraction added.
            using var certificate = IdentityKit.NewCertificate();
            JsonObject Key(string start, string end) => new JsonObject
            {
                ["type"] = "AsymmetricX509Cert", ["usage"] = "Verify", ["key"] = Convert.ToBase64String(certificate.Export(X509ContentType.Cert)),
                ["startDateTime"] = start, ["endDateTime"] = end,
            };
            var app = await CreateAppAsync(new JsonObject { ["keyCredentials"] = new JsonArray(Key("2022-06-09T05:55:05Z", "2023-06-08T05:55:05Z")) });
            var created = app["keyCredentials"]![0]!;
            Assert.Equal("2022-06-09T05:55:05Z", (string?)created["startDateTime"]);
            Assert.Equal("2023-06-08T05:55:05Z", (string?)created["endDateTime"]);

            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["keyCredentials"] = new JsonArray(Key("2022-06-09T05:55:05Z", "2023-06-08T23:59:59Z")) }));
            var stored = Ok(await Door.GetAsync($"/applications/{app["id"]}"))["keyCredentials"]![0]!;
            Assert.Equal("2022-06-09T05:55:05Z", (string?)stored["startDateTime"]);
            Assert.Equal("2023-06-08T23:59:59Z", (string?)stored["endDateTime"]);
        }

        [Fact]
        public async Task Patch_unknown_id_is_404()
        {
            // learn.microsoft.com/graph/errors
            string id = Guid.NewGuid().ToString();
            Error(await Door.PatchAsync($"/applications/{id}", new { description = "x" }), 404, "Request_ResourceNotFound", NotFound(id));
        }

        [Fact]
        public async Task Patch_with_passwordCredentials_is_400()
        {
            // learn.microsoft.com/graph/api/application-update: "Using PATCH to set passwordCredential is not supported."
            var app = await CreateAppAsync();
            Error(await Door.PatchAsync($"/applications/{app["id"]}", new { passwordCredentials = Array.Empty<object>() }), 400, "Request_BadRequest",
                "Using PATCH to set passwordCredential is not supported. Use the addPassword and removePassword methods.");
        }

        // ----- DELETE -----

        [Fact]
        public async Task Delete_by_id_returns_204_then_404()
        {
            var app = await CreateAppAsync();
            string id = (string)app["id"]!;
            NoContent(await Door.DeleteAsync($"/applications/{id}"));
            Error(await Door.GetAsync($"/applications/{id}"), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.DeleteAsync($"/applications/{id}"), 404, "Request_ResourceNotFound", NotFound(id));
        }

        [Fact]
        public async Task Delete_by_appId_returns_204()
        {
            var app = await CreateAppAsync();
            NoContent(await Door.DeleteAsync($"/applications(appId='{app["appId"]}')"));
            Error(await Door.GetAsync($"/applications/{app["id"]}"), 404, "Request_ResourceNotFound");
        }

        // ----- uniqueName upsert (learn.microsoft.com/graph/api/application-upsert) -----

        [Fact]
        public async Task Upsert_with_create_if_missing_creates_201_with_the_object()
        {
            // learn.microsoft.com/graph/api/application-upsert
            string unique = Unique("upsert");
            var created = Ok(await Door.PatchAsync($"/applications(uniqueName='{unique}')",
                new { displayName = "Upserted", signInAudience = "AzureADMyOrg" }, CreateIfMissing), 201);
            Assert.Equal(Root + "/$metadata#applications/$entity", (string?)created["@odata.context"]);
            Assert.Equal(unique, (string?)created["uniqueName"]);
            Assert.Equal("Upserted", (string?)created["displayName"]);
            GuidOf(created["appId"]);

            var fetched = Ok(await Door.GetAsync($"/applications(uniqueName='{unique}')"));
            Assert.Equal((string?)created["id"], (string?)fetched["id"]);
        }

        [Fact]
        public async Task Upsert_of_an_existing_object_returns_204_and_updates_it()
        {
            // learn.microsoft.com/graph/api/application-upsert
            string unique = Unique("upsert");
            var created = Ok(await Door.PatchAsync($"/applications(uniqueName='{unique}')", new { displayName = "First", signInAudience = "AzureADMyOrg" }, CreateIfMissing), 201);
            NoContent(await Door.PatchAsync($"/applications(uniqueName='{unique}')", new { displayName = "Second" }, CreateIfMissing));
            var fetched = Ok(await Door.GetAsync($"/applications(uniqueName='{unique}')"));
            Assert.Equal((string?)created["id"], (string?)fetched["id"]);
            Assert.Equal("Second", (string?)fetched["displayName"]);
            // Without the header an existing object is simply updated too.
            NoContent(await Door.PatchAsync($"/applications(uniqueName='{unique}')", new { displayName = "Third" }));
            var list = Ok(await Door.GetAsync($"/applications?$filter=uniqueName eq '{unique}'"));
            Assert.Equal("Third", (string?)Assert.Single(Items(list))["displayName"]);
        }

        [Fact]
        public async Task Upsert_of_a_missing_object_without_Prefer_is_404()
        {
            // learn.microsoft.com/graph/api/application-upsert: "Without Prefer: create-if-missing a missing object gives 404"
            string unique = Unique("missing");
            Error(await Door.PatchAsync($"/applications(uniqueName='{unique}')", new { displayName = "x" }), 404, "Request_ResourceNotFound", NotFound(unique));
            Error(await Door.GetAsync($"/applications(uniqueName='{unique}')"), 404, "Request_ResourceNotFound", NotFound(unique));
        }

        [Fact]
        public async Task Upsert_create_requires_displayName()
        {
            // learn.microsoft.com/graph/api/application-upsert: "The body must contain displayName"
            Error(await Door.PatchAsync($"/applications(uniqueName='{Unique("nodn")}')", new { signInAudience = "AzureADMyOrg" }, CreateIfMissing),
                400, "Request_BadRequest", "Property 'displayName' is required.");
        }

        [Fact]
        public async Task UniqueName_can_be_set_once_and_is_then_immutable()
        {
            // learn.microsoft.com/graph/api/application-update: "Can be updated only if null and is immutable once set"
            var app = await CreateAppAsync();
            Assert.Null(app["uniqueName"]);
            string unique = Unique("set");
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { uniqueName = unique }));
            Assert.Equal((string?)app["id"], (string?)Ok(await Door.GetAsync($"/applications(uniqueName='{unique}')"))["id"]);
            Error(await Door.PatchAsync($"/applications/{app["id"]}", new { uniqueName = Unique("other") }), 400, "Request_BadRequest",
                "Property 'uniqueName' can be updated only if null and is immutable once set.");
        }

        [Fact]
        public async Task Duplicate_uniqueName_is_400()
        {
            string unique = Unique("dup");
            await CreateAppAsync(new JsonObject { ["uniqueName"] = unique });
            var error = Error(await Door.PostAsync("/applications", new { displayName = Unique("x"), uniqueName = unique }), 400, "Request_BadRequest",
                "Another object with the same value for property uniqueName already exists.");
            Assert.Equal("ObjectConflict", (string?)error["details"]![0]!["code"]);
            Assert.Equal("uniqueName", (string?)error["details"]![0]!["target"]);
        }

        [Fact]
        public async Task Delete_by_uniqueName_returns_204()
        {
            string unique = Unique("del");
            var app = await CreateAppAsync(new JsonObject { ["uniqueName"] = unique });
            NoContent(await Door.DeleteAsync($"/applications(uniqueName='{unique}')"));
            Error(await Door.GetAsync($"/applications/{app["id"]}"), 404, "Request_ResourceNotFound");
        }

        [Fact]
        public async Task Timestamps_do_not_depend_on_the_callers_culture()
        {
            // learn.microsoft.com/graph/errors: innerError.date; fi-FI writes times as 12.34.56, which no client parses as Graph's date
            var saved = System.Globalization.CultureInfo.CurrentCulture;
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fi-FI");
            try
            {
                Assert.Equal(".", System.Globalization.CultureInfo.CurrentCulture.DateTimeFormat.TimeSeparator);
                Error(await Door.GetAsync($"/applications/{Guid.NewGuid()}"), 404, "Request_ResourceNotFound"); // checks innerError.date's shape
                var tenant = EntraAppKit.LocalTenant.LocalTenantEngine.Create();
                var door = await FrontDoor.OpenAsync(Door.Name, tenant);
                try
                {
                    var org = Items(Ok(await door.GetAsync("/organization")))[0];
                    Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", (string?)org["createdDateTime"]);
                }
                finally { await door.DisposeAsync(); }
            }
            finally { System.Globalization.CultureInfo.CurrentCulture = saved; }
        }

        // ----- correlation headers (learn.microsoft.com/graph/errors) -----

        [Fact]
        public async Task Responses_echo_client_request_id_or_fall_back_to_request_id()
        {
            // learn.microsoft.com/graph/errors: error body innerError carries request-id and client-request-id
            string mine = Guid.NewGuid().ToString();
            var echoed = await Door.GetAsync("/organization", ("client-request-id", mine));
            Ok(echoed);
            Assert.Equal(mine, echoed.Header("client-request-id"));

            var none = await Door.GetAsync("/organization", FrontDoor.WithoutClientRequestId);
            Ok(none);
            Assert.Equal(none.Header("request-id"), none.Header("client-request-id"));

            var error = await Door.GetAsync($"/applications/{Guid.NewGuid()}", ("client-request-id", mine));
            var inner = Error(error, 404, "Request_ResourceNotFound")["innerError"]!;
            Assert.Equal(mine, (string?)inner["client-request-id"]);
            Assert.NotEqual(echoed.Header("request-id"), error.Header("request-id"));
        }
    }
}
