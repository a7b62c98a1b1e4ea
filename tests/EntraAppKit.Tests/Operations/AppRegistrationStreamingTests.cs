using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.LocalTenant;
using EntraAppKit.Model.Operations;
using Xunit;

namespace EntraAppKit.Tests.Operations
{
    /// <summary>
    /// Issue 14 §1: Get-EntraAppRegistration over the whole tenant hands on each page of applications before it reads the next
    /// (learn.microsoft.com/graph/paging: @odata.nextLink), with the same round trips as before: one page's listing reads its
    /// apps' service principals after it (filtered by appId), several pages read the tenant's own apps' service principals
    /// first (appOwnerOrganizationId eq the tenant, learn.microsoft.com/graph/api/serviceprincipal-list).
    /// </summary>
    public sealed class AppRegistrationStreamingTests : IDisposable
    {
        private readonly LocalTenantEngine _tenant = LocalTenantEngine.Create(new LocalTenantOptions { Name = "contoso" });
        private readonly GraphSession _session;
        private readonly HttpClient _http;

        public AppRegistrationStreamingTests()
        {
            _session = GraphSession.Create(LocalTenantAdapter.For(_tenant));
            _http = new HttpClient(_tenant.CreateHandler()) { BaseAddress = new Uri("https://graph.microsoft.com/v1.0/") };
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _tenant.IssueAdminToken());
        }

        public void Dispose() { _session.Dispose(); _http.Dispose(); }

        private async Task<string> PostAsync(string path, JsonObject body)
        {
            var answer = await _http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            string text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, text);
            return text;
        }

        private async Task<List<string>> AppsAsync(int count)
        {
            var appIds = new List<string>();
            for (int i = 1; i <= count; i++)
            {
                string appId = (string)JsonNode.Parse(await PostAsync("applications", new JsonObject { ["displayName"] = $"App {i}" }))!["appId"]!;
                if (i % 2 == 1) await PostAsync("servicePrincipals", new JsonObject { ["appId"] = appId });
                appIds.Add(appId);
            }
            return appIds;
        }

        [Fact]
        public async Task Several_pages_are_handed_on_one_at_a_time_after_one_read_of_the_service_principals()
        {
            var appIds = await AppsAsync(5);
            _tenant.RequestLog.Clear();
            var seen = new List<(int RoundTrips, IReadOnlyList<EntraAppRegistration> Rows)>();
            var operations = new AppRegistrationOperations(_session) { PageSize = 2 };
            await operations.FindAsync(null, null, null, null, rows => { seen.Add((_tenant.RequestLog.RoundTrips, rows)); return Task.CompletedTask; });

            // GET /organization, GET /servicePrincipals?$filter=appOwnerOrganizationId eq …, then the 3 pages of applications.
            Assert.Equal(1 + 1 + 3, _tenant.RequestLog.RoundTrips);
            Assert.Equal(new[] { 3, 4, 5 }, seen.Select(s => s.RoundTrips));
            Assert.Equal(new[] { 2, 2, 1 }, seen.Select(s => s.Rows.Count));
            var all = seen.SelectMany(s => s.Rows).ToList();
            Assert.Equal(appIds.OrderBy(a => a), all.Select(r => r.ClientId).OrderBy(a => a));
            Assert.Equal(3, all.Count(r => r.ServicePrincipalId != null));
            Assert.All(all.Where(r => r.DisplayName is "App 1" or "App 3" or "App 5"), r => Assert.NotNull(r.ServicePrincipalId));

            // A wildcard matched on each page, and FindAsync's list the same rows.
            Assert.Equal(5, (await operations.FindAsync()).Count);
            Assert.Equal(new[] { "App 2" }, (await operations.FindAsync(displayName: "*2")).Select(r => r.DisplayName));
        }

        [Fact]
        public async Task One_page_reads_as_before_in_3_round_trips()
        {
            await AppsAsync(3);
            _tenant.RequestLog.Clear();
            var rows = await new AppRegistrationOperations(_session).FindAsync();
            Assert.Equal(3, _tenant.RequestLog.RoundTrips); // organization, the page, its apps' service principals by appId
            Assert.Equal(3, rows.Count);
            Assert.Equal(2, rows.Count(r => r.ServicePrincipalId != null));
        }
    }
}
