using System;
using System.Collections.Generic;
using System.Diagnostics;
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
    /// The state file when more than one tenant (process) opens it, when it cannot be saved, when it is damaged by hand, and who
    /// may read it. Each opener here is a separate <see cref="Tenant"/> with its own file handles: the file lock (flock on Unix)
    /// holds between them exactly as between processes; <c>ServerProcessTests</c> and Pester's Concurrency.Tests.ps1 use real ones.
    /// </summary>
    public sealed class SharedStateFileTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-sharedstate-tests", Guid.NewGuid().ToString("N"));

        public SharedStateFileTests() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            if (!OperatingSystem.IsWindows()) UnixFolder.MakeWritable(_dir);
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        private string StatePath => Path.Combine(_dir, "tenant.json");

        public static IEnumerable<object[]> Kinds => FrontDoor.Kinds;

        private static async Task<JsonObject> CreateAppAsync(FrontDoor door, string name) =>
            Ok(await door.PostAsync("/applications", new { displayName = name, signInAudience = "AzureADMyOrg" }), 201);

        private static async Task<List<string>> NamesAsync(FrontDoor door) =>
            Items(Ok(await door.GetAsync("/applications?$select=displayName&$top=999"))).Select(a => (string)a["displayName"]!).OrderBy(n => n, StringComparer.Ordinal).ToList();

        private List<string> NamesInFile() =>
            JsonNode.Parse(File.ReadAllText(StatePath))!["applications"]!.AsArray().Select(a => (string)a!["displayName"]!).OrderBy(n => n, StringComparer.Ordinal).ToList();

        // ----- Several openers -----

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task Two_openers_of_one_file_see_and_keep_each_others_writes(string kind)
        {
            var first = await FrontDoor.OpenAsync(kind, Tenant.Open(StatePath));
            var second = await FrontDoor.OpenAsync(kind, Tenant.Open(StatePath));
            try
            {
                Assert.Equal(first.Tenant.TenantId, second.Tenant.TenantId);
                var a = await CreateAppAsync(first, "from-first");
                // The second opener loaded the file before that write; it reads the file again under the lock.
                Assert.Equal(new[] { "from-first" }, await NamesAsync(second));
                await CreateAppAsync(second, "from-second");
                NoContent(await second.PatchAsync($"/applications/{a["id"]}", new { description = "patched by the second" }));
                Assert.Equal(new[] { "from-first", "from-second" }, await NamesAsync(first));
                Assert.Equal("patched by the second", (string?)Ok(await first.GetAsync($"/applications/{a["id"]}"))["description"]);
                NoContent(await first.DeleteAsync($"/applications/{a["id"]}"));
                Assert.Equal(new[] { "from-second" }, await NamesAsync(second));
                Assert.Equal(new[] { "from-second" }, NamesInFile());
            }
            finally
            {
                await first.DisposeAsync();
                await second.DisposeAsync();
            }
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task Concurrent_writers_on_one_file_lose_nothing_and_an_upsert_makes_one_app(string kind)
        {
            // Before the lock, four writers each saved their own copy over the others'; the file kept one app.
            var doors = new List<FrontDoor>();
            for (int i = 0; i < 4; i++) doors.Add(await FrontDoor.OpenAsync(kind, Tenant.Open(StatePath)));
            try
            {
                var upserted = new List<int>();
                await Task.WhenAll(doors.Select((door, d) => Task.Run(async () =>
                {
                    for (int n = 0; n < 8; n++)
                    {
                        await CreateAppAsync(door, $"w{d}-{n}");
                        // learn.microsoft.com/graph/api/application-upsert: 201 when created, 204 when it existed.
                        var call = await door.PatchAsync("/applications(uniqueName='shared-key')", new { displayName = "shared", signInAudience = "AzureADMyOrg" },
                            ("Prefer", "create-if-missing"));
                        lock (upserted) upserted.Add(call.Status);
                    }
                })));
                var expected = Enumerable.Range(0, 4).SelectMany(d => Enumerable.Range(0, 8).Select(n => $"w{d}-{n}")).Append("shared").OrderBy(n => n, StringComparer.Ordinal).ToList();
                Assert.Equal(expected, NamesInFile());
                foreach (var door in doors) Assert.Equal(expected, await NamesAsync(door));
                Assert.Equal(1, upserted.Count(s => s == 201));
                Assert.Equal(31, upserted.Count(s => s == 204));
            }
            finally
            {
                foreach (var door in doors) await door.DisposeAsync();
            }
        }

        [Fact]
        public async Task Two_openers_of_a_missing_file_make_one_tenant()
        {
            var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Tenant.Open(StatePath))));
            Assert.Single(opened.Select(t => t.TenantId).Distinct());
            Assert.Single(opened.Select(t => t.SigningKeyId).Distinct());
        }

        // ----- A save that fails -----

        /// <summary>How a save can fail for real here: a folder nobody may write, and (where a tmpfs can be mounted) a full disk.</summary>
        public static IEnumerable<object[]> SaveFailures()
        {
            if (OperatingSystem.IsWindows()) yield break; // both ways need Unix; Windows has its own sharing rules
            foreach (var kind in FrontDoor.Kinds.Select(k => (string)k[0]))
            {
                yield return new object[] { kind, "unwritable folder" };
                if (TinyDisk.Available) yield return new object[] { kind, "full disk" };
            }
        }

        [Theory]
        [MemberData(nameof(SaveFailures))]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public async Task A_write_that_cannot_be_saved_is_undone_and_answered_with_Graphs_507(string kind, string failure)
        {
            using var disk = failure == "full disk" ? TinyDisk.Mount(Path.Combine(_dir, "disk")) : null;
            string path = disk == null ? StatePath : Path.Combine(disk.Folder, "tenant.json");
            var tenant = Tenant.Open(path);
            var door = await FrontDoor.OpenAsync(kind, tenant);
            try
            {
                var kept = await CreateAppAsync(door, "kept");
                byte[] saved = File.ReadAllBytes(path);
                string folder = Path.GetDirectoryName(path)!;
                if (disk != null) disk.Fill();
                else UnixFolder.MakeReadOnly(folder);

                // learn.microsoft.com/graph/errors: "507 Insufficient Storage: The maximum storage quota has been reached."
                var error = Error(await door.PostAsync("/applications", new { displayName = "lost", signInAudience = "AzureADMyOrg" }), 507, "quotaLimitReached");
                Assert.Contains("not applied", (string)error["message"]!);
                Error(await door.PatchAsync($"/applications/{kept["id"]}", new { description = "lost too" }), 507, "quotaLimitReached");
                Error(await door.DeleteAsync($"/applications/{kept["id"]}"), 507, "quotaLimitReached");
                Assert.Equal(3, tenant.RequestLog.Entries.Count(e => e.Status == 507));

                // Nothing of the refused writes is visible, in the file or the tenant; no temp file is left behind.
                Assert.Equal(new[] { "kept" }, await NamesAsync(door));
                Assert.Null((string?)Ok(await door.GetAsync($"/applications/{kept["id"]}"))["description"]);
                Assert.Equal(saved, File.ReadAllBytes(path));
                Assert.Empty(Directory.GetFiles(folder, "*.tmp"));

                if (disk != null) disk.Empty();
                else UnixFolder.MakeWritable(folder);
                await CreateAppAsync(door, "after");
                Assert.Equal(new[] { "after", "kept" }, await NamesAsync(door));
                Assert.Equal(new[] { "after", "kept" }, await NamesAsync(await ReopenedAsync(kind, path)));
            }
            finally
            {
                UnixFolder.MakeWritable(Path.GetDirectoryName(path)!);
                await door.DisposeAsync();
            }
        }

        private static async Task<FrontDoor> ReopenedAsync(string kind, string path) => await FrontDoor.OpenAsync(kind, Tenant.Open(path));

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task A_file_damaged_while_the_tenant_runs_fails_requests_and_is_not_overwritten(string kind)
        {
            var door = await FrontDoor.OpenAsync(kind, Tenant.Open(StatePath));
            try
            {
                await CreateAppAsync(door, "before");
                byte[] good = File.ReadAllBytes(StatePath);
                File.WriteAllText(StatePath, "{\"format\":\"EntraAppKit.LocalTenant/1\",\"tenant\":");
                var error = Error(await door.PostAsync("/applications", new { displayName = "refused", signInAudience = "AzureADMyOrg" }), 500, "generalException");
                Assert.Contains("corrupt", (string)error["message"]!);
                Error(await door.GetAsync("/applications"), 500, "generalException");
                Assert.Equal("{\"format\":\"EntraAppKit.LocalTenant/1\",\"tenant\":", File.ReadAllText(StatePath));

                File.WriteAllBytes(StatePath, good);
                Assert.Equal(new[] { "before" }, await NamesAsync(door));
            }
            finally { await door.DisposeAsync(); }
        }

        // ----- What is kept -----

        [Theory]
        [MemberData(nameof(Kinds))]
        public async Task What_a_PATCH_of_the_built_in_Microsoft_Graph_principal_set_survives_a_reopen(string kind)
        {
            var door = await FrontDoor.OpenAsync(kind, Tenant.Open(StatePath));
            string id;
            int roles;
            try
            {
                var sp = Items(Ok(await door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'")))[0];
                id = (string)sp["id"]!;
                roles = sp["appRoles"]!.AsArray().Count;
                NoContent(await door.PatchAsync($"/servicePrincipals/{id}", new { notes = "kept across restarts", tags = new[] { "HideApp" } }));
            }
            finally { await door.DisposeAsync(); }

            door = await ReopenedAsync(kind, StatePath);
            try
            {
                var sp = Ok(await door.GetAsync($"/servicePrincipals/{id}"));
                Assert.Equal("kept across restarts", (string?)sp["notes"]);
                Assert.Equal(new[] { "HideApp" }, Strings(sp["tags"]));
                Assert.Equal(roles, sp["appRoles"]!.AsArray().Count); // the catalog's, rebuilt
            }
            finally { await door.DisposeAsync(); }
            // Only what differs from the catalog is written: the principal's hundreds of roles are not.
            var changes = JsonNode.Parse(File.ReadAllText(StatePath))!["builtInServicePrincipalChanges"]![id]!.AsObject();
            Assert.Equal(new[] { "notes", "tags" }, changes.Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public async Task Unknown_top_level_members_are_kept_on_save()
        {
            Tenant.Open(StatePath);
            var doc = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            doc["x-comment"] = "written by a person";
            doc["futureFeature"] = new JsonObject { ["enabled"] = true, ["items"] = new JsonArray(1, 2) };
            File.WriteAllText(StatePath, doc.ToJsonString());

            var door = await FrontDoor.OpenAsync("InProcess", Tenant.Open(StatePath));
            try { await CreateAppAsync(door, "a write"); }
            finally { await door.DisposeAsync(); }

            var saved = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            Assert.Equal("written by a person", (string?)saved["x-comment"]);
            Assert.Equal("{\"enabled\":true,\"items\":[1,2]}", saved["futureFeature"]!.ToJsonString());
            Assert.Single(saved["applications"]!.AsArray());
        }

        // ----- Damage -----

        /// <summary>Hand damage to a valid file: each is refused with what is wrong, and the file is left byte for byte.</summary>
        public static IEnumerable<object[]> Damage() => Damages.Keys.Select(k => new object[] { k });

        private static readonly Dictionary<string, Action<JsonObject>> Damages = new Dictionary<string, Action<JsonObject>>
        {
            ["an application without id"] = d => App(d).Remove("id"),
            ["an application id that is not a GUID"] = d => App(d)["id"] = "not-a-guid",
            ["an application id that is a number"] = d => App(d)["id"] = 42,
            ["two applications with one id"] = d => d["applications"]!.AsArray().Add(App(d).DeepClone()),
            ["an application without appId"] = d => App(d).Remove("appId"),
            ["an application that is a string"] = d => d["applications"]![0] = "app",
            ["applications that are an object"] = d => d["applications"] = new JsonObject(),
            ["applications missing"] = d => d.Remove("applications"),
            ["passwordCredentials missing"] = d => App(d).Remove("passwordCredentials"),
            ["passwordCredentials that are a string"] = d => App(d)["passwordCredentials"] = "x",
            ["identifierUris holding a number"] = d => App(d)["identifierUris"] = new JsonArray(1),
            ["an unknown application property"] = d => App(d)["notInTheSchema"] = true,
            ["a displayName that is an object"] = d => App(d)["displayName"] = new JsonObject(),
            ["a service principal without id"] = d => d["servicePrincipals"]![0]!.AsObject().Remove("id"),
            ["a grant without clientId"] = d => d["oauth2PermissionGrants"]![0]!.AsObject().Remove("clientId"),
            ["an assignment whose resourceId is not a GUID"] = d => d["appRoleAssignments"]![0]!["resourceId"] = "graph",
            ["the tenant without id"] = d => d["tenant"]!.AsObject().Remove("id"),
            ["the tenant as an array"] = d => d["tenant"] = new JsonArray(),
            ["customDomains holding null"] = d => d["tenant"]!["customDomains"] = new JsonArray((JsonNode?)null),
            ["enforceIdentifierUriPolicy as text"] = d => d["tenant"]!["enforceIdentifierUriPolicy"] = "yes",
            ["a signing key that is not a key"] = d => d["signingKey"] = new JsonObject { ["kty"] = "RSA", ["n"] = "AQAB" },
            ["a signing key as a string"] = d => d["signingKey"] = "key",
            ["a secret without salt"] = d => d["secrets"]!.AsObject().First().Value!.AsObject().Remove("salt"),
            ["owners as a string"] = d => d["owners"] = "me",
            ["changes to a principal that is not built in"] = d => d["builtInServicePrincipalChanges"] = new JsonObject { [Guid.NewGuid().ToString()] = new JsonObject { ["notes"] = "x" } },
            ["an admin consent request policy whose isEnabled is text"] = d => d["adminConsentRequestPolicy"]!["isEnabled"] = "yes",
            ["an admin consent request policy without version"] = d => d["adminConsentRequestPolicy"]!.AsObject().Remove("version"),
            ["an admin consent request policy whose reviewers are a string"] = d => d["adminConsentRequestPolicy"]!["reviewers"] = "me",
            ["a built-in change of the wrong type"] = d => d["builtInServicePrincipalChanges"] = new JsonObject { [(string)d["tenant"]!["microsoftGraphServicePrincipalId"]!] = new JsonObject { ["tags"] = "x" } },
        };

        private static JsonObject App(JsonObject doc) => doc["applications"]![0]!.AsObject();

        /// <summary>A file with one of everything: an application with a secret and an owner, its principal, a grant and an assignment.</summary>
        private async Task<byte[]> WholeFileAsync()
        {
            var tenant = Tenant.Open(StatePath);
            var door = await FrontDoor.OpenAsync("InProcess", tenant);
            try
            {
                var app = await CreateAppAsync(door, "whole");
                Ok(await door.PostAsync($"/applications/{app["id"]}/addPassword", new { passwordCredential = new { displayName = "s" } }));
                var sp = Ok(await door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]! }), 201);
                string graph = (string)Items(Ok(await door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'")))[0]["id"]!;
                Ok(await door.PostAsync("/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graph, scope = "User.Read" }), 201);
                Ok(await door.PostAsync($"/servicePrincipals/{graph}/appRoleAssignedTo",
                    new { principalId = (string)sp["id"]!, resourceId = graph, appRoleId = "7ab1d382-f21e-4acd-a863-ba3e13f7da61" }), 201);
            }
            finally { await door.DisposeAsync(); }
            return File.ReadAllBytes(StatePath);
        }

        [Theory]
        [MemberData(nameof(Damage))]
        public async Task A_damaged_file_is_refused_with_what_is_wrong_and_left_untouched(string damage)
        {
            var doc = JsonNode.Parse(await WholeFileAsync())!.AsObject();
            Damages[damage](doc);
            File.WriteAllText(StatePath, doc.ToJsonString());
            byte[] before = File.ReadAllBytes(StatePath);

            var e = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath));
            Assert.Contains(StatePath, e.Message);
            Assert.Contains("left untouched", e.Message);
            Assert.Equal(before, File.ReadAllBytes(StatePath));
        }

        [Theory]
        [InlineData(new byte[] { 0x7B, 0xC3, 0x28, 0x7D }, "invalid UTF-8")]
        [InlineData(new byte[] { 0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x2C, 0x22, 0x61, 0x22, 0x3A, 0x32, 0x7D }, "a duplicate key")]
        public void Bytes_that_are_not_a_JSON_object_are_refused(byte[] content, string what)
        {
            File.WriteAllBytes(StatePath, content);
            var e = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath));
            Assert.True(e.Message.Contains("corrupt", StringComparison.Ordinal), $"{what}: {e.Message}");
            Assert.Equal(content, File.ReadAllBytes(StatePath));
        }

        [Fact]
        public void A_truncated_or_deeply_nested_file_is_refused()
        {
            Tenant.Open(StatePath);
            byte[] whole = File.ReadAllBytes(StatePath);
            File.WriteAllBytes(StatePath, whole.Take(whole.Length / 2).ToArray());
            Assert.Contains("corrupt", Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath)).Message);

            File.WriteAllText(StatePath, new string('[', 100_000) + new string(']', 100_000));
            Assert.Contains("corrupt", Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath)).Message);
        }

        [Theory]
        [InlineData("EntraAppKit.LocalTenant/3")]
        [InlineData("EntraAppKit.LocalTenant/17")]
        public void A_file_from_a_newer_version_is_described_as_such(string format)
        {
            Tenant.Open(StatePath);
            var doc = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            doc["format"] = format;
            File.WriteAllText(StatePath, doc.ToJsonString());
            var e = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath));
            Assert.Contains("newer version of EntraAppKit", e.Message);
            Assert.Contains(format, e.Message);
        }

        [Fact]
        public void A_folder_or_a_name_with_NUL_is_refused_as_a_state_path()
        {
            var folder = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(_dir));
            Assert.Contains("is a folder", folder.Message);
            var nul = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(Path.Combine(_dir, "a\0b.json")));
            Assert.Contains("not a usable file name", nul.Message);
            Assert.Equal(-1, nul.Message.IndexOf('\0', StringComparison.Ordinal));
            Assert.Throws<LocalTenantStateException>(() => Tenant.Open("   "));
        }

        // ----- Who may read it -----

        [Fact]
        public void The_state_file_and_its_lock_are_for_the_owner_only_and_a_stricter_mode_is_kept()
        {
            // The file holds the tenant's private signing key and IDENTITY_HEADER.
            if (OperatingSystem.IsWindows()) return; // Windows: the folder's ACL applies (README)
            var tenant = Tenant.Open(StatePath);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath + ".lock"));

            File.SetUnixFileMode(StatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            tenant.AddVerifiedDomain("one.example.com");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));

            File.SetUnixFileMode(StatePath, UnixFileMode.UserRead);
            tenant.AddVerifiedDomain("two.example.com");
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(StatePath));
            Assert.Contains("two.example.com", File.ReadAllText(StatePath));
        }
    }
}
