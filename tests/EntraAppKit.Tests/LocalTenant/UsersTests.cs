using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Identity;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// /users through both front doors: create (learn.microsoft.com/graph/api/user-post-users), list (user-list), read by id
    /// or userPrincipalName (user-get), update (user-update), delete (user-delete); the built-in administrator as a user.
    /// </summary>
    public abstract class UsersTests : DoorTests, IDisposable
    {
        // learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference: role template ids.
        public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
        public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
        public const string ApplicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
        public const string CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";
        public const string ApplicationDeveloper = "cf1c38e5-3621-4004-a7cb-879624dced7c";

        /// <summary>user-get: "By default, only a limited set of properties are returned".</summary>
        public static readonly string[] Defaults =
            { "businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName" };

        // Graph's texts, as clients report them.
        public const string UnverifiedDomain = "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.";
        public const string DuplicateUpn = "Another object with the same value for property userPrincipalName already exists.";
        public const string WeakPassword = "The specified password does not comply with password complexity requirements. Please provide a different password.";
        public const string Denied = "Insufficient privileges to complete the operation.";

        private readonly IdentityKit _kit;

        protected UsersTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : UsersTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : UsersTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        public static JsonObject NewUser(string alias, string domain = FrontDoor.CustomDomain, string password = "Str0ng-Passw0rd") => new JsonObject
        {
            ["accountEnabled"] = true,
            ["displayName"] = "User " + alias,
            ["mailNickname"] = alias,
            ["userPrincipalName"] = alias + "@" + domain,
            ["passwordProfile"] = new JsonObject { ["forceChangePasswordNextSignIn"] = true, ["password"] = password },
        };

        [Fact]
        public async Task A_user_is_created_read_by_id_and_by_userPrincipalName_updated_listed_and_deleted()
        {
            string alias = Unique("adele");
            var created = Ok(await Door.PostAsync("/users", NewUser(alias)), 201);
            // user-post-users' response: the user with the default properties; never the password.
            Assert.Equal(Root + "/$metadata#users/$entity", (string?)created["@odata.context"]);
            Assert.Equal(Defaults, created.Select(kv => kv.Key).Where(k => k != "@odata.context").OrderBy(k => k, StringComparer.Ordinal));
            string id = GuidOf(created["id"]);
            Assert.Equal(alias + "@" + FrontDoor.CustomDomain, (string?)created["userPrincipalName"]);
            Assert.Equal("User " + alias, (string?)created["displayName"]);
            Assert.Empty(created["businessPhones"]!.AsArray());
            Assert.Null(created["givenName"]);
            Assert.DoesNotContain("Str0ng", created.ToJsonString());

            var byId = Ok(await Door.GetAsync("/users/" + id));
            var byUpn = Ok(await Door.GetAsync("/users/" + alias.ToUpperInvariant() + "@" + FrontDoor.CustomDomain));
            Assert.Equal(created.ToJsonString(), byId.ToJsonString());
            Assert.Equal(id, (string?)byUpn["id"]);

            var selected = Ok(await Door.GetAsync($"/users/{id}?$select=accountEnabled,mailNickname,passwordProfile,createdDateTime"));
            Assert.Equal(Root + "/$metadata#users(accountEnabled,mailNickname,passwordProfile,createdDateTime)/$entity", (string?)selected["@odata.context"]);
            Assert.True((bool)selected["accountEnabled"]!);
            Assert.Equal(alias, (string?)selected["mailNickname"]);
            // resources/user, passwordProfile: "Returned only on $select" and the password never is; here it is null.
            Assert.Null(selected["passwordProfile"]);
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", (string?)selected["createdDateTime"]);

            NoContent(await Door.PatchAsync("/users/" + id, new { jobTitle = "Engineer", givenName = "Adele", accountEnabled = false }));
            var updated = Ok(await Door.GetAsync($"/users/{id}?$select=jobTitle,givenName,accountEnabled"));
            Assert.Equal("Engineer", (string?)updated["jobTitle"]);
            Assert.Equal("Adele", (string?)updated["givenName"]);
            Assert.False((bool)updated["accountEnabled"]!);

            var list = Ok(await Door.GetAsync($"/users?$filter=userPrincipalName eq '{alias}@{FrontDoor.CustomDomain}'"));
            Assert.Equal(Root + "/$metadata#users", (string?)list["@odata.context"]);
            var only = Assert.Single(Items(list));
            Assert.Equal(id, (string?)only["id"]);
            Assert.Equal(Defaults, only.Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal));
            var startsWith = Ok(await Door.GetAsync($"/users?$filter=startswith(displayName,'User {alias}')&$select=id,displayName"));
            Assert.Equal(new[] { "id", "displayName" }, Assert.Single(Items(startsWith)).Select(kv => kv.Key));

            NoContent(await Door.DeleteAsync("/users/" + id));
            Rejected(await Door.GetAsync("/users/" + id), 404, "Request_ResourceNotFound",
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
            Assert.Empty(Items(Ok(await Door.GetAsync($"/users?$filter=id eq '{id}'"))));
        }

        [Fact]
        public async Task The_built_in_administrator_is_a_user_listed_read_and_served_by_me()
        {
            var admin = Ok(await Door.GetAsync("/users/" + Tenant.AdministratorId));
            Assert.Equal(Tenant.AdministratorUserPrincipalName, (string?)admin["userPrincipalName"]);
            Assert.Equal("admin@contoso.onmicrosoft.com", (string?)admin["userPrincipalName"]);
            Assert.Equal("Administrator", (string?)admin["displayName"]);
            var listed = Items(Ok(await Door.GetAsync("/users?$top=999")));
            Assert.Contains(listed, u => (string?)u["id"] == Tenant.AdministratorId);
            var me = Ok(await IdentityKit.Bearer(Door, "GET", "/me", Tenant.IssueAdminToken()));
            Assert.Equal(admin["id"]!.ToJsonString(), me["id"]!.ToJsonString());
            Assert.Equal(Tenant.AdministratorId, (string?)Ok(await Door.GetAsync("/users/" + Tenant.AdministratorUserPrincipalName))["id"]);
            // The tenant's own account stays: deleting it is refused.
            Rejected(await Door.DeleteAsync("/users/" + Tenant.AdministratorId), 403, "Authorization_RequestDenied", Denied);
            Ok(await Door.GetAsync("/users/" + Tenant.AdministratorId));
        }

        [Fact]
        public async Task Each_required_property_is_required()
        {
            // user-post-users: accountEnabled, displayName, mailNickname, passwordProfile, userPrincipalName are required.
            foreach (var name in new[] { "accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName" })
            {
                var body = NewUser(Unique("req"));
                body.Remove(name);
                Rejected(await Door.PostAsync("/users", body), 400, "Request_BadRequest", $"Invalid value specified for property '{name}' of resource 'User'.");
            }
            var noPassword = NewUser(Unique("req"));
            noPassword["passwordProfile"] = new JsonObject { ["forceChangePasswordNextSignIn"] = true };
            Rejected(await Door.PostAsync("/users", noPassword), 400, "Request_BadRequest", "Invalid value specified for property 'passwordProfile' of resource 'User'.");
            var unknown = NewUser(Unique("req"));
            unknown["favouriteColour"] = "blue";
            Rejected(await Door.PostAsync("/users", unknown), 400, "Request_BadRequest", "Property 'favouriteColour' does not exist as a declared property or extension property.");
            var readOnly = NewUser(Unique("req"));
            readOnly["createdDateTime"] = "2020-01-01T00:00:00Z";
            Rejected(await Door.PostAsync("/users", readOnly), 400, "Request_BadRequest", "Property 'createdDateTime' is read-only and cannot be set.");
        }

        [Fact]
        public async Task The_userPrincipalName_is_in_a_verified_domain_and_unique()
        {
            Rejected(await Door.PostAsync("/users", NewUser(Unique("x"), "unverified.example")), 400, "Request_BadRequest", UnverifiedDomain);
            var noAt = NewUser("no-at-sign");
            noAt["userPrincipalName"] = "no-at-sign";
            Rejected(await Door.PostAsync("/users", noAt), 400, "Request_BadRequest",
                "Invalid value specified for property 'userPrincipalName' of resource 'User'.");
            string alias = Unique("dup");
            // The initial domain is verified too, and the domain is matched without regard to case.
            var first = Ok(await Door.PostAsync("/users", NewUser(alias, "CONTOSO.onmicrosoft.com")), 201);
            Assert.Equal(alias + "@contoso.onmicrosoft.com", (string?)first["userPrincipalName"]);
            var error = Rejected(await Door.PostAsync("/users", NewUser(alias.ToUpperInvariant(), "contoso.onmicrosoft.com")), 400, "Request_BadRequest", DuplicateUpn);
            // microsoftgraph/microsoft-graph-docs#1508: the conflict names its property.
            var detail = Assert.Single(error["details"]!.AsArray())!;
            Assert.Equal("ObjectConflict", (string?)detail["code"]);
            Assert.Equal("userPrincipalName", (string?)detail["target"]);

            var other = Ok(await Door.PostAsync("/users", NewUser(Unique("other"))), 201);
            Rejected(await Door.PatchAsync("/users/" + (string)other["id"]!, new { userPrincipalName = alias + "@contoso.onmicrosoft.com" }), 400, "Request_BadRequest", DuplicateUpn);
            Rejected(await Door.PatchAsync("/users/" + (string)other["id"]!, new { userPrincipalName = "someone@unverified.example" }), 400, "Request_BadRequest", UnverifiedDomain);
            string renamed = Unique("renamed") + "@" + FrontDoor.CustomDomain;
            NoContent(await Door.PatchAsync("/users/" + (string)other["id"]!, new { userPrincipalName = renamed }));
            Assert.Equal((string)other["id"]!, (string?)Ok(await Door.GetAsync("/users/" + renamed))["id"]);
        }

        [Theory]
        // concept-password-ban-bad-combined-policy: 8 to 256 characters, three of lowercase, uppercase, digits and symbols.
        [InlineData("Sh0rt!", false)]
        [InlineData("alllowercase1", false)]
        [InlineData("NoDigitsOrSymbols", false)]
        [InlineData("12345678!!", false)]
        [InlineData("Ünïcode-Passw0rd", false)]
        [InlineData("lower-and-digits-1", true)]
        [InlineData("Upper1lower", true)]
        [InlineData("UPPER lower!", true)]
        public async Task Passwords_follow_Entra_password_policy(string password, bool accepted)
        {
            var call = await Door.PostAsync("/users", NewUser(Unique("pw"), password: password));
            if (accepted) Ok(call, 201);
            else Rejected(call, 400, "Request_BadRequest", WeakPassword);
        }

        [Fact]
        public async Task A_password_reset_by_patch_follows_the_policy_and_is_never_returned()
        {
            string alias = Unique("reset");
            string id = (string)Ok(await Door.PostAsync("/users", NewUser(alias)), 201)["id"]!;
            Rejected(await Door.PatchAsync("/users/" + id, new { passwordProfile = new { password = "weak" } }), 400, "Request_BadRequest", WeakPassword);
            NoContent(await Door.PatchAsync("/users/" + id, new { passwordProfile = new { password = "N3w-Password", forceChangePasswordNextSignIn = false } }));
            Assert.Equal(UserPasswordCheck.Valid, Tenant.VerifyUserPassword(alias + "@" + FrontDoor.CustomDomain, "N3w-Password", out _));
            Assert.Equal(UserPasswordCheck.WrongPassword, Tenant.VerifyUserPassword(alias + "@" + FrontDoor.CustomDomain, "Str0ng-Passw0rd", out _));
        }

        [Fact]
        public async Task Apps_read_users_with_a_read_permission_and_write_none_without_a_write_one()
        {
            string id = (string)Ok(await Door.PostAsync("/users", NewUser(Unique("perm"))), 201)["id"]!;
            var none = await _kit.CreateClientAsync();
            string noneToken = await IdentityKit.TokenAsync(_kit.SecretCredential(none.AppId, none.Secret));
            Rejected(await IdentityKit.Bearer(Door, "GET", "/users", noneToken), 403, "Authorization_RequestDenied", Denied);
            var reader = await _kit.CreateClientAsync(IdentityKit.DirectoryReadAll);
            string readerToken = await IdentityKit.TokenAsync(_kit.SecretCredential(reader.AppId, reader.Secret));
            Ok(await IdentityKit.Bearer(Door, "GET", "/users/" + id, readerToken));
            Rejected(await IdentityKit.Bearer(Door, "POST", "/users", readerToken, NewUser(Unique("perm"))), 403, "Authorization_RequestDenied", Denied);
            Rejected(await IdentityKit.Bearer(Door, "PATCH", "/users/" + id, readerToken, new { jobTitle = "x" }), 403, "Authorization_RequestDenied", Denied);
            Rejected(await IdentityKit.Bearer(Door, "DELETE", "/users/" + id, readerToken), 403, "Authorization_RequestDenied", Denied);
            // user-post-users, Application: User.ReadWrite.All (id 741f803b-c850-494e-b5df-cde7c675a1ca).
            var writer = await _kit.CreateClientAsync("741f803b-c850-494e-b5df-cde7c675a1ca");
            string writerToken = await IdentityKit.TokenAsync(_kit.SecretCredential(writer.AppId, writer.Secret));
            var made = Ok(await IdentityKit.Bearer(Door, "POST", "/users", writerToken, NewUser(Unique("perm"))), 201);
            NoContent(await IdentityKit.Bearer(Door, "DELETE", "/users/" + (string)made["id"]!, writerToken));
        }

        [Fact]
        public async Task A_signed_in_user_without_an_admin_role_reads_users_but_creates_none()
        {
            string upn = Unique("member") + "@" + FrontDoor.CustomDomain;
            Tenant.AddUser(new LocalTenantUser(upn, "Member-Passw0rd"));
            string token = Tenant.IssueUserToken(upn, new[] { "User.ReadWrite.All" });
            Ok(await IdentityKit.Bearer(Door, "GET", "/users/" + upn, token));
            Assert.Equal(upn, (string?)Ok(await IdentityKit.Bearer(Door, "GET", "/me", token))["userPrincipalName"]);
            // permissions-overview: a delegated token acts only as its user, and a member manages no users.
            Rejected(await IdentityKit.Bearer(Door, "POST", "/users", token, NewUser(Unique("x"))), 403, "Authorization_RequestDenied", Denied);
            Rejected(await IdentityKit.Bearer(Door, "DELETE", "/users/" + upn, token), 403, "Authorization_RequestDenied", Denied);
            // A User Administrator does (permissions-reference: "Can manage all aspects of users").
            string userAdmin = Unique("useradmin") + "@" + FrontDoor.CustomDomain;
            Tenant.AddUser(new LocalTenantUser(userAdmin, "Member-Passw0rd", "UserAdministrator"));
            string adminToken = Tenant.IssueUserToken(userAdmin, new[] { "User.ReadWrite.All" });
            Ok(await IdentityKit.Bearer(Door, "POST", "/users", adminToken, NewUser(Unique("x"))), 201);
        }
    }
}
