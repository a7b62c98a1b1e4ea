using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>Tests that set process environment variables: they run alone, never beside another test.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class EnvironmentVariablesCollection
    {
        public const string Name = "Process environment variables";
    }

    /// <summary>
    /// The managed identity endpoint over the HTTP server (App Service protocol 2019-08-01: IDENTITY_ENDPOINT + IDENTITY_HEADER,
    /// app-service/overview-managed-identity "REST endpoint reference"), used by the real ManagedIdentityCredential. The
    /// token's roles come from the identity's real app role assignments.
    /// </summary>
    [Collection(EnvironmentVariablesCollection.Name)]
    public sealed class ManagedIdentityTests : IAsyncLifetime
    {
        // Everything MSAL reads to pick a managed identity source: set for App Service, cleared otherwise, restored after.
        private static readonly string[] Variables = { "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "MSI_ENDPOINT", "MSI_SECRET", "IMDS_ENDPOINT" };

        private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        private readonly IdentityKit _kit = new IdentityKit();
        private ServerDoor _server = null!;

        public async Task InitializeAsync()
        {
            _server = (ServerDoor)await FrontDoor.OpenAsync("Server", _kit.Tenant);
            foreach (var v in Variables) Environment.SetEnvironmentVariable(v, null);
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", _server.Address + EntraAppKit.LocalTenant.LocalTenantEngine.ManagedIdentityPath);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", _kit.Tenant.IdentityHeader);
        }

        public async Task DisposeAsync()
        {
            foreach (var kv in _saved) Environment.SetEnvironmentVariable(kv.Key, kv.Value);
            await _server.DisposeAsync();
            _kit.Dispose();
        }

        [Fact]
        public async Task A_user_assigned_identity_gets_a_token_with_the_roles_it_was_assigned()
        {
            _kit.Tenant.CreateManagedIdentity("automation-account"); // the system-assigned one
            var (appId, spId) = _kit.Tenant.CreateManagedIdentity("deployer");
            await _kit.GrantRolesAsync(spId, IdentityKit.ApplicationReadWriteOwnedBy);

            // The identity's client id selects it (and keys MSAL's process-wide managed identity token cache).
            var credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(appId));
            string token = await IdentityKit.TokenAsync(credential);
            var claims = IdentityKit.Claims(token);
            Assert.Equal(_kit.Tenant.TenantId, (string?)claims["tid"]);
            Assert.Equal(spId, (string?)claims["oid"]);
            Assert.Equal(appId, (string?)claims["appid"]);
            Assert.Equal("app", (string?)claims["idtyp"]);
            Assert.Equal("2", (string?)claims["appidacr"]);
            Assert.EndsWith("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/deployer", (string?)claims["xms_mirid"]);
            Assert.Equal(new[] { "Application.ReadWrite.OwnedBy" }, IdentityKit.Roles(token));
            Assert.True(await _kit.SignatureVerifiesAsync(token));

            // Graph over the same server authorises it from those roles.
            var created = Ok(await IdentityKit.Bearer(_server, "POST", "/applications", token, new { displayName = "by-managed-identity", signInAudience = "AzureADMyOrg" }), 201);
            NoContent(await IdentityKit.Bearer(_server, "PATCH", $"/applications/{created["id"]}", token, new { description = "owned" }));
            string graphSp = await _kit.GraphSpIdAsync();
            Error(await IdentityKit.Bearer(_server, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", token,
                new { principalId = spId, resourceId = graphSp, appRoleId = IdentityKit.ApplicationReadWriteAll }), 403, "Authorization_RequestDenied");
        }

        [Fact]
        public async Task Without_a_client_id_the_first_identity_is_the_system_assigned_one()
        {
            var (appId, spId) = _kit.Tenant.CreateManagedIdentity("automation-account");
            _kit.Tenant.CreateManagedIdentity("user-assigned");
            await _kit.GrantRolesAsync(spId, IdentityKit.ApplicationReadAll, IdentityKit.OrganizationReadAll);

            // MSAL keeps managed identity tokens in a process-wide cache keyed by identity and resource, not by tenant; a
            // claims challenge makes it ask this tenant's endpoint rather than reuse a system-assigned token of another test.
            var credential = new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
            string token = (await credential.GetTokenAsync(new TokenRequestContext(new[] { IdentityKit.GraphScope },
                claims: "{\"access_token\":{\"nbf\":{\"essential\":true,\"value\":\"1\"}}}"), default)).Token;
            var claims = IdentityKit.Claims(token);
            Assert.Equal(spId, (string?)claims["oid"]);
            Assert.Equal(appId, (string?)claims["appid"]);
            Assert.EndsWith("/providers/Microsoft.Automation/automationAccounts/automation-account", (string?)claims["xms_mirid"]);
            Assert.Equal(new[] { "Application.Read.All", "Organization.Read.All" }, IdentityKit.Roles(token));
            Ok(await IdentityKit.Bearer(_server, "GET", "/organization", token));
            Error(await IdentityKit.Bearer(_server, "POST", "/applications", token, new { displayName = "no", signInAudience = "AzureADMyOrg" }), 403, "Authorization_RequestDenied");

            // The identity is a service principal of type ManagedIdentity, with no application behind it.
            var sp = Ok(await _server.GetAsync($"/servicePrincipals/{spId}"));
            Assert.Equal("ManagedIdentity", (string?)sp["servicePrincipalType"]);
            IdentityKit.Conforms("servicePrincipal", sp);
            Assert.Equal("automation-account", (string?)sp["displayName"]);
            Assert.Contains("isExplicit=False", Strings(sp["alternativeNames"]));
            Error(await _server.GetAsync($"/applications(appId='{appId}')"), 404, "Request_ResourceNotFound");
        }

        /// <summary>
        /// A managed identity calls an API of the tenant as any app does: the resource is the "resource requested to access the
        /// protected API … of the form "{ResourceIdUri}"" (learn.microsoft.com/dotnet/api/microsoft.identity.client.imanagedidentityapplication.acquiretokenformanagedidentity);
        /// aud the App ID URI as requested (a v1.0 API), roles the API's app roles assigned to the identity.
        /// </summary>
        [Fact]
        public async Task A_managed_identity_gets_a_token_for_an_API_of_the_tenant()
        {
            var (appId, spId) = _kit.Tenant.CreateManagedIdentity("worker");
            string roleId = Guid.NewGuid().ToString();
            var api = await _kit.CreateAppAsync(extra: new JsonObject
            {
                ["appRoles"] = new JsonArray(new JsonObject
                {
                    ["id"] = roleId, ["allowedMemberTypes"] = new JsonArray("Application"), ["displayName"] = "Jobs.Run", ["description"] = "Run jobs",
                    ["value"] = "Jobs.Run", ["isEnabled"] = true,
                }),
            });
            string apiAppId = (string)api["appId"]!;
            NoContent(await _kit.Admin.PatchAsync($"/applications/{api["id"]}", new { identifierUris = new[] { $"api://{apiAppId}" } }));
            string apiSp = (string)(await _kit.CreateSpAsync(apiAppId))["id"]!;
            Ok(await _kit.Admin.PostAsync($"/servicePrincipals/{apiSp}/appRoleAssignedTo", new { principalId = spId, resourceId = apiSp, appRoleId = roleId }), 201);

            var (status, json) = await RawAsync($"resource={Uri.EscapeDataString("api://" + apiAppId)}&client_id={appId}&api-version=2019-08-01", _kit.Tenant.IdentityHeader);
            Assert.Equal(200, status);
            Assert.Equal("api://" + apiAppId, (string?)json["resource"]);
            string token = (string)json["access_token"]!;
            var claims = IdentityKit.Claims(token);
            Assert.Equal("api://" + apiAppId, (string?)claims["aud"]);
            Assert.Equal($"https://sts.windows.net/{_kit.Tenant.TenantId}/", (string?)claims["iss"]);
            Assert.Equal(spId, (string?)claims["oid"]);
            Assert.Equal(new[] { "Jobs.Run" }, IdentityKit.Roles(token));
            Error(await IdentityKit.Bearer(_server, "GET", "/organization", token), 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
        }

        private async Task<(int Status, JsonObject Json)> RawAsync(string query, string? secret)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, _server.Address + "/msi/token?" + query);
            if (secret != null) request.Headers.Add("X-IDENTITY-HEADER", secret);
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }

        [Fact]
        public async Task The_endpoint_speaks_the_2019_08_01_protocol()
        {
            var (appId, spId) = _kit.Tenant.CreateManagedIdentity("system");
            var (userAppId, userSpId) = _kit.Tenant.CreateManagedIdentity("user");
            string header = _kit.Tenant.IdentityHeader;
            const string resource = "resource=https%3A%2F%2Fgraph.microsoft.com&api-version=2019-08-01";

            var (status, json) = await RawAsync(resource, header);
            Assert.Equal(200, status);
            Assert.Equal(new[] { "access_token", "expires_on", "resource", "token_type", "client_id" }, json.Select(kv => kv.Key));
            Assert.Equal("https://graph.microsoft.com", (string?)json["resource"]);
            Assert.Equal("Bearer", (string?)json["token_type"]);
            Assert.Equal(appId, (string?)json["client_id"]);
            Assert.Equal(IdentityKit.Claims((string)json["access_token"]!)["exp"]!.ToString(), (string?)json["expires_on"]); // unix seconds, as a string

            string resourceId = (string)Ok(await _server.GetAsync($"/servicePrincipals/{userSpId}"))["alternativeNames"]![1]!;
            Assert.Equal(userAppId, (string?)(await RawAsync(resource + "&mi_res_id=" + Uri.EscapeDataString(resourceId), header)).Json["client_id"]);
            Assert.Equal(userAppId, (string?)(await RawAsync(resource + "&principal_id=" + userSpId, header)).Json["client_id"]);
            Assert.Equal(userAppId, (string?)(await RawAsync(resource + "&client_id=" + userAppId, header)).Json["client_id"]);

            Assert.Equal(401, (await RawAsync(resource, null)).Status);
            Assert.Equal(401, (await RawAsync(resource, header + "x")).Status);
            Assert.Equal(400, (await RawAsync("resource=https%3A%2F%2Fgraph.microsoft.com&api-version=2017-09-01", header)).Status);
            var unknown = await RawAsync(resource + "&client_id=" + Guid.NewGuid(), header);
            Assert.Equal(400, unknown.Status);
            Assert.Equal("Unable to load requested managed identity.", (string?)unknown.Json["message"]);
            var otherResource = await RawAsync("resource=https%3A%2F%2Fvault.azure.net&api-version=2019-08-01", header);
            Assert.Equal(400, otherResource.Status);
            Assert.StartsWith("AADSTS500011: ", (string?)otherResource.Json["message"]);
        }
    }
}
