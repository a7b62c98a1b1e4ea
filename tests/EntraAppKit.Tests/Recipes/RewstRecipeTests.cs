using System;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.LocalTenant;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>Seed 000 (Rewst) end to end over the real Graph SDK and the in-process local tenant (graph-ground-truth §2).</summary>
    public class RewstRecipeTests
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();

        private async Task<JsonObject> GetAsync(string path)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            var text = await http.GetStringAsync("https://graph.microsoft.com/v1.0" + path);
            return JsonNode.Parse(text)!.AsObject();
        }

        private async Task<RewstAppRegistration> RunAsync(RewstOptions options, bool plain = false)
        {
            using var session = GraphSession.ForLocalTenant(_tenant);
            var result = await new RecipeEngine(session).RunAsync(RewstRecipe.Build(options));
            return RewstRecipe.ToOutput(result, plain);
        }

        [Fact]
        public async Task SingleTenant_creates_the_registration_the_seed_describes()
        {
            var output = await RunAsync(new RewstOptions { Name = "Rewst Integration" });

            var app = await GetAsync($"/applications(appId='{output.ClientId}')");
            Assert.Equal("Rewst Integration", (string?)app["displayName"]);
            Assert.Equal("AzureADMyOrg", (string?)app["signInAudience"]);
            Assert.Equal(new[] { RewstRecipe.RedirectUri }, app["web"]!["redirectUris"]!.AsArray().Select(u => (string)u!));
            Assert.True((bool)app["web"]!["implicitGrantSettings"]!["enableIdTokenIssuance"]!);
            var rra = Assert.Single(app["requiredResourceAccess"]!.AsArray());
            Assert.Equal("00000003-0000-0000-c000-000000000000", (string?)rra!["resourceAppId"]);
            var access = Assert.Single(rra["resourceAccess"]!.AsArray());
            Assert.Equal("e1fe6dd8-ba31-4d61-89e7-88639da4683d", (string?)access!["id"]); // User.Read, §1
            Assert.Equal("Scope", (string?)access["type"]);
            Assert.Single(app["passwordCredentials"]!.AsArray());

            var sps = await GetAsync($"/servicePrincipals?$filter=appId eq '{output.ClientId}'");
            Assert.Equal(output.ServicePrincipalId, (string?)sps["value"]![0]!["id"]);

            Assert.Equal(_tenant.TenantId, output.AuthSubject);
            Assert.Equal(_tenant.TenantId, output.TenantId);
            var secret = Assert.IsType<SecureString>(output.ClientSecret);
            Assert.True(_tenant.VerifyClientSecret(output.ClientId, (string)SecretText.Present(secret, true)!));
            Assert.InRange(output.SecretExpires!.Value, DateTimeOffset.UtcNow.AddMonths(12).AddMinutes(-5), DateTimeOffset.UtcNow.AddMonths(12).AddMinutes(5));
        }

        [Fact]
        public async Task Runs_through_the_HTTP_server_front_door_too()
        {
            var app = EntraAppKit.LocalTenant.Server.Program.Build(_tenant, 0);
            await app.StartAsync();
            try
            {
                var address = app.Urls.Single();
                using var session = GraphSession.ForLocalTenantServer(new Uri(address), _tenant);
                var result = await new RecipeEngine(session).RunAsync(RewstRecipe.Build(new RewstOptions { Name = "Rewst Over HTTP" }));
                Assert.NotNull(result.ClientSecret);
                // One 404: the lookup by uniqueName before the create.
                Assert.Equal(new[] { 404 }, _tenant.RequestLog.Entries.Where(e => e.Status >= 300).Select(e => e.Status));
                Assert.Equal(6, _tenant.RequestLog.RoundTrips);
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }

        [Fact]
        public async Task MultiTenant_uses_common_as_auth_subject()
        {
            var output = await RunAsync(new RewstOptions { Name = "Rewst CSP", MultiTenant = true });
            var app = await GetAsync($"/applications/{output.ObjectId}");
            Assert.Equal("AzureADMultipleOrgs", (string?)app["signInAudience"]);
            Assert.Equal("common", output.AuthSubject);
        }

        [Fact]
        public async Task Rerun_makes_zero_writes_and_returns_the_same_app()
        {
            var first = await RunAsync(new RewstOptions { Name = "Rewst Integration" });
            _tenant.RequestLog.Clear();
            var second = await RunAsync(new RewstOptions { Name = "Rewst Integration" });
            Assert.Equal(first.ClientId, second.ClientId);
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(e => e.IsWrite));
            Assert.Null(second.ClientSecret);
            Assert.Contains(second.Warnings, w => w.Contains("-NewSecret"));
            Assert.Empty(second.Changes);
        }
    }
}
