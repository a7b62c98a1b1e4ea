using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using EntraAppKit.Core.Operations;

namespace EntraAppKit.Completion
{
    /// <summary>Completes client ids from the tenant's service principals (other tenants' apps included), showing their display names.</summary>
    public sealed class ServicePrincipalClientIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = CompletionWork.Word(wordToComplete);
            var found = CompletionWork.Run((connection, ct) => new ServicePrincipalOperations(connection.Session).SuggestAsync(word, 50, byName: false, ct));
            return CompletionWork.ClientIds(found);
        }
    }
}
