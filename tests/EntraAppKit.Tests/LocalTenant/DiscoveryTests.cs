using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// OpenID Connect discovery and the JWKS (v2-protocols-oidc "Find your app's OpenID configuration document URI"), read by
    /// hand and by Microsoft.IdentityModel's own configuration retriever, which then validates the tenant's tokens.
    /// </summary>
    public sealed class DiscoveryTests : IDisposable
    {
        private readonly IdentityKit _kit = new IdentityKit();

        public void Dispose() => _kit.Dispose();

        private async Task<(int Status, JsonObject Json, HttpResponseMessage Response)> GetAsync(string url)
        {
            var response = await _kit.Http.GetAsync(url);
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response);
        }

        [Fact]
        public async Task The_v2_document_names_this_tenant_and_the_endpoints_it_serves()
        {
            string tid = _kit.Tenant.TenantId;
            foreach (var tenant in new[] { tid, _kit.Tenant.InitialDomain })
            {
                var (status, doc, response) = await GetAsync($"https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration");
                Assert.Equal(200, status);
                Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
                string root = "https://login.microsoftonline.com/" + tenant;
                Assert.Equal($"https://login.microsoftonline.com/{tid}/v2.0", (string?)doc["issuer"]);
                Assert.Equal(root + "/oauth2/v2.0/token", (string?)doc["token_endpoint"]);
                Assert.Equal(root + "/discovery/v2.0/keys", (string?)doc["jwks_uri"]);
                Assert.Equal(root + "/oauth2/v2.0/devicecode", (string?)doc["device_authorization_endpoint"]);
                Assert.Equal(new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" }, GraphAssert.Strings(doc["token_endpoint_auth_methods_supported"]));
                Assert.Equal(new[] { "RS256" }, GraphAssert.Strings(doc["id_token_signing_alg_values_supported"]));
                Assert.Equal("NA", (string?)doc["tenant_region_scope"]);
                Assert.Equal("graph.microsoft.com", (string?)doc["msgraph_host"]);
            }
        }

        [Fact]
        public async Task The_multi_tenant_documents_carry_the_issuer_placeholder()
        {
            foreach (var alias in new[] { "organizations", "common" })
            {
                var (status, doc, _) = await GetAsync($"https://login.microsoftonline.com/{alias}/v2.0/.well-known/openid-configuration");
                Assert.Equal(200, status);
                Assert.Equal("https://login.microsoftonline.com/{tenantid}/v2.0", (string?)doc["issuer"]);
                Assert.Equal($"https://login.microsoftonline.com/{alias}/oauth2/v2.0/token", (string?)doc["token_endpoint"]);
                Assert.Null(doc["tenant_region_scope"]);
            }
        }

        [Fact]
        public async Task The_v1_document_is_the_sts_issuer_and_the_v1_endpoints()
        {
            string tid = _kit.Tenant.TenantId;
            var (status, doc, _) = await GetAsync($"https://login.microsoftonline.com/{tid}/.well-known/openid-configuration");
            Assert.Equal(200, status);
            Assert.Equal($"https://sts.windows.net/{tid}/", (string?)doc["issuer"]);
            Assert.Equal($"https://login.microsoftonline.com/{tid}/oauth2/token", (string?)doc["token_endpoint"]);
            var keys = (await GetAsync((string)doc["jwks_uri"]!)).Json["keys"]!.AsArray();
            Assert.Null(keys[0]!["issuer"]); // v1 keys name no issuer
        }

        [Fact]
        public async Task The_documents_point_back_at_the_host_that_served_them()
        {
            var door = (ServerDoor)await FrontDoor.OpenAsync("Server", _kit.Tenant);
            try
            {
                string tid = _kit.Tenant.TenantId;
                var (status, doc, _) = await GetAsync($"{door.Address}/{tid}/v2.0/.well-known/openid-configuration");
                Assert.Equal(200, status);
                Assert.Equal($"{door.Address}/{tid}/v2.0", (string?)doc["issuer"]);
                Assert.Equal($"{door.Address}/{tid}/oauth2/v2.0/token", (string?)doc["token_endpoint"]);
                var keys = await GetAsync((string)doc["jwks_uri"]!);
                Assert.Equal(_kit.Tenant.SigningKeyId, (string?)keys.Json["keys"]![0]!["kid"]);
            }
            finally { await door.DisposeAsync(); }
        }

        [Fact]
        public async Task The_JWKS_publishes_the_2048_bit_signing_key()
        {
            var (status, jwks, response) = await GetAsync($"https://login.microsoftonline.com/{_kit.Tenant.TenantId}/discovery/v2.0/keys");
            Assert.Equal(200, status);
            var key = Assert.Single(jwks["keys"]!.AsArray())!;
            Assert.Equal("RSA", (string?)key["kty"]);
            Assert.Equal("sig", (string?)key["use"]);
            Assert.Equal(_kit.Tenant.SigningKeyId, (string?)key["kid"]);
            Assert.Equal("AQAB", (string?)key["e"]);
            Assert.Equal(256, Base64UrlEncoder.DecodeBytes((string)key["n"]!).Length);
            Assert.Equal($"https://login.microsoftonline.com/{_kit.Tenant.TenantId}/v2.0", (string?)key["issuer"]);
        }

        [Fact]
        public async Task An_unknown_tenant_is_AADSTS90002()
        {
            var (status, json, _) = await GetAsync("https://login.microsoftonline.com/fabrikam.onmicrosoft.com/v2.0/.well-known/openid-configuration");
            Assert.Equal(400, status);
            Assert.Equal("invalid_tenant", (string?)json["error"]);
            Assert.StartsWith("AADSTS90002: Tenant 'fabrikam.onmicrosoft.com' not found.", (string?)json["error_description"]);
        }

        [Fact]
        public async Task Microsoft_IdentityModel_reads_the_configuration_and_validates_the_tenants_tokens()
        {
            string tid = _kit.Tenant.TenantId;
            var retriever = new HttpDocumentRetriever(new HttpClient(_kit.Tenant.CreateHandler()));
            var v2 = await OpenIdConnectConfigurationRetriever.GetAsync($"https://login.microsoftonline.com/{tid}/v2.0/.well-known/openid-configuration", retriever, CancellationToken.None);
            var v1 = await OpenIdConnectConfigurationRetriever.GetAsync($"https://login.microsoftonline.com/{tid}/.well-known/openid-configuration", retriever, CancellationToken.None);
            Assert.Equal(_kit.Tenant.SigningKeyId, Assert.Single(v2.SigningKeys).KeyId);

            // An app-only Graph token: a v1 token, so the v1 document's issuer.
            var client = await _kit.CreateClientAsync(IdentityKit.ApplicationReadAll);
            string token = await IdentityKit.TokenAsync(_kit.SecretCredential(client.AppId, client.Secret));
            var handler = new JsonWebTokenHandler();
            var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuer = v1.Issuer,
                ValidAudiences = new[] { "https://graph.microsoft.com", FrontDoor.MicrosoftGraphAppId },
                IssuerSigningKeys = v1.SigningKeys,
            });
            Assert.True(result.IsValid, result.Exception?.ToString());
            Assert.Equal(client.SpId, result.Claims["oid"]);

            // The admin's token, and a token signed by another tenant's key, which the JWKS does not vouch for.
            Assert.True((await handler.ValidateTokenAsync(_kit.Tenant.IssueAdminToken(), new TokenValidationParameters
            {
                ValidIssuer = v1.Issuer, ValidAudience = "https://graph.microsoft.com", IssuerSigningKeys = v1.SigningKeys,
            })).IsValid);
            string foreign = EntraAppKit.LocalTenant.LocalTenantEngine.Create().IssueAdminToken();
            Assert.False((await handler.ValidateTokenAsync(foreign, new TokenValidationParameters
            {
                ValidateIssuer = false, ValidAudience = "https://graph.microsoft.com", IssuerSigningKeys = v1.SigningKeys,
            })).IsValid);
        }
    }
}
