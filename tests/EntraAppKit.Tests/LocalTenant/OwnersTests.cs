using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Owners of applications and service principals through both front doors: GET …/owners
    /// (learn.microsoft.com/graph/api/application-list-owners, /graph/api/serviceprincipal-list-owners), POST …/owners/$ref
    /// (/graph/api/application-post-owners, /graph/api/serviceprincipal-post-owners), DELETE …/owners/{id}/$ref
    /// (/graph/api/application-delete-owners, /graph/api/serviceprincipal-delete-owners). Azure CLI's az ad app owner list/add/remove.
    /// </summary>
    public abstract class OwnersTests : DoorTests, IDisposable
    {
        private const string Duplicate = "One or more added object references already exist for the following modified properties: 'owners'.";
        private const string NotThere = "One or more removed object references do not exist for the following modified properties: 'owners'.";

        private readonly IdentityKit _kit;

        protected OwnersTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : OwnersTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : OwnersTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static object Ref(string id) => new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{id}" };

        private async Task<string[]> OwnerIdsAsync(string path)
        {
            var list = Ok(await Door.GetAsync(path + "/owners"));
            Assert.Equal(Root + "/$metadata#directoryObjects", (string?)list["@odata.context"]);
            return Items(list).Select(o => (string)o["id"]!).ToArray();
        }

        [Fact]
        public async Task A_signed_in_creator_owns_the_application_and_service_principal_it_creates()
        {
            // application-post-applications / serviceprincipal-post-serviceprincipals with a delegated token: the signed-in user is an owner.
            string token = Tenant.IssueAdminToken();
            var app = Ok(await IdentityKit.Bearer(Door, "POST", "/applications", token, new { displayName = Unique("owned"), signInAudience = "AzureADMyOrg" }), 201);
            var sp = Ok(await IdentityKit.Bearer(Door, "POST", "/servicePrincipals", token, new { appId = (string)app["appId"]! }), 201);
            foreach (var path in new[] { $"/applications/{app["id"]}", $"/servicePrincipals/{sp["id"]}" })
            {
                var owner = Assert.Single(Items(Ok(await IdentityKit.Bearer(Door, "GET", path + "/owners", token))));
                Assert.Equal("#microsoft.graph.user", (string?)owner["@odata.type"]);
                Assert.Equal(Tenant.AdministratorId, (string?)owner["id"]);
                Assert.Equal(Tenant.AdministratorUserPrincipalName, (string?)owner["userPrincipalName"]);
            }
        }

        [Fact]
        public async Task An_app_only_creator_owns_its_application_as_a_service_principal_but_not_the_service_principal()
        {
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            var app = Ok(await IdentityKit.Bearer(Door, "POST", "/applications", token, new { displayName = Unique("byapp"), signInAudience = "AzureADMyOrg" }), 201);
            var sp = Ok(await IdentityKit.Bearer(Door, "POST", "/servicePrincipals", token, new { appId = (string)app["appId"]! }), 201);
            var owner = Assert.Single(Items(Ok(await Door.GetAsync($"/applications/{app["id"]}/owners"))));
            Assert.Equal("#microsoft.graph.servicePrincipal", (string?)owner["@odata.type"]);
            Assert.Equal(client.SpId, (string?)owner["id"]);
            Assert.Equal(client.AppId, (string?)owner["appId"]);
            Assert.Empty(await OwnerIdsAsync($"/servicePrincipals/{sp["id"]}"));
            // OwnedBy manages the owners of what it owns (application-post-owners: Application.ReadWrite.OwnedBy).
            NoContent(await IdentityKit.Bearer(Door, "POST", $"/applications/{app["id"]}/owners/$ref", token, Ref(Tenant.AdministratorId)));
            Assert.Equal(new[] { client.SpId, Tenant.AdministratorId }, await OwnerIdsAsync($"/applications/{app["id"]}"));
        }

        [Theory]
        [InlineData("applications")]
        [InlineData("servicePrincipals")]
        public async Task Owners_are_added_and_removed_by_reference_with_Graphs_errors(string set)
        {
            var (app, sp) = await CreateAppWithSpAsync();
            string path = set == "applications" ? $"/applications/{app["id"]}" : $"/servicePrincipals/{sp["id"]}";
            var (_, other) = await CreateAppWithSpAsync();
            string otherId = (string)other["id"]!;
            Assert.Equal(new[] { Tenant.AdministratorId }, await OwnerIdsAsync(path));

            NoContent(await Door.PostAsync(path + "/owners/$ref", Ref(otherId)));
            Assert.Equal(new[] { Tenant.AdministratorId, otherId }, await OwnerIdsAsync(path));
            var listed = Items(Ok(await Door.GetAsync(path + "/owners"))).Single(o => (string?)o["id"] == otherId);
            Assert.Equal("#microsoft.graph.servicePrincipal", (string?)listed["@odata.type"]);
            // Also by a users/{id} URL, and case does not make a new owner.
            Rejected(await Door.PostAsync(path + "/owners/$ref", new JsonObject { ["@odata.id"] = $"{FrontDoor.GraphRoot}/directoryObjects/{otherId.ToUpperInvariant()}" }), 400, "Request_BadRequest", Duplicate);
            Rejected(await Door.PostAsync(path + "/owners/$ref", new JsonObject { ["@odata.id"] = $"{FrontDoor.GraphRoot}/users/{Tenant.AdministratorId}" }), 400, "Request_BadRequest", Duplicate);

            string unknown = Guid.NewGuid().ToString();
            Rejected(await Door.PostAsync(path + "/owners/$ref", Ref(unknown)), 404, "Request_ResourceNotFound",
                $"Resource '{unknown}' does not exist or one of its queried reference-property objects are not present.");
            Rejected(await Door.PostAsync(path + "/owners/$ref", new JsonObject { ["@odata.id"] = "not a url" }), 400, "Request_BadRequest",
                "Invalid value specified for object reference property 'owners'. Please ensure that this value has an appropriate syntax and length.");
            Rejected(await Door.PostAsync(path + "/owners/$ref", new JsonObject { ["@odata.id"] = $"{FrontDoor.GraphRoot}/directoryObjects/{otherId}", ["x"] = 1 }), 400, "Request_BadRequest",
                "Property 'x' does not exist as a declared property or extension property.");

            NoContent(await Door.DeleteAsync($"{path}/owners/{otherId}/$ref"));
            Assert.Equal(new[] { Tenant.AdministratorId }, await OwnerIdsAsync(path));
            Rejected(await Door.DeleteAsync($"{path}/owners/{otherId}/$ref"), 400, "Request_BadRequest", NotThere);
            Rejected(await Door.DeleteAsync($"{path}/owners/{unknown}/$ref"), 404, "Request_ResourceNotFound",
                $"Resource '{unknown}' does not exist or one of its queried reference-property objects are not present.");
        }

        [Fact]
        public async Task Reading_owners_needs_a_read_permission_and_changing_them_a_write_one()
        {
            // application-list-owners: Application.Read.All or Directory.Read.All read; application-post-owners: neither writes.
            var (app, _) = await CreateAppWithSpAsync();
            var (_, other) = await CreateAppWithSpAsync();
            var reader = await _kit.CreateClientAsync(IdentityKit.DirectoryReadAll);
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(reader.AppId, reader.Secret));
            Ok(await IdentityKit.Bearer(Door, "GET", $"/applications/{app["id"]}/owners", token));
            Error(await IdentityKit.Bearer(Door, "POST", $"/applications/{app["id"]}/owners/$ref", token, Ref((string)other["id"]!)), 403,
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            Error(await IdentityKit.Bearer(Door, "DELETE", $"/applications/{app["id"]}/owners/{Tenant.AdministratorId}/$ref", token), 403,
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            Assert.Equal(new[] { Tenant.AdministratorId }, await OwnerIdsAsync($"/applications/{app["id"]}"));
        }

        [Fact]
        public async Task A_deleted_service_principal_owns_nothing()
        {
            var (app, _) = await CreateAppWithSpAsync();
            var (_, other) = await CreateAppWithSpAsync();
            NoContent(await Door.PostAsync($"/applications/{app["id"]}/owners/$ref", Ref((string)other["id"]!)));
            NoContent(await Door.DeleteAsync($"/servicePrincipals/{other["id"]}"));
            Assert.Equal(new[] { Tenant.AdministratorId }, await OwnerIdsAsync($"/applications/{app["id"]}"));
        }
    }
}
