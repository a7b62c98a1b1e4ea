using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
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
    /// issue 14 §3, New-EntraAppCertificate's engine against the local tenant: the certificates it makes (RSA 2048/3072, SHA-256,
    /// the lifetime asked, CN= the app), and adding one without dropping any key, by PATCH (the whole keyCredentials collection,
    /// read with $select=keyCredentials, learn.microsoft.com/graph/api/resources/keycredential) and by addKey with a proof of
    /// possession (learn.microsoft.com/graph/api/application-addkey, learn.microsoft.com/graph/application-rollkey-prooftoken).
    /// </summary>
    public class AppCertificateTests : IDisposable
    {
        private const string Sha256Rsa = "1.2.840.113549.1.1.11";

        private readonly LocalTenantEngine _tenant = LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly AppCertificateOperation _operation;

        public AppCertificateTests()
        {
            _session = _tenant.Session();
            _operation = new AppCertificateOperation(_session);
        }

        public void Dispose() => _session.Dispose();

        private async Task<Application> NewAppAsync(string name) =>
            (await _session.Client.Applications.PostAsync(new Application { DisplayName = name }))!;

        private Func<string, X509Certificate2> Make(int keySize = 2048, int months = 12) =>
            name => SelfSignedCertificates.Create(SelfSignedCertificates.SubjectFor(name), keySize, months, DateTimeOffset.UtcNow);

        private async Task<EntraAppCertificate> AddAsync(Application app, X509Certificate2? certificate = null, X509Certificate2? proof = null)
        {
            var plan = await _operation.PlanAsync(app.AppId!, certificate, certificate == null ? Make() : null, proof, Array.Empty<string>());
            return await _operation.ApplyAsync(plan);
        }

        private async Task<KeyCredential[]> KeysAsync(Application app) =>
            (await _session.Client.Applications[app.Id].GetAsync(r => r.QueryParameters.Select = new[] { "keyCredentials" }))!.KeyCredentials!.ToArray();

        [Theory]
        [InlineData(2048, 12)]
        [InlineData(3072, 6)]
        public void A_made_certificate_has_the_key_size_hash_lifetime_and_subject_asked(int keySize, int months)
        {
            var now = DateTimeOffset.UtcNow;
            using var cert = SelfSignedCertificates.Create(SelfSignedCertificates.SubjectFor("Contoso, Sync"), keySize, months, now);
            Assert.True(cert.HasPrivateKey);
            using (var rsa = cert.GetRSAPublicKey()!) Assert.Equal(keySize, rsa.KeySize);
            Assert.Equal(Sha256Rsa, cert.SignatureAlgorithm.Value);
            Assert.Equal(now.AddMonths(months).UtcDateTime, cert.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
            Assert.Equal(now.AddMinutes(-5).UtcDateTime, cert.NotBefore.ToUniversalTime(), TimeSpan.FromSeconds(1));
            // A display name with a comma is quoted, so the CN holds the whole name.
            Assert.Equal("Contoso, Sync", cert.GetNameInfo(X509NameType.SimpleName, false));
            Assert.Equal(cert.Subject, cert.Issuer);
            var eku = cert.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
            Assert.Equal("1.3.6.1.5.5.7.3.2", eku.EnhancedKeyUsages[0].Value);
            Assert.False(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        }

        [Theory]
        [InlineData(1024, 12)]
        [InlineData(4096, 12)]
        [InlineData(2048, 0)]
        [InlineData(2048, SelfSignedCertificates.MaxMonths + 1)]
        public void Other_key_sizes_and_lifetimes_are_refused(int keySize, int months)
        {
            var e = Assert.Throws<EntraAppKitException>(() => SelfSignedCertificates.Create("CN=x", keySize, months, DateTimeOffset.UtcNow));
            Assert.Equal(ErrorIds.InvalidRecipeInput, e.ErrorId);
        }

        [Fact]
        public async Task Patch_adds_a_certificate_and_keeps_every_existing_key()
        {
            var app = await NewAppAsync("Contoso Sync");
            var first = await AddAsync(app);
            Assert.Equal("Patch", first.Method);
            Assert.Equal("CN=Contoso Sync", first.Subject);
            Assert.Equal(2048, first.KeySize);
            Assert.Equal(app.AppId, first.ClientId);
            Assert.Equal(_tenant.TenantId, first.TenantId);

            var second = await AddAsync(app);
            Assert.Equal("Patch", second.Method);
            var keys = await KeysAsync(app);
            Assert.Equal(new[] { first.KeyId, second.KeyId }, keys.Select(k => k.KeyId.ToString()));
            Assert.All(keys, k => Assert.NotNull(k.Key));
            Assert.Equal(new[] { first.Thumbprint, second.Thumbprint }, keys.Select(k => X509CertificateLoader.LoadCertificate(k.Key!).Thumbprint));
        }

        [Fact]
        public async Task AddKey_with_a_proof_adds_without_a_patch_and_keeps_every_key()
        {
            var app = await NewAppAsync("Contoso Roll");
            using var current = SelfSignedCertificates.Create("CN=current", 2048, 12, DateTimeOffset.UtcNow);
            var first = await AddAsync(app, current);
            using var next = SelfSignedCertificates.Create("CN=next", 2048, 12, DateTimeOffset.UtcNow);
            int patches = _tenant.RequestLog.Entries.Count(e => e.Method == "PATCH");

            var added = await AddAsync(app, X509CertificateLoader.LoadCertificate(next.RawData), proof: current);
            Assert.Equal("AddKey", added.Method);
            Assert.Equal(patches, _tenant.RequestLog.Entries.Count(e => e.Method == "PATCH"));
            Assert.Contains(_tenant.RequestLog.Entries, e => e.Method == "POST" && e.Path.EndsWith("/addKey", StringComparison.Ordinal));
            Assert.Equal(new[] { first.KeyId, added.KeyId }, (await KeysAsync(app)).Select(k => k.KeyId.ToString()));
        }

        [Fact]
        public async Task A_proof_certificate_the_app_does_not_hold_fails_before_any_write()
        {
            var app = await NewAppAsync("Contoso Stranger");
            await AddAsync(app);
            using var stranger = SelfSignedCertificates.Create("CN=stranger", 2048, 12, DateTimeOffset.UtcNow);
            int writes = _tenant.RequestLog.SuccessfulWrites;
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.PlanAsync(app.AppId!, null, Make(), stranger, Array.Empty<string>()));
            Assert.Equal(ErrorIds.ProofCertificateNotOnApp, e.ErrorId);
            Assert.Equal(writes, _tenant.RequestLog.SuccessfulWrites);
            Assert.Single(await KeysAsync(app));
        }

        [Fact]
        public async Task A_key_whose_material_Graph_does_not_return_stops_the_patch_and_nothing_is_dropped()
        {
            // A key stored without material (here a Symmetric key, which needs none) comes back without it even on
            // $select=keyCredentials: a PATCH could not send it back, so nothing is written (ExistingKeyUnavailable).
            var app = await NewAppAsync("Contoso Blind");
            await _session.Client.Applications[app.Id].PatchAsync(new Application { KeyCredentials = new() { new KeyCredential { Type = "Symmetric", Usage = "Verify" } } });
            var plan = await _operation.PlanAsync(app.AppId!, null, Make(), null, Array.Empty<string>());
            int writes = _tenant.RequestLog.SuccessfulWrites;
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operation.ApplyAsync(plan));
            Assert.Equal(ErrorIds.ExistingKeyUnavailable, e.ErrorId);
            Assert.Contains("-ProofCertificatePath", e.Message);
            Assert.Equal(writes, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal("Symmetric", Assert.Single(await KeysAsync(app)).Type);
        }

        [Fact]
        public async Task A_certificate_the_app_already_holds_is_not_added_twice()
        {
            var app = await NewAppAsync("Contoso Again");
            using var cert = SelfSignedCertificates.Create("CN=again", 2048, 12, DateTimeOffset.UtcNow);
            var first = await AddAsync(app, cert);
            var again = await AddAsync(app, X509CertificateLoader.LoadCertificate(cert.RawData));
            Assert.Equal("None", again.Method);
            Assert.Equal(first.KeyId, again.KeyId);
            Assert.Single(await KeysAsync(app));
        }

        [Fact]
        public async Task Output_and_plan_carry_no_private_key()
        {
            var app = await NewAppAsync("Contoso Private");
            var plan = await _operation.PlanAsync(app.AppId!, null, Make(), null, new[] { "/tmp/x.pfx" });
            Assert.True(plan.Certificate.HasPrivateKey);
            var result = await _operation.ApplyAsync(plan);
            // The output type holds strings, dates and numbers only: no certificate object, no bytes.
            Assert.All(typeof(EntraAppCertificate).GetProperties(), p => Assert.True(
                p.PropertyType == typeof(string) || p.PropertyType == typeof(string[]) || p.PropertyType == typeof(int) || p.PropertyType == typeof(DateTimeOffset), p.Name));
            using var rsa = plan.Certificate.GetRSAPrivateKey()!;
            var d = Convert.ToBase64String(rsa.ExportParameters(true).D!);
            var text = string.Join("\n", typeof(EntraAppCertificate).GetProperties().Select(p => p.GetValue(result) is string[] a ? string.Join("\n", a) : p.GetValue(result)?.ToString()));
            Assert.DoesNotContain(d, text);
            Assert.DoesNotContain("PRIVATE", text);
            Assert.DoesNotContain(d, string.Join("\n", plan.Changes.Select(c => c.Description)));
        }

        [Fact]
        public void The_proof_is_what_the_local_tenant_and_Graph_verify()
        {
            using var cert = SelfSignedCertificates.Create("CN=proof", 2048, 12, DateTimeOffset.UtcNow);
            var proof = AppCertificateOperation.Proof(cert, "11111111-2222-3333-4444-555555555555", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
            var parts = proof.Split('.');
            Assert.Equal(3, parts.Length);
            Assert.DoesNotContain("=", parts[0] + parts[1]);
            string Json(string b64) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(b64.Replace('-', '+').Replace('_', '/').PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=')));
            Assert.Contains("\"alg\":\"RS256\"", Json(parts[0]));
            Assert.Contains("\"aud\":\"00000002-0000-0000-c000-000000000000\"", Json(parts[1]));
            Assert.Contains("\"nbf\":1800000000,\"exp\":1800000600", Json(parts[1]));
        }
    }
}
