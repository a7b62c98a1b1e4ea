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
            string word = CompletionWork.Word(wordToComplete);
            PermissionType? type = parameterName == "DelegatedPermission" ? PermissionType.Delegated
                : parameterName == "ApplicationPermission" ? PermissionType.Application : (PermissionType?)null;
            // 'Microsoft Graph/User.Re' completes too: the API's name, a slash, then the permission.
            const string graphPrefix = "Microsoft Graph/";
            bool prefixed = word.StartsWith(graphPrefix, System.StringComparison.OrdinalIgnoreCase);
            string name = prefixed ? word.Substring(graphPrefix.Length) : word;
            return GraphPermissionCatalog.Complete(name, type).Take(100)
                .Select(n => prefixed
                    ? new CompletionResult(CompletionWork.Quote(graphPrefix + n), graphPrefix + n, CompletionResultType.ParameterValue, $"Microsoft Graph {n}")
                    : new CompletionResult(n, n, CompletionResultType.ParameterValue, $"Microsoft Graph {n}"));
        }
    }
}
