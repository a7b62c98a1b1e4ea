using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace EntraAppKit.Core.Graph
{
    /// <summary>
    /// Runs independent Graph operations together and sends the requests they make at the same moment as one JSON $batch
    /// (learn.microsoft.com/graph/json-batching), through <see cref="BatchingHandler"/>. Each operation is ordinary SDK code:
    /// its request is parked until every other operation has parked one too or finished, then all go out in one round trip and
    /// each gets its own response, so its error handling, <see cref="LagRetryPolicy"/> and <see cref="ThrottleRetryHandler"/>
    /// work per item exactly as for a single request. The <c>then</c> operation (a secret, which must come last) starts only
    /// once the others have parked, and its request goes with <c>dependsOn</c> on theirs: Graph runs it only if they succeeded.
    /// </summary>
    internal sealed class GraphBatch
    {
        private static readonly AsyncLocal<Membership?> CurrentMembership = new AsyncLocal<Membership?>();

        private readonly BatchingHandler _handler;
        private readonly object _gate = new object();
        private readonly List<ParkedRequest> _parked = new List<ParkedRequest>();
        private readonly TaskCompletionSource<bool> _thenDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private Func<Task>? _then;
        private Task? _thenTask;
        private ParkedRequest? _deferred;
        private int _active;
        private int _othersRunning;
        private bool _othersFailed;

        private GraphBatch(BatchingHandler handler, Func<Task>? then, int operations)
        {
            _handler = handler;
            _then = then;
            _active = _othersRunning = operations;
            if (then == null) _thenDone.SetResult(true);
        }

        /// <summary>The batch the calling operation belongs to, for the handler of this session only.</summary>
        internal static (GraphBatch Batch, bool Dependent)? For(BatchingHandler handler) =>
            CurrentMembership.Value is Membership m && ReferenceEquals(m.Batch._handler, handler) ? (m.Batch, m.Dependent) : ((GraphBatch, bool)?)null;

        /// <summary>
        /// Runs <paramref name="operations"/> together, then <paramref name="then"/> once they have all parked or finished and none
        /// failed. Throws <paramref name="then"/>'s error when its request left, else the first failed operation's, in the order given.
        /// </summary>
        public static async Task RunAsync(BatchingHandler handler, IReadOnlyList<Func<Task>> operations, Func<Task>? then)
        {
            var batch = new GraphBatch(handler, then, operations.Count);
            var tasks = operations.Select(op => batch.RunOperationAsync(op, dependent: false)).ToList();
            batch.Pump();
            // Every operation ends before the command does (none is left writing in the background); then the first failure, in order.
            try { await Task.WhenAll(tasks).ConfigureAwait(false); }
            catch (Exception) { }
            await batch._thenDone.Task.ConfigureAwait(false);
            Exception? thenFailure = null;
            if (batch._thenTask != null)
            {
                try { await batch._thenTask.ConfigureAwait(false); }
                catch (Exception e) { thenFailure = e; }
            }
            // A dependent request that left and failed says what became of what it wrote (a secret's clean-up): its error first.
            // One that never left (its dependency failed) has nothing to say beyond that dependency's error.
            if (thenFailure != null && !(thenFailure is RequestNotSentException))
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(thenFailure).Throw();
            foreach (var task in tasks) await task.ConfigureAwait(false);
            if (thenFailure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(thenFailure).Throw();
        }

        private async Task RunOperationAsync(Func<Task> operation, bool dependent)
        {
            // Scoped to this operation's flow: the caller's own requests stay unbatched.
            CurrentMembership.Value = new Membership(this, dependent);
            bool failed = false;
            try
            {
                await Task.Yield();
                await operation().ConfigureAwait(false);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                lock (_gate)
                {
                    _active--;
                    if (!dependent) { _othersRunning--; _othersFailed |= failed; }
                }
                if (dependent) _thenDone.TrySetResult(true);
                Pump();
            }
        }

        /// <summary>Holds <paramref name="request"/> until the batch goes out; its response, or the transport's failure.</summary>
        internal Task<HttpResponseMessage> Park(HttpRequestMessage request, byte[]? body, bool dependent, CancellationToken cancellationToken)
        {
            var parked = new ParkedRequest(request, body, dependent, cancellationToken);
            lock (_gate)
            {
                _parked.Add(parked);
                _active--;
            }
            parked.Registration = cancellationToken.Register(() =>
            {
                bool withdrawn;
                lock (_gate)
                {
                    withdrawn = _parked.Remove(parked) || ReferenceEquals(_deferred, parked);
                    if (ReferenceEquals(_deferred, parked)) _deferred = null;
                    if (withdrawn) _active++;
                }
                if (withdrawn) parked.Completion.TrySetCanceled();
            });
            Pump();
            return parked.Completion.Task;
        }

        /// <summary>When no operation is running (all parked or finished): starts <c>then</c>, or sends what is parked.</summary>
        private void Pump()
        {
            Func<Task>? start = null;
            List<ParkedRequest>? send = null;
            ParkedRequest? skip = null;
            lock (_gate)
            {
                if (_active > 0) return;
                if (_then != null)
                {
                    if (_othersFailed) { _then = null; _thenDone.TrySetResult(true); }
                    else { start = _then; _then = null; _active++; }
                }
                if (start == null)
                {
                    if (_deferred != null && _othersRunning == 0)
                    {
                        if (_othersFailed) skip = _deferred;
                        else _parked.Add(_deferred);
                        _deferred = null;
                    }
                    if (_parked.Count > 0)
                    {
                        // Independent items first; the dependent one last, after those it depends on.
                        send = _parked.OrderBy(p => p.Dependent).ToList();
                        _parked.Clear();
                        _active += send.Count;
                    }
                }
            }
            if (start != null) _thenTask = RunOperationAsync(start, dependent: true);
            skip?.Completion.TrySetException(new RequestNotSentException("Not sent: an operation it had to follow failed."));
            if (send != null) _ = Task.Run(() => SendAsync(send));
        }

        private async Task SendAsync(List<ParkedRequest> items)
        {
            var deferred = new List<ParkedRequest>();
            var answers = new List<(ParkedRequest Item, HttpResponseMessage? Response, Exception? Error)>();
            bool earlierFailed = false;
            for (int start = 0; start < items.Count; start += BatchingHandler.MaxRequests)
            {
                var chunk = items.Skip(start).Take(BatchingHandler.MaxRequests).ToList();
                // What a dependent item follows must have succeeded: after a failure in an earlier chunk it waits for the others.
                if (earlierFailed && chunk[chunk.Count - 1].Dependent)
                {
                    deferred.Add(chunk[chunk.Count - 1]);
                    chunk.RemoveAt(chunk.Count - 1);
                }
                if (chunk.Count == 0) continue;
                try
                {
                    var responses = await _handler.SendBatchAsync(chunk).ConfigureAwait(false);
                    for (int i = 0; i < chunk.Count; i++)
                    {
                        var response = responses[i];
                        // 424: something it depended on failed, and that operation may still recover (a concurrent run's 409):
                        // it waits for the others to finish, and goes only if they all succeeded.
                        if (chunk[i].Dependent && (int)response.StatusCode == 424 && chunk.Count > 1)
                        {
                            response.Dispose();
                            deferred.Add(chunk[i]);
                            continue;
                        }
                        earlierFailed |= (int)response.StatusCode >= 400;
                        answers.Add((chunk[i], response, null));
                    }
                }
                catch (Exception e)
                {
                    earlierFailed = true;
                    foreach (var item in chunk) answers.Add((item, null, e));
                }
            }
            lock (_gate)
            {
                foreach (var item in deferred)
                {
                    _active--;
                    _deferred = item;
                }
            }
            foreach (var (item, response, error) in answers)
            {
                item.Registration?.Dispose();
                if (error != null) item.Completion.TrySetException(error);
                else if (!item.Completion.TrySetResult(response!)) response!.Dispose();
            }
            Pump();
        }

        private sealed class Membership
        {
            public Membership(GraphBatch batch, bool dependent) { Batch = batch; Dependent = dependent; }
            public GraphBatch Batch { get; }
            public bool Dependent { get; }
        }
    }
}
