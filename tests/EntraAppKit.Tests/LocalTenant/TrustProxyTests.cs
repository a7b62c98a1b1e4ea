using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 11, point 1: only with --trust-proxy do X-Forwarded-Proto and X-Forwarded-Host set the origin of absolute URLs
    /// (a reverse proxy terminating TLS in front of the server); without it they are ignored (HostHeaderTests). The headers are
    /// the de-facto ones (developer.mozilla.org/docs/Web/HTTP/Reference/Headers/X-Forwarded-Proto and X-Forwarded-Host).
    /// </summary>
    public sealed class TrustProxyTests
    {
        [Theory]
        [InlineData("https", "tenant.example", "https://tenant.example")]
        [InlineData("http", "tenant.example:8080", "http://tenant.example:8080")]
        [InlineData("HTTPS, http", "tenant.example:8443, inner:1", "https://tenant.example:8443")]
        [InlineData("", "tenant.example", "https://tenant.example")]
        public void A_forwarded_origin_is_read_from_the_first_values(string proto, string host, string origin) =>
            Assert.Equal(origin, Program.ForwardedOrigin(proto, host));

        [Theory]
        [InlineData("https", "")]
        [InlineData("ftp", "tenant.example")]
        [InlineData("https", "tenant.example/path")]
        [InlineData("https", "user@tenant.example")]
        [InlineData("https", "tenant.example?x=1")]
        [InlineData("https", "tenant.example:99999")]
        public void Anything_but_an_origin_is_ignored(string proto, string host) => Assert.Null(Program.ForwardedOrigin(proto, host));

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task NextLink_follows_the_forwarded_origin_only_when_the_proxy_is_trusted(bool trustProxy)
        {
            // learn.microsoft.com/graph/paging: @odata.nextLink is the full URL of the next page.
            var tenant = Tenant.Create();
            await using var app = Program.Build(tenant, 0, trustProxy: trustProxy);
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient();
            for (int i = 0; i < 2; i++)
            {
                using var create = new HttpRequestMessage(HttpMethod.Post, address + "/v1.0/applications")
                {
                    Content = new StringContent($"{{\"displayName\":\"proxy{i}\"}}", System.Text.Encoding.UTF8, "application/json"),
                };
                Assert.Equal(201, (int)(await http.SendAsync(create)).StatusCode);
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, address + "/v1.0/applications?$top=1");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "tenant.example");
            using var response = await http.SendAsync(request);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            string expected = trustProxy ? "https://tenant.example" : address;
            Assert.StartsWith(expected + "/v1.0/applications?", (string)page["@odata.nextLink"]!);
            Assert.Equal(expected + "/v1.0/$metadata#applications", (string?)page["@odata.context"]);
        }
    }
}
