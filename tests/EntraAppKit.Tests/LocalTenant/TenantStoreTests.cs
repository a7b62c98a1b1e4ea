using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The tenant store owns the lookups: its indexes find applications by id, appId and uniqueName, service principals by
    /// appId, grants by client and assignments by principal and resource, and stay right after updates, deletes and a reopen.
    /// </summary>
    public sealed class TenantStoreTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-localtenant-tests", Guid.NewGuid().ToString("N"));

        public TenantStoreTests() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        public static IEnumerable<object[]> Kinds => FrontDoor.Kinds;

        private static InMemoryTenantStore NewStore() => InMemoryTenantStore.New(new LocalTenantOptions(), GraphSchema.V1, DateTimeOffset.UtcNow);

        private static ApplicationEntity App(string? uniqueName = null) => new ApplicationEntity(new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["appId"] = Guid.NewGuid().ToString(),
            ["uniqueName"] = uniqueName,
            ["identifierUris"] = new JsonArray(),
            ["passwordCredentials"] = new JsonArray(),
        });

        private static ServicePrincipalEntity Sp(string appId) => new ServicePrincipalEntity(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["appId"] = appId });

        [Fact]
        public void Applications_are_found_by_id_appId_and_uniqueName_without_regard_to_case()
        {
            var store = NewStore();
            var app = App("Alpha");
            var other = App();
            store.AddApplication(app, DateTimeOffset.MinValue);
            store.AddApplication(other, DateTimeOffset.MinValue);

            Assert.Same(app, store.FindApplication(app.Id.ToUpperInvariant()));
            Assert.Same(app, store.FindApplicationByAppId(app.AppId.ToUpperInvariant()));
            Assert.Same(app, store.FindApplicationByUniqueName("ALPHA"));
            Assert.Same(other, store.FindApplicationByAppId(other.AppId));
            Assert.Null(store.FindApplicationByUniqueName("beta"));
            Assert.Null(store.FindApplicationByAppId(Guid.NewGuid().ToString()));
        }

        [Fact]
        public void Indexes_follow_an_update_and_a_delete()
        {
            var store = NewStore();
            var app = App();
            store.AddApplication(app, DateTimeOffset.MinValue);
            store.AddOwner(app, "owner-1");
            store.AddSecret("key-1", StoredSecret.Create(app.Id, "secret"));

            // uniqueName may be set once, from null: the index learns the new key.
            var updated = (JsonObject)app.Json.DeepClone();
            updated["uniqueName"] = "late-name";
            store.ReplaceApplication(app, updated);
            Assert.Same(app, store.FindApplicationByUniqueName("late-name"));
            Assert.Equal("late-name", (string?)app.Json["uniqueName"]);

            store.RemoveApplication(app);
            Assert.Null(store.FindApplication(app.Id));
            Assert.Null(store.FindApplicationByAppId(app.AppId));
            Assert.Null(store.FindApplicationByUniqueName("late-name"));
            Assert.Empty(store.Applications);
            Assert.False(store.IsOwner(app, "owner-1"));
            Assert.Null(store.FindSecret("key-1"));
        }

        [Fact]
        public void A_key_shared_by_two_entities_finds_the_older_first_even_after_a_reindex()
        {
            // Only a hand-edited state file can hold two; lookups must still give what a scan in creation order gives.
            var store = NewStore();
            var first = App("same");
            var second = App("same");
            store.AddApplication(first, DateTimeOffset.MinValue);
            store.AddApplication(second, DateTimeOffset.MinValue);
            store.ReplaceApplication(first, (JsonObject)first.Json.DeepClone());
            Assert.Same(first, store.FindApplicationByUniqueName("same"));
            Assert.Equal(new[] { first, second }, store.ApplicationsByUniqueName("same"));
            store.RemoveApplication(first);
            Assert.Same(second, store.FindApplicationByUniqueName("same"));
        }

        [Fact]
        public void Visibility_lookups_respect_replication_lag()
        {
            var store = NewStore();
            var now = DateTimeOffset.UtcNow;
            var app = App();
            store.AddApplication(app, now.AddSeconds(30));
            Assert.Same(app, store.FindApplicationByAppId(app.AppId)); // the object exists...
            Assert.Null(store.FindVisibleApplicationByAppId(app.AppId, now)); // ...but is not visible yet
            Assert.Same(app, store.FindVisibleApplicationByAppId(app.AppId, now.AddSeconds(30)));
            Assert.DoesNotContain(app, store.VisibleApplications(now));
        }

        [Fact]
        public void Removing_a_service_principal_removes_its_grants_and_assignments_from_every_index()
        {
            var store = NewStore();
            var client = Sp(Guid.NewGuid().ToString());
            var resource = Sp(Guid.NewGuid().ToString());
            store.AddServicePrincipal(client, DateTimeOffset.MinValue);
            store.AddServicePrincipal(resource, DateTimeOffset.MinValue);
            var grant = new GrantEntity(new JsonObject { ["id"] = "g1", ["clientId"] = client.Id, ["resourceId"] = resource.Id, ["consentType"] = "AllPrincipals", ["scope"] = "x" });
            var assignment = new AssignmentEntity(new JsonObject { ["id"] = "a1", ["principalId"] = client.Id, ["resourceId"] = resource.Id, ["appRoleId"] = Guid.NewGuid().ToString() });
            store.AddGrant(grant);
            store.AddAssignment(assignment);
            Assert.Same(client, store.FindServicePrincipalByAppId(client.AppId.ToUpperInvariant()));
            Assert.Equal(new[] { grant }, store.GrantsOfClient(client.Id));
            Assert.Equal(new[] { assignment }, store.AssignmentsOf(client.Id));
            Assert.Equal(new[] { assignment }, store.AssignmentsTo(resource.Id));

            store.RemoveServicePrincipal(resource);
            Assert.Null(store.FindServicePrincipalByAppId(resource.AppId));
            Assert.Empty(store.GrantsOfClient(client.Id));
            Assert.Empty(store.AssignmentsOf(client.Id));
            Assert.Empty(store.AssignmentsTo(resource.Id));
            Assert.Null(store.FindGrant("g1"));
            Assert.Null(store.FindAssignment("a1"));
            Assert.Same(client, store.FindServicePrincipal(client.Id));
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task Indexes_are_rebuilt_when_the_tenant_is_reopened(string kind)
        {
            string path = Path.Combine(_dir, "tenant.json");
            var tenant = Tenant.Open(path, new LocalTenantOptions { Name = "indexed" });
            string unique = "indexed-" + Guid.NewGuid().ToString("N");
            string id, appId, spId, grantId, assignmentId, graphSpId;
            await using (var door = await FrontDoor.OpenAsync(kind, tenant))
            {
                var app = Ok(await door.PostAsync("/applications", new { displayName = "indexed", signInAudience = "AzureADMyOrg" }), 201);
                id = (string)app["id"]!;
                appId = (string)app["appId"]!;
                NoContent(await door.PatchAsync($"/applications/{id}", new { uniqueName = unique })); // set once, after creation
                spId = (string)Ok(await door.PostAsync("/servicePrincipals", new { appId }), 201)["id"]!;
                graphSpId = (string)Items(Ok(await door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'")))[0]["id"]!;
                grantId = (string)Ok(await door.PostAsync("/oauth2PermissionGrants",
                    new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSpId, scope = "User.Read" }), 201)["id"]!;
                assignmentId = (string)Ok(await door.PostAsync($"/servicePrincipals/{graphSpId}/appRoleAssignedTo",
                    new { principalId = spId, resourceId = graphSpId, appRoleId = IdentityKit.ApplicationReadAll }), 201)["id"]!;
            }

            var reopened = Tenant.Open(path);
            var store = reopened.Store;
            Assert.Equal(id, store.FindApplicationByUniqueName(unique)!.Id);
            Assert.Equal(id, store.FindApplicationByAppId(appId)!.Id);
            Assert.Equal(spId, store.FindServicePrincipalByAppId(appId)!.Id);
            Assert.Equal(grantId, Assert.Single(store.GrantsOfClient(spId)).Id);
            Assert.Equal(assignmentId, Assert.Single(store.AssignmentsOf(spId)).Id);
            Assert.Contains(store.AssignmentsTo(graphSpId), a => a.Id == assignmentId);
            await using (var door = await FrontDoor.OpenAsync(kind, reopened))
            {
                Assert.Equal(id, (string?)Ok(await door.GetAsync($"/applications(uniqueName='{unique}')"))["id"]);
                Assert.Equal(spId, (string?)Ok(await door.GetAsync($"/servicePrincipals(appId='{appId}')"))["id"]);
                // Deleting the application takes its service principal, its grant and its assignment out of every index.
                NoContent(await door.DeleteAsync($"/applications(appId='{appId}')"));
                Error(await door.GetAsync($"/applications(uniqueName='{unique}')"), 404, "Request_ResourceNotFound");
            }
            Assert.Null(store.FindApplicationByUniqueName(unique));
            Assert.Null(store.FindServicePrincipalByAppId(appId));
            Assert.Empty(store.GrantsOfClient(spId));
            Assert.Empty(store.AssignmentsOf(spId));
            Assert.Null(Tenant.Open(path).Store.FindApplicationByAppId(appId)); // and the file agrees
        }
    }
}
