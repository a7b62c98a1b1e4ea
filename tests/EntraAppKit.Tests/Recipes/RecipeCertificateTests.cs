using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.LocalTenant;
using EntraAppKit.Tests.Support;
using Microsoft.Graph.Models;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// A recipe given a certificate instead of a secret (New-EntraAppRegistration -CertificatePath / -Certificate): the engine plans
    /// "Add certificate", adds it through the same code as New-EntraAppCertificate (a PATCH of keyCredentials sending every key back,
    /// learn.microsoft.com/graph/api/resources/keycredential), adds no secret, and a re-run with the same certificate writes nothing.
    /// </summary>
    public class RecipeCertificateTests : IDisposable
    {
        private readonly LocalTenantEngine _tenant = LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly RecipeEngine _engine;

        public RecipeCertificateTests()
        {
            _session = _tenant.Session();
            _engine = new RecipeEngine(_session);
        }

        public void Dispose() => _session.Dispose();

        private static AppRecipe Recipe(string name, X509Certificate2 certificate) =>
            new General().Build(new RecipeInput { Name = name, SecretLifetimeMonths = 12, Certificate = certificate });

        private async Task<Application> ReadAsync(string objectId) =>
            (await _session.Client.Applications[objectId].GetAsync(r => r.QueryParameters.Select = new[] { "keyCredentials", "passwordCredentials" }))!;

        [Fact]
        public async Task A_certificate_replaces_the_secret_and_a_rerun_with_it_writes_nothing()
        {
            using var cert = SelfSignedCertificates.Create("CN=Contoso Cert App", 2048, 12, DateTimeOffset.UtcNow);
            var plan = await _engine.PlanAsync(Recipe("Contoso Cert App", cert));
            var change = Assert.Single(plan.Changes, c => c.Action == "Add certificate");
            Assert.Contains($"thumbprint {cert.Thumbprint}", change.Description);
            Assert.DoesNotContain(plan.Changes, c => c.Action == "Add client secret");
            // The certificate goes in after the application, its service principal and consent, as the secret would.
            Assert.Same(change, plan.Changes.Last());

            var result = await _engine.ApplyAsync(plan);
            Assert.Null(result.ClientSecret);
            Assert.Equal(cert.Thumbprint, result.CertificateThumbprint);
            Assert.Equal(new DateTimeOffset(cert.NotAfter.ToUniversalTime()), result.CertificateExpires);
            var shaped = new General().Shape(result);
            Assert.Equal(cert.Thumbprint, shaped.CertificateThumbprint);
            Assert.Equal(result.CertificateExpires, shaped.CertificateExpires);
            Assert.Null(shaped.ClientSecret);

            var app = await ReadAsync(result.ObjectId);
            Assert.Empty(app.PasswordCredentials!);
            Assert.Equal(cert.RawData, Assert.Single(app.KeyCredentials!).Key);
            var test = await AppCredentialTester.TestAsync(new AppCredentialTestOptions
            {
                TenantId = _tenant.TenantId, ClientId = result.ClientId, Certificate = cert, Target = LocalTenantAdapter.For(_tenant),
            });
            Assert.True(test.Success);

            // A re-run with the same certificate (its public part only, as from a .cer): no change, no write, the same output.
            using var same = X509CertificateLoader.LoadCertificate(cert.RawData);
            _tenant.RequestLog.Clear();
            var rerun = await _engine.PlanAsync(Recipe("Contoso Cert App", same));
            Assert.Empty(rerun.Changes);
            var again = await _engine.ApplyAsync(rerun);
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal(cert.Thumbprint, again.CertificateThumbprint);
            Assert.Single((await ReadAsync(result.ObjectId)).KeyCredentials!);
        }

        [Fact]
        public async Task Another_certificate_is_added_beside_the_first_and_keeps_it()
        {
            using var first = SelfSignedCertificates.Create("CN=first", 2048, 12, DateTimeOffset.UtcNow);
            using var second = SelfSignedCertificates.Create("CN=second", 2048, 12, DateTimeOffset.UtcNow);
            var made = await _engine.RunAsync(Recipe("Contoso Two Certs", first));
            var plan = await _engine.PlanAsync(Recipe("Contoso Two Certs", second));
            Assert.EndsWith("by PATCH, keeping its 1 existing key(s)", Assert.Single(plan.Changes).Description);
            _tenant.RequestLog.Clear();
            await _engine.ApplyAsync(plan);
            Assert.Equal(1, _tenant.RequestLog.SuccessfulWrites);
            var keys = (await ReadAsync(made.ObjectId)).KeyCredentials!;
            Assert.Equal(new[] { first.RawData, second.RawData }, keys.Select(k => k.Key));
        }

        [Fact]
        public async Task A_key_whose_material_Graph_does_not_return_fails_the_plan_before_any_write()
        {
            using var first = SelfSignedCertificates.Create("CN=first", 2048, 12, DateTimeOffset.UtcNow);
            var made = await _engine.RunAsync(Recipe("Contoso Blind Recipe", first));
            // A key stored without material (a Symmetric key needs none) cannot be sent back by the PATCH.
            await _session.Client.Applications[made.ObjectId].PatchAsync(new Application
            {
                KeyCredentials = new() { new KeyCredential { Type = "Symmetric", Usage = "Verify" } },
            });
            using var next = SelfSignedCertificates.Create("CN=next", 2048, 12, DateTimeOffset.UtcNow);
            int writes = _tenant.RequestLog.SuccessfulWrites;
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(Recipe("Contoso Blind Recipe", next)));
            Assert.Equal(ErrorIds.ExistingKeyUnavailable, e.ErrorId);
            Assert.Equal(writes, _tenant.RequestLog.SuccessfulWrites);
        }

        [Fact]
        public async Task A_certificate_Entra_would_refuse_fails_the_plan()
        {
            using var expired = SelfSignedCertificates.Create("CN=old", 2048, 1, DateTimeOffset.UtcNow.AddMonths(-2));
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(Recipe("Contoso Expired", expired)));
            Assert.Equal(ErrorIds.InvalidCertificate, e.ErrorId);
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
        }
    }
}
