using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Operations;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Core.Secrets;
using EntraAppKit.LocalTenant;
using EntraAppKit.Model;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// Issue 14 §2: New-/Update-EntraAppSecret and Remove-EntraAppCredential's operation against the local tenant. A secret is
    /// added beside those the app has (application-addpassword), a rotation keeps the old ones valid and proves the new one by a
    /// client-credentials sign-in, and removal (application-removepassword) refuses the app's last credential unless forced.
    /// </summary>
    public class AppSecretTests : IDisposable
    {
        private readonly LocalTenantEngine _tenant = LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly AppSecretOperations _operations;

        public AppSecretTests()
        {
            _session = _tenant.Session();
            _operations = new AppSecretOperations(_session) { SignInRetryDelay = TimeSpan.Zero };
        }

        public void Dispose() => _session.Dispose();

        private ConnectionTarget Target => LocalTenantAdapter.For(_tenant);

        /// <summary>A WriteBack app with its recipe's secret (plain text).</summary>
        private async Task<(string ClientId, string Secret)> AppAsync(string name = "WriteBack Rotation")
        {
            var result = await new RecipeEngine(_session).RunAsync(new WriteBack().For(name));
            return (result.ClientId, (string)SecretText.Present(result.ClientSecret, true)!);
        }

        private async Task<bool> SignsInAsync(string clientId, string secret) =>
            (await AppCredentialTester.TestAsync(new AppCredentialTestOptions
            {
                TenantId = _tenant.TenantId, ClientId = clientId, ClientSecret = SecretText.ToSecureString(secret), Target = Target,
            })).Success;

        private async Task<int> SecretCountAsync(string clientId) =>
            (await new AppRegistrationOperations(_session).FindAsync(clientId)).Single().SecretCount;

        [Fact]
        public async Task A_secret_is_added_beside_the_existing_one_named_for_who_and_when_and_returned_as_a_SecureString()
        {
            var app = await AppAsync();
            _tenant.RequestLog.Clear();
            var plan = await _operations.PlanAddAsync(app.ClientId, account: "admin@contoso.example");
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
            string expectedName = $"EntraAppKit by admin@contoso.example {DateTimeOffset.UtcNow:yyyy-MM-dd}";
            Assert.Equal(expectedName, plan.SecretName);
            Assert.Equal($"Add client secret '{expectedName}' to 'WriteBack Rotation', expiring {plan.EndDateTime.UtcDateTime:yyyy-MM-dd}", Assert.Single(plan.Changes).Description);

            var secret = await _operations.ApplyAddAsync(plan, asPlainText: false);
            Assert.Equal(1, _tenant.RequestLog.SuccessfulWrites); // addPassword only
            var value = Assert.IsType<SecureString>(secret.ClientSecret);
            Assert.Equal(app.ClientId, secret.ClientId);
            Assert.Equal(_tenant.TenantId, secret.TenantId);
            Assert.Equal(expectedName, secret.DisplayName);
            Assert.NotEqual(Guid.Empty, secret.KeyId);
            Assert.False(string.IsNullOrEmpty(secret.Hint));
            Assert.StartsWith(secret.Hint!, SecretText.ToPlainText(value));
            Assert.InRange(secret.EndDateTime!.Value, DateTimeOffset.UtcNow.AddMonths(ClientSecretLifetime.DefaultMonths).AddMinutes(-5), DateTimeOffset.UtcNow.AddMonths(ClientSecretLifetime.DefaultMonths).AddMinutes(5));
            Assert.Empty(secret.PreviousKeyIds);
            Assert.Null(secret.SignInVerified);

            Assert.Equal(2, await SecretCountAsync(app.ClientId));
            Assert.True(await SignsInAsync(app.ClientId, app.Secret));
            Assert.True(await SignsInAsync(app.ClientId, SecretText.ToPlainText(value)));

            // The same name again is numbered, so a name finds one secret.
            var again = await _operations.ApplyAddAsync(await _operations.PlanAddAsync(app.ClientId, account: "admin@contoso.example"), asPlainText: true);
            Assert.Equal(expectedName + " #2", again.DisplayName);
            Assert.IsType<string>(again.ClientSecret);
        }

        [Fact]
        public async Task Lifetime_in_months_or_an_end_date_and_bad_lifetimes_fail_before_any_read()
        {
            var app = await AppAsync();
            var end = DateTimeOffset.UtcNow.AddDays(30);
            var plan = await _operations.PlanAddAsync(app.ClientId, displayName: "Vendor X", endDateTime: end);
            var secret = await _operations.ApplyAddAsync(plan, asPlainText: false);
            Assert.StartsWith("Vendor X ", secret.DisplayName);
            Assert.InRange(secret.EndDateTime!.Value, end.AddSeconds(-1), end.AddSeconds(1));

            var six = await _operations.ApplyAddAsync(await _operations.PlanAddAsync(app.ClientId, months: 6), asPlainText: false);
            Assert.InRange(six.EndDateTime!.Value, DateTimeOffset.UtcNow.AddMonths(6).AddMinutes(-5), DateTimeOffset.UtcNow.AddMonths(6).AddMinutes(5));

            _tenant.RequestLog.Clear();
            foreach (var bad in new Func<Task>[]
            {
                () => _operations.PlanAddAsync(app.ClientId, months: 25),
                () => _operations.PlanAddAsync(app.ClientId, months: 0),
                () => _operations.PlanAddAsync(app.ClientId, endDateTime: DateTimeOffset.UtcNow.AddDays(-1)),
                () => _operations.PlanAddAsync(app.ClientId, endDateTime: DateTimeOffset.UtcNow.AddMonths(25)),
                () => _operations.PlanAddAsync(app.ClientId, months: 6, endDateTime: DateTimeOffset.UtcNow.AddDays(1)),
            })
                Assert.Equal(ErrorIds.InvalidRecipeInput, (await Assert.ThrowsAsync<EntraAppKitException>(bad)).ErrorId);
            Assert.Equal(0, _tenant.RequestLog.RoundTrips);
        }

        [Fact]
        public async Task Removal_names_the_secret_refuses_the_last_credential_without_force_and_a_rerun_is_a_no_op()
        {
            var app = await AppAsync();
            var original = (await new AppRegistrationOperations(_session).FindAsync(app.ClientId)).Single();
            var added = await _operations.ApplyAddAsync(await _operations.PlanAddAsync(app.ClientId, displayName: "Second"), asPlainText: false);

            // Two secrets: the added one goes, its description, hint, end date and key id named.
            var plan = await _operations.PlanRemoveAsync(app.ClientId, added.KeyId);
            var change = Assert.Single(plan.Changes);
            Assert.Equal($"Remove client secret '{added.DisplayName}' (hint {added.Hint}, expires {added.EndDateTime!.Value.UtcDateTime:yyyy-MM-dd}, key id {added.KeyId}) from 'WriteBack Rotation'",
                change.Description);
            _tenant.RequestLog.Clear();
            Assert.True(await _operations.ApplyRemoveAsync(plan));
            Assert.Equal(1, _tenant.RequestLog.SuccessfulWrites);
            Assert.Equal(1, await SecretCountAsync(app.ClientId));
            Assert.False(await SignsInAsync(app.ClientId, SecretText.ToPlainText((SecureString)added.ClientSecret!)));

            // A re-run: the key is gone, no change, no write.
            _tenant.RequestLog.Clear();
            var rerun = await _operations.PlanRemoveAsync(app.ClientId, added.KeyId);
            Assert.Empty(rerun.Changes);
            Assert.False(await _operations.ApplyRemoveAsync(rerun));
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);

            // The last credential: refused with a stable ErrorId, nothing written; -Force removes it.
            var lastKey = (await ReadKeyIdsAsync(app.ClientId)).Single();
            var refused = await Assert.ThrowsAsync<EntraAppKitException>(() => _operations.PlanRemoveAsync(app.ClientId, lastKey));
            Assert.Equal(ErrorIds.LastCredential, refused.ErrorId);
            Assert.Equal(EntraErrorCategory.InvalidOperation, refused.Category);
            Assert.Contains("-Force", refused.Message);
            Assert.Equal(0, _tenant.RequestLog.SuccessfulWrites);
            Assert.True(await SignsInAsync(app.ClientId, app.Secret));

            var forced = await _operations.PlanRemoveAsync(app.ClientId, lastKey, force: true);
            Assert.EndsWith("its last credential", Assert.Single(forced.Changes).Description);
            Assert.True(await _operations.ApplyRemoveAsync(forced));
            Assert.Equal(0, await SecretCountAsync(app.ClientId));
            Assert.False(await SignsInAsync(app.ClientId, app.Secret));
            Assert.Equal(1, original.SecretCount);
        }

        [Fact]
        public async Task An_unknown_app_is_ApplicationNotFound()
        {
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operations.PlanRemoveAsync(Guid.NewGuid().ToString(), Guid.NewGuid()));
            Assert.Equal(ErrorIds.ApplicationNotFound, e.ErrorId);
            e = await Assert.ThrowsAsync<EntraAppKitException>(() => _operations.PlanAddAsync(Guid.NewGuid().ToString()));
            Assert.Equal(ErrorIds.ApplicationNotFound, e.ErrorId);
        }

        /// <summary>
        /// The Done-when: a rotation leaves no moment without a valid credential. At every step (before, planned, the new
        /// secret added and proved, the overlap, each old secret removed, after) some secret the operator holds signs in at the
        /// local tenant's token endpoint, and at the end only the new one does.
        /// </summary>
        [Fact]
        public async Task A_rotation_has_zero_time_without_a_valid_credential()
        {
            var app = await AppAsync();
            // Two old secrets, as after an earlier overlap that was never closed.
            var older = await _operations.ApplyAddAsync(await _operations.PlanAddAsync(app.ClientId, displayName: "Older"), asPlainText: true);
            var held = new List<string> { app.Secret, (string)older.ClientSecret! };
            var steps = new List<string>();

            async Task AtLeastOneSignsIn(string step)
            {
                var valid = new List<string>();
                foreach (var s in held) if (await SignsInAsync(app.ClientId, s)) valid.Add(s);
                Assert.True(valid.Count > 0, $"no valid credential at step '{step}'");
                steps.Add($"{step}: {valid.Count}");
            }

            await AtLeastOneSignsIn("before");
            var plan = await _operations.PlanAddAsync(app.ClientId, account: "ops@contoso.example", rotation: true);
            Assert.Contains("its 2 existing secrets stay valid until you remove them", Assert.Single(plan.Changes).Description);
            await AtLeastOneSignsIn("planned");

            var rotated = await _operations.ApplyAddAsync(plan, asPlainText: true, signInAt: Target);
            Assert.True(rotated.SignInVerified);
            Assert.Equal(2, rotated.PreviousKeyIds.Length);
            Assert.DoesNotContain(rotated.KeyId, rotated.PreviousKeyIds);
            Assert.Contains(older.KeyId, rotated.PreviousKeyIds);
            held.Add((string)rotated.ClientSecret!);
            await AtLeastOneSignsIn("added");
            // The overlap: every secret still signs in.
            foreach (var s in held) Assert.True(await SignsInAsync(app.ClientId, s));

            foreach (var keyId in rotated.PreviousKeyIds)
            {
                var removal = await _operations.PlanRemoveAsync(app.ClientId, keyId);
                await AtLeastOneSignsIn($"planned removing {keyId}");
                Assert.True(await _operations.ApplyRemoveAsync(removal));
                await AtLeastOneSignsIn($"removed {keyId}");
            }

            Assert.False(await SignsInAsync(app.ClientId, app.Secret));
            Assert.False(await SignsInAsync(app.ClientId, (string)older.ClientSecret!));
            Assert.True(await SignsInAsync(app.ClientId, (string)rotated.ClientSecret!));
            Assert.Equal(new[] { rotated.KeyId }, await ReadKeyIdsAsync(app.ClientId));
            Assert.Equal(7, steps.Count);
        }

        [Fact]
        public async Task A_rotation_that_cannot_prove_the_new_secret_says_so_and_keeps_the_old_ones()
        {
            var app = await AppAsync();
            // Sign-in at a target that refuses: another tenant's engine does not know the app.
            var elsewhere = LocalTenantEngine.Create();
            var operations = new AppSecretOperations(_session) { SignInAttempts = 2, SignInRetryDelay = TimeSpan.Zero };
            var rotated = await operations.ApplyAddAsync(await operations.PlanAddAsync(app.ClientId, rotation: true), asPlainText: false, signInAt: LocalTenantAdapter.For(elsewhere));
            Assert.False(rotated.SignInVerified);
            Assert.Single(rotated.PreviousKeyIds);
            Assert.True(await SignsInAsync(app.ClientId, app.Secret));
        }

        [Fact]
        public async Task A_recipe_rerun_with_NewSecret_adds_through_the_same_writer_with_its_name()
        {
            var recipe = new WriteBack().For("WriteBack Rerun");
            await new RecipeEngine(_session).RunAsync(recipe);
            var again = new WriteBack().For("WriteBack Rerun");
            again.NewSecret = true;
            var result = await new RecipeEngine(_session).RunAsync(again);
            Assert.NotNull(result.ClientSecret);
            var app = await SecretNamesAsync(result.ClientId);
            Assert.Equal(2, app.Count);
            Assert.Contains(app, n => n.EndsWith(" #2", StringComparison.Ordinal));
        }

        private async Task<Guid[]> ReadKeyIdsAsync(string clientId) =>
            (await _session.Client.ApplicationsWithAppId(clientId).GetAsync())!.PasswordCredentials!.Select(p => p.KeyId!.Value).ToArray();

        private async Task<List<string>> SecretNamesAsync(string clientId) =>
            (await _session.Client.ApplicationsWithAppId(clientId).GetAsync())!.PasswordCredentials!.Select(p => p.DisplayName ?? "").ToList();
    }
}
