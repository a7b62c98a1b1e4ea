using System;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Injected faults through both front doors: replication lag on new applications and service principals (driven by a
    /// manual clock, no real waits), lagged grant writes, 429 with Retry-After, 5xx, added latency and per-item 429 inside a
    /// $batch (learn.microsoft.com/graph/errors, /graph/throttling, /graph/json-batching).
    /// </summary>
    public abstract class FaultInjectionTests : DoorTests
    {
        protected FaultInjectionTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : FaultInjectionTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : FaultInjectionTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private static readonly TimeSpan Lag = TimeSpan.FromMinutes(2);

        private static string NotFound(string id) => $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.";

        [Fact]
        public async Task A_new_application_is_invisible_until_replication_catches_up()
        {
            // learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: eventual consistency right after creation
            Tenant.Faults.ReplicationLag = Lag;
            var app = await CreateAppAsync(); // the create itself answers 201 with the object
            string id = (string)app["id"]!, appId = (string)app["appId"]!;

            Error(await Door.GetAsync($"/applications/{id}"), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.GetAsync($"/applications(appId='{appId}')"), 404, "Request_ResourceNotFound", NotFound(appId));
            Error(await Door.PatchAsync($"/applications/{id}", new { description = "too soon" }), 404, "Request_ResourceNotFound", NotFound(id));
            Error(await Door.PostAsync($"/applications/{id}/addPassword", new { passwordCredential = new { displayName = "s" } }), 404, "Request_ResourceNotFound", NotFound(id));
            Assert.Empty(Items(Ok(await Door.GetAsync($"/applications?$filter=appId eq '{appId}'"))));

            string message = $"The appId '{appId}' of the service principal does not reference a valid application object.";
            var error = Error(await Door.PostAsync("/servicePrincipals", new { appId }), 400, "Request_BadRequest", message);
            var detail = Assert.Single(error["details"]!.AsArray())!;
            Assert.Equal("NoBackingApplicationObject", (string?)detail["code"]);
            Assert.Equal("appId", (string?)detail["target"]);

            Door.Clock.Advance(Lag + TimeSpan.FromSeconds(1));
            Ok(await Door.GetAsync($"/applications/{id}"));
            NoContent(await Door.PatchAsync($"/applications/{id}", new { description = "replicated" }));
            Ok(await Door.PostAsync($"/applications/{id}/addPassword", new { passwordCredential = new { displayName = "s" } }));
            await CreateSpAsync(appId);
        }

        [Fact]
        public async Task A_new_service_principal_is_invisible_to_appRoleAssignedTo_until_replicated()
        {
            // learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: "appRoleAssignedTo with a new principalId/resourceId gives 404 Request_ResourceNotFound"
            var app = await CreateAppAsync();
            string graphSp = await GraphSpIdAsync();
            Tenant.Faults.ReplicationLag = Lag;
            var sp = await CreateSpAsync((string)app["appId"]!);
            string spId = (string)sp["id"]!;
            var body = new { principalId = spId, resourceId = graphSp, appRoleId = "7ab1d382-f21e-4acd-a863-ba3e13f7da61" };

            Error(await Door.GetAsync($"/servicePrincipals/{spId}"), 404, "Request_ResourceNotFound", NotFound(spId));
            Error(await Door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo", body), 404, "Request_ResourceNotFound", NotFound(spId));
            Door.Clock.Advance(Lag + TimeSpan.FromSeconds(1));
            Ok(await Door.PostAsync($"/servicePrincipals/{graphSp}/appRoleAssignedTo", body), 201);
        }

        [Fact]
        public async Task A_grant_right_after_the_service_principal_is_404_Directory_ObjectNotFound_but_applies()
        {
            // learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: "oauth2PermissionGrants right after SP creation can give 404 Directory_ObjectNotFound … The write may have applied anyway"
            Assert.True(Tenant.LaggedGrantWritesApply); // the default
            var app = await CreateAppAsync();
            string graphSp = await GraphSpIdAsync();
            Tenant.Faults.ReplicationLag = Lag;
            string spId = (string)(await CreateSpAsync((string)app["appId"]!))["id"]!;

            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }),
                404, "Directory_ObjectNotFound", "Unable to read the company information from the directory.");
            var grant = Assert.Single(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{spId}'"))));
            Assert.Equal("User.Read", (string?)grant["scope"]);

            // Re-POSTing without checking first hits the duplicate rule (learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: "check with GET before re-POSTing").
            Door.Clock.Advance(Lag + TimeSpan.FromSeconds(1));
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }),
                400, "Request_BadRequest", "Permission entry already exists.");
        }

        [Fact]
        public async Task A_lagged_grant_write_can_also_be_lost()
        {
            // learn.microsoft.com/graph/errors; github.com/Azure/azure-cli/issues/21674: the write *may* have applied; LaggedGrantWritesApply=false models the other case
            Tenant.LaggedGrantWritesApply = false;
            var app = await CreateAppAsync();
            string graphSp = await GraphSpIdAsync();
            Tenant.Faults.ReplicationLag = Lag;
            string spId = (string)(await CreateSpAsync((string)app["appId"]!))["id"]!;
            Error(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }),
                404, "Directory_ObjectNotFound", "Unable to read the company information from the directory.");
            Assert.Empty(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{spId}'"))));
            Door.Clock.Advance(Lag + TimeSpan.FromSeconds(1));
            Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = spId, consentType = "AllPrincipals", resourceId = graphSp, scope = "User.Read" }), 201);
        }

        [Fact]
        public async Task Throttle_answers_429_TooManyRequests_with_a_fractional_Retry_After()
        {
            // learn.microsoft.com/graph/throttling: 429 with Retry-After in seconds, can be fractional; body code TooManyRequests
            Tenant.Faults.Throttle(1, TimeSpan.FromSeconds(1.5));
            var throttled = await Door.GetAsync("/organization");
            Error(throttled, 429, "TooManyRequests", "Too many requests.");
            Assert.Equal("1.5", throttled.Header("Retry-After"));
            Assert.Equal(0, Tenant.Faults.PendingRules);
            Ok(await Door.GetAsync("/organization"));
        }

        [Fact]
        public async Task Throttle_can_target_a_method_and_path()
        {
            // learn.microsoft.com/graph/throttling: write quotas throttle writes
            Tenant.Faults.Throttle(2, TimeSpan.FromSeconds(2), "POST", "/applications");
            Ok(await Door.GetAsync("/applications?$top=1"));
            var first = await Door.PostAsync("/applications", new { displayName = Unique("t") });
            Error(first, 429, "TooManyRequests");
            Assert.Equal("2", first.Header("Retry-After"));
            Error(await Door.PostAsync("/applications", new { displayName = Unique("t") }), 429, "TooManyRequests");
            Ok(await Door.PostAsync("/applications", new { displayName = Unique("t") }), 201);
        }

        [Fact]
        public async Task Fail_answers_503_by_default_and_other_5xx_on_request()
        {
            // learn.microsoft.com/graph/throttling: "503/504 may also carry Retry-After"
            Tenant.Faults.Fail(1);
            var unavailable = await Door.GetAsync("/organization");
            Error(unavailable, 503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.");
            Assert.Null(unavailable.Header("Retry-After"));

            Tenant.Faults.Fail(1, 504, TimeSpan.FromSeconds(3));
            var timeout = await Door.GetAsync("/organization");
            Error(timeout, 504, "generalException", "An unexpected error occurred.");
            Assert.Equal("3", timeout.Header("Retry-After"));
            Ok(await Door.GetAsync("/organization"));
            Assert.Throws<ArgumentOutOfRangeException>(() => Tenant.Faults.Fail(1, 404));
            Assert.Throws<ArgumentOutOfRangeException>(() => Tenant.Faults.Throttle(0, TimeSpan.FromSeconds(1)));
        }

        [Fact]
        public async Task Latency_delays_every_answer()
        {
            Tenant.Faults.Latency = TimeSpan.FromMilliseconds(150);
            var watch = Stopwatch.StartNew();
            Ok(await Door.GetAsync("/organization"));
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(140), $"answered after {watch.Elapsed.TotalMilliseconds} ms");
            Tenant.Faults.Clear();
            Assert.Equal(TimeSpan.Zero, Tenant.Faults.Latency);
            Assert.Equal(TimeSpan.Zero, Tenant.Faults.ReplicationLag);
        }

        [Fact]
        public async Task Each_request_inside_a_batch_is_throttled_separately()
        {
            // learn.microsoft.com/graph/throttling: "Each request inside is throttled separately (per-item 429 with retry-after)"
            Tenant.Faults.Throttle(1, TimeSpan.FromSeconds(2.5), "GET", "/organization");
            var batch = new JsonObject
            {
                ["requests"] = new JsonArray(
                    new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = "/organization" },
                    new JsonObject { ["id"] = "2", ["method"] = "GET", ["url"] = "/domains" }),
            };
            var responses = Ok(await Door.PostAsync("/$batch", batch))["responses"]!.AsArray().ToDictionary(r => (string)r!["id"]!, r => r!.AsObject());
            Assert.Equal(429, (int)responses["1"]["status"]!);
            Assert.Equal("2.5", (string?)responses["1"]["headers"]!["Retry-After"]);
            Assert.Equal("TooManyRequests", (string?)responses["1"]["body"]!["error"]!["code"]);
            Assert.Equal(200, (int)responses["2"]["status"]!);
        }
    }
}
