using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Applications;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Secrets;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Applications.Item.RemovePassword;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Client secrets of existing apps: add one (New-EntraAppSecret), rotate without an outage (Update-EntraAppSecret: add, prove the
    /// new one signs in, keep the old ones), and remove a credential, a secret or a certificate (Remove-EntraAppCredential), refusing the app's last one unless forced.
    /// Graph's passwordCredentials are immutable (no PATCH shortens one): an overlap ends when the old secret is removed.
    /// </summary>
    public sealed class AppSecretOperations
    {
        private readonly GraphSession _session;
        private readonly TenantReader _reader;
        private readonly ClientSecretWriter _writer;
        private readonly AppCertificateOperation _certificates;

        public AppSecretOperations(GraphSession session, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            retry ??= new LagRetryPolicy();
            _reader = new TenantReader(session, retry);
            _writer = new ClientSecretWriter(session, retry);
            _certificates = new AppCertificateOperation(session);
        }

        /// <summary>How often a rotation tries the new secret before it says it could not prove it (Entra may take seconds to accept a new secret).</summary>
        public int SignInAttempts { get; set; } = 6;

        /// <summary>The wait between those tries.</summary>
        public TimeSpan SignInRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>The default description: who added the secret, and when is added by <see cref="SecretNames.Unique"/>.</summary>
        public static string DefaultDisplayName(string? account) => string.IsNullOrWhiteSpace(account) ? "EntraAppKit" : $"EntraAppKit by {account}";

        /// <summary>
        /// Plans adding a secret to the app with <paramref name="clientId"/>, ending after <paramref name="months"/> or at
        /// <paramref name="endDateTime"/> (the default lifetime when neither). Existing secrets are kept. Fails before any write on a
        /// lifetime out of range or an app that holds as many secrets as Entra allows its audience.
        /// </summary>
        public Task<AppSecretPlan> PlanAddAsync(string clientId, string? displayName = null, int? months = null, DateTimeOffset? endDateTime = null,
            string? account = null, bool rotation = false, CancellationToken cancellationToken = default)
        {
            var now = DateTimeOffset.UtcNow;
            if (months.HasValue && endDateTime.HasValue) throw EntraAppKitException.InvalidInput("Give the lifetime in months or an end date, not both.");
            if (months.HasValue && (months < ClientSecretLifetime.MinMonths || months > ClientSecretLifetime.MaxMonths))
                throw EntraAppKitException.InvalidInput($"A client secret's lifetime is {ClientSecretLifetime.MinMonths} to {ClientSecretLifetime.MaxMonths} months; {months} was given.");
            if (endDateTime.HasValue && endDateTime <= now)
                throw EntraAppKitException.InvalidInput($"The end date {endDateTime:yyyy-MM-dd HH:mm} is in the past: a secret must end in the future.");
            if (endDateTime.HasValue && endDateTime > now.AddMonths(ClientSecretLifetime.MaxMonths))
                throw EntraAppKitException.InvalidInput($"The end date {endDateTime:yyyy-MM-dd} is more than {ClientSecretLifetime.MaxMonths} months away; Microsoft recommends shorter-lived secrets.");
            var end = endDateTime ?? now.AddMonths(months ?? ClientSecretLifetime.DefaultMonths);
            return GraphErrors.Guard("Reading the app registration", async () =>
            {
                var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                var app = await _reader.RequireApplicationAsync(clientId, tenant, cancellationToken).ConfigureAwait(false);
                var existing = app.PasswordCredentials ?? new List<PasswordCredential>();
                if (ApplicationRules.IsPersonalAudience(app.SignInAudience ?? "") && existing.Count >= 2)
                    throw EntraAppKitException.InvalidInput($"'{app.DisplayName}' already has {existing.Count} client secrets, and Entra allows 2 when personal accounts are in the audience: " +
                        "remove one with Remove-EntraAppCredential first.");
                string name = SecretNames.Unique(displayName ?? DefaultDisplayName(account), existing);
                string description = rotation
                    ? $"Add client secret '{name}' to '{app.DisplayName}', expiring {end.UtcDateTime:yyyy-MM-dd}; {Overlap(existing.Count)}"
                    : $"Add client secret '{name}' to '{app.DisplayName}', expiring {end.UtcDateTime:yyyy-MM-dd}";
                return new AppSecretPlan(app, tenant, name, end, rotation,
                    new PlannedChange($"application '{app.DisplayName}'", rotation ? "Rotate client secret" : "Add client secret", description));
            });
        }

        private static string Overlap(int secrets) => secrets switch
        {
            0 => "the app has no other secret",
            1 => "its existing secret stays valid until you remove it",
            _ => $"its {secrets} existing secrets stay valid until you remove them",
        };

        /// <summary>
        /// Adds the planned secret. For a rotation (<see cref="AppSecretPlan"/> made with rotation), when <paramref name="signInAt"/> is
        /// given, proves the new secret with a client-credentials sign-in there (retrying while Entra catches up) and lists the
        /// secrets the app had before in <see cref="EntraAppSecret.PreviousKeyIds"/>: none of them is removed.
        /// </summary>
        public async Task<EntraAppSecret> ApplyAddAsync(AppSecretPlan plan, bool asPlainText, ConnectionTarget? signInAt = null, CancellationToken cancellationToken = default)
        {
            var app = plan.Application;
            var (credential, secret) = await _writer.AddAsync(app.Id!, plan.DisplayName, plan.SecretName, plan.EndDateTime, cancellationToken).ConfigureAwait(false);
            bool? verified = null;
            if (plan.Rotation && signInAt != null && secret != null)
                verified = await SignsInAsync(app.AppId!, plan.Tenant.TenantId, secret, signInAt, cancellationToken).ConfigureAwait(false);
            return new EntraAppSecret
            {
                ClientId = app.AppId ?? "",
                AppDisplayName = plan.DisplayName,
                KeyId = credential.KeyId ?? Guid.Empty,
                DisplayName = credential.DisplayName ?? plan.SecretName,
                Hint = credential.Hint,
                StartDateTime = credential.StartDateTime,
                EndDateTime = credential.EndDateTime,
                TenantId = plan.Tenant.TenantId,
                ClientSecret = SecretText.Present(secret, asPlainText),
                PreviousKeyIds = plan.Rotation
                    ? (app.PasswordCredentials ?? new List<PasswordCredential>()).Where(p => p.KeyId.HasValue).Select(p => p.KeyId!.Value).ToArray()
                    : Array.Empty<Guid>(),
                SignInVerified = verified,
                Changes = plan.Changes.Select(c => c.Description).ToArray(),
            };
        }

        /// <summary>Whether a client-credentials sign-in with <paramref name="secret"/> succeeds, tried up to <see cref="SignInAttempts"/> times.</summary>
        private async Task<bool> SignsInAsync(string clientId, string tenantId, SecureString secret, ConnectionTarget target, CancellationToken cancellationToken)
        {
            var options = new AppCredentialTestOptions { TenantId = tenantId, ClientId = clientId, ClientSecret = secret, Target = target };
            // The secret exists now and its value is only in this answer: no failure of the proof (a network error, Ctrl+C) may lose it.
            try
            {
                for (int attempt = 1; ; attempt++)
                {
                    if ((await AppCredentialTester.TestAsync(options, cancellationToken).ConfigureAwait(false)).Success) return true;
                    if (attempt >= SignInAttempts) return false;
                    await Task.Delay(SignInRetryDelay, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return false;
            }
        }

        // ----- Removal -----

        /// <summary>
        /// Plans removing the credential <paramref name="keyId"/>, a client secret or a certificate, from the app. A key id the app no
        /// longer has plans no change (a re-run). Removing the app's last credential (secrets and certificates counted) fails with
        /// <see cref="ErrorIds.LastCredential"/> unless <paramref name="force"/>: nothing could sign in as the app afterwards. A
        /// certificate goes by removeKey when <paramref name="proof"/> (one of the app's valid certificates) is given, else by a PATCH
        /// sending every other key back, refused before any write (ExistingKeyUnavailable) when Graph did not return a key's material.
        /// </summary>
        public Task<CredentialRemovalPlan> PlanRemoveAsync(string clientId, Guid keyId, bool force = false, X509Certificate2? proof = null,
            CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading the app registration", async () =>
            {
                var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                var app = await _reader.RequireApplicationAsync(clientId, tenant, cancellationToken).ConfigureAwait(false);
                var secrets = app.PasswordCredentials ?? new List<PasswordCredential>();
                var secret = secrets.FirstOrDefault(p => p.KeyId == keyId);
                KeyCredential? certificate = null;
                if (secret == null && (app.KeyCredentials ?? new List<KeyCredential>()).Any(k => k.KeyId == keyId))
                {
                    // Read again with the keys' material: the PATCH must send every other key back whole.
                    var keyed = await _certificates.ReadKeysAsync(app.Id!, app.DisplayName ?? clientId, cancellationToken).ConfigureAwait(false);
                    keyed.PasswordCredentials = secrets;
                    app = keyed;
                    certificate = (app.KeyCredentials ?? new List<KeyCredential>()).FirstOrDefault(k => k.KeyId == keyId);
                }
                if (secret == null && certificate == null) return new CredentialRemovalPlan(app, keyId, null, null, null, Array.Empty<PlannedChange>());
                string described = secret != null ? Describe(secret) : AppCertificateOperation.Describe(certificate!);
                int others = secrets.Count + (app.KeyCredentials ?? new List<KeyCredential>()).Count - 1;
                if (others == 0 && !force)
                    throw new EntraAppKitException(ErrorIds.LastCredential, EntraErrorCategory.InvalidOperation,
                        $"{Capital(described)} is the last credential of '{app.DisplayName}': without it nothing can sign in as the app. " +
                        "Add another first (New-EntraAppSecret or New-EntraAppCertificate, or rotate with Update-EntraAppSecret), or run with -Force to remove it anyway. Nothing was changed.");
                if (certificate != null)
                {
                    if (proof != null) AppCertificateOperation.DemandProof(app, proof, DateTimeOffset.UtcNow, "removeKey");
                    else AppCertificateOperation.RequireKeyMaterial(app, app.DisplayName ?? clientId, "removing one by PATCH would remove them too", "to remove it by removeKey");
                }
                string how = certificate == null ? "" : proof != null ? " by removeKey" : $" by PATCH, keeping its {others} other credential(s)";
                return new CredentialRemovalPlan(app, keyId, secret, certificate, certificate != null ? proof : null, new[]
                {
                    new PlannedChange($"application '{app.DisplayName}'", secret != null ? "Remove client secret" : "Remove certificate",
                        $"Remove {described} from '{app.DisplayName}'" + (others == 0 ? ", its last credential" : "") + how),
                });
            });

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

        /// <summary>"client secret 'name' (hint abc, expires 2027-11-29, key id …)".</summary>
        public static string Describe(PasswordCredential secret) =>
            $"client secret '{secret.DisplayName}' (hint {secret.Hint}, {(secret.EndDateTime < DateTimeOffset.UtcNow ? "expired" : "expires")} " +
            $"{secret.EndDateTime?.UtcDateTime:yyyy-MM-dd}, key id {secret.KeyId})";

        /// <summary>
        /// Removes the planned credential, a secret by removePassword (learn.microsoft.com/graph/api/application-removepassword), a
        /// certificate as <see cref="AppCertificateOperation"/> removes keys; one gone meanwhile is no error.
        /// </summary>
        public Task<bool> ApplyRemoveAsync(CredentialRemovalPlan plan, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard(plan.Certificate != null ? "Removing the certificate" : "Removing the client secret", async () =>
            {
                if (plan.Certificate != null) return await _certificates.RemoveAsync(plan.Application, plan.KeyId, plan.Proof, cancellationToken).ConfigureAwait(false);
                if (plan.Secret == null) return false;
                try
                {
                    await _session.Client.Applications[plan.Application.Id].RemovePassword.PostAsync(new RemovePasswordPostRequestBody { KeyId = plan.KeyId },
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (GraphErrors.IsNotFound(e))
                {
                    return false;
                }
                return true;
            });
    }
}
