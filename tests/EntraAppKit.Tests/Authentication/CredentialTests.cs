using System;
using System.Linq;
using System.Security;
using System.Text;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using Xunit;

namespace EntraAppKit.Tests.Authentication
{
    /// <summary>Sign-in methods map onto Azure.Identity credentials with the right cloud; national cloud hosts as Microsoft documents them.</summary>
    public class CredentialTests
    {
        private static SecureString Secure(string s)
        {
            var secure = new SecureString();
            foreach (var c in s) secure.AppendChar(c);
            return secure;
        }

        [Theory]
        // learn.microsoft.com/graph/deployments: Graph and Entra endpoints per national cloud.
        [InlineData("Global", "https://login.microsoftonline.com/", "https://graph.microsoft.com")]
        [InlineData("USGov", "https://login.microsoftonline.us/", "https://graph.microsoft.us")]
        [InlineData("USGovDoD", "https://login.microsoftonline.us/", "https://dod-graph.microsoft.us")]
        [InlineData("China", "https://login.chinacloudapi.cn/", "https://microsoftgraph.chinacloudapi.cn")]
        public void National_clouds_use_their_documented_hosts(string name, string authority, string graph)
        {
            var env = CloudEnvironment.FromName(name);
            Assert.Equal(new Uri(authority), env.AuthorityHost);
            Assert.Equal(graph, env.GraphEndpoint);
        }

        [Fact]
        public void Azure_Identity_agrees_on_the_authority_hosts()
        {
            Assert.Equal(AzureAuthorityHosts.AzurePublicCloud, CloudEnvironment.Global.AuthorityHost);
            Assert.Equal(AzureAuthorityHosts.AzureGovernment, CloudEnvironment.USGov.AuthorityHost);
            Assert.Equal(AzureAuthorityHosts.AzureChina, CloudEnvironment.China.AuthorityHost);
        }

        [Fact]
        public void Custom_graph_endpoint_keeps_the_cloud_login_and_must_be_https()
        {
            var env = CloudEnvironment.USGov.WithGraphEndpoint("https://graph.contoso.example/v1.0");
            Assert.Equal("https://graph.contoso.example", env.GraphEndpoint);
            Assert.Equal(CloudEnvironment.USGov.AuthorityHost, env.AuthorityHost);
            Assert.Throws<EntraAppKitException>(() => CloudEnvironment.Global.WithGraphEndpoint("http://graph.contoso.example"));
            Assert.Throws<EntraAppKitException>(() => CloudEnvironment.FromName("Mars"));
        }

        [Fact]
        public void Interactive_browser_options()
        {
            var o = CredentialFactory.InteractiveOptions(new ConnectOptions { Target = ConnectionTarget.Cloud(CloudEnvironment.China), TenantId = "contoso.partner.onmschina.cn" });
            Assert.Equal("contoso.partner.onmschina.cn", o.TenantId);
            Assert.Equal(CredentialFactory.DefaultPublicClientId, o.ClientId);
            Assert.Equal(new Uri("http://localhost"), o.RedirectUri);
            Assert.Equal(CloudEnvironment.China.AuthorityHost, o.AuthorityHost);
            Assert.False(o.DisableInstanceDiscovery);
            Assert.Equal("organizations", CredentialFactory.InteractiveOptions(new ConnectOptions()).TenantId);
        }

        [Theory]
        [InlineData(SignInMethod.Interactive, typeof(InteractiveBrowserCredential))]
        [InlineData(SignInMethod.DeviceCode, typeof(DeviceCodeCredential))]
        [InlineData(SignInMethod.ClientSecret, typeof(ClientSecretCredential))]
        [InlineData(SignInMethod.ManagedIdentity, typeof(ManagedIdentityCredential))]
        [InlineData(SignInMethod.WorkloadIdentity, typeof(WorkloadIdentityCredential))]
        [InlineData(SignInMethod.AzureCli, typeof(AzureCliCredential))]
        [InlineData(SignInMethod.AzurePowerShell, typeof(AzurePowerShellCredential))]
        [InlineData(SignInMethod.AccessToken, typeof(StaticTokenCredential))]
        public void Each_method_is_an_Azure_Identity_credential(SignInMethod method, Type expected)
        {
            var credential = CredentialFactory.Create(new ConnectOptions
            {
                Method = method, TenantId = "00000000-0000-0000-0000-000000000001", ClientId = "00000000-0000-0000-0000-000000000002",
                ClientSecret = Secure("s"), AccessToken = Secure("opaque"), FederatedTokenFile = "/var/run/token",
            });
            Assert.IsType(expected, credential);
        }

        [Theory]
        [InlineData(SignInMethod.ClientSecret, "-TenantId")]
        [InlineData(SignInMethod.CertificatePath, "-CertificatePath")]
        [InlineData(SignInMethod.CertificateThumbprint, "-TenantId")]
        [InlineData(SignInMethod.AccessToken, "-AccessToken")]
        public void Missing_inputs_are_named(SignInMethod method, string parameter)
        {
            var e = Assert.Throws<EntraAppKitException>(() => CredentialFactory.Create(new ConnectOptions { Method = method, ClientId = Guid.NewGuid().ToString() }));
            Assert.Contains(parameter, e.Message);
        }

        [Fact]
        public async Task Where_and_how_are_independent_but_only_a_local_tenant_has_a_built_in_administrator()
        {
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => EntraAppKitConnection.ConnectAsync(new ConnectOptions
            {
                Target = ConnectionTarget.Cloud(CloudEnvironment.USGov), Method = SignInMethod.BuiltInAdministrator,
            }));
            Assert.Equal(ErrorIds.InvalidRecipeInput, e.ErrorId);
            Assert.Contains("built-in administrator", e.Message);

            // The same method against either target: the target decides authority and transport, the method the credential.
            var cloud = CredentialFactory.InteractiveOptions(new ConnectOptions { Target = ConnectionTarget.Cloud(CloudEnvironment.USGov) });
            var target = LocalTenantAdapter.For(LocalTenant.LocalTenantEngine.Create());
            var local = CredentialFactory.InteractiveOptions(new ConnectOptions { Target = target });
            Assert.Equal(CloudEnvironment.USGov.AuthorityHost, cloud.AuthorityHost);
            Assert.False(cloud.DisableInstanceDiscovery);
            Assert.True(local.DisableInstanceDiscovery);
            Assert.Same(target.IdentityTransport, local.Transport);
            Assert.NotEqual("organizations", local.TenantId); // the local tenant's own id
        }

        private static string Jwt(string payload) =>
            "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";

        [Fact]
        public void Token_claims_say_who_and_what()
        {
            var exp = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
            var user = TokenClaims.Read(Jwt($"{{\"tid\":\"t1\",\"oid\":\"o1\",\"azp\":\"c1\",\"upn\":\"admin@contoso.com\",\"scp\":\"Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All\",\"wids\":[\"62e90394-69f5-4237-9190-012177145e10\"],\"exp\":{exp}}}"))!;
            Assert.Equal(("t1", "o1", "c1", "admin@contoso.com"), (user.TenantId, user.ObjectId, user.AppId, user.UserPrincipalName));
            Assert.Equal(new[] { "Application.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All" }, user.Scopes);
            Assert.False(user.IsAppOnly);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(exp), user.ExpiresOn);
            var app = TokenClaims.Read(Jwt("{\"tid\":\"t1\",\"appid\":\"c2\",\"roles\":[\"Application.ReadWrite.OwnedBy\"]}"))!;
            Assert.True(app.IsAppOnly);
            Assert.Equal(new[] { "Application.ReadWrite.OwnedBy" }, app.Roles);
            Assert.Null(TokenClaims.Read("opaque-token"));
        }

        [Fact]
        public void An_expired_access_token_says_when_it_expired()
        {
            var expired = Jwt($"{{\"exp\":{DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()}}}");
            var credential = new StaticTokenCredential(expired);
            var e = Assert.Throws<EntraAppKitException>(() => credential.GetToken(new TokenRequestContext(new[] { "https://graph.microsoft.com/.default" }), default));
            Assert.Equal(ErrorIds.TokenExpired, e.ErrorId);
            Assert.Contains("expired at", e.Message);
            var valid = Jwt($"{{\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}");
            Assert.Equal(valid, new StaticTokenCredential(valid).GetToken(new TokenRequestContext(new[] { "x" }), default).Token);
        }
    }
}
