using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model.Operations;

namespace EntraAppKit.Completion
{
    /// <summary>
    /// Completes the key ids of the application named by -ClientId (already on the command line): each shown with what it is
    /// (secret or certificate, its description or thumbprint, its end date), so the one to retire is picked by what it says.
    /// </summary>
    public sealed class CredentialKeyIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (!(fakeBoundParameters?["ClientId"] is object clientId) || !Guid.TryParse(clientId.ToString(), out var id)) return Array.Empty<CompletionResult>();
            string word = CompletionWork.Word(wordToComplete);
            var rows = CompletionWork.Run((connection, ct) => new AppCredentialOperation(connection.Session, connection.Tenant).ReadAllAsync(id.ToString(), cancellationToken: ct));
            return rows
                .Where(r => r.ObjectType == "Application" && r.KeyId.HasValue && r.KeyId.Value.ToString().StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(r => new CompletionResult(r.KeyId!.Value.ToString(), $"{r.KeyId} ({Describe(r)})", CompletionResultType.ParameterValue, Describe(r)));
        }

        private static string Describe(EntraAppCredential row)
        {
            string what = row.Kind == "Certificate" ? $"certificate {row.Subject ?? row.Thumbprint}" : $"secret '{row.DisplayName}' {row.Hint}...";
            return row.EndDateTime is DateTimeOffset end ? $"{what}, {row.Status.ToLowerInvariant()}, ends {end:yyyy-MM-dd}" : what;
        }
    }
}
