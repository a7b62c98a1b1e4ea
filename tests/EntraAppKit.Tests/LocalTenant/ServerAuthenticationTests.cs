using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Server;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using Tenant = EntraAppKit.LocalTenant.LocalTenantEngine;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// The server's authentication: Graph's 401 without a token unless --no-auth, --print-admin-token, the start-up lines,
    /// and the identity endpoints over plain HTTP.
    /// </summary>
    public sealed class ServerAuthenticationTests
    {
        [Fact]
        public void The_new_flags_are_read_and_documented()
        {
            var defaults = ServerOptions.Parse(Array.Empty<string>());
            Assert.False(defaults.NoAuth);
            Assert.False(defaults.PrintAdminToken);
            var o = ServerOptions.Parse(new[] { "--no-auth", "--print-admin-token" });
            Assert.True(o.NoAuth);
            Assert.True(o.PrintAdminToken);
            Assert.Contains("--no-auth", Program.Usage);
            Assert.Contains("--print-admin-token", Program.Usage);
            Assert.Contains("IDENTITY_ENDPOINT", Program.Usage);
        }

        [Fact]
        public void The_admin_password_is_read_documented_and_never_empty()
        {
            Assert.Null(ServerOptions.Parse(Array.Empty<string>()).Tenant.AdministratorPassword);
            Assert.Equal("S3cret!", ServerOptions.Parse(new[] { "--admin-password", "S3cret!" }).Tenant.AdministratorPassword);
            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--admin-password", "" }));
            Assert.Throws<ArgumentException>(() => ServerOptions.Parse(new[] { "--admin-password" }));
            Assert.Contains("--admin-password", Program.Usage);
            Assert.Contains("oauth2/v2.0/authorize", Program.Usage);
        }

        [Fact]
        public void The_start_up_lines_say_how_to_authenticate()
        {
            var tenant = Tenant.Create();
            const string address = "http://127.0.0.1:5000";
            var plain = Program.StartupLines(tenant, address, ServerOptions.Parse(Array.Empty<string>())).ToList();
            Assert.Equal($"Local tenant {tenant.TenantId} (contoso.onmicrosoft.com) listening on {address}/v1.0", plain[0]);
            Assert.Contains($"Managed identity: IDENTITY_ENDPOINT={address}/msi/token IDENTITY_HEADER={tenant.IdentityHeader}", plain);
            Assert.Contains(plain, l => l.Contains("--print-admin-token") && l.Contains("--no-auth") && l.Contains("401"));

            Assert.Contains(Program.StartupLines(tenant, address, ServerOptions.Parse(new[] { "--no-auth" })),
                l => l.StartsWith("Authentication is off (--no-auth)", StringComparison.Ordinal));

            string line = Program.StartupLines(tenant, address, ServerOptions.Parse(new[] { "--print-admin-token" })).Last();
            Assert.StartsWith("Admin token (admin@contoso.onmicrosoft.com, Global Administrator, valid 24 hours): ", line);
            var claims = IdentityKit.Claims(line.Substring(line.LastIndexOf(' ') + 1));
            Assert.Equal(tenant.AdministratorId, (string?)claims["oid"]);
            Assert.Equal(86400, (long)claims["exp"]! - (long)claims["iat"]!);
        }

        [Fact]
        public async Task With_authentication_on_the_server_answers_Graphs_401_and_serves_tokens_over_HTTP()
        {
            var tenant = Tenant.Create(new EntraAppKit.LocalTenant.LocalTenantOptions { RequireAuthentication = true });
            Assert.True(tenant.RequireAuthentication);
            var door = (ServerDoor)await FrontDoor.OpenAsync("Server", tenant);
            try
            {
                var unauthenticated = await door.GetAsync("/applications");
                Error(unauthenticated, 401, "InvalidAuthenticationToken", "Access token is empty.");
                Assert.StartsWith("Bearer", unauthenticated.Header("WWW-Authenticate"));

                // Set up as the admin, with the printed kind of token.
                string admin = tenant.IssueAdminToken();
                var app = Ok(await IdentityKit.Bearer(door, "POST", "/applications", admin, new { displayName = "over-http", signInAudience = "AzureADMyOrg" }), 201);
                string secret = (string)Ok(await IdentityKit.Bearer(door, "POST", $"/applications/{app["id"]}/addPassword", admin, new { passwordCredential = new { } }))["secretText"]!;
                var sp = Ok(await IdentityKit.Bearer(door, "POST", "/servicePrincipals", admin, new { appId = (string)app["appId"]! }), 201);
                string graphSp = (string)Items(Ok(await IdentityKit.Bearer(door, "GET", $"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'", admin)))[0]["id"]!;
                Ok(await IdentityKit.Bearer(door, "POST", $"/servicePrincipals/{graphSp}/appRoleAssignedTo", admin,
                    new { principalId = (string)sp["id"]!, resourceId = graphSp, appRoleId = IdentityKit.ApplicationReadAll }), 201);

                // Client credentials over plain HTTP (v1 form, as curl would send it), then Graph with that token.
                using var http = new HttpClient();
                var response = await http.PostAsync($"{door.Address}/{tenant.TenantId}/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = (string)app["appId"]!, ["client_secret"] = secret, ["resource"] = "https://graph.microsoft.com",
                }));
                Assert.Equal(200, (int)response.StatusCode);
                string token = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
                Ok(await IdentityKit.Bearer(door, "GET", "/applications", token));
                Error(await IdentityKit.Bearer(door, "POST", "/applications", token, new { displayName = "no" }), 403, "Authorization_RequestDenied");
            }
            finally { await door.DisposeAsync(); }
        }

        [Fact]
        public async Task The_server_process_prints_an_admin_token_that_works_and_refuses_requests_without_one()
        {
            string exe = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "entraappkit-localtenant.exe" : "entraappkit-localtenant");
            var start = new ProcessStartInfo(exe, "--port 0 --print-admin-token") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            try
            {
                string? address = null, token = null;
                var lines = new List<string>();
                while (token == null)
                {
                    using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(30));
                    string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                    if (line == null) throw new Xunit.Sdk.XunitException("The server stopped before printing its start-up lines: " + string.Join(" | ", lines));
                    lines.Add(line);
                    if (line.StartsWith("Local tenant ", StringComparison.Ordinal)) address = line.Substring(line.IndexOf(" listening on ", StringComparison.Ordinal) + 14).Replace("/v1.0", "");
                    if (line.StartsWith("Admin token ", StringComparison.Ordinal)) token = line.Substring(line.LastIndexOf(' ') + 1);
                }
                Assert.Contains(lines, l => l.StartsWith("Managed identity: IDENTITY_ENDPOINT=" + address + "/msi/token IDENTITY_HEADER=", StringComparison.Ordinal));

                using var http = new HttpClient();
                Assert.Equal(401, (int)(await http.GetAsync(address + "/v1.0/organization")).StatusCode);
                using var request = new HttpRequestMessage(HttpMethod.Get, address + "/v1.0/organization");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                Assert.Equal(200, (int)(await http.SendAsync(request)).StatusCode);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        [Fact]
        public async Task With_no_auth_every_request_is_the_built_in_admin()
        {
            var tenant = Tenant.Create();
            tenant.RequireAuthentication = !ServerOptions.Parse(new[] { "--no-auth" }).NoAuth; // what Main does
            var door = (ServerDoor)await FrontDoor.OpenAsync("Server", tenant);
            try
            {
                Ok(await door.PostAsync("/applications", new { displayName = "no-auth", signInAudience = "AzureADMyOrg" }), 201);
                Ok(await door.GetAsync("/organization"));
                // A token that is sent is still checked.
                Error(await IdentityKit.Bearer(door, "GET", "/organization", "garbage"), 401, "InvalidAuthenticationToken");
            }
            finally { await door.DisposeAsync(); }
        }
    }
}
