using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Graph.Models.ODataErrors;

namespace EntraAppKit.Core.Graph
{
    /// <summary>Reads Graph's errors by code (graph-ground-truth §7: code against `code`, not `message`).</summary>
    internal static class GraphErrors
    {
        public static bool IsNotFound(Exception e) => e is ODataError o && o.ResponseStatusCode == 404;

        /// <summary>Runs a read; Graph's 404 becomes null, any other failure a wrapped error naming <paramref name="action"/>.</summary>
        public static async Task<T?> NullWhenNotFound<T>(Func<Task<T?>> get, string action = "Reading from Microsoft Graph") where T : class
        {
            try { return await get().ConfigureAwait(false); }
            catch (Exception e) when (IsNotFound(e)) { return null; }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw Wrap(e, action); }
        }

        /// <summary>The errors Graph documents for objects that have not replicated yet (§7).</summary>
        public static bool IsReplicationLag(Exception e)
        {
            if (!(e is ODataError o)) return false;
            string? code = o.Error?.Code;
            if (o.ResponseStatusCode == 404 && (code == "Request_ResourceNotFound" || code == "Directory_ObjectNotFound")) return true;
            if (o.ResponseStatusCode == 400 && o.Error?.Details?.Any(d => d.Code == "NoBackingApplicationObject") == true) return true;
            if (o.ResponseStatusCode == 400 && (o.Error?.Message ?? "").Contains("does not reference a valid application object")) return true;
            if (o.ResponseStatusCode == 403 && (o.Error?.Message ?? "").Contains("backing application of the service principal being created")) return true;
            return false;
        }

        public static EntraAppKitException Wrap(Exception e, string action)
        {
            if (e is EntraAppKitException known) return known;
            if (e is ODataError o)
            {
                string? requestId = o.ResponseHeaders != null && o.ResponseHeaders.TryGetValue("request-id", out var ids) ? ids.FirstOrDefault() : null;
                var category = o.ResponseStatusCode == 403 || o.ResponseStatusCode == 401 ? EntraErrorCategory.PermissionDenied
                    : o.ResponseStatusCode == 404 ? EntraErrorCategory.ObjectNotFound
                    : o.ResponseStatusCode >= 500 || o.ResponseStatusCode == 429 ? EntraErrorCategory.ResourceUnavailable
                    : EntraErrorCategory.InvalidOperation;
                return new EntraAppKitException(ErrorIds.GraphRequestFailed, category,
                    $"{action} failed: Graph answered {o.ResponseStatusCode} {o.Error?.Code}: {o.Error?.Message}", e, o.Error?.Code, requestId);
            }
            return new EntraAppKitException(ErrorIds.GraphRequestFailed, EntraErrorCategory.ConnectionError, $"{action} failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Retries the replication-lag errors Graph documents (§7) with backoff that starts small and is capped.
    /// Throttling (429/503 with Retry-After) is handled below this by the SDK's retry handler.
    /// </summary>
    public sealed class LagRetryPolicy
    {
        public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

        /// <summary>Total time to keep trying; Graph publishes no SLA, and reports of 1–2 minutes are common.</summary>
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
                    // A write that failed this way may have applied anyway (§7): look before writing again.
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
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
                }
            }
        }
    }
}
