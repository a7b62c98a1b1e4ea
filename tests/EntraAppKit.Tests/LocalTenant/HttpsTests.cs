using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 11, point 1: the server over TLS (--https) with a CA it made, which clients trust through REQUESTS_CA_BUNDLE or
    /// NODE_EXTRA_CA_CERTS. The clients here trust that CA alone (a custom root, as those variables do), so a certificate that
    /// does not chain to it, or does not name 127.0.0.1, fails them. Discovery follows
    /// learn.microsoft.com/entra/identity-platform/v2-protocols-oidc, the token v2-oauth2-client-creds-grant-flow.
    /// </summary>
    public sealed class HttpsTests : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("localtenant-tls-").FullName;
        private readonly IdentityKit _kit = new IdentityKit();

        public void Dispose()
        {
            _kit.Dispose();
            Directory.Delete(_folder, true);
        }

        /// <summary>An HttpClient whose only root is <paramref name="ca"/>: the chain must end there and the name must match.</summary>
        private static HttpClient TrustingOnly(X509Certificate2 ca) => new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || certificate == null) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
        });

        private static async Task<(WebApplication App, string Address)> StartAsync(EntraAppKit.LocalTenant.LocalTenantEngine tenant, X509Certificate2 certificate)
        {
            var app = Program.Build(tenant, 0, certificate);
            await app.StartAsync();
            return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }

        [Fact]
        public async Task A_client_trusting_only_the_CA_completes_discovery_a_token_and_a_Graph_call()
        {
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            using var tls = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow);
            var (app, address) = await StartAsync(_kit.Tenant, tls.Server);
            await using var _ = app;
            Assert.StartsWith("https://127.0.0.1:", address);
            using var http = TrustingOnly(X509Certificate2.CreateFromPem(File.ReadAllText(tls.CaPath)));

            // Every endpoint the document names is on the server's own https origin, so MSAL never leaves it.
            string tid = _kit.Tenant.TenantId;
            var doc = JsonNode.Parse(await http.GetStringAsync($"{address}/{tid}/v2.0/.well-known/openid-configuration"))!;
            Assert.Equal($"{address}/{tid}/oauth2/v2.0/token", (string?)doc["token_endpoint"]);
            Assert.Equal($"{address}/{tid}/discovery/v2.0/keys", (string?)doc["jwks_uri"]);
            Assert.Equal($"{address}/{tid}/v2.0", (string?)doc["issuer"]);

            using var tokenAnswer = await http.PostAsync((string)doc["token_endpoint"]!, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = client.AppId, ["client_secret"] = client.Secret, ["scope"] = IdentityKit.GraphScope,
            }));
            string tokenText = await tokenAnswer.Content.ReadAsStringAsync();
            Assert.True(tokenAnswer.IsSuccessStatusCode, tokenText);
            string token = (string)JsonNode.Parse(tokenText)!["access_token"]!;

            using var request = new HttpRequestMessage(HttpMethod.Get, $"{address}/v1.0/applications?$top=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var graph = await http.SendAsync(request);
            var page = JsonNode.Parse(await graph.Content.ReadAsStringAsync())!;
            Assert.Equal(200, (int)graph.StatusCode);
            // learn.microsoft.com/graph/paging: the links a client follows keep the https origin.
            Assert.Equal($"{address}/v1.0/$metadata#applications", (string?)page["@odata.context"]);
        }

        [Fact]
        public async Task A_client_that_does_not_trust_the_CA_fails_the_handshake()
        {
            using var tls = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow);
            var (app, address) = await StartAsync(_kit.Tenant, tls.Server);
            await using var _ = app;

            // The system's roots do not include a CA made a moment ago.
            using var system = new HttpClient();
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => system.GetAsync($"{address}/{_kit.Tenant.TenantId}/v2.0/.well-known/openid-configuration"));
            Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);

            // Nor does trusting another CA of the same making help.
            string other = Directory.CreateTempSubdirectory("localtenant-tls-other-").FullName;
            try
            {
                using var stranger = TlsCertificates.InFolder(other, DateTimeOffset.UtcNow);
                using var wrong = TrustingOnly(stranger.Authority);
                await Assert.ThrowsAsync<HttpRequestException>(() => wrong.GetAsync($"{address}/{_kit.Tenant.TenantId}/v2.0/.well-known/openid-configuration"));
            }
            finally { Directory.Delete(other, true); }
        }

        [Fact]
        public async Task The_server_prints_the_CA_serves_https_and_reuses_the_CA_after_a_restart()
        {
            string state = Path.Combine(_folder, "tenant.json");
            string first;
            using (var server = await ServerProcess.StartAsync("--port", "0", "--path", state, "--no-auth", "--https"))
            {
                Assert.StartsWith("https://127.0.0.1:", server.Address);
                first = await server.LineContainingAsync("TLS CA");
                Assert.Contains("(new,", first);
                Assert.EndsWith($"{state}.ca.pem (trust it: REQUESTS_CA_BUNDLE for az and Python, NODE_EXTRA_CA_CERTS for Node)", first);
                using var http = TrustingOnly(X509Certificate2.CreateFromPem(File.ReadAllText(state + ".ca.pem")));
                Assert.Equal(200, (int)(await http.GetAsync(server.Address + "/v1.0/organization")).StatusCode);
            }
            string ca = File.ReadAllText(state + ".ca.pem");
            using (var again = await ServerProcess.StartAsync("--port", "0", "--path", state, "--no-auth", "--https"))
            {
                Assert.Contains("(reused,", await again.LineContainingAsync("TLS CA"));
                Assert.Equal(ca, File.ReadAllText(state + ".ca.pem"));
                // A client that trusted the first start's CA still trusts the server.
                using var http = TrustingOnly(X509Certificate2.CreateFromPem(ca));
                Assert.Equal(200, (int)(await http.GetAsync(again.Address + "/v1.0/organization")).StatusCode);
            }
        }

        [Fact]
        public void A_restart_reuses_the_CA_and_the_server_certificate()
        {
            string ca, thumbprint;
            using (var first = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow))
            {
                Assert.False(first.Reused);
                ca = File.ReadAllText(first.CaPath);
                thumbprint = first.Server.Thumbprint;
            }
            using var second = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow.AddDays(30));
            Assert.True(second.Reused);
            Assert.Equal(ca, File.ReadAllText(second.CaPath));
            Assert.Equal(thumbprint, second.Server.Thumbprint);
        }

        [Fact]
        public void Extra_host_names_go_into_the_server_certificate_and_a_pair_without_them_is_replaced()
        {
            // --tls-host: az is routed here for login.microsoftonline.com (MSAL Python's instance discovery) by a hosts entry.
            string oldCa;
            using (var plain = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow))
            {
                Assert.False(plain.Server.MatchesHostname("login.microsoftonline.com"));
                oldCa = plain.Authority.Thumbprint;
            }
            string[] names = { "login.microsoftonline.com" };
            using (var named = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow, names))
            {
                Assert.False(named.Reused);
                Assert.NotEqual(oldCa, named.Authority.Thumbprint);
                Assert.True(named.Server.MatchesHostname("login.microsoftonline.com"));
                Assert.True(TlsCertificates.IsValid(named.Authority, named.Server, DateTimeOffset.UtcNow));
                Assert.False(named.Server.MatchesHostname("login.windows.net"));
            }
            // The same names again: reused. Fewer names: still reused (the certificate names more, nothing is lost).
            using (var again = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow, names)) Assert.True(again.Reused);
            using (var fewer = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow)) Assert.True(fewer.Reused);
        }

        [Fact]
        public void An_expired_pair_is_renewed_with_a_new_CA()
        {
            string oldCa;
            using (var old = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow - TlsCertificates.Lifetime - TimeSpan.FromDays(1)))
                oldCa = old.Authority.Thumbprint;
            using var renewed = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow);
            Assert.False(renewed.Reused);
            Assert.NotEqual(oldCa, renewed.Authority.Thumbprint);
            Assert.True(TlsCertificates.IsValid(renewed.Authority, renewed.Server, DateTimeOffset.UtcNow));
            Assert.Equal(renewed.Authority.Thumbprint, X509Certificate2.CreateFromPem(File.ReadAllText(renewed.CaPath)).Thumbprint);
        }

        [Fact]
        public void A_damaged_certificate_file_is_replaced()
        {
            using (TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow)) { }
            File.WriteAllText(Path.Combine(_folder, "localtenant-tls.pfx"), "not a certificate");
            using var replaced = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow);
            Assert.False(replaced.Reused);
            Assert.True(replaced.Server.HasPrivateKey);
        }

        [Fact]
        public void The_files_are_owner_only_and_the_CA_key_is_not_kept()
        {
            using var tls = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tls.CaPath));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tls.ServerPath));
            }
            Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(tls.CaPath));
            Assert.False(tls.Authority.HasPrivateKey);
            // The PKCS#12 file holds the server's certificate and key, and nothing signed by the CA's key beyond it.
            var bag = X509CertificateLoader.LoadPkcs12CollectionFromFile(tls.ServerPath, null);
            Assert.Single(bag);
            Assert.Equal(tls.Server.Thumbprint, bag[0].Thumbprint);
            Assert.Equal(2, Directory.GetFiles(_folder).Length);
        }

        [Fact]
        public void The_server_certificate_names_127_0_0_1_and_localhost_for_server_authentication()
        {
            using var tls = TlsCertificates.InFolder(_folder, DateTimeOffset.UtcNow);
            Assert.True(tls.Server.MatchesHostname("127.0.0.1"));
            Assert.True(tls.Server.MatchesHostname("localhost"));
            Assert.False(tls.Server.MatchesHostname("example.com"));
            var ca = tls.Authority.Extensions.OfType<X509BasicConstraintsExtension>().Single();
            Assert.True(ca.CertificateAuthority);
            Assert.True(ca.HasPathLengthConstraint);
            Assert.Equal(0, ca.PathLengthConstraint);
        }

        [Fact]
        public void Beside_a_state_file_the_files_are_named_after_it()
        {
            string state = Path.Combine(_folder, "tenant.json");
            using var tls = TlsCertificates.BesideStateFile(state, DateTimeOffset.UtcNow);
            Assert.Equal(state + ".ca.pem", tls.CaPath);
            Assert.Equal(state + ".tls.pfx", tls.ServerPath);
        }
    }
}
