using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant;
using EntraAppKit.LocalTenant.Server;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using static EntraAppKit.Tests.LocalTenantTests.SignInPages;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 12, section 4: several tenants in one local cloud, through both front doors. A multi-tenant application registered
    /// in one tenant (the MSP's, "contoso") is used by another (the customer's, "northwind"): its users sign in at /common and
    /// are sent to their home tenant, its administrator consents at the admin consent endpoint and the application gets a
    /// service principal there whose appOwnerOrganizationId is the home tenant; a single-tenant application refuses a
    /// foreign user with AADSTS50020. learn.microsoft.com/entra/identity-platform/howto-convert-app-to-be-multi-tenant,
    /// single-and-multi-tenant-apps, v2-admin-consent.
    /// </summary>
    public sealed class MultiTenantTests
    {
        private const string Password = "Cloud-Admin-Passw0rd";
        private const string Callback = "https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback";

        /// <summary>Microsoft Graph's User.Read (delegated) and Directory.Read.All (application): learn.microsoft.com/graph/permissions-reference.</summary>
        private const string UserReadId = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
        private const string DirectoryReadAllRoleId = "7ab1d382-f21e-4acd-a863-ba3e13f7da61";

        public static IEnumerable<object[]> Kinds => FrontDoor.Kinds;

        /// <summary>The MSP's tenant (first) and a customer's, with a plain user in each.</summary>
        private static LocalCloud NewCloud()
        {
            var msp = new LocalTenantOptions { Name = "contoso", AdministratorPassword = Password };
            msp.Users.Add(new LocalTenantUser("alice@contoso.onmicrosoft.com", "Alice-Passw0rd", Array.Empty<string>()));
            var customer = new LocalTenantOptions { Name = "northwind", DisplayName = "Northwind (local tenant)", AdministratorPassword = Password };
            customer.Users.Add(new LocalTenantUser("bob@northwind.onmicrosoft.com", "Bob-Passw0rd1", Array.Empty<string>()));
            return LocalCloud.Of(LocalTenantEngine.Create(msp), LocalTenantEngine.Create(customer));
        }

        private static async Task WithCloudAsync(string kind, Func<FrontDoor, LocalCloud, Task> test)
        {
            var cloud = NewCloud();
            var door = await FrontDoor.OpenAsync(kind, cloud);
            try { await test(door, cloud); }
            finally { await door.DisposeAsync(); }
        }

        private static string Origin(FrontDoor door) => new Uri(door.Root).GetLeftPart(UriPartial.Authority);

        private static (string, string?) Bearer(string token) => ("Authorization", "Bearer " + token);

        /// <summary>An application in the MSP's tenant like a vendor's: a web redirect, User.Read (and optionally Directory.Read.All as an application permission), a secret.</summary>
        private static async Task<(string AppId, string Secret)> VendorAppAsync(FrontDoor door, LocalCloud cloud, string audience, bool directoryRole = false)
        {
            var access = new JsonArray(new JsonObject { ["id"] = UserReadId, ["type"] = "Scope" });
            if (directoryRole) access.Add(new JsonObject { ["id"] = DirectoryReadAllRoleId, ["type"] = "Role" });
            var app = Ok(await door.PostAsync("/applications", new JsonObject
            {
                ["displayName"] = "Vendor " + Guid.NewGuid().ToString("N").Substring(0, 8),
                ["signInAudience"] = audience,
                ["web"] = new JsonObject { ["redirectUris"] = new JsonArray(Callback) },
                ["requiredResourceAccess"] = new JsonArray(new JsonObject { ["resourceAppId"] = FrontDoor.MicrosoftGraphAppId, ["resourceAccess"] = access }),
            }, Bearer(cloud.Primary.IssueAdminToken())), 201);
            var secret = Ok(await door.PostAsync($"/applications/{app["id"]}/addPassword", new JsonObject { ["passwordCredential"] = new JsonObject() },
                Bearer(cloud.Primary.IssueAdminToken())));
            return ((string)app["appId"]!, (string)secret["secretText"]!);
        }

        private static string AuthorizeUrl(FrontDoor door, string tenant, string appId, string state = "st") =>
            $"{Origin(door)}/{tenant}/oauth2/v2.0/authorize?client_id={appId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}" +
            $"&scope={Uri.EscapeDataString("openid profile User.Read")}&state={state}";

        private static async Task<GraphCall> SignInAsync(FrontDoor door, string url, string login, string password)
        {
            var page = await door.GetAsync(url);
            Assert.True(page.Status == 200, page.ToString());
            return await door.PostFormAsync(FormAction(page.Text), new Dictionary<string, string> { ["ctx"] = Field(page.Text, "ctx"), ["login"] = login, ["passwd"] = password });
        }

        private static Task<GraphCall> AnswerConsentAsync(FrontDoor door, GraphCall consentPage, bool accept = true)
        {
            Assert.True(consentPage.Status == 200 && consentPage.Text.Contains("name=\"acceptConsent\""), consentPage.ToString());
            return door.PostFormAsync(FormAction(consentPage.Text), new Dictionary<string, string> { ["ctx"] = Field(consentPage.Text, "ctx"), ["acceptConsent"] = accept ? "true" : "false" });
        }

        [Theory]
        [MemberData(nameof(Kinds))]
        public Task Each_tenant_answers_at_its_own_segment_and_Graph_answers_in_the_tenant_that_issued_the_token(string kind) => WithCloudAsync(kind, async (door, cloud) =>
        {
            var (msp, customer) = (cloud.Tenants[0], cloud.Tenants[1]);
            Assert.NotEqual(msp.TenantId, customer.TenantId);
            foreach (var tenant in cloud.Tenants)
            {
                // OpenID discovery by tenant id and by verified domain names the tenant's own issuer (v2-protocols-oidc).
                foreach (var segment in new[] { tenant.TenantId, tenant.InitialDomain })
                {
                    var configuration = await door.GetAsync($"{Origin(door)}/{segment}/v2.0/.well-known/openid-configuration");
                    Assert.True(configuration.Status == 200, configuration.ToString());
                    Assert.Equal($"{Origin(door)}/{tenant.TenantId}/v2.0", (string?)configuration.Json["issuer"]);
                }
                var organization = Ok(await door.GetAsync("/organization", Bearer(tenant.IssueAdminToken())));
                Assert.Equal(tenant.TenantId, (string?)organization["value"]![0]!["id"]);
            }
            // Objects are the tenant's own: an application made in the customer's tenant is not the MSP's.
            var app = Ok(await door.PostAsync("/applications", new { displayName = "Customer's own" }, Bearer(customer.IssueAdminToken())), 201);
            Ok(await door.GetAsync($"/applications/{app["id"]}", Bearer(customer.IssueAdminToken())));
            Error(await door.GetAsync($"/applications/{app["id"]}", Bearer(msp.IssueAdminToken())), 404, "Request_ResourceNotFound");
            // The common JWKS holds every tenant's signing key, as Entra's does, with the v2.0 issuer template (v2-protocols-oidc).
            foreach (var segment in new[] { "common", "organizations" })
            {
                var keys = await door.GetAsync($"{Origin(door)}/{segment}/discovery/v2.0/keys");
                Assert.True(keys.Status == 200, keys.ToString());
                var published = keys.Json["keys"]!.AsArray();
                Assert.Equal(cloud.Tenants.Select(t => t.SigningKeyId).OrderBy(k => k), published.Select(k => (string)k!["kid"]!).OrderBy(k => k));
                Assert.All(published, k => Assert.Equal($"{Origin(door)}/{{tenantid}}/v2.0", (string?)k!["issuer"]));
            }
            // A tenant id no tenant of the cloud has is Entra's AADSTS90002.
            var unknown = await door.GetAsync($"{Origin(door)}/{Guid.NewGuid()}/v2.0/.well-known/openid-configuration");
            Assert.Equal(400, unknown.Status);
            Assert.Equal(90002, (int)unknown.Json["error_codes"]![0]!);
        });

        // AADSTS50020, seed 002 ("the account type is set to single tenant and you are trying to login with an account that is
        // not registered in that tenant"); shown on Entra's error page, not sent to the app (nextauthjs/next-auth discussion 7448).
        [Theory]
        [MemberData(nameof(Kinds))]
        public Task A_user_of_another_tenant_at_this_tenants_endpoint_gets_AADSTS50020_on_the_page(string kind) => WithCloudAsync(kind, async (door, cloud) =>
        {
            var (msp, customer) = (cloud.Tenants[0], cloud.Tenants[1]);
            foreach (var audience in new[] { "AzureADMyOrg", "AzureADMultipleOrgs" })
            {
                var (appId, _) = await VendorAppAsync(door, cloud, audience);
                var answer = await SignInAsync(door, AuthorizeUrl(door, msp.TenantId, appId), "bob@northwind.onmicrosoft.com", "Bob-Passw0rd1");
                Assert.True(answer.Status == 400, answer.ToString());
                Assert.Null(answer.Header("Location"));
                string text = PageText(answer);
                Assert.Contains($"AADSTS50020: User account 'bob@northwind.onmicrosoft.com' from identity provider 'https://sts.windows.net/{customer.TenantId}/' " +
                    $"does not exist in tenant '{msp.DisplayName}' and cannot access the application '{appId}'(", text);
                Assert.Contains("The account needs to be added as an external user in the tenant first.", text);
            }
        });

        // A single-tenant app at /common: AADSTS50194 (already the single-tenant rule), found in the tenant that registers it.
        [Theory]
        [MemberData(nameof(Kinds))]
        public Task A_single_tenant_app_at_common_is_AADSTS50194_and_unknown_in_another_tenant(string kind) => WithCloudAsync(kind, async (door, cloud) =>
        {
            var (appId, _) = await VendorAppAsync(door, cloud, "AzureADMyOrg");
            var page = await door.GetAsync(AuthorizeUrl(door, "common", appId));
            Assert.Contains("AADSTS50194", PageText(page));
            // At the customer's own endpoint the MSP's single-tenant app does not exist (AADSTS700016, reference-error-codes).
            var foreign = await door.GetAsync(AuthorizeUrl(door, cloud.Tenants[1].TenantId, appId));
            Assert.Contains($"AADSTS700016: Application with identifier '{appId}' was not found in the directory '{cloud.Tenants[1].DisplayName}'", PageText(foreign));
        });

        // howto-convert-app-to-be-multi-tenant: "/common … requests are routed to the tenant of the user"; the user's consent
        // "creates a service principal … in the user's tenant".
        [Theory]
        [MemberData(nameof(Kinds))]
        public Task At_common_a_customer_user_signs_in_to_the_MSPs_multi_tenant_app_in_the_home_tenant(string kind) => WithCloudAsync(kind, async (door, cloud) =>
        {
            var (msp, customer) = (cloud.Tenants[0], cloud.Tenants[1]);
            var (appId, secret) = await VendorAppAsync(door, cloud, "AzureADMultipleOrgs");
            var consent = await SignInAsync(door, AuthorizeUrl(door, "common", appId, "mt"), "bob@northwind.onmicrosoft.com", "Bob-Passw0rd1");
            Assert.Contains("<li>User.Read</li>", consent.Text);
            var returned = Returned(await AnswerConsentAsync(door, consent), Callback, '?');
            Assert.Equal("mt", returned["state"]);

            // The vendor redeems at /common with the secret its home tenant keeps; the tokens are the customer tenant's.
            var tokens = await door.PostFormAsync($"{Origin(door)}/common/oauth2/v2.0/token", new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["client_id"] = appId, ["client_secret"] = secret, ["code"] = returned["code"], ["redirect_uri"] = Callback,
            });
            Assert.True(tokens.Status == 200, tokens.ToString());
            var access = IdentityKit.Claims((string)tokens.Json["access_token"]!);
            Assert.Equal(customer.TenantId, (string?)access["tid"]);
            Assert.Equal(appId, (string?)access["appid"]);
            Assert.Equal("bob@northwind.onmicrosoft.com", (string?)access["upn"]);
            var id = IdentityKit.Claims((string)tokens.Json["id_token"]!);
            Assert.Equal($"{Origin(door)}/{customer.TenantId}/v2.0", (string?)id["iss"]);

            // The customer's tenant now has the app's service principal, owned by the MSP's organization, and Bob's grant.
            var sp = Ok(await door.GetAsync($"/servicePrincipals(appId='{appId}')", Bearer(customer.IssueAdminToken())));
            Assert.Equal(msp.TenantId, (string?)sp["appOwnerOrganizationId"]);
            Assert.Equal("AzureADMultipleOrgs", (string?)sp["signInAudience"]);
            var grants = Ok(await door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{sp["id"]}'", Bearer(customer.IssueAdminToken())));
            var grant = Assert.Single(grants["value"]!.AsArray());
            Assert.Equal("Principal", (string?)grant!["consentType"]);
            Assert.Contains("User.Read", (string?)grant["scope"]);
            // Nothing was made in the MSP's tenant for Bob.
            Error(await door.GetAsync($"/servicePrincipals(appId='{appId}')", Bearer(msp.IssueAdminToken())), 404, "Request_ResourceNotFound");
        });

        // v2-admin-consent: "Successful response … admin_consent=True&tenant=…&scope=…&state=…"; with /.default "it functions
        // like the v1.0 admin consent endpoint and requests consent for all scopes found in the required permissions (both user and app)".
        [Theory]
        [MemberData(nameof(Kinds))]
        public Task The_customers_administrator_consents_at_the_admin_consent_endpoint_and_the_app_reads_the_customers_directory(string kind) => WithCloudAsync(kind, async (door, cloud) =>
        {
            var (msp, customer) = (cloud.Tenants[0], cloud.Tenants[1]);
            var (appId, secret) = await VendorAppAsync(door, cloud, "AzureADMultipleOrgs", directoryRole: true);
            string url = $"{Origin(door)}/{customer.InitialDomain}/v2.0/adminconsent?client_id={appId}&scope={Uri.EscapeDataString("https://graph.microsoft.com/.default")}" +
                $"&redirect_uri={Uri.EscapeDataString(Callback)}&state=onboard-1";

            // Before consent the app has no service principal in the customer's tenant: AADSTS7000229 for client credentials.
            var before = await door.PostFormAsync($"{Origin(door)}/{customer.TenantId}/oauth2/v2.0/token", ClientCredentials(appId, secret));
            Assert.Equal(400, before.Status);

            // A plain user of the customer's tenant cannot consent for the organization (AADSTS90093).
            var denied = Returned(await SignInAsync(door, url, "bob@northwind.onmicrosoft.com", "Bob-Passw0rd1"), Callback, '?');
            Assert.Equal("access_denied", denied["error"]);
            Assert.StartsWith("AADSTS90093:", denied["error_description"]);
            Assert.Equal("onboard-1", denied["state"]);

            var consent = await SignInAsync(door, url, customer.AdministratorUserPrincipalName, Password);
            Assert.Contains("<li>User.Read</li>", consent.Text);
            Assert.Contains("<li>Directory.Read.All</li>", consent.Text);
            var returned = Returned(await AnswerConsentAsync(door, consent), Callback, '?');
            Assert.Equal("True", returned["admin_consent"]);
            Assert.Equal(customer.TenantId, returned["tenant"]);
            Assert.Equal("https://graph.microsoft.com/.default", returned["scope"]);
            Assert.Equal("onboard-1", returned["state"]);
            Assert.False(returned.ContainsKey("code"));

            var admin = Bearer(customer.IssueAdminToken());
            var sp = Ok(await door.GetAsync($"/servicePrincipals(appId='{appId}')", admin));
            Assert.Equal(msp.TenantId, (string?)sp["appOwnerOrganizationId"]);
            var grant = Assert.Single(Ok(await door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{sp["id"]}'", admin))["value"]!.AsArray());
            Assert.Equal("AllPrincipals", (string?)grant!["consentType"]);
            var assignment = Assert.Single(Ok(await door.GetAsync($"/servicePrincipals/{sp["id"]}/appRoleAssignments", admin))["value"]!.AsArray());
            Assert.Equal(DirectoryReadAllRoleId, (string?)assignment!["appRoleId"]);

            // The vendor's daemon now signs in to the customer's tenant with the secret its home tenant keeps, and reads its users.
            var tokens = await door.PostFormAsync($"{Origin(door)}/{customer.TenantId}/oauth2/v2.0/token", ClientCredentials(appId, secret));
            Assert.True(tokens.Status == 200, tokens.ToString());
            string token = (string)tokens.Json["access_token"]!;
            Assert.Equal(customer.TenantId, (string?)IdentityKit.Claims(token)["tid"]);
            Assert.Equal(new[] { "Directory.Read.All" }, IdentityKit.Roles(token));
            var users = Ok(await door.GetAsync("/users", Bearer(token)));
            Assert.Contains(users["value"]!.AsArray(), u => (string?)u!["userPrincipalName"] == "bob@northwind.onmicrosoft.com");
            Assert.DoesNotContain(users["value"]!.AsArray(), u => (string?)u!["userPrincipalName"] == "alice@contoso.onmicrosoft.com");

            // Declining is AADSTS65004 at the redirect URI.
            var again = await SignInAsync(door, url.Replace("onboard-1", "onboard-2"), customer.AdministratorUserPrincipalName, Password);
            var declined = Returned(await AnswerConsentAsync(door, again, accept: false), Callback, '?');
            Assert.Equal("access_denied", declined["error"]);
            Assert.StartsWith("AADSTS65004:", declined["error_description"]);
        });

        // serviceprincipal-post-serviceprincipals: an administrator of another tenant provisions a multi-tenant app by its appId;
        // a single-tenant app of another tenant is no "valid application object" there.
        [Theory]
        [MemberData(nameof(Kinds))]
        public Task Graph_creates_a_service_principal_for_another_tenants_multi_tenant_app_only(string kind) => WithCloudAsync(kind, async (door, cloud) =>
        {
            var (msp, customer) = (cloud.Tenants[0], cloud.Tenants[1]);
            var (multi, _) = await VendorAppAsync(door, cloud, "AzureADMultipleOrgs");
            var (single, _) = await VendorAppAsync(door, cloud, "AzureADMyOrg");
            var admin = Bearer(customer.IssueAdminToken());
            var sp = Ok(await door.PostAsync("/servicePrincipals", new { appId = multi }, admin), 201);
            Assert.Equal(msp.TenantId, (string?)sp["appOwnerOrganizationId"]);
            Error(await door.PostAsync("/servicePrincipals", new { appId = single }, admin), 400, "Request_BadRequest",
                $"The appId '{single}' of the service principal does not reference a valid application object.");
        });

        private static Dictionary<string, string> ClientCredentials(string appId, string secret) => new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = appId, ["client_secret"] = secret, ["scope"] = "https://graph.microsoft.com/.default",
        };

        [Fact]
        public void The_server_takes_further_tenants_each_with_its_own_domains_and_users()
        {
            var options = ServerOptions.Parse(new[]
            {
                "--name", "contoso", "--user", "alice@contoso.onmicrosoft.com:Alice-Passw0rd",
                "--tenant", "northwind:7f0c8d2e-3c1b-4c55-9f0e-6c2f5a1d9b11", "--domain", "northwind.example", "--user", "bob@northwind.example:Bob-Passw0rd1:GlobalAdministrator",
                "--tenant", "tailspin", "--admin-password", "Cloud-Admin-Passw0rd",
            });
            var tenants = options.AllTenants.ToList();
            Assert.Equal(new[] { "contoso", "northwind", "tailspin" }, tenants.Select(t => t.Name));
            Assert.Equal("alice@contoso.onmicrosoft.com", Assert.Single(tenants[0].Users).UserPrincipalName);
            Assert.Equal(Guid.Parse("7f0c8d2e-3c1b-4c55-9f0e-6c2f5a1d9b11"), tenants[1].TenantId);
            Assert.Equal(new[] { "northwind.example" }, tenants[1].VerifiedDomains);
            Assert.Equal("bob@northwind.example", Assert.Single(tenants[1].Users).UserPrincipalName);
            Assert.All(tenants, t => Assert.Equal("Cloud-Admin-Passw0rd", t.AdministratorPassword));
            Assert.Equal(System.IO.Path.Combine("state.json.tenants", "northwind.json"), LocalCloud.FurtherTenantPath("state.json", "Northwind"));

            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--tenant", "contoso" }));
            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--tenant", "bad name" }));
            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--tenant", "x:not-a-guid" }));
            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--tenant", "x", "--name", "y" }));
            // Two tenants cannot share a verified domain (each domain names one tenant, in sign-in URLs and user names).
            Assert.Throws<ArgumentException>(() => LocalCloud.Of(LocalTenantEngine.Create(new LocalTenantOptions { Name = "a" }), LocalTenantEngine.Create(new LocalTenantOptions { Name = "a" })));
        }
    }
}
