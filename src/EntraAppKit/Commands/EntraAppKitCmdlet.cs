using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// Base of every EntraAppKit cmdlet: runs a core call, relays its Graph trace lines to -Verbose on the pipeline
    /// thread, cancels on Ctrl+C, and turns core failures into ErrorRecords with stable ErrorIds.
    /// </summary>
    public abstract class EntraAppKitCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>Connections are kept per runspace: jobs sharing a process (Azure Automation) never share one.</summary>
        protected object ConnectionScope => (object?)System.Management.Automation.Runspaces.Runspace.DefaultRunspace ?? EntraAppKitConnection.ProcessScope;

        /// <summary>This runspace's connection, or null.</summary>
        protected EntraAppKitConnection? Connection => EntraAppKitConnection.Get(ConnectionScope);

        /// <summary>This runspace's connection, or the NotConnected error.</summary>
        protected EntraAppKitConnection RequireConnection() => EntraAppKitConnection.Require(ConnectionScope);

        private BlockingCollection<Action>? _pipelineWork;

        /// <summary>
        /// Runs <paramref name="work"/> and waits for it. Meanwhile its trace lines become verbose output, and anything it
        /// posts with <see cref="OnPipelineThread"/> runs here: PowerShell's streams may only be written from this thread.
        /// </summary>
        protected T RunCore<T>(Func<CancellationToken, Task<T>> work)
        {
            using var pending = new BlockingCollection<Action>();
            _pipelineWork = pending;
            var connection = Connection;
            if (connection != null) connection.TraceSink = line => OnPipelineThread(() => WriteVerbose(line));
            try
            {
                var task = Task.Run(() => work(_cancel.Token));
                while (!task.IsCompleted)
                    if (pending.TryTake(out var action, 50)) action();
                while (pending.TryTake(out var rest)) rest();
                return task.GetAwaiter().GetResult();
            }
            finally
            {
                if (connection != null) connection.TraceSink = null;
                _pipelineWork = null;
                pending.CompleteAdding();
            }
        }

        /// <summary>Queues <paramref name="action"/> to run on the pipeline thread during <see cref="RunCore{T}"/>.</summary>
        protected void OnPipelineThread(Action action)
        {
            var queue = _pipelineWork;
            if (queue != null && !queue.IsAddingCompleted) queue.Add(action);
        }

        /// <summary>Writes a core failure as a non-terminating error with its stable ErrorId.</summary>
        protected void WriteCoreError(Exception e, object? target)
        {
            RethrowPipelineStop(e);
            WriteError(ToErrorRecord(e, target));
        }

        protected void ThrowCoreError(Exception e, object? target)
        {
            RethrowPipelineStop(e);
            ThrowTerminatingError(ToErrorRecord(e, target));
        }

        /// <summary>
        /// What PowerShell itself raises (a stopped pipeline, Select-Object -First, Ctrl+C, a downstream -ErrorAction Stop or
        /// throw surfacing through WriteObject) is not our error: let it through unchanged.
        /// </summary>
        private static void RethrowPipelineStop(Exception e)
        {
            if (e is RuntimeException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
        }

        internal static ErrorRecord ToErrorRecord(Exception e, object? target)
        {
            if (e is AggregateException agg && agg.InnerExceptions.Count == 1) e = agg.InnerExceptions[0];
            if (e is OperationCanceledException) return new ErrorRecord(e, "OperationStopped", ErrorCategory.OperationStopped, target);
            if (!(e is EntraAppKitException known))
                return new ErrorRecord(e, "UnexpectedError", ErrorCategory.NotSpecified, target);
            var record = new ErrorRecord(known, known.ErrorId, Map(known.Category), target);
            if (known.RequestId != null) record.ErrorDetails = new ErrorDetails(known.Message) { RecommendedAction = $"Graph request-id {known.RequestId}" };
            return record;
        }

        private static ErrorCategory Map(EntraErrorCategory category) => category switch
        {
            EntraErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
            EntraErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
            EntraErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
            EntraErrorCategory.ConnectionError => ErrorCategory.ConnectionError,
            EntraErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
            EntraErrorCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
            _ => ErrorCategory.InvalidOperation,
        };
    }
}
