using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using EntraAppKit.LocalTenant;
using Xunit;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The local tenant as an identity provider, driven by the real Azure.Identity credentials (and so MSAL) through the
    /// in-process handler: Azure.Identity's transport is an HttpClient over <see cref="Tenant.CreateHandler"/>, its authority
    /// host login.microsoftonline.com, instance discovery off. Helpers set tenants up as an administrator would.
    /// </summary>
    public sealed class IdentityKit : IDisposable
    {
        public const string GraphScope = "https://graph.microsoft.com/.default";

        // learn.microsoft.com/graph/permissions-reference: Microsoft Graph application permission (app role) ids.
        public const string ApplicationReadWriteOwnedBy = "18a4783c-866b-4cc7-a460-3d5e5662c884";
        public const string ApplicationReadWriteAll = "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9";
        public const string ApplicationReadAll = "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30";
        public const string AppRoleAssignmentReadWriteAll = "06b708a9-e830-4db3-a914-8e69da51d44f";
        public const string DirectoryReadAll = "7ab1d382-f21e-4acd-a863-ba3e13f7da61";
        public const string OrganizationReadAll = "498476ce-e0fe-48b0-b801-37ba7e2685c6";
        public const string DelegatedPermissionGrantReadWriteAll = "8e8e4742-1d95-4f68-9d56-6ee75648c72a";

        public IdentityKit(Tenant? tenant = null)
        {
            Clock = new ManualClock();
            Tenant = tenant ?? Tenant.Create(new LocalTenantOptions { Name = "contoso", Clock = Clock.Now, DeviceCodeIntervalSeconds = 1 });
            Admin = new InProcessDoor(Tenant);
            Admin.InitializeAsync().GetAwaiter().GetResult();
            Http = new HttpClient(Tenant.CreateHandler());
        }

        public Tenant Tenant { get; }

        public ManualClock Clock { get; }

        /// <summary>The in-process door with no token: the built-in administrator setting things up.</summary>
        public InProcessDoor Admin { get; }

        /// <summary>An HttpClient straight into the tenant (identity endpoints and Graph).</summary>
        public HttpClient Http { get; }

        public void Dispose()
        {
            Http.Dispose();
            Admin.DisposeAsync().GetAwaiter().GetResult();
        }

        /// <summary>The options every credential in these tests uses: the tenant's handler as transport, no instance discovery.</summary>
        public T Options<T>(T options) where T : TokenCredentialOptions
        {
            options.Transport = new HttpClientTransport(new HttpClient(Tenant.CreateHandler()));
            options.AuthorityHost = new Uri("https://login.microsoftonline.com/");
            switch (options)
            {
                case ClientSecretCredentialOptions o: o.DisableInstanceDiscovery = true; break;
                case ClientCertificateCredentialOptions o: o.DisableInstanceDiscovery = true; break;
                case DeviceCodeCredentialOptions o: o.DisableInstanceDiscovery = true; break;
            }
            return options;
        }

        public ClientSecretCredential SecretCredential(string appId, string secret, string? tenant = null) =>
            new ClientSecretCredential(tenant ?? Tenant.TenantId, appId, secret, Options(new ClientSecretCredentialOptions()));

        public ClientCertificateCredential CertificateCredential(string appId, X509Certificate2 certificate) =>
            new ClientCertificateCredential(Tenant.TenantId, appId, certificate, Options(new ClientCertificateCredentialOptions()));

        public static async Task<string> TokenAsync(TokenCredential credential, string scope = GraphScope) =>
            (await credential.GetTokenAsync(new TokenRequestContext(new[] { scope }), default)).Token;

        // ----- Setting up the tenant as its administrator -----

        public async Task<JsonObject> CreateAppAsync(string? name = null, JsonObject? extra = null)
        {
            var body = extra ?? new JsonObject();
            body["displayName"] = name ?? "app-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            if (!body.ContainsKey("signInAudience")) body["signInAudience"] = "AzureADMyOrg";
            return GraphAssert.Ok(await Admin.PostAsync("/applications", body), 201);
        }

        public async Task<string> AddSecretAsync(string applicationId, DateTimeOffset? end = null)
        {
            var credential = new JsonObject { ["displayName"] = "test" };
            if (end.HasValue) credential["endDateTime"] = end.Value.UtcDateTime.ToString("o");
            return (string)GraphAssert.Ok(await Admin.PostAsync($"/applications/{applicationId}/addPassword", new JsonObject { ["passwordCredential"] = credential }))["secretText"]!;
        }

        public async Task<JsonObject> CreateSpAsync(string appId) => GraphAssert.Ok(await Admin.PostAsync("/servicePrincipals", new { appId }), 201);

        public async Task<string> GraphSpIdAsync() =>
            (string)GraphAssert.Items(GraphAssert.Ok(await Admin.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'")))[0]["id"]!;

        /// <summary>Admin consent for Microsoft Graph application permissions (learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto).</summary>
        public async Task GrantRolesAsync(string servicePrincipalId, params string[] appRoleIds)
        {
            string graphSp = await GraphSpIdAsync();
            foreach (var role in appRoleIds)
                GraphAssert.Ok(await Admin.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                    new { principalId = servicePrincipalId, resourceId = graphSp, appRoleId = role }), 201);
        }

        /// <summary>A confidential client: application, secret, service principal and the given Graph app roles.</summary>
        public async Task<Client> CreateClientAsync(params string[] appRoleIds)
        {
            var app = await CreateAppAsync();
            string secret = await AddSecretAsync((string)app["id"]!);
            var sp = await CreateSpAsync((string)app["appId"]!);
            await GrantRolesAsync((string)sp["id"]!, appRoleIds);
            return new Client((string)app["id"]!, (string)app["appId"]!, (string)sp["id"]!, secret);
        }

        public sealed class Client
        {
            public Client(string id, string appId, string spId, string secret) { Id = id; AppId = appId; SpId = spId; Secret = secret; }
            public string Id { get; }
            public string AppId { get; }
            public string SpId { get; }
            public string Secret { get; }
        }

        // ----- Raw HTTP -----

        /// <summary>POSTs a form to an identity endpoint path (e.g. "/{tenant}/oauth2/v2.0/token").</summary>
        public async Task<(int Status, JsonObject Json, HttpResponseMessage Response)> PostFormAsync(string path, params (string, string)[] fields)
        {
            var content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));
            var response = await Http.PostAsync("https://login.microsoftonline.com" + path, content);
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response);
        }

        /// <summary>A Graph call with a bearer token (or none), through the in-process handler.</summary>
        public Task<GraphCall> GraphAsync(string method, string path, string? token, object? body = null) =>
            Bearer(Admin, method, path, token, body);

        public static Task<GraphCall> Bearer(FrontDoor door, string method, string path, string? token, object? body = null) =>
            door.SendAsync(method, path, body, token == null ? Array.Empty<(string, string?)>() : new[] { ("Authorization", (string?)("Bearer " + token)) });

        /// <summary>The object, without its @odata annotations, is made only of v1.0 schema properties of the right JSON types.</summary>
        public static void Conforms(string typeName, JsonObject obj)
        {
            var stripped = (JsonObject)obj.DeepClone();
            foreach (var key in stripped.Select(kv => kv.Key).Where(k => k.StartsWith("@odata.", StringComparison.Ordinal)).ToList()) stripped.Remove(key);
            Assert.True(EntraAppKit.LocalTenant.Model.GraphSchema.V1.Conforms(typeName, stripped, out var problem), problem);
        }

        // ----- Tokens -----

        public static JsonObject Claims(string jwt) => Part(jwt, 1);

        public static JsonObject Header(string jwt) => Part(jwt, 0);

        private static JsonObject Part(string jwt, int index) => Base64UrlJson(jwt.Split('.')[index]);

        /// <summary>A JSON object sent base64url-encoded: a JWT's header or payload, MSAL's client_info.</summary>
        public static JsonObject Base64UrlJson(string value) => JsonNode.Parse(Encoding.UTF8.GetString(B64(value)))!.AsObject();

        public static List<string> Roles(string jwt) => Claims(jwt)["roles"] is JsonArray a ? a.Select(r => (string)r!).ToList() : new List<string>();

        public static List<string> Scopes(string jwt) => ((string?)Claims(jwt)["scp"] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

        /// <summary>Checks a token's RS256 signature with the key the tenant publishes at its JWKS, independently of the engine.</summary>
        public async Task<bool> SignatureVerifiesAsync(string jwt)
        {
            var jwks = JsonNode.Parse(await Http.GetStringAsync($"https://login.microsoftonline.com/{Tenant.TenantId}/discovery/v2.0/keys"))!;
            string kid = (string)Header(jwt)["kid"]!;
            var key = jwks["keys"]!.AsArray().Single(k => (string?)k!["kid"] == kid)!;
            using var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = B64(key["n"]!), Exponent = B64(key["e"]!) });
            var parts = jwt.Split('.');
            return rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), B64(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        private static byte[] B64(JsonNode n) => B64((string)n!);

        private static byte[] B64(string s)
        {
            s = s.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
        }

        /// <summary>A self-signed certificate with its private key, as an app owner would make for certificate credentials.</summary>
        public static X509Certificate2 NewCertificate(string subject = "CN=entraappkit-test", DateTimeOffset? notAfter = null)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var now = DateTimeOffset.UtcNow;
            return request.CreateSelfSigned(now.AddMinutes(-5), notAfter ?? now.AddYears(1));
        }

        /// <summary>
        /// A compact JWS signed RS256 with <paramref name="certificate"/>'s private key, its header naming the certificate by
        /// its SHA-1 x5t (certificate-credentials): client assertions, and addKey's proof of possession.
        /// </summary>
        public static string SignedJwt(X509Certificate2 certificate, JsonObject payload)
        {
            static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["x5t"] = B64(certificate.GetCertHash()) };
            string input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
            using var rsa = certificate.GetRSAPrivateKey()!;
            return input + "." + B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        /// <summary>Graph's audience for rolling-key proofs (learn.microsoft.com/graph/application-rollkey-prooftoken).</summary>
        public const string ProofAudience = "00000002-0000-0000-c000-000000000000";

        /// <summary>
        /// The proof of possession addKey and removeKey take (learn.microsoft.com/graph/application-rollkey-prooftoken): aud
        /// 00000002-0000-0000-c000-000000000000, iss the object id, nbf, and exp "the value of nbf + 10 minutes".
        /// </summary>
        public static string Proof(X509Certificate2 certificate, string objectId, DateTimeOffset notBefore, TimeSpan? lifetime = null, string audience = ProofAudience) =>
            SignedJwt(certificate, new JsonObject
            {
                ["aud"] = audience,
                ["iss"] = objectId,
                ["nbf"] = notBefore.ToUnixTimeSeconds(),
                ["exp"] = notBefore.Add(lifetime ?? TimeSpan.FromMinutes(10)).ToUnixTimeSeconds(),
            });

        /// <summary>A keyCredential with the certificate's public part, as a client sends it (resources/keycredential).</summary>
        public static JsonObject PublicKey(X509Certificate2 certificate) => new JsonObject
        {
            ["type"] = "AsymmetricX509Cert",
            ["usage"] = "Verify",
            ["key"] = Convert.ToBase64String(certificate.Export(X509ContentType.Cert)),
        };

        /// <summary>PATCH /applications/{id} keyCredentials with the certificate's public part (resources/keycredential).</summary>
        public async Task UploadCertificateAsync(string applicationId, params X509Certificate2[] certificates)
        {
            var keys = new JsonArray(certificates.Select(c => (JsonNode?)PublicKey(c)).ToArray());
            GraphAssert.NoContent(await Admin.PatchAsync($"/applications/{applicationId}", new JsonObject { ["keyCredentials"] = keys }));
        }
    }
}
