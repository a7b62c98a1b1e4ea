using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.LocalTenant;
using EntraAppKit.Tests.Support;
using Microsoft.Graph.Models.ODataErrors;
using Xunit;

namespace EntraAppKit.Tests.Graph
{
    /// <summary>
    /// The replication-lag schedule, on the local tenant's clock: the engine's pauses advance it instead of sleeping, so lag of
    /// seconds or minutes is exact and instant, and every request is in the request log. Wall time is measured by tools/bench/LagTiming.
    /// </summary>
    public class LagRetryPolicyTests
    {
        /// <summary>The tenant's clock; a pause moves it on at once.</summary>
        private sealed class TenantTime
        {
            private long _ticks = DateTimeOffset.UtcNow.UtcTicks;
            public TimeSpan Paused { get; private set; }
            public List<TimeSpan> Pauses { get; } = new List<TimeSpan>();

            public DateTimeOffset Now() => new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero);

            public Task Pause(TimeSpan pause, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                lock (Pauses) { Pauses.Add(pause); Paused += pause; }
                Interlocked.Add(ref _ticks, pause.Ticks);
                return Task.CompletedTask;
            }
        }

        private readonly TenantTime _time = new TenantTime();
        private readonly LocalTenantEngine _tenant;
        private readonly LagRetryPolicy _policy;

        public LagRetryPolicyTests()
        {
            _tenant = LocalTenantEngine.Create(new LocalTenantOptions { Clock = _time.Now });
            _policy = new LagRetryPolicy { Now = _time.Now, Pause = _time.Pause };
        }

        public static TheoryData<string, double> Chains => new TheoryData<string, double>
        {
            { "Rewst", 0.5 }, { "Rewst", 2 }, { "Rewst", 5 },
            { "Konnect", 0.5 }, { "Konnect", 2 }, { "Konnect", 5 },
            { "CmgPipeline", 0.5 }, { "CmgPipeline", 2 }, { "CmgPipeline", 5 },
        };

        /// <summary>
        /// The lagged steps of each chain: a write that needs what the previous one made. Rewst: its service principal (its
        /// application). Konnect: that, then the app role assignments (the service principal). The CMG pipeline: the server's service
        /// principal, then the client's broker redirect URI (its own new application); the client's grant to the server answers 404
        /// and applies, and is found by the look that follows.
        /// </summary>
        private static int LaggedSteps(string chain) => chain == "Rewst" ? 1 : 2;

        private async Task RunAsync(string chain, GraphSession session)
        {
            var engine = new RecipeEngine(session, _policy);
            switch (chain)
            {
                case "Rewst": await engine.RunAsync(new Rewst().For(Rewst.DefaultName)); break;
                case "Konnect": await engine.RunAsync(new KonnectDcr().For(KonnectDcr.DefaultName)); break;
                default:
                    var server = new CmgServer();
                    var made = server.Shape(await engine.RunAsync(server.For(CmgServer.DefaultName)));
                    await engine.RunAsync(Piped(made).For(CmgClient.DefaultName));
                    break;
            }
        }

        /// <summary>What New-CmgClientApp takes from the piped server (NewCmgClientAppCommand).</summary>
        private static CmgClient Piped(EntraAppKit.Model.Recipes.CmgServerApp server) => new CmgClient
        {
            ServerClientId = server.ServerClientId, ServerApp = server,
            ServerServicePrincipalId = server.ServicePrincipalId, ServerScopeId = server.UserImpersonationScopeId, ServerDisplayName = server.DisplayName,
        };

        [Theory]
        [MemberData(nameof(Chains))]
        public async Task Each_lagged_step_ends_within_half_a_second_of_its_lag_with_a_bounded_number_of_extra_requests(string chain, double lagSeconds)
        {
            // The same chain without lag, for the requests a calm run makes.
            var calm = LocalTenantEngine.Create();
            using (var calmSession = calm.Session()) await RunAsync(chain, calmSession);
            int calmRequests = calm.RequestLog.RoundTrips;

            var lag = TimeSpan.FromSeconds(lagSeconds);
            _tenant.Faults.ReplicationLag = lag;
            using var session = _tenant.Session();
            await RunAsync(chain, session);

            int steps = LaggedSteps(chain);
            // Requests take no time on this clock, so the pauses are the whole wait.
            Assert.True(_time.Paused <= TimeSpan.FromTicks(steps * (lag + TimeSpan.FromSeconds(0.5)).Ticks),
                $"{chain} at L = {lagSeconds} s paused {_time.Paused.TotalSeconds:0.00} s: {string.Join(", ", _time.Pauses.Select(p => p.TotalSeconds))}");
            Assert.True(_time.Paused >= TimeSpan.FromTicks(steps * lag.Ticks), $"{chain} met fewer lagged steps than {steps}: paused {_time.Paused.TotalSeconds:0.00} s");
            // Per lagged step: the attempts the schedule makes within the lag, each failed write of a 404 followed by one look.
            int bound = steps * 2 * _policy.MaxAttemptsWithin(lag);
            int extra = _tenant.RequestLog.RoundTrips - calmRequests;
            Assert.True(extra <= bound, $"{chain} at L = {lagSeconds} s made {extra} extra requests; the bound is {bound}.");
        }

        [Fact]
        public void The_schedule_polls_often_for_seconds_then_backs_off_so_a_budget_costs_tens_of_requests()
        {
            var policy = new LagRetryPolicy();
            Assert.Equal(3, policy.MaxAttemptsWithin(TimeSpan.FromSeconds(0.5)));   // 0, 0.1, 0.3
            Assert.Equal(6, policy.MaxAttemptsWithin(TimeSpan.FromSeconds(2)));     // …, 0.7, 1.2, 1.7
            Assert.Equal(12, policy.MaxAttemptsWithin(TimeSpan.FromSeconds(5)));    // …, 4.7
            Assert.Equal(28, policy.MaxAttemptsWithin(TimeSpan.FromSeconds(30)));   // every 0.5 s to 10 s, then 1, 2, 4, 5 s apart
            Assert.Equal(46, policy.MaxAttemptsWithin(policy.Budget));
        }

        [Fact]
        public async Task Lag_that_outlasts_the_budget_ends_with_ReplicationTimeout_within_the_budget()
        {
            _tenant.Faults.ReplicationLag = TimeSpan.FromMinutes(10);
            using var session = _tenant.Session();
            var engine = new RecipeEngine(session, _policy);
            var plan = await engine.PlanAsync(new WriteBack().For(WriteBack.DefaultName));
            _tenant.RequestLog.Clear();

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => engine.ApplyAsync(plan));

            Assert.Equal(ErrorIds.ReplicationTimeout, e.ErrorId);
            Assert.Equal(EntraErrorCategory.OperationTimeout, e.Category);
            Assert.Equal("Creating the service principal kept failing with Graph's replication-lag error for 120 s; re-run the command to continue.", e.Message);
            Assert.True(_time.Paused <= _policy.Budget, $"paused {_time.Paused.TotalSeconds} s");
            int posts = _tenant.RequestLog.Entries.Count(r => r.Method == "POST" && r.Path == "/servicePrincipals");
            Assert.InRange(posts, 2, _policy.MaxAttemptsWithin(_policy.Budget));
            // A refused create (400 NoBackingApplicationObject) is not looked for: the application write and the attempts only.
            Assert.Equal(posts + 1, _tenant.RequestLog.RoundTrips);
        }

        [Fact]
        public async Task A_server_this_session_made_whose_service_principal_never_appears_is_unknown_after_the_resource_budget()
        {
            using var session = _tenant.Session();
            var engine = new RecipeEngine(session, _policy);
            var server = await engine.RunAsync(new CmgServer().For(CmgServer.DefaultName));
            // Its service principal stays invisible, as one that never replicates: gone.
            using (var http = new System.Net.Http.HttpClient(_tenant.CreateHandler()))
                (await http.DeleteAsync($"https://graph.microsoft.com/v1.0/servicePrincipals/{server.ServicePrincipalId}")).EnsureSuccessStatusCode();
            _tenant.RequestLog.Clear();

            // Named only by -ServerClientId: nothing piped to take it from, so the client waits to read it.
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => engine.PlanAsync(new CmgClient { ServerClientId = server.ClientId }.For(CmgClient.DefaultName)));

            Assert.Equal(ErrorIds.UnknownResource, e.ErrorId);
            Assert.True(_time.Paused <= _policy.ResourceBudget, $"waited {_time.Paused.TotalSeconds} s");
            Assert.True(_time.Paused >= _policy.ResourceBudget - _policy.PatientMaxDelay, $"gave up after {_time.Paused.TotalSeconds} s");
            Assert.InRange(_tenant.RequestLog.Entries.Count(r => r.Path.Contains($"appId='{server.ClientId}'")), 2, _policy.MaxAttemptsWithin(_policy.ResourceBudget));
        }

        [Fact]
        public async Task Retry_after_on_a_lag_error_is_waited_instead_of_the_schedule()
        {
            int calls = 0;
            var result = await _policy.ExecuteAsync("Granting", () =>
            {
                if (calls++ > 0) return Task.FromResult("done");
                throw new ODataError
                {
                    ResponseStatusCode = 404,
                    Error = new MainError { Code = "Request_ResourceNotFound" },
                    ResponseHeaders = new Dictionary<string, IEnumerable<string>> { ["Retry-After"] = new[] { "2.5" } },
                };
            }, CancellationToken.None);

            Assert.Equal("done", result);
            Assert.Equal(new[] { TimeSpan.FromSeconds(2.5) }, _time.Pauses);
        }

        [Fact]
        public async Task The_piped_cmg_client_takes_the_server_from_its_output_and_never_waits_to_read_it()
        {
            _tenant.Faults.ReplicationLag = TimeSpan.FromSeconds(5);
            using var session = _tenant.Session();
            var engine = new RecipeEngine(session, _policy);
            var server = new CmgServer();
            var made = server.Shape(await engine.RunAsync(server.For(CmgServer.DefaultName)));
            Assert.NotNull(made.UserImpersonationScopeId);
            _tenant.RequestLog.Clear();

            var client = await engine.RunAsync(Piped(made).For(CmgClient.DefaultName));

            Assert.DoesNotContain(_tenant.RequestLog.Entries, r => r.Method == "GET" && r.Path.Contains($"appId='{made.ClientId}'"));
            await _time.Pause(TimeSpan.FromSeconds(6), CancellationToken.None); // past the lag, to read what was made
            using var http = new System.Net.Http.HttpClient(_tenant.CreateHandler());
            var grants = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(
                $"https://graph.microsoft.com/v1.0/oauth2PermissionGrants?$filter=clientId eq '{client.ServicePrincipalId}'"))!["value"]!.AsArray();
            var toServer = Assert.Single(grants, g => (string?)g!["resourceId"] == made.ServicePrincipalId);
            Assert.Equal("user_impersonation", (string?)toServer!["scope"]);
            var app = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"https://graph.microsoft.com/v1.0/applications/{client.ObjectId}"))!;
            var access = Assert.Single(app["requiredResourceAccess"]!.AsArray(), r => (string?)r!["resourceAppId"] == made.ClientId);
            Assert.Equal(made.UserImpersonationScopeId.ToString(), (string?)access!["resourceAccess"]![0]!["id"]);
        }

        [Fact]
        public async Task A_server_this_session_did_not_make_is_read_not_taken_from_the_piped_object()
        {
            // Made by another session: nothing lags, and Graph's word is taken over an object that may be stale.
            using (var other = _tenant.Session())
            {
                var server = new CmgServer();
                var made = server.Shape(await new RecipeEngine(other, _policy).RunAsync(server.For(CmgServer.DefaultName)));
                using var session = _tenant.Session();
                _tenant.RequestLog.Clear();
                await new RecipeEngine(session, _policy).RunAsync(Piped(made).For(CmgClient.DefaultName));
                Assert.Contains(_tenant.RequestLog.Entries, r => r.Method == "GET" && r.Path.Contains($"appId='{made.ClientId}'"));
            }
        }
    }
}
