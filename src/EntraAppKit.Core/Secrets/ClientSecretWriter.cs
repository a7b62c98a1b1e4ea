using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using Microsoft.Graph.Applications.Item.AddPassword;
using Microsoft.Graph.Applications.Item.RemovePassword;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Secrets
{
    /// <summary>
    /// The one place that adds a client secret to an application: a recipe's secret (first run or -NewSecret) and
    /// New-/Update-EntraAppSecret. addPassword never replaces the secrets an app has (learn.microsoft.com/graph/api/application-addpassword).
    /// </summary>
    public sealed class ClientSecretWriter
    {
        private readonly GraphSession _session;
        private readonly LagRetryPolicy _retry;

        public ClientSecretWriter(GraphSession session, LagRetryPolicy retry)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _retry = retry ?? throw new ArgumentNullException(nameof(retry));
        }

        /// <summary>
        /// Adds a secret named <paramref name="name"/> (unique on the app) ending at <paramref name="end"/>. Graph returns its value
        /// only in this answer: the value comes back as a SecureString and the credential without it. If the answer is lost (a failure
        /// or Ctrl+C after the request left), a secret nobody holds may exist: it is looked up by its name and removed again, and the
        /// error says whether that worked.
        /// </summary>
        public async Task<(PasswordCredential Credential, SecureString? Secret)> AddAsync(string applicationId, string appDisplayName, string name,
            DateTimeOffset end, CancellationToken cancellationToken)
        {
            PasswordCredential credential;
            try
            {
                credential = await _retry.ExecuteAsync("Adding the client secret", async () => (await _session.Client.Applications[applicationId].AddPassword.PostAsync(new AddPasswordPostRequestBody
                {
                    PasswordCredential = new PasswordCredential { DisplayName = name, EndDateTime = end },
                }, cancellationToken: cancellationToken).ConfigureAwait(false))!, cancellationToken).ConfigureAwait(false);
            }
            // Never sent (what it followed in a $batch failed): no secret exists, nothing to look for.
            catch (Exception e) when (!(e is RequestNotSentException))
            {
                string cleanup = await RemoveUnheldSecretsAsync(applicationId, name).ConfigureAwait(false);
                if (e is OperationCanceledException) throw new OperationCanceledException($"Stopped while adding the client secret '{name}' to '{appDisplayName}'. {cleanup}", e, cancellationToken);
                var failure = GraphErrors.Wrap(e, "Adding the client secret");
                throw new EntraAppKitException(failure.ErrorId, failure.Category, $"{failure.Message} {cleanup}", e, failure.RequestId);
            }
            var text = SecretText.ToSecureString(credential.SecretText);
            credential.SecretText = null;
            return (credential, text);
        }

        /// <summary>Removes any secret named <paramref name="name"/> (just added, its value lost); says what happened.</summary>
        private async Task<string> RemoveUnheldSecretsAsync(string applicationId, string name)
        {
            // The caller's token may be cancelled already: the clean-up has its own, short, deadline.
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                var app = await _session.Client.Applications[applicationId].GetAsync(c => c.QueryParameters.Select = new[] { "passwordCredentials" }, deadline.Token).ConfigureAwait(false);
                var orphans = (app?.PasswordCredentials ?? new List<PasswordCredential>()).Where(p => p.DisplayName == name && p.KeyId.HasValue).ToList();
                foreach (var orphan in orphans)
                    await _session.Client.Applications[applicationId].RemovePassword.PostAsync(
                        new RemovePasswordPostRequestBody { KeyId = orphan.KeyId }, cancellationToken: deadline.Token).ConfigureAwait(false);
                return orphans.Count == 0
                    ? "No client secret was created."
                    : $"The client secret '{name}' that was created (its value never reached you) was removed again.";
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return $"A client secret '{name}' may have been created whose value never reached you, and checking for it failed ({e.Message}): " +
                    $"remove it under Certificates & secrets, or with Remove-EntraAppCredential.";
            }
        }
    }
}
