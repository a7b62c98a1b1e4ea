using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Azure.Identity;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// A service principal's own client secrets through both front doors: POST /servicePrincipals/{id}/addPassword
    /// (learn.microsoft.com/graph/api/serviceprincipal-addpassword) and removePassword
    /// (learn.microsoft.com/graph/api/serviceprincipal-removepassword): the secretText once, the hint after, and the
    /// application's own secrets untouched. Azure CLI's az ad sp credential reset.
    /// </summary>
    public abstract class ServicePrincipalPasswordTests : DoorTests, IDisposable
    {
        private readonly IdentityKit _kit;

        protected ServicePrincipalPasswordTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : ServicePrincipalPasswordTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : ServicePrincipalPasswordTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        [Fact]
        public async Task The_newest_service_principal_secret_is_listed_first()
        {
            // Azure CLI's test_sp_credential runs the same _test_credential as test_app_credential (Azure/azure-cli, role
            // tests/latest/test_graph.py): after az ad sp credential reset --append key1 then key2, "Graph API reverses the order
            // of insertion" ([0].displayName 'key2'); the application's recording, test_app_credential.yaml, shows that GET.
            var (_, sp) = await CreateAppWithSpAsync();
            string spId = (string)sp["id"]!;
            foreach (var name in new[] { "key1", "key2" })
                Ok(await Door.PostAsync($"/servicePrincipals/{spId}/addPassword", new { passwordCredential = new { displayName = name } }));
            var names = Ok(await Door.GetAsync($"/servicePrincipals/{spId}"))["passwordCredentials"]!.AsArray().Select(p => (string?)p!["displayName"]);
            Assert.Equal(new[] { "key2", "key1" }, names);
        }

        [Fact]
        public async Task AddPassword_on_a_service_principal_keeps_it_on_the_service_principal()
        {
            var (app, sp) = await CreateAppWithSpAsync();
            string spId = (string)sp["id"]!;
            var before = Door.Clock.Now();
            var cred = Ok(await Door.PostAsync($"/servicePrincipals/{spId}/microsoft.graph.addPassword", new { passwordCredential = new { displayName = "sp secret" } }));
            Assert.Equal(Root + "/$metadata#microsoft.graph.passwordCredential", (string?)cred["@odata.context"]);
            string secret = (string)cred["secretText"]!;
            Assert.Equal(secret.Substring(0, 3), (string?)cred["hint"]);
            var start = DateTimeOffset.Parse((string)cred["startDateTime"]!, CultureInfo.InvariantCulture);
            Assert.InRange(start, before.AddSeconds(-5), Door.Clock.Now().AddSeconds(5));
            Assert.Equal(start.AddYears(2), DateTimeOffset.Parse((string)cred["endDateTime"]!, CultureInfo.InvariantCulture));

            var fetched = await Door.GetAsync($"/servicePrincipals/{spId}");
            Assert.DoesNotContain(secret, fetched.Text);
            var stored = Assert.Single(Ok(fetched)["passwordCredentials"]!.AsArray())!;
            Assert.Equal((string?)cred["keyId"], (string?)stored["keyId"]);
            Assert.Null(stored["secretText"]);
            Assert.Equal("sp secret", (string?)stored["displayName"]);
            // The application's secrets are its own.
            Assert.Empty(Ok(await Door.GetAsync($"/applications/{app["id"]}"))["passwordCredentials"]!.AsArray());

            NoContent(await Door.PostAsync($"/servicePrincipals/{spId}/removePassword", new { keyId = (string)cred["keyId"]! }));
            Assert.Empty(Ok(await Door.GetAsync($"/servicePrincipals/{spId}"))["passwordCredentials"]!.AsArray());
            string unknown = Guid.NewGuid().ToString();
            Rejected(await Door.PostAsync($"/servicePrincipals/{spId}/removePassword", new { keyId = unknown }), 400, "Request_BadRequest",
                $"No password credential found with keyId '{unknown}'.");
        }

        [Fact]
        public async Task AddPassword_on_a_service_principal_refuses_what_the_application_action_refuses()
        {
            var (_, sp) = await CreateAppWithSpAsync();
            string spId = (string)sp["id"]!;
            Rejected(await Door.PostAsync($"/servicePrincipals/{spId}/addPassword", new { other = 1 }), 400, "Request_BadRequest",
                "Property 'other' does not exist as a declared property or extension property.");
            Rejected(await Door.PostAsync($"/servicePrincipals/{spId}/addPassword", new { passwordCredential = new { startDateTime = "2030-01-02T00:00:00Z", endDateTime = "2030-01-01T00:00:00Z" } }),
                400, "Request_BadRequest", "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.");
            Rejected(await Door.PostAsync($"/servicePrincipals/{spId}/removePassword", new { keyId = 5 }), 400, "Request_BadRequest",
                "Invalid value specified for property 'keyId' of resource 'ServicePrincipal'.");
            Rejected(await Door.GetAsync($"/servicePrincipals/{spId}/addPassword"), 400, "BadRequest", "Resource not found for the segment 'addPassword'.");
        }

        [Fact]
        public async Task Only_a_writer_adds_a_service_principal_password()
        {
            // serviceprincipal-addpassword: Application.ReadWrite.OwnedBy (what it owns) or Application.ReadWrite.All.
            var (_, sp) = await CreateAppWithSpAsync();
            var reader = await _kit.CreateClientAsync(IdentityKit.DirectoryReadAll);
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(reader.AppId, reader.Secret));
            Error(await IdentityKit.Bearer(Door, "POST", $"/servicePrincipals/{sp["id"]}/addPassword", token, new { passwordCredential = new { } }), 403,
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            var owned = await _kit.CreateClientAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            string ownedToken = await IdentityKit.TokenAsync(_kit.SecretCredential(owned.AppId, owned.Secret));
            Error(await IdentityKit.Bearer(Door, "POST", $"/servicePrincipals/{sp["id"]}/addPassword", ownedToken, new { passwordCredential = new { } }), 403,
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            var app = Ok(await IdentityKit.Bearer(Door, "POST", "/applications", ownedToken, new { displayName = Unique("own"), signInAudience = "AzureADMyOrg" }), 201);
            var ownSp = Ok(await IdentityKit.Bearer(Door, "POST", "/servicePrincipals", ownedToken, new { appId = (string)app["appId"]! }), 201);
            Ok(await IdentityKit.Bearer(Door, "POST", $"/servicePrincipals/{ownSp["id"]}/addPassword", ownedToken, new { passwordCredential = new { } }));
        }

        [Fact]
        public async Task A_service_principals_own_secret_signs_in_for_its_appId()
        {
            // A service principal's passwordCredentials (serviceprincipal-addpassword) are its own, not its application's
            // (learn.microsoft.com/answers/questions/821587), and the client credentials grant accepts them for the appId.
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            var cred = Ok(await Door.PostAsync($"/servicePrincipals/{client.SpId}/addPassword", new { passwordCredential = new { displayName = "sp secret" } }));
            string secret = (string)cred["secretText"]!;
            Assert.True(Tenant.VerifyClientSecret(client.AppId, secret));
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, secret));
            var claims = IdentityKit.Claims(token);
            Assert.Equal(client.SpId, (string?)claims["oid"]);
            Assert.Equal(client.AppId, (string?)claims["appid"] ?? (string?)claims["azp"]);
            Assert.Equal(new[] { "Application.Read.All" }, IdentityKit.Roles(token));
            // The application's own secret still signs in beside it.
            Assert.NotEmpty(await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret)));

            NoContent(await Door.PostAsync($"/servicePrincipals/{client.SpId}/removePassword", new { keyId = (string)cred["keyId"]! }));
            Assert.False(Tenant.VerifyClientSecret(client.AppId, secret));
            var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, secret)));
            Assert.Contains("AADSTS7000215", e.ToString());
        }
    }
}
