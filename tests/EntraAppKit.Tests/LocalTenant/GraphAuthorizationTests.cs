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
    /// Graph authorises each call from the token's claims through both front doors: app-only by roles, delegated by scp
    /// (learn.microsoft.com/graph/permissions-reference and the Permissions table of each API page). Missing permissions are 403 Authorization_RequestDenied; tokens that fail
    /// validation are 401 InvalidAuthenticationToken. Tokens come from the tenant's own token endpoint (ClientSecretCredential).
    /// </summary>
    public abstract class GraphAuthorizationTests : DoorTests, IDisposable
    {
        private const string Denied = "Insufficient privileges to complete the operation.";

        private readonly IdentityKit _kit;

        protected GraphAuthorizationTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : GraphAuthorizationTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : GraphAuthorizationTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        /// <summary>A client app holding <paramref name="roles"/> on Graph, and its app-only token.</summary>
        private async Task<(IdentityKit.Client Client, string Token)> AppAsync(params string[] roles)
        {
            var client = await _kit.CreateClientAsync(roles);
            return (client, await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret)));
        }

        private Task<GraphCall> As(string? token, string method, string path, object? body = null) => IdentityKit.Bearer(Door, method, path, token, body);

        private static JsonObject NewApp(string name) => new JsonObject { ["displayName"] = name, ["signInAudience"] = "AzureADMyOrg" };

        [Fact]
        public async Task OwnedBy_manages_the_apps_it_creates()
        {
            // learn.microsoft.com/graph/api/application-post-applications, learn.microsoft.com/graph/api/application-addpassword, learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals: application permission Application.ReadWrite.OwnedBy (least privileged)
            var (client, token) = await AppAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            var app = Ok(await As(token, "POST", "/applications", NewApp(Unique("owned"))), 201);
            string id = (string)app["id"]!;
            var password = Ok(await As(token, "POST", $"/applications/{id}/addPassword", new { passwordCredential = new { displayName = "mine" } }));
            Assert.False(string.IsNullOrEmpty((string?)password["secretText"]));
            NoContent(await As(token, "PATCH", $"/applications/{id}", new { description = "changed by its owner" }));
            NoContent(await As(token, "POST", $"/applications/{id}/removePassword", new { keyId = (string)password["keyId"]! }));
            var sp = Ok(await As(token, "POST", "/servicePrincipals", new { appId = (string)app["appId"]! }), 201);
            NoContent(await As(token, "PATCH", $"/servicePrincipals/{sp["id"]}", new { notes = "owned" }));
            Ok(await As(token, "GET", "/applications?$top=5"));
            Ok(await As(token, "GET", $"/servicePrincipals/{sp["id"]}"));

            // The upsert by uniqueName creates an owned app too, and updates it later.
            string unique = Unique("upsert");
            Ok(await Door.SendAsync("PATCH", $"/applications(uniqueName='{unique}')", NewApp("upserted"), ("Authorization", "Bearer " + token), CreateIfMissing), 201);
            NoContent(await Door.SendAsync("PATCH", $"/applications(uniqueName='{unique}')", NewApp("upserted again"), ("Authorization", "Bearer " + token), CreateIfMissing));
            NoContent(await As(token, "DELETE", $"/applications/{id}"));
        }

        [Fact]
        public async Task OwnedBy_cannot_change_an_app_it_does_not_own()
        {
            var (_, token) = await AppAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            var foreign = await CreateAppAsync(); // created by the administrator
            string id = (string)foreign["id"]!;

            Ok(await As(token, "GET", $"/applications/{id}")); // OwnedBy reads every application
            Error(await As(token, "PATCH", $"/applications/{id}", new { description = "not mine" }), 403, "Authorization_RequestDenied", Denied);
            Error(await As(token, "POST", $"/applications/{id}/addPassword", new { passwordCredential = new { } }), 403, "Authorization_RequestDenied", Denied);
            Error(await As(token, "DELETE", $"/applications/{id}"), 403, "Authorization_RequestDenied", Denied);
            Error(await As(token, "POST", "/servicePrincipals", new { appId = (string)foreign["appId"]! }), 403, "Authorization_RequestDenied", Denied);
            Error(await Door.SendAsync("PATCH", $"/applications(uniqueName='{Unique("x")}')", NewApp("x"), ("Authorization", "Bearer " + token)), 404, "Request_ResourceNotFound");

            // Nothing changed.
            Assert.Null((string?)Ok(await Door.GetAsync($"/applications/{id}"))["description"]);
        }

        [Fact]
        public async Task OwnedBy_gets_the_section_7_403_for_a_service_principal_without_its_application()
        {
            // learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: with OwnedBy a missing (or not yet replicated) backing app is a 403, with ReadWrite.All the 400.
            var (_, ownedBy) = await AppAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            var (_, all) = await AppAsync(IdentityKit.ApplicationReadWriteAll);
            string appId = Guid.NewGuid().ToString();
            Error(await As(ownedBy, "POST", "/servicePrincipals", new { appId }), 403, "Authorization_RequestDenied",
                "When using this permission, the backing application of the service principal being created must in the local tenant");
            Error(await As(all, "POST", "/servicePrincipals", new { appId }), 400, "Request_BadRequest",
                $"The appId '{appId}' of the service principal does not reference a valid application object.");

            // ReadWrite.All changes anyone's applications.
            var foreign = await CreateAppAsync();
            NoContent(await As(all, "PATCH", $"/applications/{foreign["id"]}", new { description = "any app" }));
        }

        [Fact]
        public async Task Granting_app_roles_needs_AppRoleAssignment_ReadWrite_All()
        {
            // learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto: AppRoleAssignment.ReadWrite.All (and Application.Read.All)
            var (client, token) = await AppAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            string graphSp = await GraphSpIdAsync();
            var target = await CreateAppWithSpAsync();
            object assignment = new { principalId = (string)target.Sp["id"]!, resourceId = graphSp, appRoleId = IdentityKit.DirectoryReadAll };
            Error(await As(token, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", assignment), 403, "Authorization_RequestDenied", Denied);
            Ok(await As(token, "GET", $"/servicePrincipals/{graphSp}/appRoleAssignedTo?$top=1"));

            await _kit.GrantRolesAsync(client.SpId, IdentityKit.AppRoleAssignmentReadWriteAll);
            string stronger = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret + "")); // the credential caches per instance: a new one
            Assert.Contains("AppRoleAssignment.ReadWrite.All", IdentityKit.Roles(stronger));
            var created = Ok(await As(stronger, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", assignment), 201);
            NoContent(await As(stronger, "DELETE", $"/servicePrincipals/{graphSp}/appRoleAssignedTo/{created["id"]}"));

            // Without an application read permission AppRoleAssignment.ReadWrite.All alone is not enough.
            var (_, assignOnly) = await AppAsync(IdentityKit.AppRoleAssignmentReadWriteAll);
            Error(await As(assignOnly, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", assignment), 403, "Authorization_RequestDenied");
        }

        [Fact]
        public async Task Reads_need_a_read_permission_for_what_they_read()
        {
            var (_, none) = await AppAsync();
            foreach (var path in new[] { "/applications", "/servicePrincipals", "/oauth2PermissionGrants", "/organization", "/domains" })
                Error(await As(none, "GET", path), 403, "Authorization_RequestDenied", Denied);

            var (_, organization) = await AppAsync(IdentityKit.OrganizationReadAll);
            var org = Items(Ok(await As(organization, "GET", "/organization"))).Single();
            Assert.NotNull(org["tenantType"]);
            Error(await As(organization, "GET", "/applications"), 403, "Authorization_RequestDenied");
            Error(await As(organization, "GET", "/domains"), 403, "Authorization_RequestDenied"); // domains need Domain.Read.All or Directory.Read.All

            var (_, directory) = await AppAsync(IdentityKit.DirectoryReadAll);
            foreach (var path in new[] { "/applications", "/servicePrincipals", "/oauth2PermissionGrants", "/organization", "/domains" })
                Ok(await As(directory, "GET", path));
            Error(await As(directory, "POST", "/applications", NewApp("read-only")), 403, "Authorization_RequestDenied");
        }

        [Fact]
        public async Task Delegated_permission_grants_need_DelegatedPermissionGrant_ReadWrite_All()
        {
            // learn.microsoft.com/graph/api/oauth2permissiongrant-post
            var (_, reader) = await AppAsync(IdentityKit.DirectoryReadAll);
            var target = await CreateAppWithSpAsync();
            object grant = new { clientId = (string)target.Sp["id"]!, consentType = "AllPrincipals", resourceId = await GraphSpIdAsync(), scope = "User.Read" };
            Ok(await As(reader, "GET", "/oauth2PermissionGrants"));
            Error(await As(reader, "POST", "/oauth2PermissionGrants", grant), 403, "Authorization_RequestDenied", Denied);

            var (_, writer) = await AppAsync(IdentityKit.DelegatedPermissionGrantReadWriteAll);
            var created = Ok(await As(writer, "POST", "/oauth2PermissionGrants", grant), 201);
            NoContent(await As(writer, "PATCH", $"/oauth2PermissionGrants/{created["id"]}", new { scope = "User.Read openid" }));
            NoContent(await As(writer, "DELETE", $"/oauth2PermissionGrants/{created["id"]}"));
        }

        [Fact]
        public async Task A_delegated_User_Read_token_reads_only_the_basic_organization_properties()
        {
            // learn.microsoft.com/graph/api/organization-list: "Applications granted the User.Read permission are able to read only the id, displayName, and verifiedDomains properties."
            var app = await CreateAppAsync(new JsonObject { ["isFallbackPublicClient"] = true });
            var sp = await CreateSpAsync((string)app["appId"]!);
            Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = await GraphSpIdAsync(), scope = "User.Read" }), 201);
            int interval = Tenant.DeviceCodeIntervalSeconds;
            Tenant.DeviceCodeIntervalSeconds = 1;
            string token;
            try
            {
                token = await IdentityKit.TokenAsync(new Azure.Identity.DeviceCodeCredential(_kit.Options(new Azure.Identity.DeviceCodeCredentialOptions
                {
                    TenantId = Tenant.TenantId, ClientId = (string)app["appId"]!, DeviceCodeCallback = (_, _) => Task.CompletedTask,
                })));
            }
            finally { Tenant.DeviceCodeIntervalSeconds = interval; }
            Assert.Equal(new[] { "User.Read" }, IdentityKit.Scopes(token));

            var org = Items(Ok(await As(token, "GET", "/organization"))).Single();
            Assert.Equal(new[] { "id", "displayName", "verifiedDomains" }, org.Select(kv => kv.Key).OrderBy(k => k == "id" ? 0 : k == "displayName" ? 1 : 2));
            Assert.Equal(Tenant.TenantId, (string?)org["id"]);
            Error(await As(token, "GET", "/applications"), 403, "Authorization_RequestDenied");
        }

        [Fact]
        public async Task The_admin_token_has_full_rights()
        {
            string token = Tenant.IssueAdminToken();
            var claims = IdentityKit.Claims(token);
            Assert.Equal("user", (string?)claims["idtyp"]);
            Assert.Equal(Tenant.AdministratorUserPrincipalName, (string?)claims["upn"]);
            Assert.Equal("admin@contoso.onmicrosoft.com", Tenant.AdministratorUserPrincipalName);
            Assert.Equal(Tenant.AdministratorId, (string?)claims["oid"]);
            Assert.Contains(Tenant.GlobalAdministratorRoleId, Strings(claims["wids"]));
            Assert.Equal(new[] { "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "User.Read",
                    "Policy.Read.All", "Policy.ReadWrite.Authorization", "Policy.ReadWrite.ConsentRequest" },
                IdentityKit.Scopes(token));
            Assert.Equal(3600, (long)claims["exp"]! - (long)claims["iat"]!);
            Assert.Equal(86400, (long)IdentityKit.Claims(Tenant.IssueAdminToken(TimeSpan.FromDays(1)))["exp"]! - (long)IdentityKit.Claims(Tenant.IssueAdminToken(TimeSpan.FromDays(1)))["iat"]!);

            var app = Ok(await As(token, "POST", "/applications", NewApp(Unique("admin"))), 201);
            Ok(await As(token, "POST", $"/applications/{app["id"]}/addPassword", new { passwordCredential = new { } }));
            var sp = Ok(await As(token, "POST", "/servicePrincipals", new { appId = (string)app["appId"]! }), 201);
            string graphSp = await GraphSpIdAsync();
            Ok(await As(token, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = IdentityKit.DirectoryReadAll }), 201);
            Ok(await As(token, "POST", "/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
            Assert.NotNull(Items(Ok(await As(token, "GET", "/organization"))).Single()["tenantType"]);
            Ok(await As(token, "GET", "/domains"));
            NoContent(await As(token, "DELETE", $"/servicePrincipals/{sp["id"]}"));
            NoContent(await As(token, "DELETE", $"/applications/{app["id"]}"));
        }

        [Fact]
        public async Task Tokens_that_fail_validation_are_Graphs_401()
        {
            static void Challenge(GraphCall call) => Assert.StartsWith("Bearer realm=\"\"", call.Header("WWW-Authenticate"));

            var garbage = await As("not-a-jwt", "GET", "/organization");
            Error(garbage, 401, "InvalidAuthenticationToken", "CompactToken parsing failed with error code: 80049217");
            Challenge(garbage);

            string good = Tenant.IssueAdminToken();
            var parts = good.Split('.');
            string forged = parts[0] + "." + Base64Url(IdentityKit.Claims(good).ToJsonString().Replace(" Directory.Read.All", " Directory.ReadWrite.All")) + "." + parts[2];
            Assert.NotEqual(good, forged);
            Error(await As(forged, "GET", "/organization"), 401, "InvalidAuthenticationToken", "Signature is invalid.");
            Error(await As(Tenant.Create().IssueAdminToken(), "GET", "/organization"), 401, "InvalidAuthenticationToken", "Signature is invalid.");

            string shortLived = Tenant.IssueAdminToken(TimeSpan.FromMinutes(1));
            Door.Clock.Advance(TimeSpan.FromMinutes(2));
            Error(await As(shortLived, "GET", "/organization"), 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");

            var basic = await Door.GetAsync("/organization", ("Authorization", "Basic dXNlcjpwYXNz"));
            Error(basic, 401, "InvalidAuthenticationToken", "Access token is empty.");
        }

        private static string Base64Url(string text) =>
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        [Fact]
        public async Task A_token_for_another_audience_is_refused()
        {
            // An ID token is signed by the same key, but it is for the client, not for Graph.
            var (status, json, _) = await _kit.PostFormAsync($"/{Tenant.TenantId}/oauth2/v2.0/devicecode",
                ("client_id", "14d82eec-204b-4c2f-b7e8-296a70dab67e"), ("scope", "https://graph.microsoft.com/.default openid"));
            Assert.Equal(200, status);
            int interval = Tenant.DeviceCodeIntervalSeconds;
            Door.Clock.Advance(TimeSpan.FromSeconds(interval));
            var answer = await _kit.PostFormAsync($"/{Tenant.TenantId}/oauth2/v2.0/token", ("grant_type", "device_code"),
                ("client_id", "14d82eec-204b-4c2f-b7e8-296a70dab67e"), ("device_code", (string)json["device_code"]!));
            Assert.Equal(200, answer.Status);
            Error(await As((string)answer.Json["id_token"]!, "GET", "/organization"), 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
            Ok(await As((string)answer.Json["access_token"]!, "GET", "/organization"));
        }

        [Fact]
        public async Task Batch_items_are_authorised_one_by_one_with_the_batch_token()
        {
            // learn.microsoft.com/graph/json-batching: each item is its own request; here each runs with the outer token.
            var (_, token) = await AppAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            var foreign = await CreateAppAsync();
            string graphSp = await GraphSpIdAsync();
            var batch = new JsonObject
            {
                ["requests"] = new JsonArray(
                    new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "/applications?$top=1" },
                    new JsonObject { ["id"] = "2", ["method"] = "POST", ["url"] = "/applications", ["headers"] = new JsonObject { ["Content-Type"] = "application/json" }, ["body"] = NewApp(Unique("batched")) },
                    new JsonObject
                    {
                        ["id"] = "3", ["method"] = "PATCH", ["url"] = $"/applications/{foreign["id"]}",
                        // An item's own Authorization header does not count: the batch's token does.
                        ["headers"] = new JsonObject { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " + Tenant.IssueAdminToken() },
                        ["body"] = new JsonObject { ["description"] = "not mine" },
                    },
                    new JsonObject { ["id"] = "4", ["method"] = "GET", ["url"] = "/oauth2PermissionGrants" }),
            };
            var root = Ok(await As(token, "POST", "/$batch", batch));
            var statuses = root["responses"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => (int)r!["status"]!);
            Assert.Equal(200, statuses["1"]);
            Assert.Equal(201, statuses["2"]);
            Assert.Equal(403, statuses["3"]);
            Assert.Equal(403, statuses["4"]);
            var denied = root["responses"]!.AsArray().Single(r => (string?)r!["id"] == "3")!;
            Assert.Equal("Authorization_RequestDenied", (string?)denied["body"]!["error"]!["code"]);

            // A batch with a bad token is refused as a whole.
            Error(await As("not-a-jwt", "POST", "/$batch", batch), 401, "InvalidAuthenticationToken");
        }

        [Fact]
        public async Task Without_a_token_a_request_is_the_built_in_admin_unless_authentication_is_required()
        {
            string legacy = "localtenant-admin." + Tenant.TenantId; // what earlier releases' in-process admin credential sends
            Ok(await Door.GetAsync("/organization"));
            Ok(await As(legacy, "GET", "/organization"));
            Ok(await As("localtenant-admin.local", "GET", "/organization")); // sent when the credential does not know the tenant
            Error(await As("localtenant-admin." + Guid.NewGuid(), "GET", "/organization"), 401, "InvalidAuthenticationToken");
            Tenant.RequireAuthentication = true;
            try
            {
                Error(await Door.GetAsync("/organization"), 401, "InvalidAuthenticationToken", "Access token is empty.");
                // The legacy token can be made from the tenant id alone, so it is no credential once tokens are required.
                Error(await As(legacy, "GET", "/organization"), 401, "InvalidAuthenticationToken", "CompactToken parsing failed with error code: 80049217");
                Ok(await As(Tenant.IssueAdminToken(), "GET", "/organization"));
            }
            finally { Tenant.RequireAuthentication = false; }
        }
    }
}
