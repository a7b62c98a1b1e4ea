using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// A read-modify-write Graph cannot make atomic: an application's collections (redirect URIs, identifier URIs, permissions)
    /// are replaced whole by a PATCH (learn.microsoft.com/graph/api/application-update) and there is no conditional write, so two
    /// writers that read the same state each write back their own version and the later one silently drops the other's values.
    /// Each write therefore starts from a fresh read, and is verified by a read after a pause long enough for a concurrent
    /// writer's PATCH (made from a read before ours) to land; what did not stay is written again on top of what is there, up to
    /// <see cref="MaxWrites"/> times, then ConcurrentUpdate says so. Nothing is lost silently.
    /// </summary>
    internal static class ConvergingWrite
    {
        public const int MaxWrites = 5;

        /// <param name="current">A fresh read of the object.</param>
        /// <param name="converged">Whether the object holds what this write wants.</param>
        /// <param name="write">Writes what is wanted on top of the given state.</param>
        /// <param name="read">Reads the object again.</param>
        /// <param name="notConverged">The ConcurrentUpdate message, from the last state read.</param>
        /// <param name="cancellationToken">Ctrl+C: also ends the pause.</param>
        public static async Task<T> RunAsync<T>(T current, Func<T, bool> converged, Func<T, Task> write, Func<Task<T>> read, Func<T, string> notConverged,
            CancellationToken cancellationToken)
        {
            var random = new Random();
            for (int attempt = 1; ; attempt++)
            {
                if (converged(current)) return current;
                if (attempt > MaxWrites) throw new EntraAppKitException(ErrorIds.ConcurrentUpdate, EntraErrorCategory.ResourceBusy, notConverged(current));
                var watch = Stopwatch.StartNew();
                await write(current).ConfigureAwait(false);
                // A concurrent writer's GET → PATCH takes about as long as ours: wait twice that, growing with each attempt, and a
                // random part so two writers do not retry in step.
                var pause = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(40).Ticks, 2 * watch.Elapsed.Ticks) * attempt) + TimeSpan.FromMilliseconds(random.Next(0, 40));
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                current = await read().ConfigureAwait(false);
            }
        }
    }
}
