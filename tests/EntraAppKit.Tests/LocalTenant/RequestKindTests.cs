using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using EntraAppKit.LocalTenant.Diagnostics;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 11, point 6: token and discovery requests are in the request log, marked as identity requests, while the Graph
    /// views of the log (Entries, RoundTrips, SuccessfulWrites) still count Graph requests alone, as RoundTripTests need.
    /// Endpoints as in learn.microsoft.com/entra/identity-platform/v2-protocols-oidc and v2-oauth2-client-creds-grant-flow.
    /// </summary>
    public abstract class RequestKindTests : DoorTests
    {
        protected RequestKindTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : RequestKindTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : RequestKindTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        private string Origin => new Uri(Root).GetLeftPart(UriPartial.Authority);

        [Fact]
        public async Task Identity_requests_are_logged_as_such_and_Graph_counts_leave_them_out()
        {
            Tenant.RequestLog.Clear();
            string tid = Tenant.TenantId;
            var discovery = await Door.GetAsync($"{Origin}/{tid}/v2.0/.well-known/openid-configuration");
            Assert.Equal(200, discovery.Status);
            // A refused token request is logged too, with its status; the body is form data, as the endpoint expects.
            var token = await Door.SendAsync("POST", $"{Origin}/{tid}/oauth2/v2.0/token",
                "grant_type=client_credentials&client_id=" + Guid.NewGuid() + "&client_secret=x&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
                ("Content-Type", "application/x-www-form-urlencoded"));
            Assert.Equal(400, token.Status);
            Ok(await Door.PostAsync("/applications", new { displayName = Unique("kind") }), 201);

            var all = Tenant.RequestLog.AllEntries;
            Assert.Equal(new[] { RequestKind.Identity, RequestKind.Identity, RequestKind.Graph }, all.Select(e => e.Kind));
            Assert.Equal(("GET", $"/{tid}/v2.0/.well-known/openid-configuration", 200), (all[0].Method, all[0].Path, all[0].Status));
            Assert.Equal(discovery.Header("x-ms-request-id"), all[0].RequestId);
            Assert.Equal(("POST", $"/{tid}/oauth2/v2.0/token", 400), (all[1].Method, all[1].Path, all[1].Status));
            Assert.Equal(token.Header("x-ms-request-id"), all[1].RequestId);

            var graph = Assert.Single(Tenant.RequestLog.Entries);
            Assert.Equal("/applications", graph.Path);
            Assert.Equal(1, Tenant.RequestLog.RoundTrips);
            Assert.Equal(1, Tenant.RequestLog.SuccessfulWrites);
        }

        [Fact]
        public async Task A_query_string_is_not_logged_for_an_identity_request()
        {
            // A client may misplace a secret in the query; the log keeps the path only.
            Tenant.RequestLog.Clear();
            await Door.GetAsync($"{Origin}/{Tenant.TenantId}/discovery/v2.0/keys?client_secret=hunter2");
            var entry = Assert.Single(Tenant.RequestLog.AllEntries);
            Assert.Equal(RequestKind.Identity, entry.Kind);
            Assert.DoesNotContain("hunter2", entry.Path);
            Assert.Empty(Tenant.RequestLog.Entries);
        }
    }
}
