using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Persistence;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>The identity half of a persisted tenant: signing key, managed identity secret, administrator and owners survive a reopen.</summary>
    public sealed class IdentityPersistenceTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "entraappkit-localtenant-tests", Guid.NewGuid().ToString("N"));

        public IdentityPersistenceTests() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            try { Directory.Delete(_dir, true); }
            catch (IOException) { }
        }

        private string StatePath => Path.Combine(_dir, "tenant.json");

        [Fact]
        public async Task Tokens_issued_before_a_reopen_still_validate_after_it()
        {
            var tenant = Tenant.Open(StatePath);
            string adminToken = tenant.IssueAdminToken();
            string appToken, ownedAppId, secret;
            IdentityKit.Client client;
            using (var kit = new IdentityKit(tenant))
            {
                client = await kit.CreateClientAsync(IdentityKit.ApplicationReadWriteOwnedBy);
                appToken = await IdentityKit.TokenAsync(kit.SecretCredential(client.AppId, client.Secret));
                ownedAppId = (string)Ok(await kit.GraphAsync("POST", "/applications", appToken, new { displayName = "owned", signInAudience = "AzureADMyOrg" }), 201)["id"]!;
                secret = client.Secret;
            }
            var mi = tenant.CreateManagedIdentity("automation");

            var reopened = Tenant.Open(StatePath);
            Assert.Equal(tenant.SigningKeyId, reopened.SigningKeyId);
            Assert.Equal(tenant.IdentityHeader, reopened.IdentityHeader);
            Assert.Equal(tenant.AdministratorId, reopened.AdministratorId);
            using var after = new IdentityKit(reopened);
            Ok(await after.GraphAsync("GET", "/organization", adminToken));
            // The app still owns what it created before the reopen.
            NoContent(await after.GraphAsync("PATCH", $"/applications/{ownedAppId}", appToken, new { description = "still mine" }));
            Assert.True(await after.SignatureVerifiesAsync(await IdentityKit.TokenAsync(after.SecretCredential(client.AppId, secret))));
            Assert.Equal("ManagedIdentity", (string?)Ok(await after.Admin.GetAsync($"/servicePrincipals/{mi.ServicePrincipalId}"))["servicePrincipalType"]);

            var doc = JsonNode.Parse(File.ReadAllText(StatePath))!;
            Assert.Equal(tenant.SigningKeyId, (string?)doc["signingKey"]!["kid"]);
            Assert.Equal(new[] { client.SpId }, Strings(doc["owners"]![ownedAppId]));
        }

        [Fact]
        public void A_file_from_before_the_identity_provider_gets_a_key_once_and_keeps_it()
        {
            var tenant = Tenant.Open(StatePath);
            var doc = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            doc.Remove("signingKey");
            doc.Remove("owners");
            doc["tenant"]!.AsObject().Remove("identityHeader");
            doc["tenant"]!.AsObject().Remove("administratorId");
            File.WriteAllText(StatePath, doc.ToJsonString());

            var upgraded = Tenant.Open(StatePath);
            Assert.Equal(tenant.TenantId, upgraded.TenantId);
            Assert.NotEqual(tenant.SigningKeyId, upgraded.SigningKeyId);
            Assert.NotNull(JsonNode.Parse(File.ReadAllText(StatePath))!["signingKey"]); // saved at once
            Assert.Equal(upgraded.SigningKeyId, Tenant.Open(StatePath).SigningKeyId);
        }

        [Fact]
        public void A_damaged_signing_key_is_refused_and_the_file_left_untouched()
        {
            Tenant.Open(StatePath);
            var doc = JsonNode.Parse(File.ReadAllText(StatePath))!.AsObject();
            doc["signingKey"]!["d"] = doc["signingKey"]!["p"]!.DeepClone(); // a private exponent that does not belong to the key
            File.WriteAllText(StatePath, doc.ToJsonString());
            byte[] before = File.ReadAllBytes(StatePath);
            var e = Assert.Throws<LocalTenantStateException>(() => Tenant.Open(StatePath));
            Assert.Contains("untouched", e.Message);
            Assert.Equal(before, File.ReadAllBytes(StatePath));
        }
    }
}
