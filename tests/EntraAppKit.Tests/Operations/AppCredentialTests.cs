using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.Core.Tenants;
using EntraAppKit.LocalTenant;
using EntraAppKit.Model.Operations;
using EntraAppKit.Tests.LocalTenantTests;
using Xunit;

namespace EntraAppKit.Tests.Operations
{
    /// <summary>
    /// Issue 14 §1, Get-EntraAppCredential through the core API against the in-process local tenant, on a <see cref="ManualClock"/>
    /// shared by the tenant and the operation. Graph's shapes followed: learn.microsoft.com/graph/api/resources/passwordcredential,
    /// resources/keycredential (customKeyIdentifier: the certificate's SHA-1 hash when a client uploads one), application-addpassword
    /// and serviceprincipal-addpassword (endDateTime), application-list and serviceprincipal-list ($top up to 999, $select,
    /// @odata.nextLink: learn.microsoft.com/graph/paging). Round trips are counted by the tenant's request log.
    /// </summary>
    public sealed class AppCredentialTests : IDisposable
    {
        private readonly ManualClock _clock = new ManualClock();
        private readonly LocalTenantEngine _tenant;
        private readonly GraphSession _session;
        private readonly HttpClient _http;

        public AppCredentialTests()
        {
            _tenant = LocalTenantEngine.Create(new LocalTenantOptions { Name = "contoso", Clock = _clock.Now });
            _session = GraphSession.Create(LocalTenantAdapter.For(_tenant));
            _http = new HttpClient(_tenant.CreateHandler()) { BaseAddress = new Uri("https://graph.microsoft.com/v1.0/") };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tenant.IssueAdminToken());
        }

        public void Dispose() { _session.Dispose(); _http.Dispose(); }

        private TenantFacts Facts => new TenantFacts(_tenant.TenantId, "Contoso", "contoso.onmicrosoft.com", new List<string>());

        private AppCredentialOperation Credentials(int pageSize = 999) => new AppCredentialOperation(_session, Facts, _clock.Now) { PageSize = pageSize };

        private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body != null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            var answer = await _http.SendAsync(request);
            string text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, $"{method} {path}: {(int)answer.StatusCode} {text}");
            return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
        }

        /// <summary>POST /applications and POST /servicePrincipals for it (application-post-applications, serviceprincipal-post-serviceprincipals).</summary>
        private async Task<(string Id, string AppId, string SpId)> AppAsync(string name, bool withServicePrincipal = true)
        {
            var app = await SendAsync(HttpMethod.Post, "applications", new JsonObject { ["displayName"] = name });
            string appId = (string)app["appId"]!;
            string spId = withServicePrincipal ? (string)(await SendAsync(HttpMethod.Post, "servicePrincipals", new JsonObject { ["appId"] = appId }))["id"]! : "";
            return ((string)app["id"]!, appId, spId);
        }

        private Task<JsonObject> AddPasswordAsync(string collection, string id, string name, TimeSpan lifetime) =>
            SendAsync(HttpMethod.Post, $"{collection}/{id}/addPassword", new JsonObject
            {
                ["passwordCredential"] = new JsonObject { ["displayName"] = name, ["endDateTime"] = _clock.Now().Add(lifetime).ToString("o") },
            });

        [Fact]
        public async Task One_app_shows_its_application_and_service_principal_secrets_and_certificates_in_2_round_trips()
        {
            var (id, appId, spId) = await AppAsync("Contoso Payroll");
            var appSecret = await AddPasswordAsync("applications", id, "Payroll 2026", TimeSpan.FromDays(180));
            var spSecret = await AddPasswordAsync("servicePrincipals", spId, "SP secret", TimeSpan.FromDays(10));
            using var certificate = IdentityKit.NewCertificate("CN=payroll.contoso.com", DateTimeOffset.UtcNow.AddDays(400));
            await SendAsync(HttpMethod.Patch, $"applications/{id}", new JsonObject { ["keyCredentials"] = new JsonArray(IdentityKit.PublicKey(certificate)) });
            var other = await AppAsync("Someone else's");
            await AddPasswordAsync("applications", other.Id, "not this one", TimeSpan.FromDays(5));
            _tenant.RequestLog.Clear();

            var rows = await Credentials().ReadAllAsync(appId);

            Assert.Equal(2, _tenant.RequestLog.RoundTrips); // GET /applications(appId='…')?$select=…, GET /servicePrincipals?$filter=appId eq '…'&$select=…
            Assert.All(_tenant.RequestLog.Entries, e => Assert.Contains("$select=", Uri.UnescapeDataString(e.Path)));
            Assert.Equal(3, rows.Count);
            Assert.All(rows, r => Assert.Equal(("Contoso Payroll", appId, _tenant.TenantId), (r.AppName, r.ClientId, r.TenantId)));

            var secret = rows.Single(r => r.ObjectType == "Application" && r.Kind == "Secret");
            Assert.Equal(id, secret.ObjectId);
            Assert.Equal(Guid.Parse((string)appSecret["keyId"]!), secret.KeyId);
            Assert.Equal("Payroll 2026", secret.DisplayName);
            Assert.Equal(((string)appSecret["secretText"]!).Substring(0, 3), secret.Hint);
            Assert.Equal((179, "Valid"), (secret.DaysLeft, secret.Status));
            Assert.Null(secret.Thumbprint);

            var sp = rows.Single(r => r.ObjectType == "ServicePrincipal");
            Assert.Equal((spId, "Secret", "SP secret"), (sp.ObjectId, sp.Kind, sp.DisplayName));
            Assert.Equal(Guid.Parse((string)spSecret["keyId"]!), sp.KeyId);
            Assert.Equal((9, "ExpiringSoon"), (sp.DaysLeft, sp.Status));

            var cert = rows.Single(r => r.Kind == "Certificate");
            Assert.Equal(("Application", certificate.Thumbprint, "CN=payroll.contoso.com"), (cert.ObjectType, cert.Thumbprint, cert.Subject));
            Assert.Null(cert.Hint);
            Assert.Equal("Valid", cert.Status);
        }

        [Fact]
        public async Task An_unknown_client_id_is_ApplicationNotFound()
        {
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => Credentials().ReadAllAsync(Guid.NewGuid().ToString()));
            Assert.Equal(ErrorIds.ApplicationNotFound, e.ErrorId);
        }

        [Fact]
        public async Task Statuses_days_left_and_filters_follow_the_clock()
        {
            var (id, appId, spId) = await AppAsync("Contoso Reports");
            await AddPasswordAsync("applications", id, "soon", TimeSpan.FromDays(30) - TimeSpan.FromHours(1));
            await AddPasswordAsync("applications", id, "later", TimeSpan.FromDays(31));
            await AddPasswordAsync("servicePrincipals", spId, "long", TimeSpan.FromDays(365));

            var rows = await Credentials().ReadAllAsync(appId);
            Assert.Equal(new[] { ("soon", 29, "ExpiringSoon"), ("later", 30, "Valid"), ("long", 364, "Valid") },
                rows.Select(r => (r.DisplayName!, r.DaysLeft!.Value, r.Status)).ToArray());

            // -ExpiringWithinDays: not yet expired and ending within the window, which is also the ExpiringSoon window.
            Assert.Equal(new[] { "soon" }, (await Credentials().ReadAllAsync(appId, expiringWithinDays: 30)).Select(r => r.DisplayName));
            var within60 = await Credentials().ReadAllAsync(appId, expiringWithinDays: 60);
            Assert.Equal(new[] { ("soon", "ExpiringSoon"), ("later", "ExpiringSoon") }, within60.Select(r => (r.DisplayName!, r.Status)));
            Assert.Empty(await Credentials().ReadAllAsync(appId, expired: true));

            _clock.Advance(TimeSpan.FromDays(30.5));
            rows = await Credentials().ReadAllAsync(appId);
            Assert.Equal(new[] { ("soon", -1, "Expired"), ("later", 0, "ExpiringSoon"), ("long", 334, "Valid") },
                rows.Select(r => (r.DisplayName!, r.DaysLeft!.Value, r.Status)).ToArray());
            Assert.Equal(new[] { "soon" }, (await Credentials().ReadAllAsync(appId, expired: true)).Select(r => r.DisplayName));
            Assert.Equal(new[] { "later" }, (await Credentials().ReadAllAsync(appId, expiringWithinDays: 30)).Select(r => r.DisplayName));
            Assert.Equal(new[] { "soon", "later" }, (await Credentials().ReadAllAsync(appId, expiringWithinDays: 30, expired: true)).Select(r => r.DisplayName));
        }

        [Fact]
        public void Boundaries_are_exact()
        {
            var now = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
            Assert.Equal("Expired", AppCredentialOperation.StatusOf(now, now, 30));
            Assert.Equal(-1, AppCredentialOperation.DaysLeft(now.AddMinutes(-1), now));
            Assert.Equal(0, AppCredentialOperation.DaysLeft(now.AddMinutes(1), now));
            Assert.Equal("ExpiringSoon", AppCredentialOperation.StatusOf(now.AddMinutes(1), now, 30));
            Assert.Equal("ExpiringSoon", AppCredentialOperation.StatusOf(now.AddDays(30), now, 30));
            Assert.Equal(30, AppCredentialOperation.DaysLeft(now.AddDays(30), now));
            Assert.Equal("Valid", AppCredentialOperation.StatusOf(now.AddDays(30).AddSeconds(1), now, 30));
            Assert.Equal("Expired", AppCredentialOperation.StatusOf(now, now, 0));
            Assert.Equal("Valid", AppCredentialOperation.StatusOf(now.AddSeconds(1), now, 0));
            Assert.Equal("Valid", AppCredentialOperation.StatusOf(null, now, 30));
        }

        [Fact]
        public async Task The_tenant_is_read_a_page_at_a_time_and_each_page_is_handed_on_before_the_next_is_read()
        {
            for (int i = 1; i <= 5; i++)
            {
                var (id, _, spId) = await AppAsync($"App {i}", withServicePrincipal: i % 2 == 1);
                await AddPasswordAsync("applications", id, $"app {i}", TimeSpan.FromDays(10 * i));
                if (spId.Length > 0) await AddPasswordAsync("servicePrincipals", spId, $"sp {i}", TimeSpan.FromDays(10 * i));
            }
            int apps = ((JsonArray)(await SendAsync(HttpMethod.Get, "applications?$top=999&$select=id"))["value"]!).Count;
            int sps = ((JsonArray)(await SendAsync(HttpMethod.Get, "servicePrincipals?$top=999&$select=id"))["value"]!).Count;
            Assert.True(apps >= 5 && sps >= 3);

            // Graph's page size: one page of each while the tenant has fewer than 1000 of each.
            _tenant.RequestLog.Clear();
            var all = await Credentials().ReadAllAsync(null);
            Assert.Equal(2, _tenant.RequestLog.RoundTrips);
            var paths = _tenant.RequestLog.Entries.Select(e => Uri.UnescapeDataString(e.Path)).ToList();
            Assert.StartsWith("/applications?", paths[0]);
            Assert.StartsWith("/servicePrincipals?", paths[1]);
            Assert.All(paths, p => Assert.Contains("$top=999", p));
            Assert.All(paths, p => Assert.Contains("$select=id,appId,displayName,passwordCredentials,keyCredentials", p));
            Assert.Equal(8, all.Count);
            Assert.Equal(5, all.Count(r => r.ObjectType == "Application"));
            Assert.Equal(3, all.Count(r => r.ObjectType == "ServicePrincipal"));

            // Two objects a page: ⌈apps/2⌉ + ⌈SPs/2⌉ round trips, and each page's rows are handed on before the next request.
            _tenant.RequestLog.Clear();
            var seen = new List<(int RoundTrips, int Rows)>();
            await Credentials(pageSize: 2).ListAsync(null, null, false, rows =>
            {
                seen.Add((_tenant.RequestLog.RoundTrips, rows.Count));
                return Task.CompletedTask;
            });
            Assert.Equal((apps + 1) / 2 + (sps + 1) / 2, _tenant.RequestLog.RoundTrips);
            Assert.Equal(8, seen.Sum(s => s.Rows));
            Assert.True(seen.Count >= 4, $"rows came in {seen.Count} batches");
            Assert.Equal(seen.Select(s => s.RoundTrips).Distinct().Count(), seen.Count); // one batch per page read, never two pages at once
            Assert.All(seen, s => Assert.True(s.Rows <= 2)); // a page's rows: two objects, one secret each
            Assert.Contains(_tenant.RequestLog.Entries, e => e.Path.Contains("skiptoken", StringComparison.OrdinalIgnoreCase));
        }
    }
}
