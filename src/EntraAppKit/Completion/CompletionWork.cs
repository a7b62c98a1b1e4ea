using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Commands;
using EntraAppKit.Core.Connections;

namespace EntraAppKit.Completion
{
    /// <summary>
    /// Runs a Graph read for a completer: on the runspace's connection, bounded in time so Tab never hangs, and quietly empty
    /// when there is no connection or the read fails (completion offers nothing rather than an error).
    /// </summary>
    internal static class CompletionWork
    {
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

        public static IReadOnlyList<T> Run<T>(Func<EntraAppKitConnection, CancellationToken, Task<IReadOnlyList<T>>> read)
        {
            var connection = Connection;
            if (connection == null) return Array.Empty<T>();
            using var cancel = new CancellationTokenSource(Budget);
            try
            {
                var task = Task.Run(() => read(connection, cancel.Token));
                return task.Wait(Budget) ? task.Result : Array.Empty<T>();
            }
            catch (AggregateException) { return Array.Empty<T>(); }
        }

        /// <summary>This runspace's connection, or null.</summary>
        public static EntraAppKitConnection? Connection => EntraAppKitConnection.Get(EntraAppKitCmdlet.RunspaceScope);

        /// <summary>What the user typed so far, without the quote they may have opened.</summary>
        public static string Word(string? wordToComplete) => (wordToComplete ?? "").Trim('\'', '"');

        /// <summary>Display names offered as they are typed: each once, quoted when PowerShell needs it.</summary>
        public static IEnumerable<CompletionResult> Names(IEnumerable<string> names) =>
            names.Distinct().Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, name));

        /// <summary>Client ids offered with their display names beside them (typing a name finds its id).</summary>
        public static IEnumerable<CompletionResult> ClientIds(IEnumerable<(string ClientId, string DisplayName)> apps) =>
            apps.Select(a => new CompletionResult(a.ClientId, $"{a.ClientId} ({a.DisplayName})", CompletionResultType.ParameterValue, a.DisplayName));

        /// <summary>A completion text, quoted when PowerShell needs it (spaces, quotes).</summary>
        public static string Quote(string text) =>
            text.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '@', '#' }) < 0 ? text : "'" + text.Replace("'", "''") + "'";
    }
}
