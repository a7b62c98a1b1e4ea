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

        [Theory]
        [InlineData("https://127.0.0.1:8443", "https://127.0.0.1:8443/")]
        [InlineData("https://adfs.local.azurestack.external/adfs", "https://adfs.local.azurestack.external/adfs/")]
        [InlineData("https://login.contoso.example/", "https://login.contoso.example/")]
        public void Custom_authority_host_keeps_the_cloud_graph(string given, string expected)
        {
            var env = CloudEnvironment.USGov.WithAuthorityHost(new Uri(given));
            Assert.Equal(new Uri(expected), env.AuthorityHost);
            Assert.Equal(CloudEnvironment.USGov.GraphEndpoint, env.GraphEndpoint);
            Assert.Equal("USGov", env.Name);
        }

        [Theory]
        [InlineData("http://127.0.0.1:8443")]         // MSAL takes https authorities only; a loopback is no exception for a token request
        [InlineData("http://login.contoso.example")]
        [InlineData("ftp://login.contoso.example")]
        [InlineData("login.contoso.example")]          // relative: binds as a Uri in PowerShell, but names no host
        [InlineData("https://login.contoso.example/?x=1")]
        [InlineData("https://login.contoso.example/#tenant")]
        [InlineData("https://user:pw@login.contoso.example/")]
        public void A_bad_authority_host_is_refused_as_invalid_input(string given)
        {
            var e = Assert.Throws<EntraAppKitException>(() => CloudEnvironment.Global.WithAuthorityHost(new Uri(given, UriKind.RelativeOrAbsolute)));
            Assert.Equal(ErrorIds.InvalidRecipeInput, e.ErrorId);
            Assert.Equal(EntraErrorCategory.InvalidArgument, e.Category);
            Assert.Contains(given, e.Message);
        }

        [Theory]
        [InlineData("https://login.microsoftonline.com", false)]
        [InlineData("https://LOGIN.microsoftonline.us/", false)]
        [InlineData("https://login.chinacloudapi.cn/", false)]
        [InlineData("https://login.microsoftonline.com:8443/", true)]  // another port is another server
        [InlineData("https://127.0.0.1:8443/", true)]
        [InlineData("https://adfs.local.azurestack.external/adfs", true)]
        public void Instance_discovery_is_skipped_for_an_authority_Microsoft_does_not_run(string authority, bool disabled)
        {
            var target = ConnectionTarget.Cloud(CloudEnvironment.Global.WithAuthorityHost(new Uri(authority)));
            Assert.Equal(!disabled, target.Environment.IsMicrosoftAuthorityHost);
            Assert.Equal(disabled, target.DisableInstanceDiscovery);
            foreach (var cloud in CloudEnvironment.All) Assert.False(ConnectionTarget.Cloud(cloud).DisableInstanceDiscovery, cloud.Name);
        }

        [Theory]
        [InlineData(typeof(InteractiveBrowserCredentialOptions))]
        [InlineData(typeof(DeviceCodeCredentialOptions))]
        [InlineData(typeof(ClientSecretCredentialOptions))]
        [InlineData(typeof(ClientCertificateCredentialOptions))]
        [InlineData(typeof(WorkloadIdentityCredentialOptions))]
        public void Every_authority_credential_signs_in_at_the_authority_host_without_instance_discovery(Type optionsType)
        {
            var target = ConnectionTarget.Cloud(CloudEnvironment.Global.WithGraphEndpoint("https://127.0.0.1:8443").WithAuthorityHost(new Uri("https://127.0.0.1:8443")));
            var options = CredentialFactory.ForTarget((TokenCredentialOptions)Activator.CreateInstance(optionsType)!, target);
            Assert.Equal(new Uri("https://127.0.0.1:8443/"), options.AuthorityHost);
            Assert.True((bool)optionsType.GetProperty("DisableInstanceDiscovery")!.GetValue(options)!);
            var microsoft = CredentialFactory.ForTarget((TokenCredentialOptions)Activator.CreateInstance(optionsType)!, ConnectionTarget.Cloud(CloudEnvironment.China));
            Assert.Equal(CloudEnvironment.China.AuthorityHost, microsoft.AuthorityHost);
            Assert.False((bool)optionsType.GetProperty("DisableInstanceDiscovery")!.GetValue(microsoft)!);
        }

        [Fact]
        public async Task Connect_and_Test_EntraAppCredential_request_their_tokens_from_the_same_authority()
        {
            var seen = new System.Collections.Concurrent.ConcurrentQueue<Uri>();
            var transport = new Azure.Core.Pipeline.HttpClientTransport(new System.Net.Http.HttpClient(new TokenEndpoint(seen)));
            var environment = CloudEnvironment.Global.WithAuthorityHost(new Uri("https://login.contoso.example"));
            var target = new ConnectionTarget("Contoso", environment, identityTransport: transport);
            Assert.Equal("https://login.contoso.example/ (in-process: Contoso)", target.AuthorityDescription);
            const string tenant = "00000000-0000-0000-0000-000000000001";

            var connect = CredentialFactory.Create(new ConnectOptions
            {
                Target = target, Method = SignInMethod.ClientSecret, TenantId = tenant,
                ClientId = "00000000-0000-0000-0000-000000000002", ClientSecret = Secure("s"),
            });
            await connect.GetTokenAsync(new TokenRequestContext(new[] { "https://graph.microsoft.com/.default" }), default);
            var result = await AppCredentialTester.TestAsync(new AppCredentialTestOptions
            {
                Target = target, TenantId = tenant, ClientId = "00000000-0000-0000-0000-000000000003", ClientSecret = Secure("t"),
            });
            Assert.True(result.Success, result.Error);

            // Two token requests, both at the authority host; nothing asked of login.microsoftonline.com (instance discovery).
            var token = new Uri($"https://login.contoso.example/{tenant}/oauth2/v2.0/token");
            Assert.Equal(new[] { token, token }, seen.ToArray());
        }

        /// <summary>An authority's token endpoint that records where each request went and answers a client credentials token.</summary>
        private sealed class TokenEndpoint : System.Net.Http.HttpMessageHandler
        {
            private readonly System.Collections.Concurrent.ConcurrentQueue<Uri> _seen;
            public TokenEndpoint(System.Collections.Concurrent.ConcurrentQueue<Uri> seen) { _seen = seen; }

            protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
            {
                _seen.Enqueue(request.RequestUri!);
                string body = $"{{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"{Jwt("{\"roles\":[\"Application.ReadWrite.All\"]}")}\"}}";
                return Task.FromResult(new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.OK)
                {
                    Content = new System.Net.Http.StringContent(body, Encoding.UTF8, "application/json"),
                });
            }
        }

        [Fact]
        public void A_TLS_failure_says_what_failed_rather_than_how_often_it_was_retried()
        {
            // What Azure.Identity throws when Azure.Core's retries all failed the TLS handshake.
            System.Net.Http.HttpRequestException Attempt() => new System.Net.Http.HttpRequestException("The SSL connection could not be established, see inner exception.",
                new System.Security.Authentication.AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"));
            var e = new AuthenticationFailedException("ClientSecretCredential authentication failed: Retry failed after 4 tries.",
                new AggregateException("Retry failed after 4 tries.", Attempt(), Attempt(), Attempt(), Attempt()));
            string text = EntraSignInError.Describe(e);
            Assert.StartsWith("the TLS connection to the login authority failed: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot. If", text);
            Assert.Contains("SSL_CERT_FILE", text);
            Assert.NotNull(EntraSignInError.TlsFailure(e));
            // Entra's own refusal still wins, and a refusal is no TLS failure.
            var refused = new AuthenticationFailedException("ClientSecretCredential authentication failed",
                new Exception("AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2"));
            Assert.Equal("AADSTS7000215: Invalid client secret provided.", EntraSignInError.Describe(refused));
            Assert.Null(EntraSignInError.TlsFailure(refused));
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
