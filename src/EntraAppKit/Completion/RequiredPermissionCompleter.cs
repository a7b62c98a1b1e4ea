using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using EntraAppKit.Core.Operations;

namespace EntraAppKit.Completion
{
    /// <summary>Completes Grant-AdminConsent -Permission with what the app given by -ClientId requires.</summary>
    public sealed class RequiredPermissionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = CompletionWork.Word(wordToComplete);
            if (!(fakeBoundParameters?["ClientId"] is string clientId)) return new PermissionNameCompleter().CompleteArgument(commandName, parameterName, wordToComplete!, commandAst, fakeBoundParameters!);
            return CompletionWork.Run((connection, ct) => new AdminConsentOperation(connection.Session).RequiredPermissionNamesAsync(clientId, ct))
                .Where(n => n.StartsWith(word, System.StringComparison.OrdinalIgnoreCase) ||
                    n.Substring(n.LastIndexOf('/') + 1).StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(CompletionWork.Quote(n), n, CompletionResultType.ParameterValue, $"required by {clientId}"));
        }
    }
}
