using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.Store;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The state file's journal, which a large tenant appends each write to instead of rewriting the file (here from the
    /// first byte, JournalAfterBytes = 0): every kind of write survives a reopen exactly, two openers see each other's
    /// journal lines, a refused or unsaveable write leaves nothing behind, a crash's half line is cut off, a stale or
    /// damaged journal is handled, and the journal is folded into the file once it is as long as the file.
    /// </summary>
    public sealed class JournalTests : IDisposable
    {
        private const string Role = "62a82d76-70ea-41e2-9197-370581804d09"; // Graph's Group.ReadWrite.All (application)
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-localtenant-tests", Guid.NewGuid().ToString("N"));

        public JournalTests() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        private string StatePath => Path.Combine(_dir, "tenant.json");

        private string JournalPath => StatePath + ".journal";

        public static IEnumerable<object[]> Kinds => FrontDoor.Kinds;

        /// <summary>Journals from the first write; folds only once the journal is as long as the file.</summary>
        private Tenant OpenJournaled(string? path = null) => Tenant.Open(path ?? StatePath, new LocalTenantOptions { JournalAfterBytes = 0 });

        private static async Task<JsonObject> CreateAppAsync(FrontDoor door, string name) =>
            Ok(await door.PostAsync("/applications", new { displayName = name, signInAudience = "AzureADMyOrg" }), 201);

        private static async Task<string> GraphSpIdAsync(FrontDoor door) =>
            (string)Items(Ok(await door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'")))[0]["id"]!;

        /// <summary>The tenant as its state file would hold it, with object members in key order (a dictionary's order is not the state).</summary>
        private static string Canonical(Tenant tenant)
        {
            var doc = JsonNode.Parse(StateFile.Serialize(tenant.Store, EntraAppKit.LocalTenant.Model.GraphSchema.V1, new JsonObject(), "-"))!;
            return Sorted(doc)!.ToJsonString();
        }

        private static JsonNode? Sorted(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, Sorted(kv.Value)))),
            JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
            _ => node?.DeepClone(),
        };

        private int JournalLines => File.Exists(JournalPath) ? File.ReadAllLines(JournalPath).Length : 0;

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task A_write_appends_what_it_changed_and_leaves_the_file_as_it_was(string kind)
        {
            var tenant = OpenJournaled();
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                byte[] file = File.ReadAllBytes(StatePath);
                var app = await CreateAppAsync(door, "journaled");
                Assert.Equal(file, File.ReadAllBytes(StatePath));
                var lines = File.ReadAllLines(JournalPath);
                Assert.Equal(2, lines.Length); // the header, then the one write
                Assert.Equal(StateJournal.FormatName, (string?)JsonNode.Parse(lines[0])!["format"]);
                var record = JsonNode.Parse(lines[1])!.AsObject();
                Assert.Equal(new[] { "applications", "owners" }, record.Select(kv => kv.Key)); // its creator owns it
                Assert.Equal((string)app["id"]!, record["applications"]!.AsObject().Single().Key);

                // A read and a refused write add nothing.
                Ok(await door.GetAsync("/applications"));
                Error(await door.PostAsync("/applications", new { displayName = "bad", foo = 1 }), 400, "Request_BadRequest");
                Error(await door.PatchAsync($"/applications/{Guid.NewGuid()}", new { description = "x" }), 404, "Request_ResourceNotFound");
                Assert.Equal(2, JournalLines);
            }
            finally { await door.DisposeAsync(); }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task Every_kind_of_write_survives_a_reopen_exactly(string kind)
        {
            var tenant = OpenJournaled();
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                var kept = await CreateAppAsync(door, "kept");
                var gone = await CreateAppAsync(door, "gone");
                var secret = Ok(await door.PostAsync($"/applications/{kept["id"]}/addPassword", new { passwordCredential = new { displayName = "s1" } }));
                Ok(await door.PostAsync($"/applications/{kept["id"]}/addPassword", new { passwordCredential = new { displayName = "s2" } }));
                NoContent(await door.PostAsync($"/applications/{kept["id"]}/removePassword", new { keyId = (string)secret["keyId"]! }));
                NoContent(await door.PatchAsync($"/applications/{kept["id"]}", new { description = "changed", identifierUris = new[] { $"api://{kept["appId"]}" } }));
                var sp = Ok(await door.PostAsync("/servicePrincipals", new { appId = (string)kept["appId"]! }), 201);
                string graphSp = await GraphSpIdAsync(door);
                Ok(await door.PostAsync("/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
                Ok(await door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo", new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = Role }), 201);
                NoContent(await door.PatchAsync($"/servicePrincipals/{graphSp}", new { notes = "journaled" }));
                NoContent(await door.DeleteAsync($"/applications/{gone["id"]}"));
                var user = Ok(await door.PostAsync("/users", UsersTests.NewUser("journal", tenant.InitialDomain)), 201);
                NoContent(await door.PostAsync($"/applications/{kept["id"]}/owners/$ref",
                    new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{user["id"]}" }));
                Ok(await door.PostAsync("/roleManagement/directory/roleAssignments",
                    new { principalId = (string)user["id"]!, roleDefinitionId = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", directoryScopeId = "/" }), 201);
                NoContent(await door.PatchAsync("/policies/authorizationPolicy", new { defaultUserRolePermissions = new { allowedToCreateApps = false } }));
                tenant.AddVerifiedDomain("journal.example.com");
                Assert.True(JournalLines > 1 || !File.Exists(JournalPath)); // written to the journal (folded, perhaps, on the way)
            }
            finally { await door.DisposeAsync(); }

            Assert.Equal(Canonical(tenant), Canonical(OpenJournaled()));
        }

        [Fact]
        public async Task Two_openers_see_each_others_journal_lines()
        {
            var first = OpenJournaled();
            var second = OpenJournaled();
            var a = await FrontDoor.OpenAsync("InProcess", first);
            var b = await FrontDoor.OpenAsync("InProcess", second);
            try
            {
                var app = await CreateAppAsync(a, "from a");
                NoContent(await b.PatchAsync($"/applications/{app["id"]}", new { description = "from b" }));
                await CreateAppAsync(b, "also from b");
                Assert.Equal("from b", (string?)Ok(await a.GetAsync($"/applications/{app["id"]}"))["description"]);
                NoContent(await a.DeleteAsync($"/applications/{app["id"]}"));
                Assert.Equal(new[] { "also from b" }, Items(Ok(await b.GetAsync("/applications"))).Select(x => (string)x["displayName"]!));
                Assert.Equal(Canonical(first), Canonical(second));
            }
            finally
            {
                await a.DisposeAsync();
                await b.DisposeAsync();
            }
        }

        [Fact]
        public async Task The_journal_is_folded_into_the_file_once_it_is_as_long_as_the_file()
        {
            var tenant = OpenJournaled();
            var door = await FrontDoor.OpenAsync("InProcess", tenant);
            try
            {
                long fileLength = new FileInfo(StatePath).Length;
                string before = (string)JsonNode.Parse(File.ReadAllText(StatePath))!["generation"]!;
                int writes = 0;
                while (File.Exists(JournalPath) || writes == 0)
                {
                    await CreateAppAsync(door, "app " + writes++);
                    if (File.Exists(JournalPath)) Assert.True(new FileInfo(JournalPath).Length <= new FileInfo(StatePath).Length + 20000);
                    Assert.True(writes < 1000, "the journal was never folded");
                }
                var doc = JsonNode.Parse(File.ReadAllText(StatePath))!;
                Assert.NotEqual(before, (string)doc["generation"]!);
                Assert.Equal(writes, doc["applications"]!.AsArray().Count);
                Assert.True(new FileInfo(StatePath).Length > fileLength);
            }
            finally { await door.DisposeAsync(); }
            Assert.Equal(Canonical(tenant), Canonical(OpenJournaled()));
        }

        [Fact]
        public async Task A_line_cut_short_by_a_crash_is_cut_off_and_the_next_write_starts_a_line_of_its_own()
        {
            var tenant = OpenJournaled();
            var door = await FrontDoor.OpenAsync("InProcess", tenant);
            try { await CreateAppAsync(door, "acknowledged"); }
            finally { await door.DisposeAsync(); }
            File.AppendAllText(JournalPath, "{\"applications\":{\"a\":{\"id\":");

            var reopened = OpenJournaled();
            door = await FrontDoor.OpenAsync("InProcess", reopened);
            try
            {
                await CreateAppAsync(door, "after the crash");
                Assert.All(File.ReadAllLines(JournalPath), line => JsonNode.Parse(line));
            }
            finally { await door.DisposeAsync(); }
            Assert.Equal(new[] { "acknowledged", "after the crash" },
                OpenJournaled().Store.Applications.Select(a => a.DisplayName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public async Task A_damaged_journal_line_is_refused_like_a_damaged_file()
        {
            var tenant = OpenJournaled();
            var door = await FrontDoor.OpenAsync("InProcess", tenant);
            try
            {
                await CreateAppAsync(door, "before");
                File.AppendAllText(JournalPath, "{\"applications\":{\"x\":{\"id\":\"not this one\"}}}\n");
                var error = Error(await door.PostAsync("/applications", new { displayName = "refused", signInAudience = "AzureADMyOrg" }), 500, "generalException");
                Assert.Contains("journal", (string)error["message"]!);
            }
            finally { await door.DisposeAsync(); }
            var e = Assert.Throws<LocalTenantStateException>(() => OpenJournaled());
            Assert.Contains(JournalPath, e.Message);
        }

        [Fact]
        public async Task A_journal_of_another_generation_is_stale_and_ignored()
        {
            var tenant = OpenJournaled();
            var door = await FrontDoor.OpenAsync("InProcess", tenant);
            try { await CreateAppAsync(door, "journaled"); }
            finally { await door.DisposeAsync(); }
            var lines = File.ReadAllLines(JournalPath);
            // As a crash between writing the file whole and removing the old journal would leave it.
            lines[0] = new JsonObject { ["format"] = StateJournal.FormatName, ["generation"] = Guid.NewGuid().ToString("N") }.ToJsonString();
            File.WriteAllLines(JournalPath, lines);

            var reopened = OpenJournaled();
            Assert.Empty(reopened.Store.Applications);
            Assert.False(File.Exists(JournalPath));
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public async Task A_write_the_journal_cannot_take_is_undone_and_answered_with_Graphs_507()
        {
            if (OperatingSystem.IsWindows()) return;
            var tenant = OpenJournaled();
            var door = await FrontDoor.OpenAsync("InProcess", tenant);
            try
            {
                var app = await CreateAppAsync(door, "kept");
                string before = Canonical(tenant);
                byte[] journal = File.ReadAllBytes(JournalPath);
                // A journal that takes no more bytes: immutable for root (whom modes do not stop), read-only for anyone else.
                bool root = Environment.UserName == "root";
                if (root) Command.Run("chattr", "+i", JournalPath);
                else File.SetUnixFileMode(JournalPath, UnixFileMode.UserRead);
                try
                {
                    Error(await door.PatchAsync($"/applications/{app["id"]}", new { description = "lost" }), 507, "quotaLimitReached");
                    Error(await door.PostAsync($"/applications/{app["id"]}/addPassword", new { passwordCredential = new { displayName = "lost" } }), 507, "quotaLimitReached");
                    Error(await door.DeleteAsync($"/applications/{app["id"]}"), 507, "quotaLimitReached");
                }
                finally
                {
                    if (root) Command.TryRun("chattr", "-i", JournalPath);
                    else File.SetUnixFileMode(JournalPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                Assert.Equal(before, Canonical(tenant));
                Assert.Equal(journal, File.ReadAllBytes(JournalPath));
                Assert.Null((string?)Ok(await door.GetAsync($"/applications/{app["id"]}"))["description"]);
            }
            finally { await door.DisposeAsync(); }
        }

        [Fact]
        public void A_rolled_back_write_puts_every_part_of_the_store_back_in_place()
        {
            var tenant = Tenant.Create();
            var store = (InMemoryTenantStore)tenant.Store;
            string before = Canonical(tenant);
            var first = store.Applications.FirstOrDefault();

            store.BeginChanges(record: true);
            var app = new EntraAppKit.LocalTenant.Model.ApplicationEntity(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["appId"] = Guid.NewGuid().ToString(), ["displayName"] = "rolled back", ["identifierUris"] = new JsonArray() });
            store.AddApplication(app, DateTimeOffset.MinValue);
            store.AddSecret(Guid.NewGuid().ToString(), StoredSecret.Create(app.Id, "secret"));
            store.AddOwner(app.Id, tenant.AdministratorId);
            var admin = store.FindUser(tenant.AdministratorId)!;
            admin.Json["displayName"] = "renamed";
            store.AuthorizationPolicy["description"] = "changed";
            store.AddCustomDomain("rolled.example.com");
            store.MicrosoftGraphServicePrincipal.Json["notes"] = "changed";
            foreach (var assignment in store.RoleAssignmentsOf(tenant.AdministratorId).ToList()) store.RemoveRoleAssignment(assignment);
            store.RollbackChanges();

            Assert.Equal(before, Canonical(tenant));
            Assert.Null(store.FindApplication(app.Id));
            Assert.NotEmpty(store.RoleAssignmentsOf(tenant.AdministratorId));
            Assert.Equal(tenant.AdministratorId, store.FindUserByUserPrincipalName(tenant.AdministratorUserPrincipalName)!.Id);
        }
    }
}
