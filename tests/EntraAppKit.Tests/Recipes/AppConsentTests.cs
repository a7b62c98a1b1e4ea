using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.Core.Permissions;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// Get-EntraAppConsent and Revoke-EntraAppConsent through the core (AppConsentOperation over the consent reader and reconciler),
    /// against the in-process local tenant. Graph's shapes: learn.microsoft.com/graph/api/resources/oauth2permissiongrant (scope is a
    /// space-separated list of values; no creation time in v1.0), oauth2permissiongrant-update (PATCH scope), oauth2permissiongrant-delete,
    /// serviceprincipal-delete-approleassignedto; appRoleAssignment.createdDateTime (learn.microsoft.com/graph/api/resources/approleassignment).
    /// </summary>
    public class AppConsentTests : IDisposable
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly RecipeEngine _engine;
        private readonly AdminConsentOperation _grant;
        private AppConsentOperation _consent = null!;
        private TenantFacts _facts = null!;

        public AppConsentTests()
        {
            _session = _tenant.Session();
            var retry = new LagRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(400), Budget = TimeSpan.FromSeconds(20) };
            _engine = new RecipeEngine(_session, retry);
            _grant = new AdminConsentOperation(_session, retry);
        }

        public void Dispose() => _session.Dispose();

        /// <summary>The connected tenant as Connect-EntraAppKit reads it once, so the operation itself never reads /organization.</summary>
        private async Task<AppConsentOperation> ConsentAsync()
        {
            var org = (await SendAsync(HttpMethod.Get, "/organization"))["value"]![0]!;
            string domain = org["verifiedDomains"]!.AsArray().First(d => (bool)d!["isInitial"]!)!["name"]!.ToString();
            _facts = new TenantFacts((string)org["id"]!, (string)org["displayName"]!, domain, new[] { domain });
            return _consent = new AppConsentOperation(_session, _facts);
        }

        private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body = null)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            var request = new HttpRequestMessage(method, "https://graph.microsoft.com/v1.0" + path);
            if (body != null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            var response = await http.SendAsync(request);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
        }

        /// <summary>An app with delegated User.Read, Mail.Read, Files.Read and application User.Read.All, Directory.Read.All, all admin-consented.</summary>
        private async Task<AppRegistrationResult> ConsentedAppAsync(string name = "Contoso Reports")
        {
            var o = new General { GrantAdminConsent = true };
            foreach (var p in new[] { "User.Read", "Mail.Read", "Files.Read" }) o.DelegatedPermissions.Add(p);
            foreach (var p in new[] { "User.Read.All", "Directory.Read.All" }) o.ApplicationPermissions.Add(p);
            return await _engine.RunAsync(o.For(name));
        }

        /// <summary>A user (POST /users) and that user's own consent to <paramref name="scope"/> of Microsoft Graph (POST /oauth2PermissionGrants, consentType Principal).</summary>
        private async Task<(string UserId, string Upn)> UserGrantAsync(string clientId, string scope, string alias = "bob")
        {
            string upn = $"{alias}@{_facts.InitialDomain}";
            var user = await SendAsync(HttpMethod.Post, "/users", new JsonObject
            {
                ["accountEnabled"] = true, ["displayName"] = alias, ["mailNickname"] = alias, ["userPrincipalName"] = upn,
                ["passwordProfile"] = new JsonObject { ["password"] = "Bob-Passw0rd-" + Guid.NewGuid().ToString("N").Substring(0, 6), ["forceChangePasswordNextSignIn"] = false },
            });
            var client = (await SendAsync(HttpMethod.Get, $"/servicePrincipals(appId='{clientId}')"))["id"]!.ToString();
            var graph = (await SendAsync(HttpMethod.Get, $"/servicePrincipals(appId='{MicrosoftGraph.AppId}')"))["id"]!.ToString();
            await SendAsync(HttpMethod.Post, "/oauth2PermissionGrants", new JsonObject
            {
                ["clientId"] = client, ["consentType"] = "Principal", ["principalId"] = (string)user["id"]!, ["resourceId"] = graph, ["scope"] = scope,
            });
            return ((string)user["id"]!, upn);
        }

        [Fact]
        public async Task Rows_name_the_client_the_API_and_each_permission_by_value_with_its_kind_and_consent_type()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            var rows = await consent.ListAsync(app.ClientId);

            Assert.Equal(new[] { "Application Directory.Read.All", "Application User.Read.All", "Delegated Files.Read", "Delegated Mail.Read", "Delegated User.Read" },
                rows.Select(r => $"{r.Kind} {r.Permission}"));
            Assert.All(rows, r =>
            {
                Assert.Equal("Contoso Reports", r.Client);
                Assert.Equal(app.ClientId, r.ClientId);
                Assert.Equal("Microsoft Graph", r.Resource);
                Assert.Equal(MicrosoftGraph.AppId, r.ResourceAppId);
                Assert.Equal("AllPrincipals", r.ConsentType);
                Assert.Null(r.Principal);
                Assert.False(Guid.TryParse(r.Permission, out _));
                Assert.Equal(_facts.TenantId, r.TenantId);
                Assert.NotEmpty(r.GrantId);
            });
            // appRoleAssignment.createdDateTime is Graph's record of when; an oauth2PermissionGrant has none in v1.0.
            Assert.All(rows.Where(r => r.Kind == "Application"), r => Assert.NotNull(r.GrantedDateTime));
            Assert.All(rows.Where(r => r.Kind == "Delegated"), r => Assert.Null(r.GrantedDateTime));
            Assert.Single(rows.Where(r => r.Kind == "Delegated").Select(r => r.GrantId).Distinct()); // one AllPrincipals grant per API
        }

        [Fact]
        public async Task A_users_own_grant_is_a_Principal_row_naming_the_user_by_UPN()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            var (userId, upn) = await UserGrantAsync(app.ClientId, "Mail.Send Calendars.Read");

            var rows = (await consent.ListAsync(app.ClientId)).Where(r => r.ConsentType == "Principal").ToList();
            Assert.Equal(new[] { "Calendars.Read", "Mail.Send" }, rows.Select(r => r.Permission));
            Assert.All(rows, r =>
            {
                Assert.Equal(upn, r.Principal);
                Assert.Equal(Guid.Parse(userId), r.PrincipalId);
                Assert.Equal("Delegated", r.Kind);
            });
        }

        [Fact]
        public async Task An_app_without_a_service_principal_holds_nothing_and_an_unknown_client_id_is_ApplicationNotFound()
        {
            var wbe = await _engine.RunAsync(new WriteBack().For(WriteBack.DefaultName));
            var consent = await ConsentAsync();
            Assert.Empty(await consent.ListAsync(wbe.ClientId));
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => consent.ListAsync(Guid.NewGuid().ToString()));
            Assert.Equal(ErrorIds.ApplicationNotFound, e.ErrorId);
        }

        [Fact]
        public async Task The_whole_tenant_lists_every_apps_consent()
        {
            var reports = await ConsentedAppAsync();
            var konnect = await _engine.RunAsync(new KonnectDcr().For(KonnectDcr.DefaultName));
            var consent = await ConsentAsync();
            await UserGrantAsync(reports.ClientId, "Mail.Send");

            var rows = await consent.ListAsync(null);
            Assert.Equal(6, rows.Count(r => r.ClientId == reports.ClientId));
            Assert.Equal(new[] { "Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "User.Read" },
                rows.Where(r => r.ClientId == konnect.ClientId).Select(r => r.Permission).OrderBy(p => p, StringComparer.Ordinal));
            Assert.Contains(rows, r => r.Permission == "Mail.Send" && r.Principal == $"bob@{_facts.InitialDomain}");
            Assert.All(rows, r => Assert.Equal(_facts.TenantId, r.TenantId));
        }

        /// <summary>
        /// One app: its service principal, its grants, its app role assignments, then each resource and each user read once
        /// (Microsoft Graph and bob: 5), whatever the number of rows. The tenant: all grants, all service principals (they name the
        /// clients and resources), the app role assignments of each one that defines application roles, and each user.
        /// </summary>
        [Fact]
        public async Task Round_trips_one_list_per_kind_and_each_resource_and_user_read_once()
        {
            var app = await ConsentedAppAsync();
            await _engine.RunAsync(new KonnectDcr().For(KonnectDcr.DefaultName));
            var consent = await ConsentAsync();
            await UserGrantAsync(app.ClientId, "Mail.Send Calendars.Read");

            _tenant.RequestLog.Clear();
            Assert.Equal(7, (await consent.ListAsync(app.ClientId)).Count);
            Assert.Equal((5, 0), (_tenant.RequestLog.RoundTrips, _tenant.RequestLog.SuccessfulWrites));

            _tenant.RequestLog.Clear();
            await consent.ListAsync(null);
            var resourcesWithRoles = _tenant.RequestLog.Entries.Count(e => e.Path.EndsWith("/appRoleAssignedTo", StringComparison.Ordinal));
            Assert.Equal(1, resourcesWithRoles); // Microsoft Graph: the only API of a new tenant that defines application permissions
            Assert.Equal((4, 0), (_tenant.RequestLog.RoundTrips, _tenant.RequestLog.SuccessfulWrites));
        }

        [Fact]
        public async Task Revoking_one_delegated_scope_patches_the_grant_without_it()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            string grantId = (await consent.ListAsync(app.ClientId)).First(r => r.Kind == "Delegated").GrantId;

            var plan = await consent.PlanRevokeAsync(app.ClientId, new[] { "mail.read" });
            Assert.Equal(new[] { $"Remove delegated permission Mail.Read (all users) from grant {grantId} of 'Contoso Reports' to Microsoft Graph" },
                plan.Changes.Select(c => c.Description));
            _tenant.RequestLog.Clear();
            var revoked = await consent.ApplyRevokeAsync(plan);
            Assert.Equal("Mail.Read", Assert.Single(revoked).Permission);
            var write = Assert.Single(_tenant.RequestLog.Entries, e => e.IsWrite);
            Assert.Equal(("PATCH", $"/oauth2PermissionGrants/{grantId}"), (write.Method, write.Path)); // oauth2permissiongrant-update
            Assert.Equal("User.Read Files.Read", (string?)(await SendAsync(HttpMethod.Get, $"/oauth2PermissionGrants/{grantId}"))["scope"]);
        }

        [Fact]
        public async Task Revoking_the_last_scopes_deletes_the_grant()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            string grantId = (await consent.ListAsync(app.ClientId)).First(r => r.Kind == "Delegated").GrantId;

            var plan = await consent.PlanRevokeAsync(app.ClientId, new[] { "User.Read", "Mail.Read", "Files.Read" }, kind: "Delegated");
            Assert.Equal(3, plan.Changes.Count);
            Assert.All(plan.Changes, c => Assert.EndsWith("; the grant, left empty, is deleted", c.Description));
            _tenant.RequestLog.Clear();
            await consent.ApplyRevokeAsync(plan);
            var write = Assert.Single(_tenant.RequestLog.Entries, e => e.IsWrite);
            Assert.Equal(("DELETE", $"/oauth2PermissionGrants/{grantId}"), (write.Method, write.Path)); // oauth2permissiongrant-delete
            Assert.DoesNotContain(await consent.ListAsync(app.ClientId), r => r.Kind == "Delegated");
        }

        [Fact]
        public async Task Revoking_an_application_permission_deletes_its_app_role_assignment()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            var row = (await consent.ListAsync(app.ClientId)).Single(r => r.Permission == "Directory.Read.All");

            var plan = await consent.PlanRevokeAsync(app.ClientId, new[] { "Directory.Read.All" }, resource: MicrosoftGraph.AppId);
            Assert.Equal(new[] { $"Delete app role assignment Directory.Read.All of Microsoft Graph from 'Contoso Reports' (assignment {row.GrantId})" },
                plan.Changes.Select(c => c.Description));
            _tenant.RequestLog.Clear();
            await consent.ApplyRevokeAsync(plan);
            var write = Assert.Single(_tenant.RequestLog.Entries, e => e.IsWrite);
            Assert.Equal("DELETE", write.Method);
            Assert.EndsWith($"/appRoleAssignedTo/{row.GrantId}", write.Path); // serviceprincipal-delete-approleassignedto
            Assert.Equal(new[] { "User.Read.All" }, (await consent.ListAsync(app.ClientId)).Where(r => r.Kind == "Application").Select(r => r.Permission));
        }

        [Fact]
        public async Task A_rerun_has_nothing_to_revoke_and_writes_nothing()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            await consent.ApplyRevokeAsync(await consent.PlanRevokeAsync(app.ClientId, new[] { "Mail.Read", "User.Read.All" }));

            _tenant.RequestLog.Clear();
            var again = await consent.PlanRevokeAsync(app.ClientId, new[] { "Mail.Read", "User.Read.All" });
            Assert.Empty(again.Changes);
            Assert.Equal("'Contoso Reports' holds no Mail.Read, User.Read.All of Microsoft Graph: nothing to revoke.", again.Unchanged);
            Assert.Empty(await consent.ApplyRevokeAsync(again));
            // The app's SP, grants, assignments and Microsoft Graph (to tell a revoked name from a typo): no write.
            Assert.Equal((5, 0), (_tenant.RequestLog.RoundTrips, _tenant.RequestLog.SuccessfulWrites));
        }

        [Fact]
        public async Task A_users_grant_is_revoked_alone_when_named_and_with_the_admins_otherwise()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            var (userId, upn) = await UserGrantAsync(app.ClientId, "Mail.Read Mail.Send");

            var mine = await consent.PlanRevokeAsync(app.ClientId, new[] { "Mail.Read" }, principalId: Guid.Parse(userId));
            Assert.StartsWith($"Remove delegated permission Mail.Read (user {upn}) from grant ", Assert.Single(mine.Changes).Description);
            var both = await consent.PlanRevokeAsync(app.ClientId, new[] { "Mail.Read" });
            Assert.Equal(2, both.Changes.Count);
            await consent.ApplyRevokeAsync(await consent.PlanRevokeAsync(app.ClientId, new[] { "Mail.Read", "Mail.Send" }, consentType: "Principal"));
            var rows = await consent.ListAsync(app.ClientId);
            Assert.DoesNotContain(rows, r => r.ConsentType == "Principal");
            Assert.Contains(rows, r => r.Permission == "Mail.Read" && r.ConsentType == "AllPrincipals");
        }

        [Fact]
        public async Task A_name_held_as_both_kinds_needs_Kind_and_an_undefined_name_is_UnknownPermission()
        {
            var o = new General { GrantAdminConsent = true };
            o.DelegatedPermissions.Add("User.Read.All");
            o.ApplicationPermissions.Add("User.Read.All");
            var app = await _engine.RunAsync(o.For("Both Kinds"));
            var consent = await ConsentAsync();

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => consent.PlanRevokeAsync(app.ClientId, new[] { "User.Read.All" }));
            Assert.Equal(ErrorIds.AmbiguousPermission, e.ErrorId);
            Assert.StartsWith("Delete app role assignment User.Read.All", Assert.Single((await consent.PlanRevokeAsync(app.ClientId, new[] { "User.Read.All" }, kind: "Application")).Changes).Description);

            var typo = await Assert.ThrowsAsync<EntraAppKitException>(() => consent.PlanRevokeAsync(app.ClientId, new[] { "Mail.Raed" }));
            Assert.Equal(ErrorIds.UnknownPermission, typo.ErrorId);
            Assert.Contains("Mail.Read", typo.Message);
        }

        [Fact]
        public async Task Grant_AdminConsent_grants_again_what_was_revoked_through_the_same_reconciler()
        {
            var app = await ConsentedAppAsync();
            var consent = await ConsentAsync();
            await consent.ApplyRevokeAsync(await consent.PlanRevokeAsync(app.ClientId, new[] { "User.Read", "Mail.Read", "Files.Read", "Directory.Read.All" }, kind: null));

            var plan = await _grant.PlanAsync(app.ClientId);
            Assert.Equal(4, plan.Changes.Count);
            var rows = await _grant.ApplyAsync(plan);
            Assert.Equal(4, rows.Count(r => r.Status == "Granted"));
            Assert.Equal(5, (await consent.ListAsync(app.ClientId)).Count);
        }
    }
}
