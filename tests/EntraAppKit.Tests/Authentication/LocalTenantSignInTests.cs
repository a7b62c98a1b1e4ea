using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Authentication
{
    /// <summary>
    /// Connect-EntraAppKit's sign-in methods end to end: the real Azure.Identity credentials against the local tenant's token
    /// endpoints in-process, then recipes authorised from the token's claims (learn.microsoft.com/graph/permissions-reference).
    /// </summary>
    [Collection(LocalTenantTests.EnvironmentVariablesCollection.Name)]
    public class LocalTenantSignInTests
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();

        private static SecureString Secure(string s)
        {
            var secure = new SecureString();
            foreach (var c in s) secure.AppendChar(c);
            return secure;
        }

        /// <summary>An automation app with the given Graph application permissions, admin-consented, and its secret.</summary>
        private async Task<(string ClientId, string ObjectId, string Secret)> AutomationAppAsync(string name, params string[] roles)
        {
            using var admin = _tenant.Session();
            var o = new General { GrantAdminConsent = true };
            foreach (var r in roles) o.ApplicationPermissions.Add(r);
            var result = await new RecipeEngine(admin).RunAsync(o.For(name));
            return (result.ClientId, result.ObjectId, (string)SecretText.Present(result.ClientSecret, true)!);
        }

        private Task<EntraAppKitConnection> ConnectAsync(ConnectOptions options)
        {
            options.Target = LocalTenantAdapter.For(_tenant);
            return EntraAppKitConnection.ConnectAsync(options);
        }

        [Fact]
        public async Task Client_secret_sign_in_carries_the_roles_the_app_really_holds()
        {
            var app = await AutomationAppAsync("Automation", "Application.ReadWrite.OwnedBy");
            using var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.ClientSecret, ClientId = app.ClientId, ClientSecret = Secure(app.Secret) });
            var context = await connection.GetContextAsync();
            Assert.Equal(app.ClientId, context.Account);
            Assert.Equal(new[] { "Application.ReadWrite.OwnedBy" }, context.Roles);
            Assert.Equal(_tenant.TenantId, context.TenantId);
            Assert.NotNull(context.TokenExpiresOn);
        }

        [Fact]
        public async Task A_wrong_secret_is_refused_with_Entras_code()
        {
            var app = await AutomationAppAsync("Automation");
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => ConnectAsync(new ConnectOptions { Method = SignInMethod.ClientSecret, ClientId = app.ClientId, ClientSecret = Secure("not-the-secret") }));
            Assert.Equal(ErrorIds.AuthenticationFailed, e.ErrorId);
            Assert.Contains("AADSTS7000215", e.Message);
            Assert.DoesNotContain("not-the-secret", e.Message);
        }

        [Fact]
        public async Task Least_privilege_app_creates_its_app_but_consent_fails_early_until_granted()
        {
            var automation = await AutomationAppAsync("Automation", "Application.ReadWrite.OwnedBy");
            using (var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.ClientSecret, ClientId = automation.ClientId, ClientSecret = Secure(automation.Secret) }))
            {
                var engine = new RecipeEngine(connection.Session);
                var wbe = await engine.RunAsync(new WriteBack().For(WriteBack.DefaultName));
                Assert.NotNull(wbe.ServicePrincipalId); // OwnedBy: it may create and credential apps it owns

                int writesBefore = _tenant.RequestLog.SuccessfulWrites;
                var e = await Assert.ThrowsAsync<EntraAppKitException>(() => engine.RunAsync(new KonnectDcr { LeastPrivilege = true }.For(KonnectDcr.DefaultName)));
                Assert.Equal(ErrorIds.InsufficientPermissions, e.ErrorId);
                Assert.Contains("AppRoleAssignment.ReadWrite.All", e.Message);
                Assert.Equal(writesBefore, _tenant.RequestLog.SuccessfulWrites); // failed before any write
            }

            // The admin grants what the message named; a new sign-in carries it.
            using (var admin = _tenant.Session())
            {
                var o = new General { GrantAdminConsent = true };
                foreach (var r in new[] { "Application.ReadWrite.OwnedBy", "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All" }) o.ApplicationPermissions.Add(r);
                await new RecipeEngine(admin).RunAsync(o.For("Automation", adoptClientId: automation.ClientId, secretLifetimeMonths: null));
            }
            using (var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.ClientSecret, ClientId = automation.ClientId, ClientSecret = Secure(automation.Secret) }))
            {
                var konnect = await new RecipeEngine(connection.Session).RunAsync(new KonnectDcr { LeastPrivilege = true }.For(KonnectDcr.DefaultName));
                Assert.Contains("Grant admin consent for Microsoft Graph Application.ReadWrite.OwnedBy (Application)", konnect.Changes);
            }
        }

        /// <summary>A self-signed certificate whose public key is uploaded to the app's keyCredentials (learn.microsoft.com/graph/api/resources/keycredential).</summary>
        private async Task<X509Certificate2> UploadCertificateAsync(string objectId)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=EntraAppKit test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            using (var http = new HttpClient(_tenant.CreateHandler()))
            {
                var body = new JsonObject
                {
                    ["keyCredentials"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "AsymmetricX509Cert", ["usage"] = "Verify", ["key"] = Convert.ToBase64String(certificate.Export(X509ContentType.Cert)),
                        ["displayName"] = "CN=EntraAppKit test",
                    }),
                };
                var response = await http.PatchAsync($"https://graph.microsoft.com/v1.0/applications/{objectId}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }
            return certificate;
        }

        [Fact]
        public async Task Certificate_sign_in_with_a_pfx_file()
        {
            var app = await AutomationAppAsync("Cert automation", "Application.Read.All");
            using var certificate = await UploadCertificateAsync(app.ObjectId);
            string pfx = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".pfx");
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pw"));
            try
            {
                using var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.CertificatePath, ClientId = app.ClientId, CertificatePath = pfx, CertificatePassword = Secure("pw") });
                Assert.Equal(new[] { "Application.Read.All" }, (await connection.GetContextAsync()).Roles);
            }
            finally { File.Delete(pfx); }
        }

        [Fact]
        public async Task Certificate_sign_in_by_thumbprint_from_the_certificate_store()
        {
            var app = await AutomationAppAsync("Store automation", "Application.Read.All");
            using var created = await UploadCertificateAsync(app.ObjectId);
            // The private key must be persistable for the store (.NET on Linux keeps CurrentUser\My under the user's profile).
            using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx, "pw"), "pw", X509KeyStorageFlags.Exportable | X509KeyStorageFlags.PersistKeySet);
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadWrite);
            store.Add(certificate);
            try
            {
                using var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.CertificateThumbprint, ClientId = app.ClientId, CertificateThumbprint = certificate.Thumbprint });
                Assert.Equal(new[] { "Application.Read.All" }, (await connection.GetContextAsync()).Roles);
            }
            finally { store.Remove(certificate); }
        }

        [Fact]
        public async Task Device_code_prints_the_code_and_signs_in_the_administrator()
        {
            _tenant.DeviceCodeIntervalSeconds = 1;
            string? prompt = null;
            using var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.DeviceCode, DeviceCodePrompt = m => prompt = m });
            Assert.Contains("enter the code", prompt);
            var context = await connection.GetContextAsync();
            Assert.Equal("admin@" + _tenant.InitialDomain, context.Account);
            Assert.Contains("Application.ReadWrite.All", context.Scopes);
            Assert.Equal(new[] { "Global Administrator" }, context.DirectoryRoles); // from wids; the member-user role is left out
            var result = await new RecipeEngine(connection.Session).RunAsync(new CmgServer { EnableUserDiscovery = true }.For(CmgServer.DefaultName));
            Assert.NotNull(result.ServicePrincipalId);
        }

        /// <summary>
        /// Connect-EntraAppKit -LocalTenant: the tenant says what it grants its built-in administrator (the claims its admin
        /// token would carry) and makes no signing key for a token nobody sends; once it requires authentication, a signed token says it.
        /// </summary>
        [Fact]
        public async Task Built_in_administrator_context_is_what_its_token_would_carry_without_a_signing_key()
        {
            using var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.BuiltInAdministrator });
            var described = await connection.GetContextAsync();
            Assert.False(_tenant.Store.HasSigningKey);
            Assert.Equal("admin@" + _tenant.InitialDomain, described.Account);
            Assert.Contains("Application.ReadWrite.All", described.Scopes);
            Assert.Equal(new[] { "Global Administrator" }, described.DirectoryRoles);

            _tenant.RequireAuthentication = true;
            var signed = await connection.GetContextAsync();
            Assert.True(_tenant.Store.HasSigningKey);
            Assert.Equal(signed.Account, described.Account);
            Assert.Equal(signed.Scopes, described.Scopes);
            Assert.Equal(signed.Roles, described.Roles);
            Assert.Equal(signed.DirectoryRoles, described.DirectoryRoles);
            Assert.InRange(described.TokenExpiresOn!.Value, signed.TokenExpiresOn!.Value.AddMinutes(-1), signed.TokenExpiresOn.Value);
            Assert.NotNull((await new RecipeEngine(connection.Session).RunAsync(new WriteBack().For(WriteBack.DefaultName))).ServicePrincipalId);
        }

        [Fact]
        public async Task Access_token_is_used_as_is()
        {
            using var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.AccessToken, AccessToken = Secure(_tenant.IssueAdminToken()) });
            Assert.Equal("admin@" + _tenant.InitialDomain, (await connection.GetContextAsync()).Account);
            var result = await new RecipeEngine(connection.Session).RunAsync(new WriteBack().For(WriteBack.DefaultName));
            Assert.NotNull(result.ClientSecret);
        }

        [Fact]
        public async Task Managed_identity_through_the_automation_endpoint()
        {
            // A user-assigned identity with its own client id: MSAL caches managed identity tokens process-wide by identity,
            // not by tenant, so a system-assigned one could be served another test tenant's cached token.
            _tenant.CreateManagedIdentity("system-assigned");
            var (miAppId, miSpId) = _tenant.CreateManagedIdentity("automation-account");
            using (var admin = new HttpClient(_tenant.CreateHandler()))
            {
                var graph = JsonNode.Parse(await admin.GetStringAsync("https://graph.microsoft.com/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles"))!;
                string roleId = (string)graph["appRoles"]!.AsArray().First(r => (string?)r!["value"] == "Application.ReadWrite.All")!["id"]!;
                var body = new JsonObject { ["principalId"] = miSpId, ["resourceId"] = (string)graph["id"]!, ["appRoleId"] = roleId };
                (await admin.PostAsync($"https://graph.microsoft.com/v1.0/servicePrincipals/{(string)graph["id"]!}/appRoleAssignedTo", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            }
            using var variables = new EnvironmentVariables(("IDENTITY_ENDPOINT", "http://localhost" + LocalTenant.LocalTenantEngine.ManagedIdentityPath), ("IDENTITY_HEADER", _tenant.IdentityHeader));
            using var connection = await ConnectAsync(new ConnectOptions { Method = SignInMethod.ManagedIdentity, ClientId = miAppId });
            var context = await connection.GetContextAsync();
            Assert.Equal(miAppId, context.Account);
            Assert.Equal(new[] { "Application.ReadWrite.All" }, context.Roles);
            Assert.NotNull((await new RecipeEngine(connection.Session).RunAsync(new WriteBack().For(WriteBack.DefaultName))).ServicePrincipalId);
        }

        [Fact]
        public async Task Test_EntraAppCredential_proves_a_secret_and_reports_refusals()
        {
            var app = await AutomationAppAsync("Konnect-like", "Application.ReadWrite.OwnedBy");
            var options = new AppCredentialTestOptions { TenantId = _tenant.TenantId, ClientId = app.ClientId, ClientSecret = Secure(app.Secret), Target = LocalTenantAdapter.For(_tenant) };
            var ok = await AppCredentialTester.TestAsync(options);
            Assert.True(ok.Success, ok.Error);
            Assert.Equal(new[] { "Application.ReadWrite.OwnedBy" }, ok.Roles);

            options.ClientSecret = Secure("wrong");
            var refused = await AppCredentialTester.TestAsync(options);
            Assert.False(refused.Success);
            Assert.Contains("AADSTS7000215", refused.Error);
        }
    }

    /// <summary>Sets process environment variables for a test and restores them (tests using it run in the environment collection).</summary>
    public sealed class EnvironmentVariables : IDisposable
    {
        private readonly (string Name, string? Old)[] _saved;

        public EnvironmentVariables(params (string Name, string Value)[] variables)
        {
            _saved = variables.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var v in variables) Environment.SetEnvironmentVariable(v.Name, v.Value);
        }

        public void Dispose()
        {
            foreach (var (name, old) in _saved) Environment.SetEnvironmentVariable(name, old);
        }
    }
}
