using System;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// Retries the replication-lag errors Graph answers right after a create (<see cref="GraphErrors.IsReplicationLag"/>) with
    /// backoff that starts small and is capped. Throttling (429/503 with Retry-After) is handled below this by
    /// <see cref="ThrottleRetryHandler"/>. Every wait observes the caller's cancellation (Ctrl+C).
    /// </summary>
    public sealed class LagRetryPolicy
    {
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

        /// <summary>Total time to keep trying; Graph publishes no bound, and reports of 1–2 minutes are common.</summary>
        public TimeSpan Budget { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>How long to wait for an API's service principal that is not visible yet before calling it unknown.</summary>
        public TimeSpan ResourceBudget { get; set; } = TimeSpan.FromSeconds(30);

        internal async Task<T> ExecuteAsync<T>(string action, Func<Task<T>> operation, CancellationToken cancellationToken, Func<Task<T?>>? checkApplied = null)
            where T : class
        {
            var delay = InitialDelay;
            var started = DateTimeOffset.UtcNow;
            while (true)
            {
                try
                {
                    return await operation().ConfigureAwait(false);
                }
                catch (Exception e) when (GraphErrors.IsReplicationLag(e))
                {
                    // A write that failed this way may have applied anyway (a lagged grant answers 404 and exists): look before writing again.
                    if (checkApplied != null)
                    {
                        // The look itself can meet the same lag; then it proves nothing either way.
                        T? applied = null;
                        try { applied = await checkApplied().ConfigureAwait(false); }
                        catch (Exception check) when (GraphErrors.IsReplicationLag(check)) { }
                        if (applied != null) return applied;
                    }
                    if (DateTimeOffset.UtcNow - started + delay > Budget)
                        throw new EntraAppKitException(ErrorIds.ReplicationTimeout, EntraErrorCategory.OperationTimeout,
                            $"{action} kept failing with Graph's replication-lag error for {Budget.TotalSeconds:0} s; re-run the command to continue.", e);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = Next(delay);
                }
            }
        }

        /// <summary>Waits until <paramref name="read"/> finds something, within <see cref="ResourceBudget"/>; null when it never does.</summary>
        internal async Task<T?> WaitForAsync<T>(Func<Task<T?>> read, CancellationToken cancellationToken) where T : class
        {
            var found = await read().ConfigureAwait(false);
            var delay = InitialDelay;
            var started = DateTimeOffset.UtcNow;
            while (found == null && DateTimeOffset.UtcNow - started + delay <= ResourceBudget)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Next(delay);
                found = await read().ConfigureAwait(false);
            }
            return found;
        }

        private TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
    }
}
