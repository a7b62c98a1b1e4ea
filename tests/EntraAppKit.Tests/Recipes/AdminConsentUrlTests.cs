using System;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// The admin consent URL (Get-EntraAdminConsentUrl, and AdminConsentUrl on multitenant recipes' outputs), as "Admin consent on
    /// the Microsoft identity platform" gives it: learn.microsoft.com/entra/identity-platform/v2-admin-consent,
    /// https://login.microsoftonline.com/{tenant}/v2.0/adminconsent?client_id=…&amp;scope=…&amp;redirect_uri=…&amp;state=…
    /// </summary>
    public class AdminConsentUrlTests : IDisposable
    {
        private const string ClientId = "00001111-aaaa-2222-bbbb-3333cccc4444";
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly RecipeEngine _engine;
        private readonly AdminConsentUrlOperation _operation;

        public AdminConsentUrlTests()
        {
            _session = _tenant.Session();
            var retry = new LagRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400), Budget = TimeSpan.FromSeconds(20) };
            _engine = new RecipeEngine(_session, retry);
            _operation = new AdminConsentUrlOperation(_session, retry);
        }

        public void Dispose() => _session.Dispose();

        [Fact]
        public void The_v2_url_has_the_pages_form_with_every_value_url_encoded()
        {
            // The page's example: .../{tenant}/v2.0/adminconsent?client_id=…&scope=…&redirect_uri=http://localhost/myapp/permissions&state=12345.
            string url = AdminConsentUrl.Build(CloudEnvironment.Global, ClientId, "http://localhost/myapp/permissions?x=1&y=2", "organizations",
                "https://graph.microsoft.com/Calendars.Read https://graph.microsoft.com/Mail.Send", "a b&c=d/é");
            Assert.Equal("https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=" + ClientId +
                "&scope=https%3A%2F%2Fgraph.microsoft.com%2FCalendars.Read%20https%3A%2F%2Fgraph.microsoft.com%2FMail.Send" +
                "&redirect_uri=http%3A%2F%2Flocalhost%2Fmyapp%2Fpermissions%3Fx%3D1%26y%3D2" +
                "&state=a%20b%26c%3Dd%2F%C3%A9", url);
            // Each value comes back whole when the query is decoded.
            var query = new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Assert.Equal("http://localhost/myapp/permissions?x=1&y=2", query["redirect_uri"]);
            Assert.Equal("a b&c=d/é", query["state"]);
        }

        [Fact]
        public void The_defaults_are_organizations_and_the_clouds_Graph_default_scope_and_no_state()
        {
            Assert.Equal("https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=" + ClientId +
                "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fapp.contoso.com%2Fconsent",
                AdminConsentUrl.Build(CloudEnvironment.Global, ClientId, "https://app.contoso.com/consent"));
        }

        [Theory]
        [InlineData("Global", "https://login.microsoftonline.com/organizations/v2.0/adminconsent?", "https%3A%2F%2Fgraph.microsoft.com%2F.default")]
        [InlineData("USGov", "https://login.microsoftonline.us/organizations/v2.0/adminconsent?", "https%3A%2F%2Fgraph.microsoft.us%2F.default")]
        [InlineData("USGovDoD", "https://login.microsoftonline.us/organizations/v2.0/adminconsent?", "https%3A%2F%2Fdod-graph.microsoft.us%2F.default")]
        [InlineData("China", "https://login.chinacloudapi.cn/organizations/v2.0/adminconsent?", "https%3A%2F%2Fmicrosoftgraph.chinacloudapi.cn%2F.default")]
        public void The_authority_and_default_scope_are_the_connected_clouds(string cloud, string start, string scope)
        {
            string url = AdminConsentUrl.Build(CloudEnvironment.FromName(cloud), ClientId, "https://app.contoso.com/consent");
            Assert.StartsWith(start, url);
            Assert.Contains("&scope=" + scope + "&", url);
        }

        [Fact]
        public void An_authority_host_of_ones_own_is_the_urls_host_and_a_custom_Graph_endpoint_does_not_change_the_scope()
        {
            var adfs = CloudEnvironment.Global.WithAuthorityHost(new Uri("https://login.contoso.example/adfs"));
            Assert.StartsWith("https://login.contoso.example/adfs/fabrikam.com/v2.0/adminconsent?client_id=",
                AdminConsentUrl.Build(adfs, ClientId, "https://app.contoso.com/consent", "fabrikam.com"));
            var proxied = CloudEnvironment.USGov.WithGraphEndpoint("https://graph-proxy.contoso.example");
            Assert.Contains("scope=https%3A%2F%2Fgraph.microsoft.us%2F.default",
                AdminConsentUrl.Build(proxied, ClientId, "https://app.contoso.com/consent"));
        }

        [Theory]
        [InlineData("organizations", "organizations")]
        [InlineData("Organizations", "organizations")]
        [InlineData("11112222-BBBB-3333-cccc-4444dddd5555", "11112222-bbbb-3333-cccc-4444dddd5555")]
        [InlineData("fabrikam.com", "fabrikam.com")]
        [InlineData(" fabrikam.onmicrosoft.com ", "fabrikam.onmicrosoft.com")]
        [InlineData("xn--fabrikm-cxa.example", "xn--fabrikm-cxa.example")]
        public void A_tenant_is_a_guid_a_verified_domain_or_organizations(string given, string inUrl)
        {
            Assert.Equal(inUrl, AdminConsentUrl.CheckTenant(given));
            Assert.StartsWith($"https://login.microsoftonline.com/{inUrl}/v2.0/adminconsent?", AdminConsentUrl.Build(CloudEnvironment.Global, ClientId, "https://a.contoso.com/", given));
        }

        [Theory]
        [InlineData("common")]
        [InlineData("Common")]
        public void Common_is_refused_because_the_page_says_not_to_use_it_for_admin_consent(string tenant)
        {
            // v2-admin-consent, tenant: "Don't use 'common', as personal accounts can't provide admin consent except in the context of a tenant."
            var e = Assert.Throws<EntraAppKitException>(() => AdminConsentUrl.Build(CloudEnvironment.Global, ClientId, "https://a.contoso.com/", tenant));
            Assert.Equal(ErrorIds.CommonTenantNotAllowed, e.ErrorId);
            Assert.Equal(EntraErrorCategory.InvalidArgument, e.Category);
            Assert.Contains("organizations", e.Message);
        }

        [Theory]
        [InlineData("consumers")]
        [InlineData("fabrikam")]
        [InlineData("fabrikam.com/x")]
        [InlineData("https://fabrikam.com")]
        [InlineData("11112222-bbbb-3333-cccc")]
        [InlineData("10.0.0.1")]
        [InlineData("")]
        public void Anything_else_is_not_a_tenant(string tenant)
        {
            var e = Assert.Throws<EntraAppKitException>(() => AdminConsentUrl.CheckTenant(tenant));
            Assert.Equal(ErrorIds.InvalidTenant, e.ErrorId);
        }

        [Theory]
        [InlineData("/consent")]
        [InlineData("consent")]
        [InlineData("https://app.contoso.com/consent#done")]
        [InlineData("")]
        public void The_redirect_uri_is_absolute_without_a_fragment(string redirectUri)
        {
            var e = Assert.Throws<EntraAppKitException>(() => AdminConsentUrl.Build(CloudEnvironment.Global, ClientId, redirectUri));
            Assert.Equal(ErrorIds.InvalidRecipeInput, e.ErrorId);
        }

        [Fact]
        public void A_blank_scope_and_a_client_id_that_is_no_guid_are_refused()
        {
            Assert.Equal(ErrorIds.InvalidRecipeInput, Assert.Throws<EntraAppKitException>(() => AdminConsentUrl.Build(CloudEnvironment.Global, ClientId, "https://a.contoso.com/", scope: "  ")).ErrorId);
            Assert.Equal(ErrorIds.InvalidRecipeInput, Assert.Throws<EntraAppKitException>(() => AdminConsentUrl.Build(CloudEnvironment.Global, "not-a-guid", "https://a.contoso.com/")).ErrorId);
        }

        // ----- Get-EntraAdminConsentUrl's operation, against the local tenant -----

        [Fact]
        public async Task The_operation_uses_the_apps_first_web_redirect_uri_and_writes_nothing()
        {
            var rewst = await _engine.RunAsync(new Rewst { MultiTenant = true }.For("Rewst Integration"));
            _tenant.RequestLog.Clear();
            var (url, warnings) = await _operation.GetAsync(rewst.ClientId, "fabrikam.com", state: "customer-42");
            Assert.Equal($"https://login.microsoftonline.com/fabrikam.com/v2.0/adminconsent?client_id={rewst.ClientId}" +
                "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default" +
                "&redirect_uri=" + Uri.EscapeDataString(Rewst.RedirectUri) + "&state=customer-42", url);
            Assert.Empty(warnings);
            Assert.DoesNotContain(_tenant.RequestLog.Entries, e => e.IsWrite);
        }

        [Fact]
        public async Task An_app_without_a_web_redirect_uri_fails_with_NoRedirectUri_unless_one_is_given()
        {
            var wbe = await _engine.RunAsync(new WriteBack { MultiTenant = true }.For(WriteBack.DefaultName));
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.GetAsync(wbe.ClientId));
            Assert.Equal(ErrorIds.NoRedirectUri, e.ErrorId);
            Assert.Contains("-RedirectUri", e.Message);

            // Given, but not registered: the URL is made, and the user hears that Entra will refuse it (AADSTS50011).
            var (url, warnings) = await _operation.GetAsync(wbe.ClientId, redirectUri: "https://wbe.contoso.com/oauth/return");
            Assert.Contains("redirect_uri=https%3A%2F%2Fwbe.contoso.com%2Foauth%2Freturn", url);
            Assert.Contains(warnings, w => w.Contains("AADSTS50011"));
        }

        [Fact]
        public async Task A_single_tenant_app_gets_its_url_with_a_warning()
        {
            var rewst = await _engine.RunAsync(new Rewst().For("Rewst Single"));
            var (url, warnings) = await _operation.GetAsync(rewst.ClientId);
            Assert.StartsWith("https://login.microsoftonline.com/organizations/v2.0/adminconsent?", url);
            var warning = Assert.Single(warnings);
            Assert.Contains("AzureADMyOrg", warning);
            Assert.Contains("AADSTS50020", warning);
        }

        [Fact]
        public async Task Bad_input_fails_before_Graph_is_read_and_an_unknown_app_with_ApplicationNotFound()
        {
            _tenant.RequestLog.Clear();
            Assert.Equal(ErrorIds.CommonTenantNotAllowed, (await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.GetAsync(ClientId, "common"))).ErrorId);
            Assert.Equal(ErrorIds.InvalidRecipeInput, (await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.GetAsync(ClientId, redirectUri: "relative/path"))).ErrorId);
            Assert.Empty(_tenant.RequestLog.Entries);
            Assert.Equal(ErrorIds.ApplicationNotFound, (await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.GetAsync(ClientId))).ErrorId);
        }

        // ----- AdminConsentUrl on the multitenant recipes' outputs: the same URL -----

        [Fact]
        public async Task Multitenant_Rewst_and_WriteBack_outputs_carry_the_url_and_single_tenant_ones_null()
        {
            var rewst = new Rewst { MultiTenant = true };
            var multi = rewst.Shape(await _engine.RunAsync(rewst.For("Rewst CSP")));
            var (fromCmdlet, _) = await _operation.GetAsync(multi.ClientId);
            Assert.Equal(fromCmdlet, multi.AdminConsentUrl);
            Assert.Contains("redirect_uri=" + Uri.EscapeDataString(Rewst.RedirectUri), multi.AdminConsentUrl);

            var single = new Rewst();
            Assert.Null(single.Shape(await _engine.RunAsync(single.For("Rewst One"))).AdminConsentUrl);

            var writeBack = new WriteBack { MultiTenant = true };
            var wbe = writeBack.Shape(await _engine.RunAsync(writeBack.For(WriteBack.DefaultName)));
            Assert.Null(wbe.AdminConsentUrl); // no redirect URI yet: nothing for the answer to go to
            var ops = new AppRegistrationOperations(_session);
            await ops.ApplyAddWebRedirectUrisAsync(await ops.PlanAddWebRedirectUrisAsync(wbe.ClientId, new[] { "https://wbe.contoso.com/backend/oauth/callback", "https://wbe.contoso.com/oauth/return" }));
            var again = writeBack.Shape(await _engine.RunAsync(writeBack.For(WriteBack.DefaultName, secretLifetimeMonths: null)));
            Assert.Equal((await _operation.GetAsync(wbe.ClientId)).Url, again.AdminConsentUrl);
            Assert.Contains("redirect_uri=https%3A%2F%2Fwbe.contoso.com%2Fbackend%2Foauth%2Fcallback", again.AdminConsentUrl);

            var singleWriteBack = new WriteBack();
            Assert.Null(singleWriteBack.Shape(await _engine.RunAsync(singleWriteBack.For("WriteBack One"))).AdminConsentUrl);
        }

        [Fact]
        public async Task A_recipes_url_points_at_the_connections_authority_host()
        {
            var local = LocalTenantAdapter.For(_tenant);
            var target = new ConnectionTarget(local.Name, local.Environment.WithAuthorityHost(new Uri("https://login.contoso.example/")),
                () => _tenant.CreateHandler(), local.IdentityTransport, local.TenantId, null, local.BuiltInAdministrator);
            using var session = GraphSession.Create(target);
            var rewst = new Rewst { MultiTenant = true };
            var output = rewst.Shape(await new RecipeEngine(session).RunAsync(rewst.For("Rewst Authority")));
            Assert.StartsWith($"https://login.contoso.example/organizations/v2.0/adminconsent?client_id={output.ClientId}&", output.AdminConsentUrl);
            Assert.Equal(output.AdminConsentUrl, (await new AdminConsentUrlOperation(session).GetAsync(output.ClientId)).Url);
        }
    }
}
