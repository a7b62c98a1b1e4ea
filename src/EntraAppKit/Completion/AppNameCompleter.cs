using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using EntraAppKit.Core.Operations;

namespace EntraAppKit.Completion
{
    /// <summary>Completes display names of the tenant's app registrations (a recipe's -Name re-runs it; Get-EntraAppRegistration finds it).</summary>
    public sealed class AppNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = CompletionWork.Word(wordToComplete);
            var found = CompletionWork.Run((connection, ct) => new AppRegistrationOperations(connection.Session).SuggestAsync(word, 50, byName: true, ct));
            return CompletionWork.Names(found.Select(a => a.DisplayName));
        }
    }
}
