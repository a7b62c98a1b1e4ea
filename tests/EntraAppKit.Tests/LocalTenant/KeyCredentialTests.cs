using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Azure.Identity;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Rolling certificates through both front doors: POST /applications/{id}/addKey (learn.microsoft.com/graph/api/application-addkey),
    /// removeKey (learn.microsoft.com/graph/api/application-removekey), and the same on /servicePrincipals/{id}
    /// (serviceprincipal-addkey, serviceprincipal-removekey), each with a proof of possession signed by an existing valid
    /// certificate (learn.microsoft.com/graph/application-rollkey-prooftoken); and a service principal's own credentials
    /// signing in for its appId.
    /// </summary>
    public abstract class KeyCredentialTests : DoorTests, IDisposable
    {
        private const string Malformed = "Access Token missing or malformed.";
        private const string Denied = "Insufficient privileges to complete the operation.";

        private readonly IdentityKit _kit;

        protected KeyCredentialTests(FrontDoor door) : base(door)
        {
            _kit = new IdentityKit(door.Tenant);
            door.Tenant.RequireAuthentication = false;
        }

        public void Dispose() => _kit.Dispose();

        public sealed class InProcess : KeyCredentialTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : KeyCredentialTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private DateTimeOffset Now => Door.Clock.Now();

        /// <summary>An application (with its service principal) holding <paramref name="certificate"/>, set by PATCH as addKey's docs require first.</summary>
        private async Task<IdentityKit.Client> ClientWithCertificateAsync(X509Certificate2 certificate, params string[] roles)
        {
            var client = await _kit.CreateClientAsync(roles);
            NoContent(await Door.PatchAsync($"/applications/{client.Id}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(certificate)) }));
            return client;
        }

        private static JsonArray Keys(JsonObject owner) => owner["keyCredentials"]!.AsArray();

        [Fact]
        public async Task AddKey_rolls_a_certificate_that_then_signs_in_and_removeKey_retires_the_old_one()
        {
            using var first = IdentityKit.NewCertificate("CN=entraappkit-roll-first");
            using var second = IdentityKit.NewCertificate("CN=entraappkit-roll-second");
            var client = await ClientWithCertificateAsync(first, IdentityKit.ApplicationReadAll);
            string firstKeyId = (string)Keys(Ok(await Door.GetAsync($"/applications/{client.Id}")))[0]!["keyId"]!;

            var added = Ok(await Door.PostAsync($"/applications/{client.Id}/addKey", new JsonObject
            {
                ["keyCredential"] = IdentityKit.PublicKey(second),
                ["passwordCredential"] = null,
                ["proof"] = IdentityKit.Proof(first, client.Id, Now),
            }));
            // application-addkey: "200 OK response code and a new keyCredential object"; Graph returns the key itself as null.
            Assert.Equal(new[] { "@odata.context", "customKeyIdentifier", "displayName", "endDateTime", "key", "keyId", "startDateTime", "type", "usage" },
                added.Select(kv => kv.Key));
            Assert.Equal(Root + "/$metadata#microsoft.graph.keyCredential", (string?)added["@odata.context"]);
            Assert.Equal(Convert.ToBase64String(second.GetCertHash()), (string?)added["customKeyIdentifier"]);
            Assert.Equal("CN=entraappkit-roll-second", (string?)added["displayName"]);
            Assert.Null(added["key"]);
            string secondKeyId = GuidOf(added["keyId"]);
            Assert.Equal("AsymmetricX509Cert", (string?)added["type"]);
            Assert.Equal("Verify", (string?)added["usage"]);
            Assert.Equal(second.NotAfter.ToUniversalTime(), DateTimeOffset.Parse((string)added["endDateTime"]!, CultureInfo.InvariantCulture).UtcDateTime, TimeSpan.FromSeconds(1));
            Assert.Equal(second.NotBefore.ToUniversalTime(), DateTimeOffset.Parse((string)added["startDateTime"]!, CultureInfo.InvariantCulture).UtcDateTime, TimeSpan.FromSeconds(1));

            // The round trip: the application now holds both, and the new certificate signs in.
            var app = Ok(await Door.GetAsync($"/applications/{client.Id}"));
            Assert.Equal(new[] { firstKeyId, secondKeyId }, Keys(app).Select(k => (string)k!["keyId"]!));
            string token = await IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, second));
            Assert.Equal(client.SpId, (string?)IdentityKit.Claims(token)["oid"]);
            Assert.Equal("2", (string?)IdentityKit.Claims(token)["appidacr"]);

            // removeKey, proven with the new certificate, retires the old one: 204, and it no longer signs in.
            NoContent(await Door.PostAsync($"/applications/{client.Id}/microsoft.graph.removeKey", new { keyId = firstKeyId, proof = IdentityKit.Proof(second, client.Id, Now) }));
            Assert.Equal(new[] { secondKeyId }, Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))).Select(k => (string)k!["keyId"]!));
            var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, first)));
            Assert.Contains("AADSTS700027", e.ToString());
        }

        [Fact]
        public async Task A_proof_that_proves_nothing_is_refused_and_changes_nothing()
        {
            using var registered = IdentityKit.NewCertificate();
            using var stranger = IdentityKit.NewCertificate();
            using var next = IdentityKit.NewCertificate();
            var client = await ClientWithCertificateAsync(registered);
            var other = await _kit.CreateAppAsync();
            var before = Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))).ToJsonString();
            Task<GraphCall> AddKey(string? proof) => Door.PostAsync($"/applications/{client.Id}/addKey",
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(next), ["proof"] = proof });

            // Without a proof: Add-MgApplicationKey "requires Proof ... or else it would fail with the Insufficient privileges to
            // complete the operation error" (github.com/microsoftgraph/msgraph-sdk-powershell/issues/779), even for an administrator.
            Rejected(await AddKey(null), 403, "Authorization_RequestDenied", Denied);
            // Not a JWT, and a JWT whose payload keeps base64's '=' padding (application-rollkey-prooftoken:
            // "padding character '=' must not be included ... or an Authentication_MissingOrMalformed error is returned").
            Rejected(await AddKey("not-a-jwt"), 401, "Authentication_MissingOrMalformed", Malformed);
            string good = IdentityKit.Proof(registered, client.Id, Now);
            var parts = good.Split('.');
            Rejected(await AddKey(parts[0] + "." + parts[1] + "=." + parts[2]), 401, "Authentication_MissingOrMalformed", Malformed);
            // Microsoft Graph's own appId as aud instead of 00000002-…: github.com/microsoftgraph/microsoft-graph-docs/issues/10686.
            Rejected(await AddKey(IdentityKit.Proof(registered, client.Id, Now, audience: "00000003-0000-0000-c000-000000000000")),
                401, "Authentication_MissingOrMalformed", Malformed);
            // iss must be the object id of the application being updated, not its appId nor another object's id.
            Rejected(await AddKey(IdentityKit.Proof(registered, client.AppId, Now)), 401, "Authentication_MissingOrMalformed", Malformed);
            Rejected(await AddKey(IdentityKit.Proof(registered, (string)other["id"]!, Now)), 401, "Authentication_MissingOrMalformed", Malformed);
            // Signed by a certificate the application does not hold.
            Rejected(await AddKey(IdentityKit.Proof(stranger, client.Id, Now)), 401, "Authentication_MissingOrMalformed", Malformed);
            // Expired, not yet valid, or living longer than "nbf + 10 mins".
            Rejected(await AddKey(IdentityKit.Proof(registered, client.Id, Now.AddMinutes(-30))), 401, "Authentication_MissingOrMalformed", Malformed);
            Rejected(await AddKey(IdentityKit.Proof(registered, client.Id, Now.AddMinutes(30))), 401, "Authentication_MissingOrMalformed", Malformed);
            Rejected(await AddKey(IdentityKit.Proof(registered, client.Id, Now, TimeSpan.FromMinutes(11))), 401, "Authentication_MissingOrMalformed", Malformed);

            Assert.Equal(before, Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))).ToJsonString());
            // The same proof that was refused nothing above is accepted.
            Ok(await AddKey(good));
        }

        [Fact]
        public async Task Without_a_valid_certificate_addKey_cannot_be_used()
        {
            // application-addkey: "Applications that don't have any existing valid certificates (no certificates have been added
            // yet, or all certificates have expired), won't be able to use this service action." Nothing can check the proof.
            using var certificate = IdentityKit.NewCertificate();
            using var next = IdentityKit.NewCertificate();
            var app = await _kit.CreateAppAsync();
            string id = (string)app["id"]!;
            object Body() => new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(next), ["proof"] = IdentityKit.Proof(certificate, id, Now) };
            Rejected(await Door.PostAsync($"/applications/{id}/addKey", Body()), 401, "Authentication_MissingOrMalformed", Malformed);

            // Its keyCredential has expired (Graph's window bounds the key, as for sign-in).
            var expired = IdentityKit.PublicKey(certificate);
            expired["endDateTime"] = Now.AddDays(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            NoContent(await Door.PatchAsync($"/applications/{id}", new JsonObject { ["keyCredentials"] = new JsonArray(expired) }));
            Rejected(await Door.PostAsync($"/applications/{id}/addKey", Body()), 401, "Authentication_MissingOrMalformed", Malformed);

            // PATCH keyCredentials, which the docs send such an application to, makes the certificate valid again.
            NoContent(await Door.PatchAsync($"/applications/{id}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(certificate)) }));
            Ok(await Door.PostAsync($"/applications/{id}/addKey", Body()));
        }

        [Fact]
        public async Task AddKey_checks_the_key_it_is_given()
        {
            using var registered = IdentityKit.NewCertificate();
            using var next = IdentityKit.NewCertificate();
            var client = await ClientWithCertificateAsync(registered);
            string path = $"/applications/{client.Id}/addKey";
            JsonObject Body(JsonObject key, JsonNode? password = null) => new JsonObject
            {
                ["keyCredential"] = key, ["passwordCredential"] = password, ["proof"] = IdentityKit.Proof(registered, client.Id, Now),
            };
            JsonObject Key(string type, string usage, string? key = null) => new JsonObject
            {
                ["type"] = type, ["usage"] = usage, ["key"] = key ?? Convert.ToBase64String(next.Export(X509ContentType.Cert)),
            };
            const string InvalidKey = "Invalid value specified for property 'keyCredential' of resource 'Application'.";

            // "Supported key types are: AsymmetricX509Cert: The usage must be Verify. X509CertAndPassword: The usage must be Sign".
            Rejected(await Door.PostAsync(path, Body(Key("AsymmetricX509Cert", "Sign"))), 400, "Request_BadRequest", InvalidKey);
            Rejected(await Door.PostAsync(path, Body(Key("Symmetric", "Verify", Convert.ToBase64String(new byte[32])))), 400, "Request_BadRequest", InvalidKey);
            Rejected(await Door.PostAsync(path, Body(Key("AsymmetricX509Cert", "Verify", Convert.ToBase64String(new byte[] { 1, 2, 3 })))), 400, "Request_BadRequest", InvalidKey);
            var noKey = Key("AsymmetricX509Cert", "Verify");
            noKey.Remove("key");
            Rejected(await Door.PostAsync(path, Body(noKey)), 400, "Request_BadRequest", InvalidKey);
            Rejected(await Door.PostAsync(path, new JsonObject { ["proof"] = IdentityKit.Proof(registered, client.Id, Now) }), 400, "Request_BadRequest", InvalidKey);
            Rejected(await Door.PostAsync(path, new JsonObject { ["keyCredential"] = Key("AsymmetricX509Cert", "Verify"), ["other"] = 1 }), 400, "Request_BadRequest",
                "Property 'other' does not exist as a declared property or extension property.");
            // passwordCredential "is required only for keys of type X509CertAndPassword".
            Rejected(await Door.PostAsync(path, Body(Key("X509CertAndPassword", "Sign", Convert.ToBase64String(next.Export(X509ContentType.Pfx, "pw"))))),
                400, "Request_BadRequest", "Invalid value specified for property 'passwordCredential' of resource 'Application'.");
            Assert.Single(Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))));

            var signing = Ok(await Door.PostAsync(path, Body(Key("X509CertAndPassword", "Sign", Convert.ToBase64String(next.Export(X509ContentType.Pfx, "pw"))),
                new JsonObject { ["secretText"] = "pw" })));
            Assert.Equal("X509CertAndPassword", (string?)signing["type"]);
            Assert.Equal("Sign", (string?)signing["usage"]);
            Assert.Equal(Convert.ToBase64String(next.GetCertHash()), (string?)signing["customKeyIdentifier"]);
            Assert.Null(signing["key"]);
            Assert.Equal(2, Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))).Count);
        }

        [Fact]
        public async Task RemoveKey_needs_a_known_keyId_and_a_proof()
        {
            using var registered = IdentityKit.NewCertificate();
            var client = await ClientWithCertificateAsync(registered);
            string path = $"/applications/{client.Id}/removeKey";
            string keyId = (string)Keys(Ok(await Door.GetAsync($"/applications/{client.Id}")))[0]!["keyId"]!;
            string unknown = Guid.NewGuid().ToString();
            // Graph's wording for an unknown keyId was not found published; the local tenant answers as removePassword does.
            Rejected(await Door.PostAsync(path, new { keyId = unknown, proof = IdentityKit.Proof(registered, client.Id, Now) }), 400, "Request_BadRequest",
                $"No key credential found with keyId '{unknown}'.");
            Rejected(await Door.PostAsync(path, new { keyId = 5, proof = IdentityKit.Proof(registered, client.Id, Now) }), 400, "Request_BadRequest",
                "Invalid value specified for property 'keyId' of resource 'Application'.");
            Rejected(await Door.PostAsync(path, new { keyId }), 403, "Authorization_RequestDenied", Denied);
            Rejected(await Door.PostAsync(path, new { keyId, proof = IdentityKit.Proof(registered, client.Id, Now.AddMinutes(-30)) }), 401, "Authentication_MissingOrMalformed", Malformed);
            Rejected(await Door.GetAsync($"/applications/{client.Id}/removeKey"), 400, "BadRequest", "Resource not found for the segment 'removeKey'.");
            Assert.Single(Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))));
            // The last certificate may go too, proven by itself.
            NoContent(await Door.PostAsync(path, new { keyId, proof = IdentityKit.Proof(registered, client.Id, Now) }));
            Assert.Empty(Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))));
        }

        [Fact]
        public async Task A_service_principal_rolls_its_own_keys_apart_from_its_application()
        {
            using var first = IdentityKit.NewCertificate("CN=entraappkit-sp-first");
            using var second = IdentityKit.NewCertificate("CN=entraappkit-sp-second");
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            // PATCH completes a service principal's keyCredential from its certificate, as an application's.
            NoContent(await Door.PatchAsync($"/servicePrincipals/{client.SpId}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(first)) }));
            var patched = Assert.Single(Keys(Ok(await Door.GetAsync($"/servicePrincipals/{client.SpId}"))))!;
            Assert.Equal(Convert.ToBase64String(first.GetCertHash()), (string?)patched["customKeyIdentifier"]);
            GuidOf(patched["keyId"]);

            // serviceprincipal-addkey: the proof's iss is the service principal's id; the application's id proves nothing here.
            Rejected(await Door.PostAsync($"/servicePrincipals/{client.SpId}/addKey",
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(second), ["proof"] = IdentityKit.Proof(first, client.Id, Now) }),
                401, "Authentication_MissingOrMalformed", Malformed);
            var added = Ok(await Door.PostAsync($"/servicePrincipals/{client.SpId}/microsoft.graph.addKey",
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(second), ["proof"] = IdentityKit.Proof(first, client.SpId, Now) }));
            Assert.Equal(Root + "/$metadata#microsoft.graph.keyCredential", (string?)added["@odata.context"]);
            Assert.Equal("CN=entraappkit-sp-second", (string?)added["displayName"]);
            Assert.Equal(2, Keys(Ok(await Door.GetAsync($"/servicePrincipals/{client.SpId}"))).Count);
            Assert.Empty(Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))));

            // The service principal's own certificate signs in for its appId.
            string token = await IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, second));
            Assert.Equal(client.SpId, (string?)IdentityKit.Claims(token)["oid"]);
            Assert.Equal(new[] { "Application.Read.All" }, IdentityKit.Roles(token));

            NoContent(await Door.PostAsync($"/servicePrincipals/{client.SpId}/removeKey", new { keyId = (string)added["keyId"]!, proof = IdentityKit.Proof(first, client.SpId, Now) }));
            Assert.Equal((string?)patched["keyId"], (string?)Assert.Single(Keys(Ok(await Door.GetAsync($"/servicePrincipals/{client.SpId}"))))!["keyId"]);
            await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, second)));
        }

        [Fact]
        public async Task An_application_rolls_its_own_keys_without_any_permission_but_no_one_elses()
        {
            // application-addkey, "Permissions": "An application does not need any specific permission to roll its own keys."
            using var own = IdentityKit.NewCertificate();
            using var next = IdentityKit.NewCertificate();
            var self = await ClientWithCertificateAsync(own);
            string token = await IdentityKit.TokenAsync(_kit.CertificateCredential(self.AppId, own));
            Assert.Empty(IdentityKit.Roles(token));
            // No permission reads applications...
            Error(await IdentityKit.Bearer(Door, "GET", $"/applications/{self.Id}", token), 403, "Authorization_RequestDenied", Denied);
            // ...yet it rolls its application's keys, and its service principal's.
            var added = Ok(await IdentityKit.Bearer(Door, "POST", $"/applications/{self.Id}/addKey", token,
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(next), ["proof"] = IdentityKit.Proof(own, self.Id, Now) }));
            NoContent(await IdentityKit.Bearer(Door, "POST", $"/applications/{self.Id}/removeKey", token,
                new { keyId = (string)added["keyId"]!, proof = IdentityKit.Proof(next, self.Id, Now) }));
            NoContent(await Door.PatchAsync($"/servicePrincipals/{self.SpId}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(own)) }));
            Ok(await IdentityKit.Bearer(Door, "POST", $"/servicePrincipals/{self.SpId}/addKey", token,
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(next), ["proof"] = IdentityKit.Proof(own, self.SpId, Now) }));

            // Another application's keys need a write permission: the proof alone is not enough.
            using var theirs = IdentityKit.NewCertificate();
            var other = await ClientWithCertificateAsync(theirs);
            Error(await IdentityKit.Bearer(Door, "POST", $"/applications/{other.Id}/addKey", token,
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(next), ["proof"] = IdentityKit.Proof(theirs, other.Id, Now) }),
                403, "Authorization_RequestDenied", Denied);
            // With Application.ReadWrite.OwnedBy, only what the caller owns (application-addkey's least privileged permission).
            var ownedBy = await _kit.CreateClientAsync(IdentityKit.ApplicationReadWriteOwnedBy);
            string ownedByToken = await IdentityKit.TokenAsync(_kit.SecretCredential(ownedBy.AppId, ownedBy.Secret));
            Error(await IdentityKit.Bearer(Door, "POST", $"/applications/{other.Id}/addKey", ownedByToken,
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(next), ["proof"] = IdentityKit.Proof(theirs, other.Id, Now) }),
                403, "Authorization_RequestDenied", Denied);
            var writer = await _kit.CreateClientAsync(IdentityKit.ApplicationReadWriteAll);
            string writerToken = await IdentityKit.TokenAsync(_kit.SecretCredential(writer.AppId, writer.Secret));
            Ok(await IdentityKit.Bearer(Door, "POST", $"/applications/{other.Id}/addKey", writerToken,
                new JsonObject { ["keyCredential"] = IdentityKit.PublicKey(next), ["proof"] = IdentityKit.Proof(theirs, other.Id, Now) }));
        }

        // ----- issue 14 §3: keyCredentials as GET answers them and as a PATCH keeps them -----

        private const string InvalidKeys = "Invalid value specified for property 'keyCredentials' of resource 'Application'.";

        [Fact]
        public async Task Get_answers_key_only_on_select_of_a_single_object()
        {
            // resources/keycredential: key is "Returned only on $select for a single object, that is, GET
            // applications/{applicationId}?$select=keyCredentials or GET servicePrincipals/{servicePrincipalId}?$select=keyCredentials;
            // otherwise, it's always null".
            using var certificate = IdentityKit.NewCertificate("CN=entraappkit-get-key");
            var client = await ClientWithCertificateAsync(certificate);
            string der = Convert.ToBase64String(certificate.Export(X509ContentType.Cert));

            var plain = Keys(Ok(await Door.GetAsync($"/applications/{client.Id}")));
            Assert.True(((JsonObject)plain[0]!).ContainsKey("key"));
            Assert.Null(plain[0]!["key"]);
            Assert.Equal(der, (string?)Keys(Ok(await Door.GetAsync($"/applications/{client.Id}?$select=id,keyCredentials")))[0]!["key"]);
            var listed = Ok(await Door.GetAsync($"/applications?$filter=appId eq '{client.AppId}'&$select=id,keyCredentials"));
            Assert.Null(Keys((JsonObject)listed["value"]![0]!)[0]!["key"]);

            NoContent(await Door.PatchAsync($"/servicePrincipals/{client.SpId}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(certificate)) }));
            Assert.Null(Keys(Ok(await Door.GetAsync($"/servicePrincipals/{client.SpId}")))[0]!["key"]);
            Assert.Equal(der, (string?)Keys(Ok(await Door.GetAsync($"/servicePrincipals/{client.SpId}?$select=keyCredentials")))[0]!["key"]);
        }

        [Fact]
        public async Task A_patch_keeps_an_existing_key_sent_back_by_its_keyId_without_its_material()
        {
            // A PATCH replaces the collection (microsoftgraph/microsoft-graph-docs PR 19674: "Including only the new certificate details
            // replaces the existing certificate"); an existing key is kept by its keyId with key null (microsoft-graph-docs issue 3579).
            using var first = IdentityKit.NewCertificate("CN=entraappkit-keep-first");
            using var second = IdentityKit.NewCertificate("CN=entraappkit-keep-second");
            var client = await ClientWithCertificateAsync(first);
            var existing = (JsonObject)Keys(Ok(await Door.GetAsync($"/applications/{client.Id}")))[0]!.DeepClone();
            Assert.Null(existing["key"]);

            NoContent(await Door.PatchAsync($"/applications/{client.Id}", new JsonObject { ["keyCredentials"] = new JsonArray(existing, IdentityKit.PublicKey(second)) }));
            var keys = Keys(Ok(await Door.GetAsync($"/applications/{client.Id}?$select=keyCredentials")));
            Assert.Equal(new[] { Convert.ToBase64String(first.Export(X509ContentType.Cert)), Convert.ToBase64String(second.Export(X509ContentType.Cert)) },
                keys.Select(k => (string?)k!["key"]));
            Assert.Equal((string?)existing["keyId"], (string?)keys[0]!["keyId"]);
            foreach (var certificate in new[] { first, second })
                Assert.Equal(client.SpId, (string?)IdentityKit.Claims(await IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, certificate)))["oid"]);

            // New material under an existing keyId is refused (Azure/azure-powershell issue 6784), and so is a new
            // certificate credential without a key; neither changes anything.
            var swapped = (JsonObject)existing.DeepClone();
            swapped["key"] = Convert.ToBase64String(second.Export(X509ContentType.Cert));
            Rejected(await Door.PatchAsync($"/applications/{client.Id}", new JsonObject { ["keyCredentials"] = new JsonArray(swapped) }), 400, "Request_BadRequest",
                "Update to existing credential with KeyId is not allowed.");
            Rejected(await Door.PatchAsync($"/applications/{client.Id}", new JsonObject
            {
                ["keyCredentials"] = new JsonArray(new JsonObject { ["type"] = "AsymmetricX509Cert", ["usage"] = "Verify", ["keyId"] = Guid.NewGuid().ToString() }),
            }), 400, "Request_BadRequest", InvalidKeys);
            Assert.Equal(2, Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))).Count);
        }

        [Fact]
        public async Task A_patch_refuses_a_certificate_credential_that_signs()
        {
            using var certificate = IdentityKit.NewCertificate("CN=entraappkit-usage");
            var client = await _kit.CreateClientAsync();
            var key = IdentityKit.PublicKey(certificate);
            key["usage"] = "Sign";
            // resources/keycredential: "AsymmetricX509Cert: The usage must be Verify".
            Rejected(await Door.PatchAsync($"/applications/{client.Id}", new JsonObject { ["keyCredentials"] = new JsonArray(key) }), 400, "Request_BadRequest", InvalidKeys);
            Assert.Empty(Keys(Ok(await Door.GetAsync($"/applications/{client.Id}"))));
        }
    }
}
