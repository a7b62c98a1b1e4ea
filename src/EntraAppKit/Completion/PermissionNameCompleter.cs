using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using EntraAppKit.Core.Permissions;

namespace EntraAppKit.Completion
{
    /// <summary>Completes Microsoft Graph permission names: delegated for -DelegatedPermission, application for -ApplicationPermission, both otherwise.</summary>
    public sealed class PermissionNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? "").Trim('\'', '"');
            PermissionType? type = parameterName == "DelegatedPermission" ? PermissionType.Delegated
                : parameterName == "ApplicationPermission" ? PermissionType.Application : (PermissionType?)null;
            return GraphPermissionCatalog.Complete(word, type).Take(100)
                .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, $"Microsoft Graph {name}"));
        }
    }
}
