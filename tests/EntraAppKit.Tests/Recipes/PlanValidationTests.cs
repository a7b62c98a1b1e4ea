using System;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// Every value Graph would refuse fails the plan, before the first write, naming the value: above all the values only a
    /// follow-up PATCH writes (those with {appId}), which used to leave an app without its service principal and secret.
    /// </summary>
    public class PlanValidationTests
    {
        public static TheoryData<string, string, string> Refused => new TheoryData<string, string, string>
        {
            // platform or property, value, audience
            { "web", "http://wbe.contoso.com/{appId}/callback", "AzureADMyOrg" },
            { "web", "ftp://contoso.com/{appId}", "AzureADMyOrg" },
            { "web", "https://contoso.com/{appId}/a,b", "AzureADMyOrg" },
            { "web", "https://contoso.com/{appId}/" + new string('x', 240), "AzureADMyOrg" },
            { "web", "https://contoso.com/{appId}?tenant=1", "AzureADandPersonalMicrosoftAccount" },
            { "web", "https://*.contoso.com/{appId}", "AzureADandPersonalMicrosoftAccount" },
            { "web", "http://contoso.com/callback", "AzureADMyOrg" },
            { "spa", "http://spa.contoso.com/{appId}", "AzureADMyOrg" },
            { "spa", "/relative/{appId}", "AzureADMyOrg" },
            { "public", "{appId}", "AzureADMyOrg" },
            { "public", "ms-appx-web://Microsoft.AAD.BrokerPlugin/{appId}(1)", "AzureADMyOrg" },
            { "identifier", "https://unverified.example.com/{appId}", "AzureADMyOrg" },
            { "identifier", "api://{appId}/" + new string('s', 250), "AzureADMyOrg" },
            { "identifier", "api://{appId}/" + new string('s', 90), "AzureADandPersonalMicrosoftAccount" },
            { "identifier", "not a uri {appId}", "AzureADMyOrg" },
            { "scope", "read data", "AzureADMyOrg" },
            { "scope", ".hidden", "AzureADMyOrg" },
            { "role", "Data.Read", "AzureADandPersonalMicrosoftAccount" },
        };

        private static General Recipe(string kind, string value, string audience)
        {
            var g = new General { SignInAudience = audience };
            switch (kind)
            {
                case "web": g.WebRedirectUris.Add(value); break;
                case "spa": g.SpaRedirectUris.Add(value); break;
                case "public": g.PublicClientRedirectUris.Add(value); break;
                case "identifier": g.IdentifierUris.Add(value); break;
                case "scope": g.Scopes.Add(new ExposedScope { Value = value }); break;
                default: g.AppRoles.Add(new AppRoleDefinition { Value = value }); break;
            }
            // The valid values beside it would go in the create: the bad one must still stop everything.
            g.WebRedirectUris.Add("https://app.contoso.com/callback");
            return g;
        }

        [Theory]
        [MemberData(nameof(Refused))]
        public async Task A_value_graph_refuses_fails_the_plan_naming_it_and_nothing_is_written(string kind, string value, string audience)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var engine = new RecipeEngine(session);
            tenant.RequestLog.Clear();

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => engine.PlanAsync(Recipe(kind, value, audience).For("Half Built")));

            Assert.Equal((ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument), (e.ErrorId, e.Category));
            Assert.Contains(value.Length > 60 ? value.Substring(0, 40) : value, e.Message);
            Assert.DoesNotContain(tenant.RequestLog.Entries, x => x.IsWrite);
        }

        /// <summary>The same values are what Graph refuses: with the engine's check bypassed, the local tenant refuses each (here as the follow-up PATCH would).</summary>
        [Theory]
        [MemberData(nameof(Refused))]
        public async Task Graph_refuses_each_of_those_values_too(string kind, string value, string audience)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var http = new System.Net.Http.HttpClient(tenant.CreateHandler());
            string resolved = value.Replace("{appId}", Guid.NewGuid().ToString());
            var body = new System.Text.Json.Nodes.JsonObject { ["displayName"] = "Graph check", ["signInAudience"] = audience };
            if (audience != "AzureADMyOrg" && audience != "AzureADMultipleOrgs") body["api"] = new System.Text.Json.Nodes.JsonObject { ["requestedAccessTokenVersion"] = 2 };
            System.Text.Json.Nodes.JsonArray One(string v) => new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonValue.Create(v));
            System.Text.Json.Nodes.JsonObject Entitlement() => new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(), ["value"] = resolved, ["isEnabled"] = true, ["type"] = "User",
                ["adminConsentDisplayName"] = "x", ["adminConsentDescription"] = "x", ["displayName"] = "x", ["description"] = "x",
                ["allowedMemberTypes"] = new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonValue.Create("User")),
            };
            switch (kind)
            {
                case "web": body["web"] = new System.Text.Json.Nodes.JsonObject { ["redirectUris"] = One(resolved) }; break;
                case "spa": body["spa"] = new System.Text.Json.Nodes.JsonObject { ["redirectUris"] = One(resolved) }; break;
                case "public": body["publicClient"] = new System.Text.Json.Nodes.JsonObject { ["redirectUris"] = One(resolved) }; break;
                case "identifier": body["identifierUris"] = One(resolved); break;
                case "scope":
                    var api = body["api"] as System.Text.Json.Nodes.JsonObject ?? new System.Text.Json.Nodes.JsonObject();
                    var scope = Entitlement(); scope.Remove("allowedMemberTypes"); scope.Remove("displayName"); scope.Remove("description");
                    api["oauth2PermissionScopes"] = new System.Text.Json.Nodes.JsonArray(scope);
                    body["api"] = api;
                    break;
                default:
                    var role = Entitlement(); role.Remove("type"); role.Remove("adminConsentDisplayName"); role.Remove("adminConsentDescription");
                    body["appRoles"] = new System.Text.Json.Nodes.JsonArray(role);
                    break;
            }
            var response = await http.PostAsync("https://graph.microsoft.com/v1.0/applications",
                new System.Net.Http.StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)response.StatusCode);
        }

        [Fact]
        public async Task Valid_appId_values_pass_and_are_written_by_the_follow_up_patch()
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var g = new General();
            g.WebRedirectUris.Add("https://app.contoso.com/{appId}/callback");
            g.WebRedirectUris.Add("http://localhost:5000/{appId}");
            g.PublicClientRedirectUris.Add("ms-appx-web://Microsoft.AAD.BrokerPlugin/{appId}");
            g.IdentifierUris.Add("api://{appId}");
            g.IdentifierUris.Add("https://" + tenant.InitialDomain + "/{appId}");
            var result = await new RecipeEngine(session).RunAsync(g.For("Half Built OK"));
            Assert.NotNull(result.ServicePrincipalId);
            Assert.NotNull(result.ClientSecret);
            Assert.Contains("api://" + result.ClientId, result.IdentifierUris);
        }

        [Fact]
        public async Task A_third_secret_on_a_personal_account_app_fails_the_plan_before_any_write()
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var engine = new RecipeEngine(session);
            var g = new General { SignInAudience = "AzureADandPersonalMicrosoftAccount" };
            await engine.RunAsync(g.For("Personal Secrets"));
            await engine.RunAsync(g.For("Personal Secrets", newSecret: true));
            g.WebRedirectUris.Add("https://app.contoso.com/more"); // a change that would have been written before the secret failed
            tenant.RequestLog.Clear();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => engine.PlanAsync(g.For("Personal Secrets", newSecret: true)));
            Assert.Equal(ErrorIds.InvalidRecipeInput, e.ErrorId);
            Assert.Contains("2 client secrets", e.Message);
            Assert.DoesNotContain(tenant.RequestLog.Entries, x => x.IsWrite);
        }

        public static TheoryData<string, string?> BlankElements => new TheoryData<string, string?>
        {
            { "web", null }, { "web", "   " }, { "spa", null }, { "spa", "" }, { "public", null }, { "public", "\t" },
            { "identifier", null }, { "identifier", " " }, { "delegated", null }, { "delegated", "  " }, { "application", null }, { "application", "" },
            { "scope", null }, { "scope", " " }, { "role", null }, { "role", "" },
        };

        /// <summary>What the cmdlets refuse at binding, the engine refuses too for C# callers: a $null or blank element of any list is InvalidRecipeInput before any write, never a NullReferenceException.</summary>
        [Theory]
        [MemberData(nameof(BlankElements))]
        public async Task A_null_or_blank_element_of_any_list_is_InvalidRecipeInput_before_any_write(string list, string? value)
        {
            var tenant = LocalTenant.LocalTenantEngine.Create();
            using var session = tenant.Session();
            var g = new General();
            switch (list)
            {
                case "web": g.WebRedirectUris.Add(value!); break;
                case "spa": g.SpaRedirectUris.Add(value!); break;
                case "public": g.PublicClientRedirectUris.Add(value!); break;
                case "identifier": g.IdentifierUris.Add(value!); break;
                case "delegated": g.DelegatedPermissions.Add(value!); break;
                case "application": g.ApplicationPermissions.Add(value!); break;
                case "scope": g.Scopes.Add(value == null ? null! : new ExposedScope { Value = value }); break;
                default: g.AppRoles.Add(value == null ? null! : new AppRoleDefinition { Value = value }); break;
            }
            tenant.RequestLog.Clear();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(async () => await new RecipeEngine(session).PlanAsync(g.For("Blank Elements")));
            Assert.Equal((ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument), (e.ErrorId, e.Category));
            Assert.DoesNotContain(tenant.RequestLog.Entries, x => x.IsWrite);
        }
    }
}
