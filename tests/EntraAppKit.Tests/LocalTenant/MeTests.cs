using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// GET /me through both front doors (learn.microsoft.com/graph/api/user-get): the signed-in user for a delegated token,
    /// Graph's 400 for an app-only one. Azure CLI's <c>az ad signed-in-user show</c> calls it.
    /// </summary>
    public abstract class MeTests : DoorTests, IDisposable
    {
        private readonly IdentityKit _kit;

        protected MeTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : MeTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : MeTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        /// <summary>"By default, only a limited set of properties are returned" (user-get): these, in the order the page lists them.</summary>
        private static readonly string[] Defaults =
            { "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id" };

        [Fact]
        public async Task A_delegated_token_reads_the_signed_in_administrator()
        {
            var me = Ok(await IdentityKit.Bearer(Door, "GET", "/me", Tenant.IssueAdminToken()));
            Assert.Equal(Root + "/$metadata#users/$entity", (string?)me["@odata.context"]);
            Assert.Equal(Defaults.OrderBy(n => n), me.Select(kv => kv.Key).Where(k => k != "@odata.context").OrderBy(n => n));
            Assert.Equal(Tenant.AdministratorId, (string?)me["id"]);
            Assert.Equal(Tenant.AdministratorUserPrincipalName, (string?)me["userPrincipalName"]);
            Assert.Equal("Administrator", (string?)me["displayName"]);
            Assert.Empty(me["businessPhones"]!.AsArray());
            // The token's oid is the user /me answers for.
            Assert.Equal((string?)IdentityKit.Claims(Tenant.IssueAdminToken())["oid"], (string?)me["id"]);

            var selected = Ok(await IdentityKit.Bearer(Door, "GET", "/me?$select=id,userPrincipalName", Tenant.IssueAdminToken()));
            Assert.Equal(Root + "/$metadata#users(id,userPrincipalName)/$entity", (string?)selected["@odata.context"]);
            Assert.Equal(new[] { "@odata.context", "id", "userPrincipalName" }, selected.Select(kv => kv.Key));
            Error(await IdentityKit.Bearer(Door, "GET", "/me?$select=nope", Tenant.IssueAdminToken()), 400, "Request_UnsupportedQuery",
                "Property 'nope' does not exist as a declared property or extension property.");
        }

        /// <summary>
        /// The user type's declarations in the v1.0 CSDL (v1.0-Prod.csdl, EntityType user; id from entity) for the properties
        /// /me returns: each a string, businessPhones a collection of them.
        /// </summary>
        private static readonly string[] DeclaredStrings =
            { "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id" };

        [Fact]
        public async Task Every_property_me_returns_has_its_v1_user_type()
        {
            var me = Ok(await Door.GetAsync("/me"));
            foreach (var name in DeclaredStrings)
                Assert.True(me[name] == null || me[name] is JsonValue v && v.TryGetValue<string>(out _), name);
            Assert.All(me["businessPhones"]!.AsArray(), p => Assert.IsAssignableFrom<JsonValue>(p));
            Assert.Equal(Defaults.OrderBy(n => n), DeclaredStrings.Append("businessPhones").OrderBy(n => n));
        }

        [Fact]
        public async Task An_app_only_token_is_400_whatever_its_roles()
        {
            // Graph: 400 BadRequest "/me request is only valid with delegated authentication flow." (as clients report it,
            // github.com/microsoftgraph/msgraph-sdk-php/issues/1163); user-get lists no application permission for /me.
            foreach (var roles in new[] { Array.Empty<string>(), new[] { IdentityKit.DirectoryReadAll } })
            {
                var client = await _kit.CreateClientAsync(roles);
                string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
                Error(await IdentityKit.Bearer(Door, "GET", "/me", token), 400, "BadRequest", "/me request is only valid with delegated authentication flow.");
            }
        }

        [Fact]
        public async Task Me_is_read_only_and_has_no_key()
        {
            Error(await Door.PatchAsync("/me", new { displayName = "x" }), 405, "Request_BadRequest");
            Error(await Door.GetAsync("/me/nothing"), 400, "BadRequest", "Resource not found for the segment 'nothing'.");
        }
    }
}
