using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace EntraAppKit.Completion
{
    /// <summary>Completes the connected tenant's verified domains.</summary>
    public sealed class VerifiedDomainCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var domains = CompletionWork.Connection?.Tenant.VerifiedDomains ?? new List<string>();
            string word = CompletionWork.Word(wordToComplete);
            return domains.Where(d => d.StartsWith(word, System.StringComparison.OrdinalIgnoreCase))
                .Select(d => new CompletionResult(d, d, CompletionResultType.ParameterValue, d));
        }
    }
}
