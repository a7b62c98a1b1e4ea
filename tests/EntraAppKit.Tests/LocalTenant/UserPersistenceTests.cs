using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Persistence;
using EntraAppKit.LocalTenant.Server;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using static EntraAppKit.Tests.LocalTenantTests.UsersTests;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Users, their password hashes and role assignments in the state file; files written before users existed; users seeded
    /// by LocalTenantOptions.Users and the server's --user; checking a user's password for sign-in.
    /// </summary>
    public sealed class UserPersistenceTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-localtenant-tests", Guid.NewGuid().ToString("N"));

        public UserPersistenceTests() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        private string StatePath => Path.Combine(_dir, "tenant.json");

        [Theory]
        [MemberData(nameof(FrontDoor.Kinds), MemberType = typeof(FrontDoor))]
        public async Task Users_roles_and_password_hashes_survive_reopening_and_no_password_is_written(string kind)
        {
            var options = new LocalTenantOptions { Name = "persisted" };
            options.VerifiedDomains.Add(FrontDoor.CustomDomain);
            var tenant = Tenant.Open(StatePath, options);
            var door = await FrontDoor.OpenAsync(kind, tenant);
            string userId, assignmentId;
            try
            {
                userId = (string)Ok(await door.PostAsync("/users", NewUser("kept", password: "Kept-Passw0rd-1")), 201)["id"]!;
                assignmentId = (string)Ok(await door.PostAsync("/roleManagement/directory/roleAssignments",
                    new { principalId = userId, roleDefinitionId = ApplicationDeveloper, directoryScopeId = "/" }), 201)["id"]!;
                NoContent(await door.PatchAsync("/users/" + userId, new { jobTitle = "Keeper" }));
                NoContent(await door.PatchAsync("/policies/authorizationPolicy", new { defaultUserRolePermissions = new { allowedToCreateApps = false } }));
                // The admin consent workflow (adminconsentrequestpolicy-update) is kept in the state file too.
                NoContent(await door.SendAsync("PUT", "/policies/adminConsentRequestPolicy", new
                {
                    isEnabled = true, notifyReviewers = false, remindersEnabled = true, requestDurationInDays = 7,
                    reviewers = new[] { new { query = "/users/" + userId, queryType = "MicrosoftGraph" } },
                }));
            }
            finally { await door.DisposeAsync(); }

            string text = File.ReadAllText(StatePath);
            Assert.DoesNotContain("Kept-Passw0rd-1", text);
            var file = JsonNode.Parse(text)!.AsObject();
            Assert.Equal("EntraAppKit.LocalTenant/2", (string?)file["format"]);
            Assert.Contains(file["users"]!.AsArray(), u => (string?)u!["id"] == userId && u["passwordProfile"] == null);
            Assert.NotNull(file["userPasswords"]![userId]!["sha256"]);

            var reopened = Tenant.Open(StatePath);
            door = await FrontDoor.OpenAsync(kind, reopened);
            try
            {
                var user = Ok(await door.GetAsync($"/users/kept@{FrontDoor.CustomDomain}?$select=id,jobTitle"));
                Assert.Equal(userId, (string?)user["id"]);
                Assert.Equal("Keeper", (string?)user["jobTitle"]);
                Assert.Equal(ApplicationDeveloper, (string?)Ok(await door.GetAsync("/roleManagement/directory/roleAssignments/" + assignmentId))["roleDefinitionId"]);
                Assert.Equal(UserPasswordCheck.Valid, reopened.VerifyUserPassword("kept@" + FrontDoor.CustomDomain, "Kept-Passw0rd-1", out _));
                Assert.Equal(reopened.AdministratorId, tenant.AdministratorId);
                Assert.False((bool)Ok(await door.GetAsync("/policies/authorizationPolicy"))["defaultUserRolePermissions"]!["allowedToCreateApps"]!);
                var workflow = Ok(await door.GetAsync("/policies/adminConsentRequestPolicy"));
                Assert.True((bool)workflow["isEnabled"]!);
                Assert.Equal(7, (int)workflow["requestDurationInDays"]!);
                Assert.Equal("/users/" + userId, (string?)workflow["reviewers"]![0]!["query"]);
            }
            finally { await door.DisposeAsync(); }
        }

        [Fact]
        public async Task A_file_written_before_users_existed_opens_and_gains_the_administrator_user()
        {
            var tenant = Tenant.Open(StatePath, new LocalTenantOptions { Name = "older" });
            string adminId = tenant.AdministratorId;
            // The file as the previous release wrote it: the same format version, without the three members users brought.
            var file = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            file.Remove("users");
            file.Remove("userPasswords");
            file.Remove("directoryRoleAssignments");
            file.Remove("authorizationPolicy");
            file.Remove("adminConsentRequestPolicy");
            file["somethingNewer"] = "kept";
            File.WriteAllText(StatePath, file.ToJsonString());

            var reopened = Tenant.Open(StatePath);
            Assert.Equal(adminId, reopened.AdministratorId);
            var door = await FrontDoor.OpenAsync("InProcess", reopened);
            try
            {
                var admin = Ok(await door.GetAsync("/users/" + adminId));
                Assert.Equal("admin@older.onmicrosoft.com", (string?)admin["userPrincipalName"]);
                Assert.Equal(GlobalAdministrator, (string?)Assert.Single(Items(Ok(await door.GetAsync(
                    $"/roleManagement/directory/roleAssignments?$filter=principalId eq '{adminId}'"))))["roleDefinitionId"]);
                // Users may register applications, Entra's default.
                Ok(await door.PostAsync("/applications", new { displayName = "after" }), 201);
                Assert.True((bool)Ok(await door.GetAsync("/policies/authorizationPolicy"))["defaultUserRolePermissions"]!["allowedToCreateApps"]!);
                Assert.False((bool)Ok(await door.GetAsync("/policies/adminConsentRequestPolicy"))["isEnabled"]!);
            }
            finally { await door.DisposeAsync(); }
            // Saved once opened, unknown members kept.
            var saved = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            Assert.Contains(saved["users"]!.AsArray(), u => (string?)u!["id"] == adminId);
            Assert.Equal("kept", (string?)saved["somethingNewer"]);
        }

        [Theory]
        [InlineData("users", "[{\"id\":\"not-a-guid\",\"userPrincipalName\":\"a@older.onmicrosoft.com\"}]", "users[0].id is not a GUID")]
        [InlineData("userPasswords", "{\"00000000-0000-0000-0000-000000000001\":{\"salt\":\"AA==\",\"sha256\":\"AA==\"}}", "userPasswords names '00000000-0000-0000-0000-000000000001', which is not a user")]
        [InlineData("directoryRoleAssignments", "[{\"id\":\"x\",\"principalId\":\"00000000-0000-0000-0000-000000000001\",\"roleDefinitionId\":\"62e90394-69f5-4237-9190-012177145e10\",\"directoryScopeId\":\"/\"}]",
            "role assignment 'x' names '00000000-0000-0000-0000-000000000001', which is neither a user nor a service principal")]
        public void A_damaged_users_member_is_refused_and_the_file_left_untouched(string member, string json, string problem)
        {
            Tenant.Open(StatePath, new LocalTenantOptions { Name = "older" });
            var file = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            // An object member gains the entry beside the ones the tenant wrote; an array is replaced.
            if (JsonNode.Parse(json) is JsonObject entries)
                foreach (var kv in entries.ToList()) { entries.Remove(kv.Key); file[member]![kv.Key] = kv.Value; }
            else file[member] = JsonNode.Parse(json);
            File.WriteAllText(StatePath, file.ToJsonString());
            byte[] before = File.ReadAllBytes(StatePath);
            var e = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath));
            Assert.Contains(problem, e.Message);
            Assert.Equal(before, File.ReadAllBytes(StatePath));
        }

        [Fact]
        public void Seeded_users_are_created_with_their_roles_and_added_to_an_existing_tenant_only_when_missing()
        {
            var options = new LocalTenantOptions { Name = "seeded" };
            options.Users.Add(new LocalTenantUser("dev@seeded.onmicrosoft.com", "Dev-Passw0rd", "ApplicationDeveloper", "cloudapplicationadministrator"));
            var tenant = Tenant.Open(StatePath, options);
            var wids = Strings(IdentityKit.Claims(tenant.IssueUserToken("dev@seeded.onmicrosoft.com", new[] { "User.Read" }))["wids"]);
            Assert.Equal(new[] { ApplicationDeveloper, CloudApplicationAdministrator, "b79fbf4d-3ef9-4689-8143-76b194e85509" }, wids);

            // Reopened with the same user (another password) and a new one: the existing user is kept as it is.
            var again = new LocalTenantOptions();
            again.Users.Add(new LocalTenantUser("dev@seeded.onmicrosoft.com", "Other-Passw0rd"));
            again.Users.Add(new LocalTenantUser("ops@seeded.onmicrosoft.com", "Ops-Passw0rd", "62e90394-69f5-4237-9190-012177145e10"));
            var reopened = Tenant.Open(StatePath, again);
            Assert.Equal(UserPasswordCheck.Valid, reopened.VerifyUserPassword("dev@seeded.onmicrosoft.com", "Dev-Passw0rd", out var dev));
            Assert.Equal("dev", (string?)dev!.Json["displayName"]);
            Assert.Equal(UserPasswordCheck.Valid, reopened.VerifyUserPassword("OPS@seeded.onmicrosoft.com", "Ops-Passw0rd", out _));
            Assert.Contains(GlobalAdministrator, Strings(IdentityKit.Claims(reopened.IssueUserToken("ops@seeded.onmicrosoft.com", new[] { "User.Read" }))["wids"]));
        }

        [Theory]
        [InlineData("x@elsewhere.example", "Good-Passw0rd", "GlobalAdministrator",
            "User 'x@elsewhere.example': The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.")]
        [InlineData("x@contoso.onmicrosoft.com", "weak", "GlobalAdministrator",
            "User 'x@contoso.onmicrosoft.com': The specified password does not comply with password complexity requirements. Please provide a different password.")]
        [InlineData("x@contoso.onmicrosoft.com", "Good-Passw0rd", "Janitor", "User 'x@contoso.onmicrosoft.com': unknown directory role 'Janitor'.")]
        public void A_seeded_user_the_tenant_refuses_is_an_ArgumentException(string upn, string password, string role, string message)
        {
            var options = new LocalTenantOptions();
            options.Users.Add(new LocalTenantUser(upn, password, role));
            var e = Assert.Throws<ArgumentException>(() => Tenant.Create(options));
            Assert.StartsWith(message, e.Message);
        }

        [Fact]
        public async Task Signing_in_by_password_tells_an_unknown_user_a_wrong_password_and_a_disabled_account_apart()
        {
            var tenant = Tenant.Create();
            string id = tenant.AddUser(new LocalTenantUser("pat@contoso.onmicrosoft.com", "Pat-Passw0rd"));
            Assert.Equal(UserPasswordCheck.Valid, tenant.VerifyUserPassword("pat@contoso.onmicrosoft.com", "Pat-Passw0rd", out var user));
            Assert.Equal(id, user!.Id);
            Assert.Equal(UserPasswordCheck.WrongPassword, tenant.VerifyUserPassword("pat@contoso.onmicrosoft.com", "pat-passw0rd", out user));
            Assert.Equal(id, user!.Id);
            Assert.Equal(UserPasswordCheck.UnknownUser, tenant.VerifyUserPassword("nobody@contoso.onmicrosoft.com", "Pat-Passw0rd", out user));
            Assert.Null(user);
            // The built-in administrator's password is random and never shown.
            Assert.Equal(UserPasswordCheck.WrongPassword, tenant.VerifyUserPassword(tenant.AdministratorUserPrincipalName, "", out _));
            var door = await FrontDoor.OpenAsync("InProcess", tenant);
            try { NoContent(await door.PatchAsync("/users/" + id, new { accountEnabled = false })); }
            finally { await door.DisposeAsync(); }
            Assert.Equal(UserPasswordCheck.Disabled, tenant.VerifyUserPassword("pat@contoso.onmicrosoft.com", "Pat-Passw0rd", out _));
            Assert.Equal(UserPasswordCheck.WrongPassword, tenant.VerifyUserPassword("pat@contoso.onmicrosoft.com", "wrong", out _));
        }

        [Theory]
        [InlineData("a@contoso.onmicrosoft.com:Passw0rd!", "a@contoso.onmicrosoft.com", "Passw0rd!", "")]
        [InlineData("a@contoso.onmicrosoft.com:Passw0rd!:GlobalAdministrator", "a@contoso.onmicrosoft.com", "Passw0rd!", "GlobalAdministrator")]
        [InlineData("a@contoso.onmicrosoft.com:Pass:w0rd!:ApplicationDeveloper,CloudApplicationAdministrator", "a@contoso.onmicrosoft.com", "Pass:w0rd!", "ApplicationDeveloper,CloudApplicationAdministrator")]
        [InlineData("a@contoso.onmicrosoft.com:Pass:w0rd!:", "a@contoso.onmicrosoft.com", "Pass:w0rd!", "")]
        public void The_server_reads_user_options(string value, string upn, string password, string roles)
        {
            var o = ServerOptions.Parse(new[] { "--user", value, "--user", "b@contoso.onmicrosoft.com:Second-Passw0rd" });
            Assert.Equal(2, o.Tenant.Users.Count);
            Assert.Equal(upn, o.Tenant.Users[0].UserPrincipalName);
            Assert.Equal(password, o.Tenant.Users[0].Password);
            Assert.Equal(roles, string.Join(",", o.Tenant.Users[0].Roles));
            Assert.Contains("--user UPN:PASSWORD[:ROLE[,ROLE...]]", Program.Usage);
        }

        [Theory]
        [InlineData("--user", "--user needs a value.")]
        [InlineData("--user nopassword", "--user takes UPN:PASSWORD[:ROLE[,ROLE...]], not 'nopassword'.")]
        [InlineData("--user a@b.c:", "--user takes UPN:PASSWORD[:ROLE[,ROLE...]], not 'a@b.c:'.")]
        [InlineData("--user a@b.c::GlobalAdministrator", "--user 'a@b.c' needs a password: UPN:PASSWORD[:ROLE[,ROLE...]].")]
        public void Bad_user_options_are_an_ArgumentException(string args, string message) =>
            Assert.Equal(message, Assert.Throws<ArgumentException>(() => ServerOptions.Parse(args.Split(' '))).Message);
    }
}
