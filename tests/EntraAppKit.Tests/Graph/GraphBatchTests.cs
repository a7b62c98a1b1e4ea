using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;

namespace EntraAppKit.Tests.Graph
{
    /// <summary>
    /// Operations run together send their requests as one JSON $batch (learn.microsoft.com/graph/json-batching), and each item
    /// behaves as its single request would: traced on its own, its failure Graph's error with its own request-id, a 429 retried
    /// after its Retry-After, and a dependent item never applied when what it follows failed.
    /// </summary>
    public class GraphBatchTests
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();
        private readonly List<string> _trace = new List<string>();

        private GraphSession Session() => _tenant.Session(new GraphSessionOptions { Trace = line => { lock (_trace) _trace.Add(line); } });

        [Fact]
        public async Task Independent_reads_are_one_round_trip_and_each_item_is_traced()
        {
            using var session = Session();
            _tenant.RequestLog.Clear();
            await session.BatchAsync(new Func<Task>[]
            {
                () => session.Client.Organization.GetAsync(),
                () => session.Client.Applications.GetAsync(),
            });
            Assert.Equal(1, _tenant.RequestLog.RoundTrips);
            Assert.Equal(2, _tenant.RequestLog.Entries.Count(e => e.InBatch && e.Status == 200));
            var organization = _tenant.RequestLog.Entries.Single(e => e.Path.StartsWith("/organization", StringComparison.Ordinal));
            Assert.Contains(_trace, l => l.StartsWith("Graph GET /v1.0/organization -> 200 (request-id " + organization.RequestId, StringComparison.Ordinal));
            Assert.Contains(_trace, l => l.StartsWith("Graph POST /v1.0/$batch (2 requests) -> 200", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_failed_item_is_the_error_its_single_request_gives_with_its_own_request_id()
        {
            using var session = Session();
            _tenant.RequestLog.Clear();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => session.BatchAsync(new Func<Task>[]
            {
                () => session.Client.Organization.GetAsync(),
                () => GraphErrors.Guard("Reading the app", () => session.Client.ApplicationsWithAppId(Guid.NewGuid().ToString()).GetAsync()),
            }));
            var item = _tenant.RequestLog.Entries.Single(x => x.Status == 404);
            Assert.True(item.InBatch);
            Assert.Equal(item.RequestId, e.RequestId);
            Assert.StartsWith("Reading the app failed: Graph answered 404", e.Message);
            Assert.Equal(1, _tenant.RequestLog.RoundTrips);
        }

        [Fact]
        public async Task A_throttled_item_is_retried_after_its_Retry_After_and_the_others_are_not_repeated()
        {
            using var session = Session();
            _tenant.RequestLog.Clear();
            _tenant.Faults.Throttle(1, TimeSpan.FromMilliseconds(50), "GET", "/applications");
            ApplicationCollectionResponse? apps = null;
            await session.BatchAsync(new Func<Task>[]
            {
                () => session.Client.Organization.GetAsync(),
                async () => apps = await session.Client.Applications.GetAsync(),
            });
            Assert.NotNull(apps);
            var applications = _tenant.RequestLog.Entries.Where(x => x.Path.StartsWith("/applications", StringComparison.Ordinal)).Select(x => (x.Status, x.InBatch)).ToList();
            Assert.Equal(new[] { (429, true), (200, false) }, applications);
            Assert.Single(_tenant.RequestLog.Entries, x => x.Path.StartsWith("/organization", StringComparison.Ordinal));
            Assert.Equal(2, _tenant.RequestLog.RoundTrips);
        }

        [Fact]
        public async Task The_dependent_operation_is_not_applied_when_what_it_follows_fails()
        {
            using var session = Session();
            _tenant.RequestLog.Clear();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => session.BatchAsync(
                new Func<Task>[] { () => GraphErrors.Guard("Creating the service principal", () => session.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = Guid.NewGuid().ToString() })) },
                () => session.Client.Applications.PostAsync(new Application { DisplayName = "Never made" })));
            Assert.StartsWith("Creating the service principal failed", e.Message);
            Assert.DoesNotContain(_tenant.RequestLog.Entries, x => x.Path.StartsWith("/applications", StringComparison.Ordinal));
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal(1, _tenant.RequestLog.RoundTrips);
        }

        [Fact]
        public async Task The_dependent_operation_follows_the_others_in_the_same_round_trip()
        {
            using var session = Session();
            _tenant.RequestLog.Clear();
            Application? first = null, second = null;
            await session.BatchAsync(
                new Func<Task>[] { async () => first = await session.Client.Applications.PostAsync(new Application { DisplayName = "First" }) },
                async () => second = await session.Client.Applications.PostAsync(new Application { DisplayName = "Second" }));
            Assert.Equal(("First", "Second"), (first!.DisplayName, second!.DisplayName));
            Assert.Equal(2, _tenant.RequestLog.Entries.Count(x => x.InBatch));
            Assert.Equal(1, _tenant.RequestLog.RoundTrips);
            Assert.Equal(2, _tenant.RequestLog.SuccessfulWrites);
        }
    }
}
