using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// Retries the replication-lag errors Graph answers right after a create (<see cref="GraphErrors.IsReplicationLag"/>).
    /// Lag usually lasts seconds and each retry that meets its end is what the user waits for, so retries come often at first:
    /// <see cref="InitialDelay"/> doubling to <see cref="MaxDelay"/> (a run finishes within that of the lag ending) for
    /// <see cref="PatientAfter"/>; a lag that outlasts that is a long one, and retries then double to <see cref="PatientMaxDelay"/>
    /// so a whole <see cref="Budget"/> costs tens of requests, not hundreds (<see cref="MaxAttemptsWithin"/>). A Retry-After on the
    /// error is honoured instead. Throttling (429/503 with Retry-After) is handled below this by <see cref="ThrottleRetryHandler"/>.
    /// Every wait observes the caller's cancellation (Ctrl+C).
    /// </summary>
    public sealed class LagRetryPolicy
    {
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(500);

        /// <summary>How long retries stay at most <see cref="MaxDelay"/> apart before backing off further.</summary>
        public TimeSpan PatientAfter { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>The longest wait between retries once lag has lasted <see cref="PatientAfter"/>.</summary>
        public TimeSpan PatientMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Total time to keep trying; Graph publishes no bound, and reports of 1–2 minutes are common.</summary>
        public TimeSpan Budget { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>How long to wait for an API's service principal that is not visible yet before calling it unknown.</summary>
        public TimeSpan ResourceBudget { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The clock the budget is measured on; tests share the local tenant's.</summary>
        internal Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>How a pause is taken; tests advance the local tenant's clock instead of sleeping.</summary>
        internal Func<TimeSpan, CancellationToken, Task> Pause { get; set; } = Task.Delay;

        internal async Task<T> ExecuteAsync<T>(string action, Func<Task<T>> operation, CancellationToken cancellationToken, Func<Task<T?>>? checkApplied = null)
            where T : class
        {
            var delay = InitialDelay;
            var started = Now();
            while (true)
            {
                try
                {
                    return await operation().ConfigureAwait(false);
                }
                catch (Exception e) when (GraphErrors.IsReplicationLag(e))
                {
                    // A write that failed with 404 may have applied anyway (a lagged grant answers 404 and exists): look before writing
                    // again. A 400 or 403 (no backing application yet) refused the write; a look would only add requests.
                    if (checkApplied != null && GraphErrors.IsNotFound(e))
                    {
                        // The look itself can meet the same lag; then it proves nothing either way.
                        T? applied = null;
                        try { applied = await checkApplied().ConfigureAwait(false); }
                        catch (Exception check) when (GraphErrors.IsReplicationLag(check)) { }
                        if (applied != null) return applied;
                    }
                    var elapsed = Now() - started;
                    // Retry-After, when Graph sends one, is the least to wait; never less than the schedule, so the bound holds.
                    var wait = RetryAfter(e) is TimeSpan asked && asked > delay ? asked : delay;
                    if (elapsed + wait > Budget)
                        throw new EntraAppKitException(ErrorIds.ReplicationTimeout, EntraErrorCategory.OperationTimeout,
                            $"{action} kept failing with Graph's replication-lag error for {Budget.TotalSeconds:0} s; re-run the command to continue.", e);
                    await Pause(wait, cancellationToken).ConfigureAwait(false);
                    delay = Next(delay, elapsed + wait);
                }
            }
        }

        /// <summary>Waits until <paramref name="read"/> finds something, within <see cref="ResourceBudget"/>; null when it never does.</summary>
        internal async Task<T?> WaitForAsync<T>(Func<Task<T?>> read, CancellationToken cancellationToken) where T : class
        {
            var found = await read().ConfigureAwait(false);
            var delay = InitialDelay;
            var started = Now();
            while (found == null && Now() - started + delay <= ResourceBudget)
            {
                await Pause(delay, cancellationToken).ConfigureAwait(false);
                delay = Next(delay, Now() - started);
                found = await read().ConfigureAwait(false);
            }
            return found;
        }

        /// <summary>
        /// The most attempts (the first included) one retried call makes in <paramref name="within"/> of trying, however fast Graph
        /// answers: each retry comes after the schedule's pauses so far. The bound on a lagged step's requests: one more attempt
        /// succeeds after the lag, and a write refused with 404 adds one look per failed attempt.
        /// </summary>
        public int MaxAttemptsWithin(TimeSpan within)
        {
            int attempts = 1;
            var delay = InitialDelay;
            var slept = TimeSpan.Zero;
            while (slept + delay <= within)
            {
                slept += delay;
                attempts++;
                delay = Next(delay, slept);
            }
            return attempts;
        }

        private TimeSpan Next(TimeSpan delay, TimeSpan elapsed) =>
            TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, (elapsed < PatientAfter ? MaxDelay : PatientMaxDelay).Ticks));

        /// <summary>The error's Retry-After (learn.microsoft.com/graph/best-practices-concept#handling-expected-errors), if it has one.</summary>
        private static TimeSpan? RetryAfter(Exception e)
        {
            if (!(e is ODataError o) || o.ResponseHeaders == null) return null;
            var values = o.ResponseHeaders.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value;
            string? value = values?.FirstOrDefault();
            return value == null ? null : ThrottleRetryHandler.ParseRetryAfter(value);
        }
    }
}
