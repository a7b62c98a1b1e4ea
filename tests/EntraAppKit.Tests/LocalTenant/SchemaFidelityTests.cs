using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Model;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Every object the tenant returns through both front doors conforms to the generated v1.0 CSDL subset
    /// (GraphSchema.V1, from tools/generate-csdl-subset.mjs), with nothing outside the schema and every value of its
    /// declared JSON type (graph.microsoft.com/v1.0/$metadata).
    /// </summary>
    public abstract class SchemaFidelityTests : DoorTests
    {
        protected SchemaFidelityTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : SchemaFidelityTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : SchemaFidelityTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static void Conforms(string typeName, JsonObject obj)
        {
            var stripped = (JsonObject)obj.DeepClone();
            foreach (var key in stripped.Select(kv => kv.Key).Where(k => k.StartsWith("@odata.", StringComparison.Ordinal)).ToList()) stripped.Remove(key);
            Assert.True(GraphSchema.V1.Conforms(typeName, stripped, out var problem), problem);
        }

        /// <summary>An application with every writable property the recipes use, and then some.</summary>
        private JsonObject FullApplication()
        {
            string scopeId = Guid.NewGuid().ToString();
            return new JsonObject
            {
                ["displayName"] = Unique("full"),
                ["description"] = "Everything set",
                ["notes"] = "notes",
                ["tags"] = new JsonArray("HideApp"),
                ["signInAudience"] = "AzureADMyOrg",
                ["uniqueName"] = Unique("full-unique"),
                ["identifierUris"] = new JsonArray($"api://{Tenant.TenantId}/{Unique("full")}"),
                ["isFallbackPublicClient"] = true,
                ["groupMembershipClaims"] = "SecurityGroup",
                ["info"] = new JsonObject { ["marketingUrl"] = "https://app.example.com/marketing", ["privacyStatementUrl"] = "https://app.example.com/privacy" },
                ["web"] = new JsonObject
                {
                    ["redirectUris"] = new JsonArray("https://app.example.com/callback", "http://localhost"),
                    ["homePageUrl"] = "https://app.example.com",
                    ["logoutUrl"] = "https://app.example.com/logout",
                    ["implicitGrantSettings"] = new JsonObject { ["enableIdTokenIssuance"] = true, ["enableAccessTokenIssuance"] = false },
                },
                ["spa"] = new JsonObject { ["redirectUris"] = new JsonArray("https://spa.example.com") },
                ["publicClient"] = new JsonObject { ["redirectUris"] = new JsonArray("https://login.microsoftonline.com/common/oauth2/nativeclient") },
                ["api"] = new JsonObject
                {
                    ["requestedAccessTokenVersion"] = 2,
                    ["acceptMappedClaims"] = false,
                    ["knownClientApplications"] = new JsonArray(Guid.NewGuid().ToString()),
                    ["oauth2PermissionScopes"] = new JsonArray(new JsonObject
                    {
                        ["id"] = scopeId, ["value"] = "user_impersonation", ["type"] = "User", ["isEnabled"] = true,
                        ["adminConsentDisplayName"] = "Access the API", ["adminConsentDescription"] = "Allow access on behalf of the signed-in user.",
                        ["userConsentDisplayName"] = "Access the API", ["userConsentDescription"] = "Allow access on your behalf.",
                    }),
                    ["preAuthorizedApplications"] = new JsonArray(new JsonObject
                    {
                        ["appId"] = Guid.NewGuid().ToString(), ["delegatedPermissionIds"] = new JsonArray(scopeId),
                    }),
                },
                ["appRoles"] = new JsonArray(new JsonObject
                {
                    ["allowedMemberTypes"] = new JsonArray("User", "Application"), ["description"] = "Read widgets", ["displayName"] = "Widgets.Read",
                    ["id"] = Guid.NewGuid().ToString(), ["isEnabled"] = true, ["value"] = "Widgets.Read",
                }),
                ["requiredResourceAccess"] = new JsonArray(new JsonObject
                {
                    ["resourceAppId"] = FrontDoor.MicrosoftGraphAppId,
                    ["resourceAccess"] = new JsonArray(
                        new JsonObject { ["id"] = "e1fe6dd8-ba31-4d61-89e7-88639da4683d", ["type"] = "Scope" },
                        new JsonObject { ["id"] = "7ab1d382-f21e-4acd-a863-ba3e13f7da61", ["type"] = "Role" }),
                }),
                ["optionalClaims"] = new JsonObject
                {
                    ["idToken"] = new JsonArray(new JsonObject { ["name"] = "email", ["essential"] = false, ["additionalProperties"] = new JsonArray() }),
                    ["accessToken"] = new JsonArray(),
                    ["saml2Token"] = new JsonArray(),
                },
            };
        }

        [Fact]
        public async Task A_fully_populated_application_conforms_on_create_get_and_list()
        {
            // graph.microsoft.com/v1.0/$metadata
            var created = await CreateAppAsync(FullApplication());
            Conforms("application", created);
            var cred = Ok(await Door.PostAsync($"/applications/{created["id"]}/addPassword", new { passwordCredential = new { displayName = "schema" } }));
            Conforms("passwordCredential", cred);

            var fetched = Ok(await Door.GetAsync($"/applications/{created["id"]}"));
            Conforms("application", fetched);
            Assert.Single(fetched["passwordCredentials"]!.AsArray());
            Assert.Equal((string?)created["uniqueName"], (string?)fetched["uniqueName"]);
            Assert.True((bool)fetched["web"]!["implicitGrantSettings"]!["enableIdTokenIssuance"]!);
            Assert.All(Items(Ok(await Door.GetAsync($"/applications?$filter=id eq '{created["id"]}'"))), a => Conforms("application", a));
            Conforms("application", Ok(await Door.PatchAsync($"/applications(uniqueName='{Unique("upsert")}')", new { displayName = "Upserted" }, CreateIfMissing), 201));
        }

        [Fact]
        public async Task Service_principals_grants_and_assignments_conform()
        {
            // graph.microsoft.com/v1.0/$metadata
            var (_, sp) = await CreateAppWithSpAsync(FullApplication());
            Conforms("servicePrincipal", sp);
            Conforms("servicePrincipal", Ok(await Door.GetAsync($"/servicePrincipals/{sp["id"]}")));
            string graphSp = await GraphSpIdAsync();
            Conforms("servicePrincipal", Ok(await Door.GetAsync($"/servicePrincipals/{graphSp}")));

            var grant = Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
            Conforms("oAuth2PermissionGrant", grant);
            Conforms("oAuth2PermissionGrant", Ok(await Door.GetAsync($"/oauth2PermissionGrants/{grant["id"]}")));

            var assignment = Ok(await Door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo",
                new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = "7ab1d382-f21e-4acd-a863-ba3e13f7da61" }), 201);
            Conforms("appRoleAssignment", assignment);
            Assert.All(Items(Ok(await Door.GetAsync($"/servicePrincipals/{sp["id"]}/appRoleAssignments"))), a => Conforms("appRoleAssignment", a));
        }

        [Fact]
        public async Task Organization_and_domains_conform()
        {
            // learn.microsoft.com/graph/api/organization-list, graph.microsoft.com/v1.0/$metadata
            var org = Assert.Single(Items(Ok(await Door.GetAsync("/organization"))));
            Conforms("organization", org);
            Assert.All(org["verifiedDomains"]!.AsArray(), d => Conforms("verifiedDomain", d!.AsObject()));
            Assert.All(Items(Ok(await Door.GetAsync("/domains"))), d => Conforms("domain", d));
            Conforms("domain", Ok(await Door.GetAsync($"/domains/{Tenant.InitialDomain}")));
        }

        [Fact]
        public void The_checker_is_not_vacuous()
        {
            Assert.False(GraphSchema.V1.Conforms("application", new JsonObject { ["foo"] = 1 }, out var unknown));
            Assert.Contains("foo", unknown);
            Assert.False(GraphSchema.V1.Conforms("application", new JsonObject { ["displayName"] = 5 }, out _));
            Assert.False(GraphSchema.V1.Conforms("passwordCredential", new JsonObject { ["keyId"] = "not-a-guid" }, out _));
            Assert.False(GraphSchema.V1.Conforms("application", new JsonObject { ["web"] = new JsonObject { ["redirectUris"] = "https://x" } }, out _));
            Assert.True(GraphSchema.V1.Conforms("application", new JsonObject { ["uniqueName"] = "u", ["identifierUris"] = new JsonArray() }, out _));
        }

        [Fact]
        public void The_generated_schema_file_has_the_properties_the_tenant_relies_on()
        {
            // uniqueName alternate key (learn.microsoft.com/graph/api/application-upsert), addPassword
            // (learn.microsoft.com/graph/api/application-addpassword), graph.microsoft.com/v1.0/$metadata
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            string relative = Path.Combine("src", "EntraAppKit.LocalTenant", "Data", "graph-v1.0-schema.json");
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, relative))) dir = dir.Parent;
            Assert.NotNull(dir);
            Assert.True(File.Exists(Path.Combine(dir!.FullName, "tools", "generate-csdl-subset.mjs")));
            var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.FullName, relative)))!.AsObject();

            Assert.StartsWith("v1.0-Prod.csdl", (string?)schema["generatedFrom"]);
            var application = schema["types"]!["application"]!;
            Assert.Equal("entity", (string?)application["kind"]);
            Assert.Equal("directoryObject", (string?)application["baseType"]);
            Assert.Equal("Edm.String", (string?)application["properties"]!["uniqueName"]!["type"]);
            Assert.True((bool)application["properties"]!["identifierUris"]!["collection"]!);
            Assert.False((bool)application["properties"]!["identifierUris"]!["nullable"]!);
            Assert.Equal("passwordCredential", (string?)application["properties"]!["passwordCredentials"]!["type"]);
            Assert.Equal("implicitGrantSettings", (string?)schema["types"]!["webApplication"]!["properties"]!["implicitGrantSettings"]!["type"]);
            Assert.Equal("Edm.Guid", (string?)schema["types"]!["passwordCredential"]!["properties"]!["keyId"]!["type"]);
            Assert.Equal("verifiedDomain", (string?)schema["types"]!["organization"]!["properties"]!["verifiedDomains"]!["type"]);
            var addPassword = schema["actions"]!["application.addPassword"]!;
            Assert.Equal("passwordCredential", (string?)addPassword["returnType"]);
            Assert.Equal("passwordCredential", (string?)addPassword["parameters"]!["passwordCredential"]!["type"]);

            // The embedded copy the engine validates with is the same subset.
            Assert.NotNull(GraphSchema.V1.Property("application", "uniqueName"));
            Assert.Equal(schema["types"]!.AsObject().Count, schema["types"]!.AsObject().Count(t => GraphSchema.V1.HasType(t.Key)));
        }
    }
}
