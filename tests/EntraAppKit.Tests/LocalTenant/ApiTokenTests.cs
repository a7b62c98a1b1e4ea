using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 12, section 3: app-only tokens for an API registered in the tenant, through both front doors. The claims follow
    /// learn.microsoft.com/entra/identity-platform/access-token-claims-reference: "aud … In v2.0 tokens, this value is always the
    /// client ID of the API. In v1.0 tokens, it can be the client ID or the resource URI used in the request"; iss "If the token
    /// issued is a v2.0 token (see the ver claim), the URI ends in /v2.0"; appid/appidacr "only present in v1.0 tokens", azp/azpacr
    /// "only present in v2.0 tokens"; roles: "The client credential flow uses this set of permission in place of user scopes for
    /// application tokens". The version is the API's api.requestedAccessTokenVersion (learn.microsoft.com/graph/api/resources/apiapplication).
    /// </summary>
    public abstract class ApiTokenTests : DoorTests
    {
        protected ApiTokenTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : ApiTokenTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : ApiTokenTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private string Origin => new Uri(Root).GetLeftPart(UriPartial.Authority);

        private static readonly string ReadRole = Guid.NewGuid().ToString(), WriteRole = Guid.NewGuid().ToString(), UserRole = Guid.NewGuid().ToString();

        private static JsonObject Role(string id, string value, params string[] memberTypes) => new JsonObject
        {
            ["id"] = id,
            ["allowedMemberTypes"] = new JsonArray(memberTypes.Select(t => (JsonNode?)t).ToArray()),
            ["displayName"] = value,
            ["description"] = value,
            ["value"] = value,
            ["isEnabled"] = true,
        };

        private sealed class Api
        {
            public Api(string id, string appId, string spId, string name) { Id = id; AppId = appId; SpId = spId; Name = name; }
            public string Id { get; }
            public string AppId { get; }
            public string SpId { get; }
            public string Name { get; }
        }

        /// <summary>An API as its owner registers it: App ID URIs api://{appId} and api://{tenantId}/{name}, three app roles, a service principal.</summary>
        private async Task<Api> ApiAsync(bool servicePrincipal = true)
        {
            string name = Unique("api");
            var app = Ok(await Door.PostAsync("/applications", new JsonObject
            {
                ["displayName"] = name,
                ["signInAudience"] = "AzureADMyOrg",
                ["appRoles"] = new JsonArray(Role(ReadRole, "Widgets.Read.All", "Application"), Role(WriteRole, "Widgets.ReadWrite.All", "Application", "User"), Role(UserRole, "Widgets.Admin", "User")),
            }), 201);
            string appId = (string)app["appId"]!;
            NoContent(await Door.PatchAsync($"/applications/{app["id"]}", new { identifierUris = new[] { $"api://{appId}", $"api://{Tenant.TenantId}/{name}" } }));
            string spId = servicePrincipal ? (string)Ok(await Door.PostAsync("/servicePrincipals", new { appId }), 201)["id"]! : "";
            return new Api((string)app["id"]!, appId, spId, name);
        }

        /// <summary>A confidential client with a secret and a service principal, holding the given roles of the API.</summary>
        private async Task<(string AppId, string SpId, string Secret)> ClientAsync(Api api, params string[] roles)
        {
            var app = Ok(await Door.PostAsync("/applications", new { displayName = Unique("client"), signInAudience = "AzureADMyOrg" }), 201);
            string secret = (string)Ok(await Door.PostAsync($"/applications/{app["id"]}/addPassword", new { passwordCredential = new { displayName = "s" } }))["secretText"]!;
            string spId = (string)Ok(await Door.PostAsync("/servicePrincipals", new { appId = (string)app["appId"]! }), 201)["id"]!;
            foreach (var role in roles)
                Ok(await Door.PostAsync($"/servicePrincipals/{api.SpId}/appRoleAssignedTo", new { principalId = spId, resourceId = api.SpId, appRoleId = role }), 201);
            return ((string)app["appId"]!, spId, secret);
        }

        private Task<GraphCall> TokenAsync(string appId, string secret, string scope, bool v1 = false)
        {
            string form = $"grant_type=client_credentials&client_id={appId}&client_secret={Uri.EscapeDataString(secret)}&" +
                (v1 ? "resource=" : "scope=") + Uri.EscapeDataString(scope);
            return Door.SendAsync("POST", $"{Origin}/{Tenant.TenantId}/oauth2{(v1 ? "" : "/v2.0")}/token", form, ("Content-Type", "application/x-www-form-urlencoded"));
        }

        private async Task<JsonObject> ClaimsAsync(string appId, string secret, string scope, bool v1 = false)
        {
            var call = await TokenAsync(appId, secret, scope, v1);
            Assert.True(call.Status == 200, call.ToString());
            return IdentityKit.Claims((string)call.Json["access_token"]!);
        }

        private static void Refused(GraphCall call, int status, string error, int code, string description)
        {
            Assert.Equal(status, call.Status);
            Assert.Equal(error, (string?)call.Json["error"]);
            Assert.Equal(code, (int)call.Json["error_codes"]![0]!);
            Assert.StartsWith($"AADSTS{code}: {description} Trace ID: ", (string?)call.Json["error_description"]);
        }

        [Fact]
        public async Task A_v1_API_token_has_the_resource_as_requested_for_aud_and_the_clients_application_roles()
        {
            var api = await ApiAsync();
            var (clientId, clientSp, secret) = await ClientAsync(api, ReadRole, WriteRole);
            foreach (var (scope, v1, audience) in new[]
            {
                ($"api://{api.AppId}/.default", false, $"api://{api.AppId}"),
                ($"api://{Tenant.TenantId}/{api.Name}/.default", false, $"api://{Tenant.TenantId}/{api.Name}"),
                ($"{api.AppId}/.default", false, api.AppId),
                ($"api://{Tenant.TenantId}/{api.Name}", true, $"api://{Tenant.TenantId}/{api.Name}"),
                (api.AppId, true, api.AppId),
            })
            {
                var claims = await ClaimsAsync(clientId, secret, scope, v1);
                Assert.Equal(audience, (string?)claims["aud"]);
                Assert.Equal($"https://sts.windows.net/{Tenant.TenantId}/", (string?)claims["iss"]);
                Assert.Equal("1.0", (string?)claims["ver"]);
                Assert.Equal(clientId, (string?)claims["appid"]);
                Assert.Equal("1", (string?)claims["appidacr"]);
                Assert.Equal(clientSp, (string?)claims["oid"]);
                Assert.Equal(Tenant.TenantId, (string?)claims["tid"]);
                Assert.Null(claims["scp"]);
                Assert.Equal(new[] { "Widgets.Read.All", "Widgets.ReadWrite.All" }, Strings(claims["roles"]));
                // idtyp is an optional claim of the API's (learn.microsoft.com/entra/identity-platform/optional-claims): not asked for.
                Assert.Null(claims["idtyp"]);
            }
        }

        [Fact]
        public async Task A_v2_API_token_has_the_APIs_client_id_for_aud_and_the_v2_issuer()
        {
            var api = await ApiAsync();
            NoContent(await Door.PatchAsync($"/applications/{api.Id}", new { api = new { requestedAccessTokenVersion = 2 } }));
            var (clientId, _, secret) = await ClientAsync(api, ReadRole);
            foreach (var (scope, v1) in new[] { ($"api://{Tenant.TenantId}/{api.Name}/.default", false), ($"api://{api.AppId}", true) })
            {
                var claims = await ClaimsAsync(clientId, secret, scope, v1);
                Assert.Equal(api.AppId, (string?)claims["aud"]);
                Assert.Equal($"{Origin}/{Tenant.TenantId}/v2.0", (string?)claims["iss"]);
                Assert.Equal("2.0", (string?)claims["ver"]);
                Assert.Equal(clientId, (string?)claims["azp"]);
                Assert.Equal("1", (string?)claims["azpacr"]);
                Assert.Null(claims["appid"]);
                Assert.Null(claims["appidacr"]);
                Assert.Equal(new[] { "Widgets.Read.All" }, Strings(claims["roles"]));
            }
        }

        [Fact]
        public async Task Roles_are_a_snapshot_of_the_enabled_assigned_roles_and_absent_when_none()
        {
            var api = await ApiAsync();
            var (clientId, _, secret) = await ClientAsync(api);
            string scope = $"api://{api.AppId}/.default";
            Assert.Null((await ClaimsAsync(clientId, secret, scope))["roles"]);

            var (otherId, otherSp, otherSecret) = await ClientAsync(api, ReadRole);
            Assert.Equal(new[] { "Widgets.Read.All" }, Strings((await ClaimsAsync(otherId, otherSecret, scope))["roles"]));
            // A Graph token of the same client carries none of the API's roles, and the API's token none of Graph's.
            Assert.Null(IdentityKit.Claims((string)(await TokenAsync(otherId, otherSecret, IdentityKit.GraphScope)).Json["access_token"]!)["roles"]);

            // The owner disables the role (the step before removing it): the next token no longer carries it.
            var roles = new JsonArray(Role(ReadRole, "Widgets.Read.All", "Application"), Role(WriteRole, "Widgets.ReadWrite.All", "Application", "User"), Role(UserRole, "Widgets.Admin", "User"));
            roles[0]!["isEnabled"] = false;
            NoContent(await Door.PatchAsync($"/applications/{api.Id}", new JsonObject { ["appRoles"] = roles }));
            Assert.Null((await ClaimsAsync(otherId, otherSecret, scope))["roles"]);
        }

        [Fact]
        public async Task Graph_refuses_an_API_token()
        {
            var api = await ApiAsync();
            var (clientId, _, secret) = await ClientAsync(api, ReadRole);
            string token = (string)(await TokenAsync(clientId, secret, $"api://{api.AppId}/.default")).Json["access_token"]!;
            Error(await Door.GetAsync("/applications", ("Authorization", "Bearer " + token)), 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
        }

        [Fact]
        public async Task An_API_without_a_service_principal_or_an_unknown_App_ID_URI_is_AADSTS500011_and_one_resource_per_request()
        {
            var withSp = await ApiAsync();
            var (clientId, _, secret) = await ClientAsync(withSp);
            var noSp = await ApiAsync(servicePrincipal: false);
            foreach (var resource in new[] { $"api://{noSp.AppId}", noSp.AppId, $"api://{Tenant.TenantId}/no-such-api" })
            {
                string description = $"The resource principal named {resource} was not found in the tenant named {Tenant.DisplayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.";
                Refused(await TokenAsync(clientId, secret, resource + "/.default"), 400, "invalid_resource", 500011, description);
                Refused(await TokenAsync(clientId, secret, resource, v1: true), 400, "invalid_resource", 500011, description);
            }

            string two = $"api://{withSp.AppId}/.default {IdentityKit.GraphScope}";
            Refused(await TokenAsync(clientId, secret, two), 400, "invalid_scope", 28000,
                $"Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {two} is not valid.");
            Refused(await TokenAsync(clientId, secret, $"api://{withSp.AppId}/Widgets.Read"), 400, "invalid_scope", 1002012,
                $"The provided value for scope api://{withSp.AppId}/Widgets.Read is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }
    }
}
