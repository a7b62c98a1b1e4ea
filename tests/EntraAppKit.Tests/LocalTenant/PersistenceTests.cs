using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Persistence;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// LocalTenantEngine.Open(path), driven through both front doors: state survives a reopen, secrets are stored only as salted
    /// hashes, corrupt or foreign files are refused and left byte-for-byte untouched, and writes are atomic.
    /// </summary>
    public sealed class PersistenceTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-localtenant-tests", Guid.NewGuid().ToString("N"));

        public PersistenceTests() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        private string StatePath => Path.Combine(_dir, "tenant.json");

        public static IEnumerable<object[]> Kinds => FrontDoor.Kinds;

        private static async Task<JsonObject> CreateAppAsync(FrontDoor door, object body) => Ok(await door.PostAsync("/applications", body), 201);

        private static async Task<string> GraphSpIdAsync(FrontDoor door) =>
            (string)Items(Ok(await door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'")))[0]["id"]!;

        /// <summary>The JSON without @odata.context, which names the door's address (a new server port after a reopen).</summary>
        private static string Data(JsonObject o)
        {
            var copy = (JsonObject)o.DeepClone();
            copy.Remove("@odata.context");
            return copy.ToJsonString();
        }

        /// <summary>The folder's files besides the lock every opener takes ("tenant.json.lock", empty; see SharedStateFileTests).</summary>
        private string[] FilesInFolder() => Directory.GetFiles(_dir).Select(Path.GetFileName).Where(f => f != "tenant.json.lock").ToArray()!;

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task State_survives_reopening(string kind)
        {
            var tenant = Tenant.Open(StatePath, new LocalTenantOptions { Name = "persisted" });
            Assert.Equal(StatePath, tenant.Path);
            Assert.True(File.Exists(StatePath)); // created on open
            string tenantId = tenant.TenantId;
            tenant.AddVerifiedDomain("persisted.example.com");

            JsonObject app, sp, grant, assignment;
            string secret, graphSp;
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                app = await CreateAppAsync(door, new { displayName = "Persisted", signInAudience = "AzureADMyOrg", uniqueName = "persisted-app",
                    identifierUris = new[] { $"api://{tenantId}/persisted" } });
                secret = (string)Ok(await door.PostAsync($"/applications/{app["id"]}/addPassword", new { passwordCredential = new { displayName = "kept" } }))["secretText"]!;
                sp = Ok(await door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]! }), 201);
                graphSp = await GraphSpIdAsync(door);
                grant = Ok(await door.PostAsync("/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
                assignment = Ok(await door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                    new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = "7ab1d382-f21e-4acd-a863-ba3e13f7da61" }), 201);
                app = Ok(await door.GetAsync($"/applications/{app["id"]}"));
            }
            finally { await door.DisposeAsync(); }

            // Options are for new tenants only; an existing file wins.
            var reopened = Tenant.Open(StatePath, new LocalTenantOptions { Name = "ignored", TenantId = Guid.NewGuid() });
            Assert.Equal(tenantId, reopened.TenantId);
            Assert.Equal("persisted.onmicrosoft.com", reopened.InitialDomain);
            Assert.Contains("persisted.example.com", reopened.VerifiedDomains);
            Assert.True(reopened.VerifyClientSecret((string)app["appId"]!, secret));
            Assert.False(reopened.VerifyClientSecret((string)app["appId"]!, secret.ToUpperInvariant() + "!"));

            door = await FrontDoor.OpenAsync(kind, reopened);
            try
            {
                Assert.Equal(Data(app), Data(Ok(await door.GetAsync($"/applications/{app["id"]}"))));
                Assert.Equal((string?)app["id"], (string?)Ok(await door.GetAsync("/applications(uniqueName='persisted-app')"))["id"]);
                Assert.Equal(Data(sp), Data(Ok(await door.GetAsync($"/servicePrincipals/{sp["id"]}"))));
                Assert.Equal(graphSp, await GraphSpIdAsync(door));
                Assert.Equal(Data(grant), Data(Ok(await door.GetAsync($"/oauth2PermissionGrants/{grant["id"]}"))));
                Assert.Equal((string?)assignment["id"], (string?)Assert.Single(Items(Ok(await door.GetAsync($"/servicePrincipals/{sp["id"]}/appRoleAssignments"))))["id"]);
                Assert.Equal(tenantId, (string?)Items(Ok(await door.GetAsync("/organization")))[0]["id"]);
                // And it keeps working: the identifier URI is still taken.
                Error(await door.PostAsync("/applications", new { displayName = "Second", signInAudience = "AzureADMyOrg", identifierUris = new[] { $"api://{tenantId}/persisted" } }),
                    400, "Request_BadRequest", "Another object with the same value for property identifierUris already exists.");
            }
            finally { await door.DisposeAsync(); }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task A_key_rolled_with_addKey_survives_reopening_and_still_proves_possession(string kind)
        {
            // learn.microsoft.com/graph/api/application-addkey: the added keyCredential is the application's, like one PATCH sets.
            using var first = IdentityKit.NewCertificate("CN=entraappkit-persisted-first");
            using var second = IdentityKit.NewCertificate("CN=entraappkit-persisted-second");
            var tenant = Tenant.Open(StatePath);
            JsonObject app, added;
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                app = await CreateAppAsync(door, new { displayName = "Rolled", signInAudience = "AzureADMyOrg" });
                NoContent(await door.PatchAsync($"/applications/{app["id"]}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(first)) }));
                added = Ok(await door.PostAsync($"/applications/{app["id"]}/addKey", new JsonObject
                {
                    ["keyCredential"] = IdentityKit.PublicKey(second),
                    ["proof"] = IdentityKit.Proof(first, (string)app["id"]!, DateTimeOffset.UtcNow),
                }));
                app = Ok(await door.GetAsync($"/applications/{app["id"]}"));
            }
            finally { await door.DisposeAsync(); }

            door = await FrontDoor.OpenAsync(kind, Tenant.Open(StatePath));
            try
            {
                var reopened = Ok(await door.GetAsync($"/applications/{app["id"]}"));
                Assert.Equal(Data(app), Data(reopened));
                Assert.Contains((string?)added["keyId"], reopened["keyCredentials"]!.AsArray().Select(k => (string?)k!["keyId"]));
                // The stored key is the certificate itself: after the reopen the rolled-in key proves possession on its own.
                NoContent(await door.PostAsync($"/applications/{app["id"]}/removeKey", new
                {
                    keyId = (string)reopened["keyCredentials"]![0]!["keyId"]!,
                    proof = IdentityKit.Proof(second, (string)app["id"]!, DateTimeOffset.UtcNow),
                }));
            }
            finally { await door.DisposeAsync(); }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task The_file_never_holds_a_secretText(string kind)
        {
            // learn.microsoft.com/graph/api/application-addpassword: secretText is returned only by addPassword
            var tenant = Tenant.Open(StatePath);
            var door = await FrontDoor.OpenAsync(kind, tenant);
            var secrets = new List<string>();
            try
            {
                var app = await CreateAppAsync(door, new { displayName = "Secretive", signInAudience = "AzureADMyOrg" });
                for (int i = 0; i < 3; i++)
                    secrets.Add((string)Ok(await door.PostAsync($"/applications/{app["id"]}/addPassword", new { passwordCredential = new { displayName = $"s{i}" } }))["secretText"]!);
            }
            finally { await door.DisposeAsync(); }

            byte[] bytes = File.ReadAllBytes(StatePath);
            string text = Encoding.UTF8.GetString(bytes);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text);
                Assert.DoesNotContain(secret, Encoding.Unicode.GetString(bytes));
                Assert.DoesNotContain(secret.Substring(3), text); // not even the part after the hint
            }
            var doc = JsonNode.Parse(text)!;
            var creds = doc["applications"]![0]!["passwordCredentials"]!.AsArray();
            Assert.Equal(3, creds.Count);
            Assert.All(creds, c => Assert.Null(c!["secretText"]));
        }

        [Theory]
        [InlineData("{not json")]
        [InlineData("")]
        [InlineData("null")]
        [InlineData("[1,2,3]")]
        [InlineData("{\"hello\":\"world\"}")]
        [InlineData("{\"format\":\"SomethingElse/1\",\"tenant\":{}}")]
        [InlineData("{\"format\":\"EntraAppKit.LocalTenant/1\"}")]
        [InlineData("{\"format\":\"EntraAppKit.LocalTenant/1\",\"tenant\":{\"id\":42}}")]
        public void A_corrupt_or_foreign_file_is_refused_and_left_untouched(string content)
        {
            File.WriteAllText(StatePath, content);
            byte[] before = File.ReadAllBytes(StatePath);
            var written = File.GetLastWriteTimeUtc(StatePath);

            var e = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath));
            Assert.Contains(StatePath, e.Message);
            Assert.Contains("untouched", e.Message);

            Assert.Equal(before, File.ReadAllBytes(StatePath));
            Assert.Equal(written, File.GetLastWriteTimeUtc(StatePath));
            Assert.Equal(new[] { "tenant.json" }, FilesInFolder());
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task Writes_are_atomic_and_only_successful_writes_touch_the_file(string kind)
        {
            var tenant = Tenant.Open(StatePath);
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                for (int i = 0; i < 8; i++)
                {
                    var app = await CreateAppAsync(door, new { displayName = $"atomic-{i}", signInAudience = "AzureADMyOrg" });
                    NoContent(await door.PatchAsync($"/applications/{app["id"]}", new { description = $"write {i}" }));
                    Assert.Equal(new[] { "tenant.json" }, FilesInFolder());
                }
                byte[] before = File.ReadAllBytes(StatePath);
                Error(await door.PostAsync("/applications", new { displayName = "bad", foo = 1 }), 400, "Request_BadRequest");
                Ok(await door.GetAsync("/applications"));
                Error(await door.GetAsync($"/applications/{Guid.NewGuid()}"), 404, "Request_ResourceNotFound");
                Assert.Equal(before, File.ReadAllBytes(StatePath));
            }
            finally { await door.DisposeAsync(); }

            Assert.Empty(Directory.GetFiles(_dir, "*.tmp", SearchOption.AllDirectories));
            Assert.Equal(new[] { "tenant.json" }, FilesInFolder());
            var doc = JsonNode.Parse(File.ReadAllText(StatePath))!;
            Assert.Equal("EntraAppKit.LocalTenant/2", (string?)doc["format"]);
            Assert.Equal(8, doc["applications"]!.AsArray().Count);
            Assert.Equal(tenant.TenantId, Tenant.Open(StatePath).TenantId); // and it still loads
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task A_lagged_grant_write_that_applied_is_saved(string kind)
        {
            // learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: a grant right after SP creation can 404 and still apply; the file must not lose it
            var clock = new ManualClock();
            var tenant = Tenant.Open(StatePath, new LocalTenantOptions { Clock = clock.Now });
            var door = await FrontDoor.OpenAsync(kind, tenant);
            string spId;
            try
            {
                var app = await CreateAppAsync(door, new { displayName = "lagged", signInAudience = "AzureADMyOrg" });
                string graphSp = await GraphSpIdAsync(door);
                tenant.Faults.ReplicationLag = TimeSpan.FromMinutes(1);
                spId = (string)Ok(await door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]! }), 201)["id"]!;
                Error(await door.PostAsync("/oauth2PermissionGrants", new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }),
                    404, "Directory_ObjectNotFound");
            }
            finally { await door.DisposeAsync(); }

            door = await FrontDoor.OpenAsync(kind, Tenant.Open(StatePath));
            try
            {
                var grant = Assert.Single(Items(Ok(await door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{spId}'"))));
                Assert.Equal("User.Read", (string?)grant["scope"]);
            }
            finally { await door.DisposeAsync(); }
        }
    }
}
