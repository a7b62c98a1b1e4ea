using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.LocalTenant;
using EntraAppKit.Model.Operations;
using EntraAppKit.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;

namespace EntraAppKit.Tests.Operations
{
    /// <summary>
    /// Remove-EntraAppCredential's engine on certificates, against the local tenant: by removeKey with a proof of possession
    /// signed by one of the app's valid certificates (learn.microsoft.com/graph/api/application-removekey, "a proof of possession
    /// of an existing key is verified before the action can be performed"; learn.microsoft.com/graph/application-rollkey-prooftoken),
    /// else by a PATCH of keyCredentials, which replaces the collection, sending every other key back with its material (read with
    /// $select=keyCredentials: learn.microsoft.com/graph/api/resources/keycredential). No other key is ever dropped.
    /// </summary>
    public class CertificateRemovalTests : IDisposable
    {
        private readonly LocalTenantEngine _tenant = LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly AppCertificateOperation _certificates;
        private readonly AppSecretOperations _operations;

        public CertificateRemovalTests()
        {
            _session = _tenant.Session();
            _certificates = new AppCertificateOperation(_session);
            _operations = new AppSecretOperations(_session);
        }

        public void Dispose() => _session.Dispose();

        /// <summary>An application and its service principal, which a client-credentials sign-in needs.</summary>
        private async Task<Application> NewAppAsync(string name)
        {
            var app = (await _session.Client.Applications.PostAsync(new Application { DisplayName = name }))!;
            await _session.Client.ServicePrincipals.PostAsync(new ServicePrincipal { AppId = app.AppId });
            return app;
        }

        private static X509Certificate2 Make(string subject) => SelfSignedCertificates.Create(subject, 2048, 12, DateTimeOffset.UtcNow);

        private async Task<EntraAppCertificate> AddAsync(Application app, X509Certificate2 certificate) =>
            await _certificates.ApplyAsync(await _certificates.PlanAsync(app.AppId!, certificate, null, null, Array.Empty<string>()));

        private async Task<KeyCredential[]> KeysAsync(Application app) =>
            (await _session.Client.Applications[app.Id].GetAsync(r => r.QueryParameters.Select = new[] { "keyCredentials" }))!.KeyCredentials!.ToArray();

        private async Task<bool> SignsInAsync(Application app, X509Certificate2 certificate) =>
            (await AppCredentialTester.TestAsync(new AppCredentialTestOptions
            {
                TenantId = _tenant.TenantId, ClientId = app.AppId!, Certificate = certificate, Target = LocalTenantAdapter.For(_tenant),
            })).Success;

        private int Patches => _tenant.RequestLog.Entries.Count(e => e.Method == "PATCH");

        [Fact]
        public async Task Patch_removes_one_certificate_names_it_and_keeps_every_other_key_and_secret()
        {
            var app = await NewAppAsync("Contoso Certs");
            using var old = Make("CN=old");
            using var kept = Make("CN=kept");
            var first = await AddAsync(app, old);
            var second = await AddAsync(app, kept);
            var secret = await _operations.ApplyAddAsync(await _operations.PlanAddAsync(app.AppId!, displayName: "Side"), asPlainText: true);
            var keptKey = (await KeysAsync(app)).Single(k => k.KeyId.ToString() == second.KeyId);

            var plan = await _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(first.KeyId));
            Assert.Equal($"Remove certificate 'CN=old' (thumbprint {old.Thumbprint}, expires {first.EndDateTime.UtcDateTime:yyyy-MM-dd}, key id {first.KeyId}) " +
                "from 'Contoso Certs' by PATCH, keeping its 2 other credential(s)", Assert.Single(plan.Changes).Description);
            Assert.Equal("Remove certificate", plan.Changes[0].Action);

            _tenant.RequestLog.Clear();
            Assert.True(await _operations.ApplyRemoveAsync(plan));
            // A read for the keys' material, the PATCH, the read that verifies it.
            Assert.Equal(1, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal(3, _tenant.RequestLog.RoundTrips);
            var left = Assert.Single(await KeysAsync(app));
            Assert.Equal(second.KeyId, left.KeyId.ToString());
            Assert.Equal(keptKey.Key, left.Key);
            Assert.Equal(keptKey.CustomKeyIdentifier, left.CustomKeyIdentifier);
            Assert.Equal(keptKey.EndDateTime, left.EndDateTime);
            Assert.Equal(secret.KeyId, Assert.Single((await _session.Client.Applications[app.Id].GetAsync())!.PasswordCredentials!).KeyId);
            Assert.False(await SignsInAsync(app, old));
            Assert.True(await SignsInAsync(app, kept));

            // A re-run: the key is gone, no change, no write.
            _tenant.RequestLog.Clear();
            var rerun = await _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(first.KeyId));
            Assert.Empty(rerun.Changes);
            Assert.False(await _operations.ApplyRemoveAsync(rerun));
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
        }

        [Fact]
        public async Task RemoveKey_with_a_proof_removes_without_a_patch_and_keeps_the_other_keys()
        {
            var app = await NewAppAsync("Contoso Roll Off");
            using var old = Make("CN=old");
            using var current = Make("CN=current");
            var first = await AddAsync(app, old);
            var second = await AddAsync(app, current);

            var plan = await _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(first.KeyId), proof: current);
            Assert.EndsWith("from 'Contoso Roll Off' by removeKey", Assert.Single(plan.Changes).Description);
            _tenant.RequestLog.Clear();
            Assert.True(await _operations.ApplyRemoveAsync(plan));
            Assert.Equal(0, Patches);
            Assert.Equal(1, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal(1, _tenant.RequestLog.RoundTrips);
            Assert.Contains(_tenant.RequestLog.Entries, e => e.Method == "POST" && e.Path.EndsWith("/removeKey", StringComparison.Ordinal));
            Assert.Equal(new[] { second.KeyId }, (await KeysAsync(app)).Select(k => k.KeyId.ToString()));
            Assert.True(await SignsInAsync(app, current));
        }

        [Fact]
        public async Task A_proof_certificate_the_app_does_not_hold_fails_before_any_write()
        {
            var app = await NewAppAsync("Contoso Stranger Proof");
            using var one = Make("CN=one");
            using var two = Make("CN=two");
            using var stranger = Make("CN=stranger");
            var first = await AddAsync(app, one);
            await AddAsync(app, two);
            int writes = _tenant.RequestLog.SuccessfulWrites;
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(first.KeyId), proof: stranger));
            Assert.Equal(ErrorIds.ProofCertificateNotOnApp, e.ErrorId);
            Assert.Contains("removeKey", e.Message);
            // A certificate without its private key cannot sign the proof.
            using var publicOnly = X509CertificateLoader.LoadCertificate(two.RawData);
            e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(first.KeyId), proof: publicOnly));
            Assert.Equal(ErrorIds.ProofCertificateNotOnApp, e.ErrorId);
            Assert.Equal(writes, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal(2, (await KeysAsync(app)).Length);
        }

        [Fact]
        public async Task A_key_whose_material_Graph_does_not_return_stops_the_patch_before_any_write()
        {
            // A key stored without material (a Symmetric key, which needs none) comes back without it even on $select=keyCredentials:
            // the PATCH that removes the certificate could not send it back, so nothing is written (ExistingKeyUnavailable).
            var app = await NewAppAsync("Contoso Blind Removal");
            using var cert = Make("CN=blind");
            await _session.Client.Applications[app.Id].PatchAsync(new Application
            {
                KeyCredentials = new() { new KeyCredential { Type = "Symmetric", Usage = "Verify" }, new KeyCredential { Type = "AsymmetricX509Cert", Usage = "Verify", Key = cert.RawData } },
            });
            var target = (await KeysAsync(app)).Single(k => k.Type == "AsymmetricX509Cert");
            int writes = _tenant.RequestLog.SuccessfulWrites;
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operations.PlanRemoveAsync(app.AppId!, target.KeyId!.Value));
            Assert.Equal(ErrorIds.ExistingKeyUnavailable, e.ErrorId);
            Assert.Contains("-ProofCertificatePath", e.Message);
            Assert.Equal(writes, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal(2, (await KeysAsync(app)).Length);

            // removeKey needs no key material: with the certificate as its own proof, only it goes.
            var plan = await _operations.PlanRemoveAsync(app.AppId!, target.KeyId!.Value, force: false, proof: cert);
            Assert.True(await _operations.ApplyRemoveAsync(plan));
            Assert.Equal("Symmetric", Assert.Single(await KeysAsync(app)).Type);
        }

        [Fact]
        public async Task The_last_certificate_is_refused_without_force_counting_secrets_too()
        {
            var app = await NewAppAsync("Contoso Last Cert");
            using var only = Make("CN=only");
            var added = await AddAsync(app, only);
            int writes = _tenant.RequestLog.SuccessfulWrites;
            var refused = await Assert.ThrowsAsync<EntraAppKitException>(() => _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(added.KeyId)));
            Assert.Equal(ErrorIds.LastCredential, refused.ErrorId);
            Assert.StartsWith("Certificate 'CN=only' (thumbprint " + only.Thumbprint, refused.Message);
            Assert.Equal(writes, _tenant.RequestLog.SuccessfulWrites);

            // A secret beside it: no longer the last credential.
            await _operations.ApplyAddAsync(await _operations.PlanAddAsync(app.AppId!), asPlainText: false);
            var plan = await _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(added.KeyId));
            Assert.DoesNotContain("last credential", Assert.Single(plan.Changes).Description);

            // Without the secret, -Force removes the last certificate.
            var secretId = (await _session.Client.Applications[app.Id].GetAsync())!.PasswordCredentials!.Single().KeyId!.Value;
            Assert.True(await _operations.ApplyRemoveAsync(await _operations.PlanRemoveAsync(app.AppId!, secretId)));
            var forced = await _operations.PlanRemoveAsync(app.AppId!, Guid.Parse(added.KeyId), force: true, proof: only);
            Assert.EndsWith("its last credential by removeKey", Assert.Single(forced.Changes).Description);
            Assert.True(await _operations.ApplyRemoveAsync(forced));
            Assert.Empty(await KeysAsync(app));
        }
    }
}
