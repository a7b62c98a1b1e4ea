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
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Model.Recipes;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>Rewst's owned app registration (docs.rewst.help …/owned-app-registration) end to end over the real Graph SDK and the in-process local tenant.</summary>
    public class RewstRecipeTests
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();

        private async Task<JsonObject> GetAsync(string path)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            var text = await http.GetStringAsync("https://graph.microsoft.com/v1.0" + path);
            return JsonNode.Parse(text)!.AsObject();
        }

        private async Task<RewstAppRegistration> RunAsync(string name, Rewst? rewst = null)
        {
            rewst ??= new Rewst();
            using var session = _tenant.Session();
            var result = await new RecipeEngine(session).RunAsync(rewst.For(name));
            return rewst.Shape(result);
        }

        [Fact]
        public async Task SingleTenant_creates_the_registration_Rewst_describes()
        {
            var output = await RunAsync("Rewst Integration");

            var app = await GetAsync($"/applications(appId='{output.ClientId}')");
            Assert.Equal("Rewst Integration", (string?)app["displayName"]);
            Assert.Equal("AzureADMyOrg", (string?)app["signInAudience"]);
            Assert.Equal(new[] { Rewst.RedirectUri }, app["web"]!["redirectUris"]!.AsArray().Select(u => (string)u!));
            Assert.True((bool)app["web"]!["implicitGrantSettings"]!["enableIdTokenIssuance"]!);
            var rra = Assert.Single(app["requiredResourceAccess"]!.AsArray());
            Assert.Equal("00000003-0000-0000-c000-000000000000", (string?)rra!["resourceAppId"]);
            var access = Assert.Single(rra["resourceAccess"]!.AsArray());
            Assert.Equal("e1fe6dd8-ba31-4d61-89e7-88639da4683d", (string?)access!["id"]); // User.Read (learn.microsoft.com/graph/permissions-reference)
            Assert.Equal("Scope", (string?)access["type"]);
            Assert.Single(app["passwordCredentials"]!.AsArray());

            var sps = await GetAsync($"/servicePrincipals?$filter=appId eq '{output.ClientId}'");
            Assert.Equal(output.ServicePrincipalId, (string?)sps["value"]![0]!["id"]);

            // Rewst's Auth Subject field takes "tenant_id" or "common"; the GUID goes in its Tenant ID field.
            Assert.Equal("tenant_id", output.AuthSubject);
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
                // The server front door without a token check: the built-in administrator's token stands for "no token".
                var target = new ConnectionTarget("LocalTenantServer", CloudEnvironment.Global.WithGraphEndpoint(address), builtInAdministrator: new StaticTokenCredential("localtenant-admin." + _tenant.TenantId));
                using var session = GraphSession.Create(target);
                var result = await new RecipeEngine(session).RunAsync(new Rewst().For("Rewst Over HTTP"));
                Assert.NotNull(result.ClientSecret);
                // One 404: the lookup by uniqueName before the create.
                Assert.Equal(new[] { 404 }, _tenant.RequestLog.Entries.Where(e => e.Status >= 300).Select(e => e.Status));
                // The organization; the app by its key and by its name ($batch); the create; the service principal and the secret ($batch).
                Assert.Equal(4, _tenant.RequestLog.RoundTrips);
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
            var output = await RunAsync("Rewst CSP", new Rewst { MultiTenant = true });
            var app = await GetAsync($"/applications/{output.ObjectId}");
            Assert.Equal("AzureADMultipleOrgs", (string?)app["signInAudience"]);
            Assert.Equal("common", output.AuthSubject);
        }

        [Fact]
        public async Task Rerun_makes_zero_writes_and_returns_the_same_app()
        {
            var first = await RunAsync("Rewst Integration");
            _tenant.RequestLog.Clear();
            var second = await RunAsync("Rewst Integration");
            Assert.Equal(first.ClientId, second.ClientId);
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(e => e.IsWrite));
            Assert.Null(second.ClientSecret);
            Assert.Contains(second.Warnings, w => w.Contains("-NewSecret"));
            Assert.Empty(second.Changes);
        }
    }
}
