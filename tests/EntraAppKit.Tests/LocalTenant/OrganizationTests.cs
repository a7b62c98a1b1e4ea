using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>Tenant facts through both front doors: GET /organization and GET /domains (learn.microsoft.com/graph/api/organization-list).</summary>
    public abstract class OrganizationTests : DoorTests
    {
        protected OrganizationTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : OrganizationTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : OrganizationTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        [Fact]
        public async Task Organization_gives_the_tenant_id_and_verified_domains()
        {
            // learn.microsoft.com/graph/api/organization-list
            var list = Ok(await Door.GetAsync("/organization"));
            Assert.Equal(Root + "/$metadata#organization", (string?)list["@odata.context"]);
            var org = Assert.Single(Items(list));
            Assert.Equal(Tenant.TenantId, GuidOf(org["id"]));
            Assert.Equal(Tenant.DisplayName, (string?)org["displayName"]);

            var domains = org["verifiedDomains"]!.AsArray().Select(d => d!.AsObject()).ToList();
            Assert.All(domains, d => Assert.Equal(new[] { "capabilities", "isDefault", "isInitial", "name", "type" }, d.Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal)));
            Assert.Equal(Tenant.VerifiedDomains.OrderBy(d => d), domains.Select(d => (string)d["name"]!).OrderBy(d => d));
            var initial = Assert.Single(domains, d => (bool)d["isInitial"]!);
            Assert.Equal(Tenant.InitialDomain, (string?)initial["name"]);
            Assert.EndsWith(".onmicrosoft.com", (string)initial["name"]!);
            // A new tenant's initial domain is its default until an admin picks another.
            Assert.Equal(Tenant.InitialDomain, (string?)Assert.Single(domains, d => (bool)d["isDefault"]!)["name"]);
            Assert.Contains(domains, d => (string?)d["name"] == FrontDoor.CustomDomain && !(bool)d["isInitial"]!);
        }

        [Fact]
        public async Task Organization_select_returns_only_the_User_Read_properties()
        {
            // learn.microsoft.com/graph/api/organization-list: User.Read can read only id, displayName and verifiedDomains
            var list = Ok(await Door.GetAsync("/organization?$select=id,displayName,verifiedDomains"));
            Assert.Equal(Root + "/$metadata#organization(id,displayName,verifiedDomains)", (string?)list["@odata.context"]);
            Assert.Equal(new[] { "id", "displayName", "verifiedDomains" }, Assert.Single(Items(list)).Select(kv => kv.Key));
        }

        [Fact]
        public async Task Organization_by_id_and_errors()
        {
            var org = Ok(await Door.GetAsync($"/organization/{Tenant.TenantId}"));
            Assert.Equal(Root + "/$metadata#organization/$entity", (string?)org["@odata.context"]);
            Assert.Equal(Tenant.TenantId, (string?)org["id"]);
            string other = Guid.NewGuid().ToString();
            Error(await Door.GetAsync($"/organization/{other}"), 404, "Request_ResourceNotFound",
                $"Resource '{other}' does not exist or one of its queried reference-property objects are not present.");
            Error(await Door.PostAsync("/organization", new { displayName = "x" }), 405, "Request_BadRequest", "The HTTP method is not supported for this resource.");
        }

        [Fact]
        public async Task Domains_lists_every_verified_domain()
        {
            // learn.microsoft.com/graph/api/organization-list
            var list = Ok(await Door.GetAsync("/domains"));
            Assert.Equal(Root + "/$metadata#domains", (string?)list["@odata.context"]);
            var domains = Items(list);
            Assert.Equal(Tenant.VerifiedDomains.OrderBy(d => d), domains.Select(d => (string)d["id"]!).OrderBy(d => d));
            Assert.All(domains, d => Assert.True((bool)d["isVerified"]!));
            Assert.Equal(Tenant.InitialDomain, (string?)Assert.Single(domains, d => (bool)d["isInitial"]!)["id"]);
            Assert.Single(domains, d => (bool)d["isDefault"]!);

            var one = Ok(await Door.GetAsync($"/domains/{FrontDoor.CustomDomain}"));
            Assert.Equal(Root + "/$metadata#domains/$entity", (string?)one["@odata.context"]);
            Assert.Equal(FrontDoor.CustomDomain, (string?)one["id"]);
            Assert.False((bool)one["isInitial"]!);
            Error(await Door.GetAsync("/domains/unknown.example.com"), 404, "Request_ResourceNotFound");
        }

        [Fact]
        public async Task A_domain_added_later_shows_up_in_organization_and_domains()
        {
            // learn.microsoft.com/graph/api/organization-list
            string domain = Unique("later") + ".example.org";
            Tenant.AddVerifiedDomain(domain);
            var org = Assert.Single(Items(Ok(await Door.GetAsync("/organization"))));
            Assert.Contains(org["verifiedDomains"]!.AsArray(), d => (string?)d!["name"] == domain && !(bool)d["isInitial"]!);
            Assert.Contains(Items(Ok(await Door.GetAsync("/domains"))), d => (string?)d["id"] == domain);
        }
    }
}
