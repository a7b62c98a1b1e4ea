using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Azure.Identity;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Client credentials against the local tenant's token endpoints, through the real ClientSecretCredential and
    /// ClientCertificateCredential (MSAL) and raw requests (v2-oauth2-client-creds-grant-flow, certificate-credentials,
    /// learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow). Each test gets its own tenant.
    /// </summary>
    public sealed class ClientCredentialsTests : IDisposable
    {
        private readonly IdentityKit _kit = new IdentityKit();

        public void Dispose() => _kit.Dispose();

        private string TokenPath => $"/{_kit.Tenant.TenantId}/oauth2/v2.0/token";

        /// <summary>Entra's error body: error, "AADSTSn: …" description, error_codes [n], timestamp, trace_id, correlation_id.</summary>
        private static void AssertAadsts((int Status, JsonObject Json, HttpResponseMessage Response) answer, int status, string error, int code, string? startsWith = null)
        {
            Assert.True(answer.Status == status, $"Expected {status} but got {answer.Status} {answer.Json.ToJsonString()}");
            Assert.Equal(error, (string?)answer.Json["error"]);
            string description = (string)answer.Json["error_description"]!;
            Assert.StartsWith($"AADSTS{code}: {startsWith}", description);
            Assert.Contains("Trace ID: ", description);
            Assert.Equal(new[] { code }, answer.Json["error_codes"]!.AsArray().Select(c => (int)c!));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$", (string?)answer.Json["timestamp"]);
            Assert.True(Guid.TryParse((string?)answer.Json["trace_id"], out _));
            Assert.True(Guid.TryParse((string?)answer.Json["correlation_id"], out _));
            Assert.StartsWith("application/json", answer.Response.Content.Headers.ContentType!.ToString());
        }

        [Fact]
        public async Task ClientSecretCredential_gets_a_signed_Graph_token_carrying_the_roles_the_app_holds()
        {
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadWriteOwnedBy, IdentityKit.ApplicationReadAll);
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));

            var header = IdentityKit.Header(token);
            Assert.Equal("RS256", (string?)header["alg"]);
            Assert.Equal(_kit.Tenant.SigningKeyId, (string?)header["kid"]);
            Assert.True(await _kit.SignatureVerifiesAsync(token));

            var claims = IdentityKit.Claims(token);
            string tid = _kit.Tenant.TenantId;
            Assert.Equal("https://graph.microsoft.com", (string?)claims["aud"]);
            Assert.Equal($"https://sts.windows.net/{tid}/", (string?)claims["iss"]);
            Assert.Equal(tid, (string?)claims["tid"]);
            Assert.Equal(client.SpId, (string?)claims["oid"]); // app-only: the service principal
            Assert.Equal(client.SpId, (string?)claims["sub"]);
            Assert.Equal(client.AppId, (string?)claims["appid"]);
            Assert.Equal(client.AppId, (string?)claims["azp"]); // a v2.0 request
            Assert.Equal("1", (string?)claims["appidacr"]); // a secret
            Assert.Equal("app", (string?)claims["idtyp"]);
            Assert.Equal("1.0", (string?)claims["ver"]);
            Assert.Null(claims["scp"]);
            Assert.Equal(new[] { "Application.Read.All", "Application.ReadWrite.OwnedBy" }, IdentityKit.Roles(token).OrderBy(r => r));
            Assert.Equal(3600, (long)claims["exp"]! - (long)claims["iat"]!);
            Assert.Equal((long)claims["iat"]!, (long)claims["nbf"]!);

            // And Graph takes it.
            Ok(await _kit.GraphAsync("GET", "/applications", token));
        }

        [Fact]
        public async Task Roles_are_the_assignments_held_when_the_token_is_issued()
        {
            var client = await _kit.CreateClientAsync();
            string before = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            Assert.Null(IdentityKit.Claims(before)["roles"]); // no assignment, no roles claim

            await _kit.GrantRolesAsync(client.SpId, IdentityKit.DirectoryReadAll);
            string after = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            Assert.Equal(new[] { "Directory.Read.All" }, IdentityKit.Roles(after));

            // Revoking the assignment shows in the next token; the one already issued keeps its claims, as in Entra.
            string graphSp = await _kit.GraphSpIdAsync();
            var assignment = Items(Ok(await _kit.Admin.GetAsync($"/servicePrincipals/{client.SpId}/appRoleAssignments"))).Single();
            NoContent(await _kit.Admin.DeleteAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{assignment["id"]}"));
            Assert.Empty(IdentityKit.Roles(await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret))));
            Ok(await _kit.GraphAsync("GET", "/applications", after));
        }

        [Fact]
        public async Task A_wrong_secret_is_AADSTS7000215()
        {
            var client = await _kit.CreateClientAsync();
            var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret + "x")));
            Assert.Contains("AADSTS7000215: Invalid client secret provided.", e.ToString());

            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", client.AppId),
                ("client_secret", "not-the-secret"), ("scope", IdentityKit.GraphScope)), 401, "invalid_client", 7000215,
                $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client.AppId}'.");
        }

        [Fact]
        public async Task An_expired_secret_is_AADSTS7000222_and_a_later_one_still_works()
        {
            var client = await _kit.CreateClientAsync();
            string shortLived = await _kit.AddSecretAsync(client.Id, DateTimeOffset.UtcNow.AddDays(1));
            Assert.NotNull(await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, shortLived)));

            _kit.Clock.Advance(TimeSpan.FromDays(2));
            var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, shortLived)));
            Assert.Contains("AADSTS7000222", e.ToString());
            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", client.AppId),
                ("client_secret", shortLived), ("scope", IdentityKit.GraphScope)), 401, "invalid_client", 7000222,
                $"The provided client secret keys for app '{client.AppId}' are expired.");
            Assert.NotNull(await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret))); // the two-year default
        }

        [Fact]
        public async Task An_unknown_client_is_AADSTS700016()
        {
            string appId = Guid.NewGuid().ToString();
            var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.SecretCredential(appId, "whatever")));
            Assert.Contains("AADSTS700016", e.ToString());
            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", appId),
                ("client_secret", "whatever"), ("scope", IdentityKit.GraphScope)), 400, "unauthorized_client", 700016,
                $"Application with identifier '{appId}' was not found in the directory '{_kit.Tenant.DisplayName}'.");
        }

        [Fact]
        public async Task A_client_without_a_service_principal_is_AADSTS7000229()
        {
            var app = await _kit.CreateAppAsync();
            string secret = await _kit.AddSecretAsync((string)app["id"]!);
            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", (string)app["appId"]!),
                ("client_secret", secret), ("scope", IdentityKit.GraphScope)), 400, "invalid_client", 7000229,
                $"The client application {app["appId"]} is missing service principal in the tenant {_kit.Tenant.TenantId}.");
        }

        [Fact]
        public async Task Client_credentials_ask_for_a_resource_default_scope()
        {
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            (string, string)[] Fields(params (string, string)[] extra) =>
                new[] { ("grant_type", "client_credentials"), ("client_id", client.AppId), ("client_secret", client.Secret) }.Concat(extra).ToArray();

            AssertAadsts(await _kit.PostFormAsync(TokenPath, Fields(("scope", "https://graph.microsoft.com/User.Read"))), 400, "invalid_scope", 1002012,
                "The provided value for scope https://graph.microsoft.com/User.Read is not valid. Client credential flows must have a scope value with /.default suffixed");
            AssertAadsts(await _kit.PostFormAsync(TokenPath, Fields(("scope", "api://nothing-here/.default"))), 400, "invalid_resource", 500011,
                "The resource principal named api://nothing-here was not found in the tenant named");
            AssertAadsts(await _kit.PostFormAsync(TokenPath, Fields()), 400, "invalid_request", 900144,
                "The request body must contain the following parameter: 'scope'.");

            // Graph by its appId is Graph too; the token's audience says which name was used.
            var byAppId = await _kit.PostFormAsync(TokenPath, Fields(("scope", FrontDoor.MicrosoftGraphAppId + "/.default")));
            Assert.Equal(200, byAppId.Status);
            string token = (string)byAppId.Json["access_token"]!;
            Assert.Equal(FrontDoor.MicrosoftGraphAppId, (string?)IdentityKit.Claims(token)["aud"]);
            Ok(await _kit.GraphAsync("GET", "/servicePrincipals?$top=1", token));
        }

        [Fact]
        public async Task The_v2_answer_has_Entra_shape()
        {
            var client = await _kit.CreateClientAsync();
            var answer = await _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", client.AppId),
                ("client_secret", client.Secret), ("scope", IdentityKit.GraphScope));
            Assert.Equal(200, answer.Status);
            Assert.Equal(new[] { "token_type", "scope", "expires_in", "ext_expires_in", "access_token" }, answer.Json.Select(kv => kv.Key));
            Assert.Equal("Bearer", (string?)answer.Json["token_type"]);
            Assert.Equal(IdentityKit.GraphScope, (string?)answer.Json["scope"]);
            Assert.Equal(3599, (int)answer.Json["expires_in"]!);
            Assert.Equal("no-store, no-cache", answer.Response.Headers.CacheControl!.ToString());
            Assert.False(answer.Json.ContainsKey("refresh_token")); // never for client credentials
        }

        [Fact]
        public async Task The_v1_endpoint_takes_resource_and_answers_strings()
        {
            // learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow, developer.konghq.com/how-to/azure-ad-dcr: grant_type, client_id, client_secret, resource
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            var answer = await _kit.PostFormAsync($"/{_kit.Tenant.InitialDomain}/oauth2/token", ("grant_type", "client_credentials"),
                ("client_id", client.AppId), ("client_secret", client.Secret), ("resource", "https://graph.microsoft.com"));
            Assert.Equal(200, answer.Status);
            Assert.Equal(new[] { "token_type", "expires_in", "ext_expires_in", "expires_on", "not_before", "resource", "access_token" }, answer.Json.Select(kv => kv.Key));
            Assert.Equal("3599", (string?)answer.Json["expires_in"]);
            Assert.Equal("https://graph.microsoft.com", (string?)answer.Json["resource"]);
            long expiresOn = long.Parse((string)answer.Json["expires_on"]!);

            string token = (string)answer.Json["access_token"]!;
            var claims = IdentityKit.Claims(token);
            Assert.Equal(expiresOn, (long)claims["exp"]!);
            Assert.Equal(client.AppId, (string?)claims["appid"]);
            Assert.Null(claims["azp"]); // v1 requests carry appid only
            Assert.Equal($"https://sts.windows.net/{_kit.Tenant.TenantId}/", (string?)claims["iss"]);
            Assert.Equal(new[] { "Application.Read.All" }, IdentityKit.Roles(token));
            Ok(await _kit.GraphAsync("GET", "/applications", token));

            AssertAadsts(await _kit.PostFormAsync($"/{_kit.Tenant.TenantId}/oauth2/token", ("grant_type", "client_credentials"),
                ("client_id", client.AppId), ("client_secret", client.Secret)), 400, "invalid_request", 900144);
        }

        [Fact]
        public async Task The_client_may_authenticate_with_HTTP_Basic()
        {
            // RFC 6749 section 2.3.1 client_secret_basic, listed in the discovery document
            var client = await _kit.CreateClientAsync();
            var request = new HttpRequestMessage(HttpMethod.Post, "https://login.microsoftonline.com" + TokenPath)
            {
                Content = new FormUrlEncodedContent(new[] { KeyValuePair("grant_type", "client_credentials"), KeyValuePair("scope", IdentityKit.GraphScope) }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(client.AppId) + ":" + Uri.EscapeDataString(client.Secret))));
            var response = await _kit.Http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
        }

        private static System.Collections.Generic.KeyValuePair<string, string> KeyValuePair(string k, string v) => new System.Collections.Generic.KeyValuePair<string, string>(k, v);

        [Fact]
        public async Task Requests_the_endpoint_does_not_serve_are_refused_in_Entra_terms()
        {
            var client = await _kit.CreateClientAsync();
            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("grant_type", "password"), ("client_id", client.AppId)), 400, "unsupported_grant_type", 70003,
                "The app requested an unsupported grant type 'password'.");
            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("client_id", client.AppId)), 400, "invalid_request", 900144,
                "The request body must contain the following parameter: 'grant_type'.");
            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", client.AppId), ("scope", IdentityKit.GraphScope)),
                401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

            var get = await _kit.Http.GetAsync("https://login.microsoftonline.com" + TokenPath);
            var json = JsonNode.Parse(await get.Content.ReadAsStringAsync())!.AsObject();
            AssertAadsts(((int)get.StatusCode, json, get), 400, "invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. Received a GET request.");
        }

        [Fact]
        public async Task Client_credentials_need_this_tenant_by_id_or_domain()
        {
            var client = await _kit.CreateClientAsync();
            (string, string)[] fields = { ("grant_type", "client_credentials"), ("client_id", client.AppId), ("client_secret", client.Secret), ("scope", IdentityKit.GraphScope) };
            Assert.Equal(200, (await _kit.PostFormAsync($"/{_kit.Tenant.InitialDomain}/oauth2/v2.0/token", fields)).Status);
            Assert.NotNull(await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret, _kit.Tenant.InitialDomain)));
            AssertAadsts(await _kit.PostFormAsync("/common/oauth2/v2.0/token", fields), 400, "invalid_request", 50059,
                "No tenant-identifying information found in either the request or implied by any provided credentials.");
            string other = Guid.NewGuid().ToString();
            AssertAadsts(await _kit.PostFormAsync($"/{other}/oauth2/v2.0/token", fields), 400, "invalid_tenant", 90002, $"Tenant '{other}' not found.");
        }

        [Fact]
        public async Task A_disabled_service_principal_cannot_sign_in()
        {
            var client = await _kit.CreateClientAsync();
            NoContent(await _kit.Admin.PatchAsync($"/servicePrincipals/{client.SpId}", new { accountEnabled = false }));
            AssertAadsts(await _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", client.AppId),
                ("client_secret", client.Secret), ("scope", IdentityKit.GraphScope)), 400, "unauthorized_client", 7000112);
        }

        // ----- Certificates (certificate-credentials) -----

        [Fact]
        public async Task ClientCertificateCredential_signs_in_with_an_uploaded_certificate()
        {
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            using var certificate = IdentityKit.NewCertificate("CN=entraappkit-cert-test");
            await _kit.UploadCertificateAsync(client.Id, certificate);

            // Graph completed the keyCredential from the certificate (resources/keycredential).
            var withKey = Ok(await _kit.Admin.GetAsync($"/applications/{client.Id}"));
            IdentityKit.Conforms("application", withKey);
            var key = withKey["keyCredentials"]!.AsArray().Single()!.AsObject();
            Assert.Equal("AsymmetricX509Cert", (string?)key["type"]);
            Assert.Equal("Verify", (string?)key["usage"]);
            GuidOf(key["keyId"]);
            Assert.Equal(Convert.ToBase64String(certificate.GetCertHash()), (string?)key["customKeyIdentifier"]);
            Assert.Equal("CN=entraappkit-cert-test", (string?)key["displayName"]);
            Assert.Equal(certificate.NotAfter.ToUniversalTime(), DateTimeOffset.Parse((string)key["endDateTime"]!).UtcDateTime, TimeSpan.FromSeconds(1));

            string token = await IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, certificate));
            var claims = IdentityKit.Claims(token);
            Assert.Equal("2", (string?)claims["appidacr"]); // a certificate
            Assert.Equal(client.SpId, (string?)claims["oid"]);
            Assert.Equal(new[] { "Application.Read.All" }, IdentityKit.Roles(token));
            Assert.True(await _kit.SignatureVerifiesAsync(token));
            Ok(await _kit.GraphAsync("GET", "/applications", token));
        }

        [Fact]
        public async Task A_service_principals_own_certificate_signs_in_for_its_appId()
        {
            // A service principal's keyCredentials are its own (learn.microsoft.com/answers/questions/821587); PATCH completes
            // them from the certificate as it does an application's, and they sign in for the appId like the application's.
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            using var certificate = IdentityKit.NewCertificate("CN=entraappkit-sp-cert");
            NoContent(await _kit.Admin.PatchAsync($"/servicePrincipals/{client.SpId}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(certificate)) }));
            var key = Assert.Single(Ok(await _kit.Admin.GetAsync($"/servicePrincipals/{client.SpId}"))["keyCredentials"]!.AsArray())!;
            Assert.Equal(Convert.ToBase64String(certificate.GetCertHash()), (string?)key["customKeyIdentifier"]);
            Assert.Equal("CN=entraappkit-sp-cert", (string?)key["displayName"]);
            GuidOf(key["keyId"]);
            Assert.Empty(Ok(await _kit.Admin.GetAsync($"/applications/{client.Id}"))["keyCredentials"]!.AsArray());

            string token = await IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, certificate));
            Assert.Equal(client.SpId, (string?)IdentityKit.Claims(token)["oid"]);
            Assert.Equal("2", (string?)IdentityKit.Claims(token)["appidacr"]);
            Assert.Equal(new[] { "Application.Read.All" }, IdentityKit.Roles(token));

            // A key PATCH refuses on a service principal leaves it as it was.
            Error(await _kit.Admin.PatchAsync($"/servicePrincipals/{client.SpId}", new JsonObject
            {
                ["keyCredentials"] = new JsonArray(new JsonObject { ["type"] = "AsymmetricX509Cert", ["usage"] = "Verify", ["key"] = Convert.ToBase64String(new byte[] { 1, 2, 3 }) }),
            }), 400, "Request_BadRequest", "Invalid value specified for property 'keyCredentials' of resource 'ServicePrincipal'.");
            Assert.Equal((string?)key["keyId"], (string?)Assert.Single(Ok(await _kit.Admin.GetAsync($"/servicePrincipals/{client.SpId}"))["keyCredentials"]!.AsArray())!["keyId"]);
        }

        [Fact]
        public async Task A_certificate_the_app_does_not_have_is_AADSTS700027()
        {
            var client = await _kit.CreateClientAsync();
            using var registered = IdentityKit.NewCertificate();
            using var other = IdentityKit.NewCertificate();
            await _kit.UploadCertificateAsync(client.Id, registered);
            var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, other)));
            Assert.Contains("AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.", e.ToString());
        }

        [Fact]
        public async Task An_expired_certificate_is_refused()
        {
            var client = await _kit.CreateClientAsync();
            using var certificate = IdentityKit.NewCertificate(notAfter: DateTimeOffset.UtcNow.AddDays(1));
            await _kit.UploadCertificateAsync(client.Id, certificate);
            _kit.Clock.Advance(TimeSpan.FromDays(2));
            var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, certificate)));
            Assert.Contains("AADSTS700027: The certificate with identifier used to sign the client assertion is expired on application.", e.ToString());
        }

        /// <summary>An assertion built by hand: RS256 with the SHA-1 x5t (MSAL sends PS256 with x5t#S256, the other accepted form).</summary>
        private string Assertion(X509Certificate2 certificate, string clientId, string? audience = null, DateTimeOffset? expires = null, string? issuer = null)
        {
            var now = DateTimeOffset.UtcNow;
            return IdentityKit.SignedJwt(certificate, new JsonObject
            {
                ["aud"] = audience ?? $"https://login.microsoftonline.com/{_kit.Tenant.TenantId}/oauth2/v2.0/token",
                ["iss"] = issuer ?? clientId,
                ["sub"] = clientId,
                ["jti"] = Guid.NewGuid().ToString(),
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                ["exp"] = (expires ?? now.AddMinutes(10)).ToUnixTimeSeconds(),
            });
        }

        private Task<(int Status, JsonObject Json, HttpResponseMessage Response)> AssertionRequest(string clientId, string assertion) =>
            _kit.PostFormAsync(TokenPath, ("grant_type", "client_credentials"), ("client_id", clientId), ("scope", IdentityKit.GraphScope),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", assertion));

        [Fact]
        public async Task Hand_made_assertions_are_checked_claim_by_claim()
        {
            var client = await _kit.CreateClientAsync();
            using var certificate = IdentityKit.NewCertificate();
            await _kit.UploadCertificateAsync(client.Id, certificate);

            Assert.Equal(200, (await AssertionRequest(client.AppId, Assertion(certificate, client.AppId))).Status);
            // v1 token endpoint and the domain form of the tenant are audiences too.
            Assert.Equal(200, (await AssertionRequest(client.AppId, Assertion(certificate, client.AppId,
                audience: $"https://login.microsoftonline.com/{_kit.Tenant.InitialDomain}/oauth2/token"))).Status);

            AssertAadsts(await AssertionRequest(client.AppId, Assertion(certificate, client.AppId, audience: "https://login.microsoftonline.com/common/oauth2/v2.0/token")),
                401, "invalid_client", 700027);
            AssertAadsts(await AssertionRequest(client.AppId, Assertion(certificate, client.AppId, issuer: Guid.NewGuid().ToString())),
                401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
            AssertAadsts(await AssertionRequest(client.AppId, Assertion(certificate, client.AppId, expires: DateTimeOffset.UtcNow.AddMinutes(-10))),
                401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
            string tampered = Assertion(certificate, client.AppId);
            tampered = tampered.Substring(0, tampered.Length - 4) + (tampered.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
            AssertAadsts(await AssertionRequest(client.AppId, tampered), 401, "invalid_client", 700027, "Client assertion failed signature validation.");
            AssertAadsts(await AssertionRequest(client.AppId, "not-a-jwt"), 400, "invalid_request", 50027);
        }

        /// <summary>
        /// MSAL asks for an API of the tenant as for Graph ("{App ID URI}/.default", v2-oauth2-client-creds-grant-flow); with a
        /// certificate the token's appidacr is "2" (access-token-claims-reference: "When you use a client certificate for authentication, the value is 2").
        /// </summary>
        [Fact]
        public async Task ClientCertificateCredential_gets_a_token_for_an_API_of_the_tenant()
        {
            string roleId = Guid.NewGuid().ToString();
            var api = await _kit.CreateAppAsync(extra: new JsonObject
            {
                ["appRoles"] = new JsonArray(new JsonObject
                {
                    ["id"] = roleId, ["allowedMemberTypes"] = new JsonArray("Application"), ["displayName"] = "Reports.Read", ["description"] = "Read reports",
                    ["value"] = "Reports.Read", ["isEnabled"] = true,
                }),
            });
            string apiAppId = (string)api["appId"]!;
            string appIdUri = $"api://{_kit.Tenant.TenantId}/reports";
            NoContent(await _kit.Admin.PatchAsync($"/applications/{api["id"]}", new { identifierUris = new[] { appIdUri } }));
            string apiSp = (string)(await _kit.CreateSpAsync(apiAppId))["id"]!;
            var client = await _kit.CreateClientAsync();
            Ok(await _kit.Admin.PostAsync($"/servicePrincipals/{apiSp}/appRoleAssignedTo", new { principalId = client.SpId, resourceId = apiSp, appRoleId = roleId }), 201);
            using var certificate = IdentityKit.NewCertificate();
            await _kit.UploadCertificateAsync(client.Id, certificate);

            string token = await IdentityKit.TokenAsync(_kit.CertificateCredential(client.AppId, certificate), appIdUri + "/.default");
            var claims = IdentityKit.Claims(token);
            Assert.Equal(appIdUri, (string?)claims["aud"]);
            Assert.Equal("1.0", (string?)claims["ver"]);
            Assert.Equal("2", (string?)claims["appidacr"]);
            Assert.Equal(new[] { "Reports.Read" }, IdentityKit.Roles(token));
            Assert.True(await _kit.SignatureVerifiesAsync(token));
        }
    }
}
