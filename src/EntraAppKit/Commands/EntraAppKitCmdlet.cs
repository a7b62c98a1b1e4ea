using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Planning;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// Base of every EntraAppKit cmdlet. One error boundary (<see cref="ProcessRecord"/> around <see cref="ExecuteCmdlet"/>, as
    /// Az's AzurePSCmdlet does) turns core failures into ErrorRecords with stable ErrorIds; <see cref="RunCore{T}"/> runs a core
    /// call, relays its Graph trace lines to -Verbose on the pipeline thread and cancels on Ctrl+C; <see cref="Execute{TPlan, TResult}"/>
    /// is the one plan → ShouldProcess per change → apply template of every command that writes.
    /// </summary>
    public abstract class EntraAppKitCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private BlockingCollection<Action>? _pipelineWork;

        protected override void StopProcessing() => _cancel.Cancel();

        /// <summary>The command's work, inside the error boundary.</summary>
        protected abstract void ExecuteCmdlet();

        /// <summary>What an error record names as its target.</summary>
        protected virtual object? ErrorTarget => null;

        /// <summary>Whether a failure stops the pipeline (Connect-EntraAppKit) rather than being written as a non-terminating error.</summary>
        protected virtual bool FailureTerminates => false;

        /// <summary>
        /// Whether an error names the connected tenant (its ErrorDetails' RecommendedAction): every command that works in the
        /// tenant, so the errors of a fan-out over many tenants say where they happened; not Connect-EntraAppKit, whose
        /// failure is about the tenant it could not reach, not the one connected before.
        /// </summary>
        protected virtual bool ErrorsNameTenant => true;

        protected override void ProcessRecord()
        {
            try
            {
                ExecuteCmdlet();
            }
            catch (Exception e)
            {
                RethrowPipelineStop(e);
                var tenant = ErrorsNameTenant ? Connection?.Tenant : null;
                var record = ToErrorRecord(e, ErrorTarget, tenant == null ? null : $"{tenant.TenantId} ({tenant.InitialDomain})");
                if (FailureTerminates) ThrowTerminatingError(record);
                else WriteError(record);
            }
        }

        /// <summary>Connections are kept per runspace: jobs sharing a process (Azure Automation) never share one.</summary>
        protected object ConnectionScope => RunspaceScope;

        /// <summary>The key of the current runspace's connection (cmdlets and argument completers alike).</summary>
        internal static object RunspaceScope => (object?)System.Management.Automation.Runspaces.Runspace.DefaultRunspace ?? EntraAppKitConnection.ProcessScope;

        /// <summary>This runspace's connection, or null.</summary>
        protected EntraAppKitConnection? Connection => EntraAppKitConnection.Get(ConnectionScope);

        /// <summary>This runspace's connection, or the NotConnected error.</summary>
        protected EntraAppKitConnection RequireConnection() => EntraAppKitConnection.Require(ConnectionScope);

        /// <summary>
        /// Plans, asks ShouldProcess for every change (so -WhatIf lists them all), then applies all of them or none, shapes the
        /// result and writes it. A plan without changes is still applied: it writes nothing and returns what exists.
        /// </summary>
        /// <param name="activity">The progress activity, e.g. "New-RewstAppRegistration: Rewst Integration".</param>
        /// <param name="plan">Reads the tenant; makes no write.</param>
        /// <param name="changesOf">The plan's changes (its <see cref="IChangePlan.Changes"/>).</param>
        /// <param name="apply">Makes the planned writes and shapes the output.</param>
        /// <param name="write">Writes the output to the pipeline.</param>
        /// <param name="unchanged">What -Verbose says when the plan has no change; nothing when null.</param>
        /// <param name="warningsOf">What the user should know before confirming (written before the first ShouldProcess).</param>
        /// <remarks>
        /// The changes are passed, not constrained (where TPlan : IChangePlan): a generic constraint naming a Core type makes
        /// this type need EntraAppKit.Core to load, and PowerShell lists the cmdlet types before the module's load context exists.
        /// </remarks>
        protected void Execute<TPlan, TResult>(string activity, Func<CancellationToken, Task<TPlan>> plan, Func<TPlan, IReadOnlyList<PlannedChange>> changesOf,
            Func<TPlan, CancellationToken, Task<TResult>> apply, Action<TResult> write, Func<TPlan, string>? unchanged = null,
            Func<TPlan, IEnumerable<string>>? warningsOf = null)
        {
            // The bar is completed on every way out: done, declined, -WhatIf, or a failure.
            try
            {
                WriteProgress(new ProgressRecord(ProgressId, activity, "Reading the tenant"));
                var planned = RunCore(plan);
                var changes = changesOf(planned);
                if (changes.Count == 0 && unchanged != null) WriteVerbose(unchanged(planned));
                foreach (var warning in warningsOf?.Invoke(planned) ?? Enumerable.Empty<string>()) WriteWarning(warning);
                PlannedChange? declined = null;
                bool whatIf = false;
                foreach (var change in changes)
                {
                    if (Confirmed(change, out ShouldProcessReason reason)) continue;
                    whatIf |= reason == ShouldProcessReason.WhatIf;
                    declined ??= change;
                }
                if (declined != null)
                {
                    // -Confirm answered No to one step: all of a command's changes are applied or none, and the user hears so.
                    if (!whatIf) WriteWarning($"Nothing was changed: '{declined.Description}' was declined, and {MyInvocation.MyCommand.Name} applies all of its changes or none.");
                    return;
                }
                WriteProgress(new ProgressRecord(ProgressId, activity, changes.Count == 0 ? "Nothing to change" : $"Applying {changes.Count} change(s)"));
                var result = RunCore(ct => apply(planned, ct));
                write(result);
            }
            finally
            {
                WriteProgress(new ProgressRecord(ProgressId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        private const int ProgressId = 1;

        /// <summary>
        /// ShouldProcess for one change. A host that cannot prompt (pwsh -NonInteractive, Azure Automation) makes PowerShell
        /// throw from the prompt with its own "Read and Prompt functionality is not available"; the command fails there, before any
        /// write, as PowerShell does, but with an error that says which change needed confirming and how to confirm it in advance.
        /// </summary>
        private bool Confirmed(PlannedChange change, out ShouldProcessReason reason)
        {
            try
            {
                return ShouldProcess(change.Description, change.Description + "?", change.Action, out reason);
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is System.Management.Automation.Host.HostException)
            {
                throw new EntraAppKitException(ErrorIds.ConfirmationRequired, EntraErrorCategory.InvalidOperation,
                    $"'{change.Description}' needs confirmation, and this PowerShell host cannot ask for it ({e.Message}). Nothing was changed. " +
                    $"To confirm in advance, run {MyInvocation.MyCommand.Name} with -Confirm:$false; to see what it would do, with -WhatIf.", e);
            }
        }

        /// <summary>Reports the core's steps as they start, as progress under <paramref name="activity"/> (from any thread).</summary>
        protected Action<string> ProgressOf(string activity) =>
            step => OnPipelineThread(() => WriteProgress(new ProgressRecord(ProgressId, activity, step)));

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
                // The pipeline thread sleeps until a stream write is queued or the work ends (Ctrl+C ends it through the
                // token): no polling interval delays either.
                task.ContinueWith(_ => Complete(pending), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                foreach (var action in pending.GetConsumingEnumerable()) action();
                return task.GetAwaiter().GetResult();
            }
            finally
            {
                if (connection != null) connection.TraceSink = null;
                _pipelineWork = null;
                pending.CompleteAdding();
            }
        }

        /// <summary>Ends the pipeline thread's wait; a queue already disposed (an action failed and RunCore left) needs nothing.</summary>
        private static void Complete(BlockingCollection<Action> pending)
        {
            try { pending.CompleteAdding(); }
            catch (ObjectDisposedException) { }
        }

        /// <summary>
        /// Runs <paramref name="work"/> like <see cref="RunCore{T}"/>, streaming what it produces: each batch it hands to its sink
        /// is written to the pipeline (with <paramref name="write"/>) on the pipeline thread before the sink's task completes, so
        /// the work reads its next page only once the last one is written and never holds more than one. A downstream stop
        /// (Select-Object -First) or failure surfaces here as PowerShell raised it, and the work ends with it.
        /// </summary>
        protected void RunCoreStreaming<T>(Func<Func<IReadOnlyList<T>, Task>, CancellationToken, Task> work, Action<T> write)
        {
            RunCore(async ct =>
            {
                await work(batch => WrittenAsync(batch, write, ct), ct).ConfigureAwait(false);
                return true;
            });
        }

        private Task WrittenAsync<T>(IReadOnlyList<T> batch, Action<T> write, CancellationToken ct)
        {
            var written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!TryOnPipelineThread(() =>
            {
                try
                {
                    foreach (var item in batch) write(item);
                    written.TrySetResult(true);
                }
                catch (Exception e)
                {
                    written.TrySetException(e);
                    throw;
                }
            })) written.TrySetCanceled();
            var registration = ct.Register(() => written.TrySetCanceled());
            return written.Task.ContinueWith(t => { registration.Dispose(); return t; }, TaskScheduler.Default).Unwrap();
        }

        /// <summary>Queues <paramref name="action"/> to run on the pipeline thread during <see cref="RunCore{T}"/>.</summary>
        protected void OnPipelineThread(Action action) => TryOnPipelineThread(action);

        private bool TryOnPipelineThread(Action action)
        {
            var queue = _pipelineWork;
            if (queue == null || queue.IsAddingCompleted) return false;
            try
            {
                queue.Add(action);
                return true;
            }
            catch (InvalidOperationException) { return false; } // completed or disposed meanwhile (ObjectDisposedException is one)
        }

        /// <summary>
        /// What PowerShell itself raises (a stopped pipeline, Select-Object -First, Ctrl+C, a downstream -ErrorAction Stop or
        /// throw surfacing through WriteObject, a host that cannot prompt for -Confirm) is not our error: let it through
        /// unchanged, with the error record PowerShell gave it. Our own exceptions carry no PowerShell types.
        /// </summary>
        private static void RethrowPipelineStop(Exception e)
        {
            if (e is RuntimeException || e is IContainsErrorRecord) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e).Throw();
        }

        internal static ErrorRecord ToErrorRecord(Exception e, object? target, string? tenant = null)
        {
            if (e is AggregateException agg && agg.InnerExceptions.Count == 1) e = agg.InnerExceptions[0];
            if (e is OperationCanceledException) return new ErrorRecord(e, "OperationStopped", ErrorCategory.OperationStopped, target);
            if (!(e is EntraAppKitException known))
                return new ErrorRecord(e, "UnexpectedError", ErrorCategory.NotSpecified, target);
            var record = new ErrorRecord(known, known.ErrorId, Map(known.Category), known.TargetObject ?? target);
            var where = new List<string>();
            if (known.RequestId != null) where.Add($"Graph request-id {known.RequestId}");
            if (tenant != null) where.Add($"tenant {tenant}");
            if (where.Count > 0) record.ErrorDetails = new ErrorDetails(known.Message) { RecommendedAction = string.Join(", ", where) };
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
            EntraErrorCategory.ResourceBusy => ErrorCategory.ResourceBusy,
            EntraErrorCategory.ResourceExists => ErrorCategory.ResourceExists,
            _ => ErrorCategory.InvalidOperation,
        };
    }
}
