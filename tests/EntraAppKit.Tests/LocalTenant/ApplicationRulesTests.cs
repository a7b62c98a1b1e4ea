using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The validation rules of an application through both front doors: identifierUris uniqueness, verified domains and the
    /// default identifier-URI policy (learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions), documented limits per signInAudience
    /// (learn.microsoft.com/entra/identity-platform/supported-accounts-validation), permission scope life cycle (learn.microsoft.com/graph/resources/permissionscope)
    /// and what deleting an application takes with it (learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals).
    /// </summary>
    public abstract class ApplicationRulesTests : DoorTests
    {
        protected ApplicationRulesTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : ApplicationRulesTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : ApplicationRulesTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static JsonArray Array(System.Collections.Generic.IEnumerable<string> items) => new JsonArray(items.Select(i => (JsonNode?)i).ToArray());

        private static JsonObject WithUris(string audience, params string[] uris) =>
            new JsonObject { ["signInAudience"] = audience, ["identifierUris"] = Array(uris) };

        private static string HostNotVerified(string uri) => $"Values of identifierUris property must use a verified domain of the organization or its subdomain: '{uri}'";

        private static string PolicyMessage(string uri) =>
            $"Failed to add identifier URI {uri}. All newly added URIs must contain a tenant verified domain, tenant ID, or app ID, as per the default tenant policy of your organization. See https://aka.ms/identifier-uri-addition-error for more information on this error.";

        private static string Invalid(string property) => $"Invalid value specified for property '{property}' of resource 'Application'.";

        // ----- identifierUris (learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions) -----

        [Fact]
        public async Task IdentifierUris_must_be_unique_in_the_tenant()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions: Request_BadRequest, PropertyName=identifierUris, PropertyErrorCode=ObjectConflict
            string uri = $"api://{Tenant.TenantId}/{Unique("dup")}";
            await CreateAppAsync(WithUris("AzureADMyOrg", uri));
            var error = Error(await Door.PostAsync("/applications", WithUris("AzureADMyOrg", uri).Also("displayName", Unique("b"))), 400, "Request_BadRequest",
                "Another object with the same value for property identifierUris already exists.");
            var detail = Assert.Single(error["details"]!.AsArray())!;
            Assert.Equal("ObjectConflict", (string?)detail["code"]);
            Assert.Equal("identifierUris", (string?)detail["target"]);

            var other = await CreateAppAsync();
            Error(await Door.PatchAsync($"/applications/{other["id"]}", new { identifierUris = new[] { uri } }),
                400, "Request_BadRequest", "Another object with the same value for property identifierUris already exists.");
        }

        [Fact]
        public async Task Https_identifierUri_on_an_unverified_host_is_HostNameNotOnVerifiedDomain()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions, for v1 and v2 apps alike (the https rule holds even with the policy off)
            string uri = $"https://{Unique("unverified")}.example.net/api";
            Error(await Door.PostAsync("/applications", WithUris("AzureADMyOrg", uri).Also("displayName", Unique("x"))), 400, "HostNameNotOnVerifiedDomain", HostNotVerified(uri));
            Error(await Door.PostAsync("/applications", WithUris("AzureADandPersonalMicrosoftAccount", uri).Also("displayName", Unique("x"))), 400, "HostNameNotOnVerifiedDomain", HostNotVerified(uri));
            var app = await CreateAppAsync();
            Error(await Door.PatchAsync($"/applications/{app["id"]}", new { identifierUris = new[] { "https://ConfigMgrService" } }), 400, "HostNameNotOnVerifiedDomain",
                HostNotVerified("https://ConfigMgrService"));
        }

        [Fact]
        public async Task Https_identifierUri_on_the_initial_domain_or_its_subdomain_is_accepted()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions: https://<tenantInitialDomain>.onmicrosoft.com/<string>
            Assert.EndsWith(".onmicrosoft.com", Tenant.InitialDomain);
            string uri = $"https://{Tenant.InitialDomain}/{Unique("ConfigMgrService")}";
            var app = await CreateAppAsync(WithUris("AzureADMyOrg", uri));
            Assert.Equal(new[] { uri }, Strings(app["identifierUris"]));
            await CreateAppAsync(WithUris("AzureADMyOrg", $"https://api.{Tenant.InitialDomain}/{Unique("x")}"));
        }

        [Fact]
        public async Task Https_identifierUri_on_a_custom_verified_domain_from_the_options_is_accepted()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions: https://<verifiedCustomDomain>/<string> and https://<string>.<verifiedCustomDomain>
            Assert.Contains(FrontDoor.CustomDomain, Tenant.VerifiedDomains);
            await CreateAppAsync(WithUris("AzureADMyOrg", $"https://{FrontDoor.CustomDomain}/{Unique("svc")}"));
            await CreateAppAsync(WithUris("AzureADMultipleOrgs", $"https://api.{FrontDoor.CustomDomain}/{Unique("svc")}"));
        }

        [Fact]
        public async Task Https_identifierUri_is_accepted_once_AddVerifiedDomain_verified_the_host()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions
            string domain = Unique("verified") + ".example.org";
            string uri = $"https://{domain}/api";
            Error(await Door.PostAsync("/applications", WithUris("AzureADMyOrg", uri).Also("displayName", Unique("x"))), 400, "HostNameNotOnVerifiedDomain", HostNotVerified(uri));
            Tenant.AddVerifiedDomain(domain);
            var app = await CreateAppAsync(WithUris("AzureADMyOrg", uri));
            Assert.Equal(new[] { uri }, Strings(app["identifierUris"]));
        }

        [Fact]
        public async Task Api_tenantId_uri_is_accepted_on_a_v1_app()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions, learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps: api://{tenantId}/{string} in the POST body
            string uri = $"api://{Tenant.TenantId}/{Unique("ConfigMgrService")}";
            var app = await CreateAppAsync(WithUris("AzureADMyOrg", uri));
            Assert.Null(app["api"]!["requestedAccessTokenVersion"]);
            Assert.Equal(new[] { uri }, Strings(app["identifierUris"]));
        }

        [Fact]
        public async Task Api_uri_without_tenant_identity_is_rejected_by_the_default_policy_on_a_v1_app()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions: default identifier-URI policy
            string uri = $"api://{Unique("something-else")}";
            var error = Error(await Door.PostAsync("/applications", WithUris("AzureADMyOrg", uri).Also("displayName", Unique("x"))), 400, "Request_BadRequest", PolicyMessage(uri));
            Assert.StartsWith($"Failed to add identifier URI {uri}. All newly added URIs must contain a tenant verified domain, tenant ID, or app ID, as per the default tenant policy of your organization. See https://aka.ms/identifier-uri-addition-error",
                (string?)error["message"]);
        }

        [Fact]
        public async Task Api_appId_uri_is_accepted_by_a_follow_up_PATCH()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions: api://{appId} needs the appId, so it takes a PATCH after the create
            var app = await CreateAppAsync();
            string uri = $"api://{app["appId"]}";
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { identifierUris = new[] { uri } }));
            Assert.Equal(new[] { uri }, Strings(Ok(await Door.GetAsync($"/applications/{app["id"]}"))["identifierUris"]));
        }

        [Fact]
        public async Task V2_apps_are_exempt_from_the_default_policy()
        {
            // learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions: "Apps with api.requestedAccessTokenVersion = 2 are exempt by default"
            string uri = $"api://{Unique("something-else")}";
            var app = Ok(await Door.PostAsync("/applications", new { displayName = Unique("v2"), identifierUris = new[] { uri } }), 201);
            Assert.Equal(2, (int?)app["api"]!["requestedAccessTokenVersion"]);
        }

        // ----- limits per audience (learn.microsoft.com/entra/identity-platform/supported-accounts-validation) -----

        [Fact]
        public async Task DisplayName_is_at_most_120_characters_or_90_for_personal_audiences()
        {
            // learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals
            await CreateAppAsync(new JsonObject { ["displayName"] = new string('a', 120), ["signInAudience"] = "AzureADMyOrg" });
            Error(await Door.PostAsync("/applications", new { displayName = new string('a', 121), signInAudience = "AzureADMyOrg" }), 400, "Request_BadRequest", Invalid("displayName"));
            await CreateAppAsync(new JsonObject { ["displayName"] = new string('p', 90), ["signInAudience"] = "AzureADandPersonalMicrosoftAccount" });
            Error(await Door.PostAsync("/applications", new { displayName = new string('p', 91) }), 400, "Request_BadRequest", Invalid("displayName"));
            Error(await Door.PostAsync("/applications", new { displayName = new string('p', 91), signInAudience = "PersonalMicrosoftAccount" }), 400, "Request_BadRequest", Invalid("displayName"));
        }

        [Fact]
        public async Task RedirectUris_are_capped_at_256_or_100_for_personal_audiences()
        {
            // learn.microsoft.com/entra/identity-platform/reply-url
            JsonObject Web(string audience, int count) => new JsonObject
            {
                ["displayName"] = Unique("redirects"),
                ["signInAudience"] = audience,
                ["web"] = new JsonObject { ["redirectUris"] = Array(Enumerable.Range(0, count).Select(i => $"https://app.example.com/cb/{i}")) },
            };
            Assert.Equal(256, (await CreateAppAsync(Web("AzureADMyOrg", 256)))["web"]!["redirectUris"]!.AsArray().Count);
            Error(await Door.PostAsync("/applications", Web("AzureADMyOrg", 257)), 400, "Request_BadRequest", Invalid("redirectUris"));
            await CreateAppAsync(Web("AzureADandPersonalMicrosoftAccount", 100));
            Error(await Door.PostAsync("/applications", Web("AzureADandPersonalMicrosoftAccount", 101)), 400, "Request_BadRequest", Invalid("redirectUris"));
        }

        [Fact]
        public async Task Web_redirects_need_https_except_for_localhost()
        {
            // learn.microsoft.com/entra/identity-platform/reply-url; ConfigMgr's CMG uses http://localhost for Web
            // (learn.microsoft.com/mem/configmgr/core/clients/manage/cmg/manually-register-azure-ad-apps)
            Error(await Door.PostAsync("/applications", new { displayName = Unique("http"), signInAudience = "AzureADMyOrg", web = new { redirectUris = new[] { "http://example.com" } } }),
                400, "Request_BadRequest", Invalid("redirectUris"));
            var app = await CreateAppAsync(new JsonObject
            {
                ["web"] = new JsonObject { ["redirectUris"] = new JsonArray("http://localhost", "http://localhost:5000/signin-oidc") },
            });
            Assert.Equal(new[] { "http://localhost", "http://localhost:5000/signin-oidc" }, Strings(app["web"]!["redirectUris"]));
            Error(await Door.PatchAsync($"/applications/{app["id"]}", new { spa = new { redirectUris = new[] { "http://spa.example.com" } } }),
                400, "Request_BadRequest", Invalid("redirectUris"));
        }

        [Fact]
        public async Task RequiredResourceAccess_allows_at_most_50_APIs()
        {
            // learn.microsoft.com/entra/identity-platform/supported-accounts-validation: "requiredResourceAccess allows at most 50 APIs"
            JsonObject With(int count) => new JsonObject
            {
                ["displayName"] = Unique("rra"),
                ["signInAudience"] = "AzureADMyOrg",
                ["requiredResourceAccess"] = new JsonArray(Enumerable.Range(0, count).Select(_ => (JsonNode?)new JsonObject
                {
                    ["resourceAppId"] = Guid.NewGuid().ToString(),
                    ["resourceAccess"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["type"] = "Scope" }),
                }).ToArray()),
            };
            Assert.Equal(50, (await CreateAppAsync(With(50)))["requiredResourceAccess"]!.AsArray().Count);
            Error(await Door.PostAsync("/applications", With(51)), 400, "Request_BadRequest", Invalid("requiredResourceAccess"));
        }

        [Fact]
        public async Task Personal_audiences_need_requestedAccessTokenVersion_2()
        {
            // learn.microsoft.com/graph/api/application-post-applications: "If signInAudience is AzureADandPersonalMicrosoftAccount or PersonalMicrosoftAccount, the value … must be 2."
            Error(await Door.PostAsync("/applications", new { displayName = Unique("v1"), api = new { requestedAccessTokenVersion = 1 } }),
                400, "Request_BadRequest", "Property api.requestedAccessTokenVersion is invalid.");
        }

        // ----- permission scopes (learn.microsoft.com/graph/resources/permissionscope) -----

        private static JsonObject Scope(string id, string value, bool enabled) => new JsonObject
        {
            ["id"] = id,
            ["value"] = value,
            ["type"] = "User",
            ["isEnabled"] = enabled,
            ["adminConsentDisplayName"] = "Access the API",
            ["adminConsentDescription"] = "Allow the application to access the API on behalf of the signed-in user.",
        };

        [Fact]
        public async Task An_enabled_scope_cannot_be_removed_until_it_is_disabled()
        {
            // learn.microsoft.com/graph/resources/permissionscope: "to delete a scope, first PATCH it to false"
            string scopeId = Guid.NewGuid().ToString();
            var app = await CreateAppAsync(new JsonObject
            {
                ["api"] = new JsonObject { ["oauth2PermissionScopes"] = new JsonArray(Scope(scopeId, "user_impersonation", true)) },
            });
            string path = $"/applications/{app["id"]}";

            Error(await Door.PatchAsync(path, new { api = new { oauth2PermissionScopes = System.Array.Empty<object>() } }), 400,
                "CannotDeleteOrUpdateEnabledEntitlement", "Permission (scope or role) cannot be deleted or updated unless disabled first.");
            Error(await Door.PatchAsync(path, new JsonObject { ["api"] = new JsonObject { ["oauth2PermissionScopes"] = new JsonArray(Scope(scopeId, "renamed", true)) } }), 400,
                "CannotDeleteOrUpdateEnabledEntitlement", "Permission (scope or role) cannot be deleted or updated unless disabled first.");

            NoContent(await Door.PatchAsync(path, new JsonObject { ["api"] = new JsonObject { ["oauth2PermissionScopes"] = new JsonArray(Scope(scopeId, "user_impersonation", false)) } }));
            Assert.False((bool)Ok(await Door.GetAsync(path))["api"]!["oauth2PermissionScopes"]![0]!["isEnabled"]!);
            NoContent(await Door.PatchAsync(path, new { api = new { oauth2PermissionScopes = System.Array.Empty<object>() } }));
            Assert.Empty(Ok(await Door.GetAsync(path))["api"]!["oauth2PermissionScopes"]!.AsArray());
        }

        [Fact]
        public async Task A_new_scope_must_be_enabled()
        {
            // learn.microsoft.com/graph/api/resources/permissionscope: "isEnabled must be true on create"
            Error(await Door.PostAsync("/applications", new JsonObject
            {
                ["displayName"] = Unique("scope"),
                ["signInAudience"] = "AzureADMyOrg",
                ["api"] = new JsonObject { ["oauth2PermissionScopes"] = new JsonArray(Scope(Guid.NewGuid().ToString(), "user_impersonation", false)) },
            }), 400, "Request_BadRequest", Invalid("oauth2PermissionScopes"));
        }

        // ----- application vs service principal (learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals, learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals) -----

        [Fact]
        public async Task Creating_an_application_does_not_create_its_service_principal()
        {
            // learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals
            var app = await CreateAppAsync();
            Assert.Empty(Items(Ok(await Door.GetAsync($"/servicePrincipals?$filter=appId eq '{app["appId"]}'"))));
        }

        [Fact]
        public async Task Deleting_an_application_deletes_its_service_principal_grants_and_assignments()
        {
            // learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals: "Deleting the app deletes the home-tenant SP"
            var (app, sp) = await CreateAppWithSpAsync();
            string spId = (string)sp["id"]!;
            string graphSp = await GraphSpIdAsync();
            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
            var assignment = Ok(await Door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                new { principalId = spId, resourceId = graphSp, appRoleId = "7ab1d382-f21e-4acd-a863-ba3e13f7da61" }), 201);

            NoContent(await Door.DeleteAsync($"/applications/{app["id"]}"));

            Error(await Door.GetAsync($"/servicePrincipals/{spId}"), 404, "Request_ResourceNotFound");
            Error(await Door.GetAsync($"/oauth2PermissionGrants/{grant["id"]}"), 404, "Request_ResourceNotFound");
            Assert.Empty(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{spId}'"))));
            Assert.DoesNotContain(Items(Ok(await Door.GetAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo?$top=999"))),
                a => (string?)a["id"] == (string?)assignment["id"]);
            Error(await Door.GetAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo/{assignment["id"]}"), 404, "Request_ResourceNotFound");
        }
    }

    internal static class JsonObjectExtensions
    {
        /// <summary>Sets a property and returns the object, for one-line request bodies.</summary>
        public static JsonObject Also(this JsonObject o, string name, JsonNode? value)
        {
            o[name] = value;
            return o;
        }
    }
}
