using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Applications;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Applications.Item.AddKey;
using Microsoft.Graph.Applications.Item.RemoveKey;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// New-EntraAppCertificate: adds a certificate credential to an app without removing any other. Two ways exist
    /// (learn.microsoft.com/graph/applications-how-to-add-certificate):
    /// <list type="bullet">
    /// <item>addKey (learn.microsoft.com/graph/api/application-addkey) adds one key and touches no other, but needs a proof of
    /// possession signed by an existing valid certificate of the app (learn.microsoft.com/graph/application-rollkey-prooftoken):
    /// taken when the caller passes that certificate (-ProofCertificatePath).</item>
    /// <item>Otherwise a PATCH of keyCredentials, which replaces the whole collection ("Including only the new certificate details
    /// replaces the existing certificate", microsoftgraph/microsoft-graph-docs PR 19674). The existing keys are read with
    /// <c>$select=keyCredentials</c> on the single application, the one read that returns their key material
    /// (resources/keycredential: key is "Returned only on $select for a single object ... otherwise, it's always null"), and
    /// sent back whole beside the new one. Should any existing key come back without its material, nothing is written
    /// (ExistingKeyUnavailable): sending it without would rest on undocumented behaviour, and dropping it is what this
    /// command exists to avoid. The write is verified (<see cref="ConvergingWrite"/>): every write starts from a fresh read.</item>
    /// </list>
    /// </summary>
    public sealed class AppCertificateOperation
    {
        /// <summary>The audience of addKey's proof (application-rollkey-prooftoken).</summary>
        internal const string ProofAudience = "00000002-0000-0000-c000-000000000000";

        private static readonly string[] KeySelect = { "id", "appId", "displayName", "keyCredentials" };

        private readonly GraphSession _session;
        private readonly TenantReader _reader;
        private readonly Func<DateTimeOffset> _now;

        public AppCertificateOperation(GraphSession session, Func<DateTimeOffset>? now = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _reader = new TenantReader(session, new LagRetryPolicy());
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>
        /// Reads the app and its keys and decides how the certificate is added. <paramref name="certificate"/> is given, or made
        /// here by <paramref name="make"/> from the app's display name (the default subject needs it).
        /// </summary>
        public async Task<AppCertificatePlan> PlanAsync(string clientId, X509Certificate2? certificate, Func<string, X509Certificate2>? make,
            X509Certificate2? proof, IReadOnlyList<string> files, CancellationToken cancellationToken = default)
        {
            if (certificate == null && make == null) throw new ArgumentNullException(nameof(make));
            return await GraphErrors.Guard("Reading the app registration", async () =>
            {
                var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                var found = await _reader.RequireApplicationAsync(clientId, tenant, cancellationToken).ConfigureAwait(false);
                var app = await ReadAsync(found.Id!, found.DisplayName ?? clientId, cancellationToken).ConfigureAwait(false);
                string name = app.DisplayName ?? clientId;
                bool generated = certificate == null;
                var cert = certificate ?? make!(name);
                CheckUsable(cert);
                var existing = Find(app, cert);
                if (proof != null && existing == null) DemandProof(app, proof, _now(), "addKey");
                var changes = new List<PlannedChange>();
                foreach (var file in files) changes.Add(new PlannedChange($"file {file}", "Write certificate file", $"Write certificate {cert.Subject} (thumbprint {cert.Thumbprint}) to {file}"));
                if (existing == null)
                    changes.Add(new PlannedChange($"application '{name}'", "Add certificate", CertificateCredentials.DescribeAdd(cert, name, Keys(app).Count, app.AppId, proof != null)));
                return new AppCertificatePlan(app, tenant, cert, generated, existing == null ? proof : null, existing?.KeyId?.ToString(), changes);
            }).ConfigureAwait(false);
        }

        /// <summary>Adds the planned certificate, keeping every other key, and describes it.</summary>
        public async Task<EntraAppCertificate> ApplyAsync(AppCertificatePlan plan, CancellationToken cancellationToken = default)
        {
            var app = plan.Application;
            string id = app.Id!;
            var cert = plan.Certificate;
            string? keyId = plan.ExistingKeyId;
            if (keyId == null)
            {
                keyId = await GraphErrors.Guard("Adding the certificate", async () =>
                {
                    if (plan.Proof != null)
                    {
                        var added = await _session.Client.Applications[id].AddKey.PostAsync(new AddKeyPostRequestBody
                        {
                            KeyCredential = NewKey(cert),
                            PasswordCredential = null,
                            Proof = Proof(plan.Proof, id, _now()),
                        }, cancellationToken: cancellationToken).ConfigureAwait(false);
                        return added?.KeyId?.ToString() ?? Find(await ReadAsync(id, plan.DisplayName, cancellationToken).ConfigureAwait(false), cert)?.KeyId?.ToString();
                    }
                    return (await AddByPatchAsync(id, plan.DisplayName, cert, cancellationToken).ConfigureAwait(false))?.KeyId?.ToString();
                }).ConfigureAwait(false);
            }
            return new EntraAppCertificate
            {
                ClientId = app.AppId ?? "",
                DisplayName = plan.DisplayName,
                KeyId = keyId ?? "",
                Thumbprint = cert.Thumbprint,
                Subject = cert.Subject,
                StartDateTime = new DateTimeOffset(cert.NotBefore.ToUniversalTime()),
                EndDateTime = new DateTimeOffset(cert.NotAfter.ToUniversalTime()),
                KeySize = KeySize(cert),
                Method = plan.ExistingKeyId != null ? "None" : plan.Method,
                TenantId = plan.Tenant.TenantId,
                Changes = plan.Changes.Select(c => c.Description).ToArray(),
            };
        }

        /// <summary>
        /// Adds <paramref name="cert"/> to the application <paramref name="id"/> by a PATCH of keyCredentials sending every existing
        /// key back (ExistingKeyUnavailable before any write when one came back without its material), verified by a fresh read;
        /// New-EntraAppCertificate's PATCH path and a recipe's certificate. The app's key holding it.
        /// </summary>
        internal async Task<KeyCredential?> AddByPatchAsync(string id, string displayName, X509Certificate2 cert, CancellationToken cancellationToken)
        {
            var done = await ConvergingWrite.RunAsync(await ReadAsync(id, displayName, cancellationToken).ConfigureAwait(false),
                a => Find(a, cert) != null,
                a => PatchKeysAsync(a, displayName, Keys(a).Select(Copy).Concat(new[] { NewKey(cert) }).ToList(), "adding by PATCH would remove them",
                    "to add by addKey", cancellationToken),
                () => ReadAsync(id, displayName, cancellationToken),
                a => $"Another writer kept replacing the keyCredentials of '{displayName}': after {ConvergingWrite.MaxWrites} writes, certificate {cert.Thumbprint} did not stay. Run the command again when the other change is done.",
                cancellationToken).ConfigureAwait(false);
            return Find(done, cert);
        }

        private async Task<Application> ReadAsync(string id, string displayName, CancellationToken cancellationToken) =>
            await _session.Client.Applications[id].GetAsync(r => r.QueryParameters.Select = KeySelect, cancellationToken).ConfigureAwait(false)
            ?? throw new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound, $"'{displayName}' was removed while its certificate was added.");

        private static List<KeyCredential> Keys(Application app) => app.KeyCredentials ?? new List<KeyCredential>();

        /// <summary>The app's keys read with their material (<c>$select=keyCredentials</c> on the single application).</summary>
        internal Task<Application> ReadKeysAsync(string id, string displayName, CancellationToken cancellationToken) => ReadAsync(id, displayName, cancellationToken);

        /// <summary>
        /// PATCHes keyCredentials to <paramref name="keys"/> (fresh objects), first refusing (ExistingKeyUnavailable) when any key
        /// of <paramref name="app"/> came back without its material: the PATCH replaces the collection, so it would be dropped.
        /// </summary>
        private Task PatchKeysAsync(Application app, string displayName, List<KeyCredential> keys, string consequence, string byProof,
            CancellationToken cancellationToken)
        {
            RequireKeyMaterial(app, displayName, consequence, byProof);
            // Fresh objects: the SDK's backing store sends only changed values of objects it read.
            return _session.Client.Applications[app.Id].PatchAsync(new Application { KeyCredentials = keys }, cancellationToken: cancellationToken);
        }

        /// <summary>Throws ExistingKeyUnavailable, before any write, when a key of <paramref name="app"/> came back without its material.</summary>
        internal static void RequireKeyMaterial(Application app, string displayName, string consequence, string byProof)
        {
            var blind = Keys(app).Where(k => k.Key == null || k.Key.Length == 0).ToList();
            if (blind.Count > 0)
                throw new EntraAppKitException(ErrorIds.ExistingKeyUnavailable, EntraErrorCategory.InvalidOperation,
                    $"Nothing was changed: Graph did not return the key material of {blind.Count} existing key(s) of '{displayName}' " +
                    $"({string.Join(", ", blind.Select(k => k.KeyId))}), and a PATCH of keyCredentials replaces them all, so {consequence}. " +
                    $"Pass one of the app's valid certificates with -ProofCertificatePath (and -ProofCertificatePassword) {byProof}, which keeps every other key.");
        }

        /// <summary>
        /// Refuses a proof certificate Graph would refuse (addKey and removeKey alike: application-rollkey-prooftoken): one without
        /// its private key, or one that is not a certificate of the app valid now.
        /// </summary>
        internal static void DemandProof(Application app, X509Certificate2 proof, DateTimeOffset now, string action)
        {
            string name = app.DisplayName ?? app.AppId ?? "";
            if (!proof.HasPrivateKey)
                throw new EntraAppKitException(ErrorIds.ProofCertificateNotOnApp, EntraErrorCategory.InvalidArgument,
                    $"-ProofCertificatePath holds no private key: {action}'s proof must be signed by it. Pass the .pfx of a valid certificate of '{name}' with -ProofCertificatePassword.");
            var held = Find(app, proof);
            if (held == null || !(held.StartDateTime <= now && now < held.EndDateTime))
                throw new EntraAppKitException(ErrorIds.ProofCertificateNotOnApp, EntraErrorCategory.InvalidArgument,
                    $"The proof certificate {proof.Thumbprint} is not a valid certificate of '{name}' now, so Graph would refuse {action}'s proof. " +
                    "Pass one of the app's current certificates, or leave -ProofCertificatePath out to write by PATCH.");
        }

        /// <summary>
        /// Removes the key <paramref name="keyId"/> from the application <paramref name="app"/> (read by <see cref="ReadKeysAsync"/>)
        /// and no other: by removeKey (learn.microsoft.com/graph/api/application-removekey) with a proof signed by
        /// <paramref name="proof"/>, else by a PATCH sending every other key back. False when the key was already gone.
        /// </summary>
        internal async Task<bool> RemoveAsync(Application app, Guid keyId, X509Certificate2? proof, CancellationToken cancellationToken)
        {
            string id = app.Id!;
            string name = app.DisplayName ?? app.AppId ?? "";
            bool Gone(Application a) => Keys(a).All(k => k.KeyId != keyId);
            if (proof != null)
            {
                try
                {
                    await _session.Client.Applications[id].RemoveKey.PostAsync(new RemoveKeyPostRequestBody { KeyId = keyId, Proof = Proof(proof, id, _now()) },
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (Exception e) when (!(e is OperationCanceledException) && !(e is EntraAppKitException))
                {
                    // Graph answers an unknown keyId with an error: one removed meanwhile is the no-op a re-run is.
                    if (Gone(await ReadAsync(id, name, cancellationToken).ConfigureAwait(false))) return false;
                    throw;
                }
            }
            var current = await ReadAsync(id, name, cancellationToken).ConfigureAwait(false);
            if (Gone(current)) return false;
            await ConvergingWrite.RunAsync(current, Gone,
                a => PatchKeysAsync(a, name, Keys(a).Where(k => k.KeyId != keyId).Select(Copy).ToList(), "removing one by PATCH would remove them too",
                    "to remove it by removeKey", cancellationToken),
                () => ReadAsync(id, name, cancellationToken),
                a => $"Another writer kept replacing the keyCredentials of '{name}': after {ConvergingWrite.MaxWrites} writes, key {keyId} was still there. Run the command again when the other change is done.",
                cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>"certificate 'CN=x' (thumbprint AB12…, expires 2027-11-29, key id …)".</summary>
        public static string Describe(KeyCredential key) =>
            $"certificate '{key.DisplayName}' (thumbprint {Thumbprint(key) ?? "unknown"}, {(key.EndDateTime < DateTimeOffset.UtcNow ? "expired" : "expires")} " +
            $"{key.EndDateTime?.UtcDateTime:yyyy-MM-dd}, key id {key.KeyId})";

        /// <summary>The certificate's SHA-1 thumbprint: Graph's customKeyIdentifier, else computed from the key material.</summary>
        internal static string? Thumbprint(KeyCredential key)
        {
            if (key.CustomKeyIdentifier is { Length: > 0 } id) return BitConverter.ToString(id).Replace("-", "");
            if (!(key.Key is { Length: > 0 } der)) return null;
            try
            {
                using var cert = new X509Certificate2(der);
                return cert.Thumbprint;
            }
            catch (CryptographicException)
            {
                return null;
            }
        }

        internal static KeyCredential? Find(Application app, X509Certificate2 cert) => CertificateCredentials.Find(app, cert);

        private static KeyCredential NewKey(X509Certificate2 cert) => new KeyCredential
        {
            Type = "AsymmetricX509Cert",
            Usage = "Verify",
            Key = cert.RawData,
            DisplayName = Truncate(cert.Subject, 90),
        };

        private static KeyCredential Copy(KeyCredential k) => new KeyCredential
        {
            CustomKeyIdentifier = k.CustomKeyIdentifier,
            DisplayName = k.DisplayName,
            EndDateTime = k.EndDateTime,
            Key = k.Key,
            KeyId = k.KeyId,
            StartDateTime = k.StartDateTime,
            Type = k.Type,
            Usage = k.Usage,
        };

        private static string Truncate(string s, int max) => s.Length <= max ? s : s.Substring(0, max);

        private static int KeySize(X509Certificate2 cert)
        {
            using var rsa = cert.GetRSAPublicKey();
            return rsa?.KeySize ?? 0;
        }

        /// <summary>An RSA certificate of at least 2048 bits, valid now or later: what Entra's certificate credentials take.</summary>
        internal void CheckUsable(X509Certificate2 cert)
        {
            int size = KeySize(cert);
            if (size == 0) throw new EntraAppKitException(ErrorIds.InvalidCertificate, EntraErrorCategory.InvalidArgument, $"Certificate {cert.Thumbprint} has no RSA key; Entra's certificate credentials are RSA.");
            if (size < 2048) throw new EntraAppKitException(ErrorIds.InvalidCertificate, EntraErrorCategory.InvalidArgument, $"Certificate {cert.Thumbprint} has a {size}-bit key; Entra needs 2048 bits or more.");
            if (cert.NotAfter.ToUniversalTime() <= _now().UtcDateTime)
                throw new EntraAppKitException(ErrorIds.InvalidCertificate, EntraErrorCategory.InvalidArgument, $"Certificate {cert.Thumbprint} expired on {cert.NotAfter.ToUniversalTime():yyyy-MM-dd}.");
        }

        /// <summary>
        /// addKey's proof of possession (learn.microsoft.com/graph/application-rollkey-prooftoken): a JWT signed RS256 by an existing
        /// certificate, with x5t its SHA-1 thumbprint, aud 00000002-0000-0000-c000-000000000000, iss the application's object id,
        /// nbf now and exp ten minutes later; base64url without padding.
        /// </summary>
        internal static string Proof(X509Certificate2 certificate, string objectId, DateTimeOffset now)
        {
            static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            long nbf = now.ToUnixTimeSeconds();
            string header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5t\":\"" + B64(certificate.GetCertHash()) + "\"}";
            string payload = "{\"aud\":\"" + ProofAudience + "\",\"iss\":\"" + objectId + "\",\"nbf\":" + nbf + ",\"exp\":" + (nbf + 600) + "}";
            string input = B64(Encoding.UTF8.GetBytes(header)) + "." + B64(Encoding.UTF8.GetBytes(payload));
            using var rsa = certificate.GetRSAPrivateKey() ?? throw new EntraAppKitException(ErrorIds.ProofCertificateNotOnApp, EntraErrorCategory.InvalidArgument,
                "The proof certificate has no RSA private key.");
            return input + "." + B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }
}
