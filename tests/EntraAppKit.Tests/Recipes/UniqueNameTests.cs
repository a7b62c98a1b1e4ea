using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>
    /// Two different inputs never silently share an app: names that share a derived key, names without letters or digits,
    /// -UniqueName values Graph cannot key by, another recipe's app, and apps made by earlier releases (no record on them).
    /// </summary>
    public class UniqueNameTests : IDisposable
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();
        private readonly GraphSession _session;
        private readonly RecipeEngine _engine;

        public UniqueNameTests()
        {
            _session = _tenant.Session();
            _engine = new RecipeEngine(_session);
        }

        public void Dispose() => _session.Dispose();

        private static AppRecipe General(string name, string? uniqueName = null, string? clientId = null) =>
            new General().For(name, uniqueName: uniqueName, adoptClientId: clientId, secretLifetimeMonths: null);

        private async Task<JsonObject> GetAsync(string path)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            return JsonNode.Parse(await http.GetStringAsync("https://graph.microsoft.com/v1.0" + path))!.AsObject();
        }

        private async Task<int> AppCountAsync() => (await GetAsync("/applications"))["value"]!.AsArray().Count;

        /// <summary>An app as an earlier release made it: by its uniqueName upsert, without the record of recipe and name.</summary>
        private async Task<string> EarlierReleaseAppAsync(string uniqueName, string displayName)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            var request = new HttpRequestMessage(HttpMethod.Patch, $"https://graph.microsoft.com/v1.0/applications(uniqueName='{uniqueName}')")
            {
                Content = new StringContent(new JsonObject { ["displayName"] = displayName, ["signInAudience"] = "AzureADMyOrg" }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Prefer", "create-if-missing");
            var response = await http.SendAsync(request);
            Assert.Equal(201, (int)response.StatusCode);
            return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["appId"]!;
        }

        [Theory]
        [InlineData("Prod (EU)", "Prod EU")]
        [InlineData("A+B", "A B")]
        [InlineData("Collide App", "collide-app")]
        [InlineData("collide-app", "Collide App")]
        [InlineData("Prod", "prod")]
        [InlineData("Café", "CAFÉ")]
        [InlineData("x--y", "x y")]
        [InlineData("Contoso API", " Contoso  API ")]
        [InlineData("WBE_Prod", "WBE.Prod")]
        public async Task A_second_name_with_the_same_key_is_refused_naming_both_and_the_first_app_is_untouched(string first, string second)
        {
            var made = await _engine.RunAsync(General(first));
            _tenant.RequestLog.Clear();

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(General(second)));

            Assert.Equal((ErrorIds.UniqueNameTaken, EntraErrorCategory.ResourceExists), (e.ErrorId, e.Category));
            Assert.Contains($"'{first}'", e.Message);
            Assert.Contains($"'{second}'", e.Message);
            Assert.Contains(made.ClientId, e.Message);
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(x => x.IsWrite));
            // The first name still finds its app, unchanged.
            var again = await _engine.RunAsync(General(first));
            Assert.Equal(made.ClientId, again.ClientId);
            Assert.Empty(again.Changes);
        }

        [Theory]
        [InlineData("Prod (EU)", "Prod EU", "prod-eu")]
        [InlineData("Collide App", "collide-app", "collide-app")]
        public async Task Each_name_can_have_its_own_app_with_UniqueName_and_the_message_says_so(string first, string second, string key)
        {
            var a = await _engine.RunAsync(General(first));
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(General(second)));
            Assert.Contains("-UniqueName", e.Message);
            var b = await _engine.RunAsync(General(second, uniqueName: $"{key}-second"));
            Assert.NotEqual(a.ClientId, b.ClientId);
            Assert.Equal($"entraappkit-app-{key}", a.UniqueName);
        }

        [Theory]
        [InlineData("🚀", "🎉")]
        [InlineData("🚀", "🚀🚀")]
        [InlineData("!!!", "???")]
        [InlineData("日本", "🚀")]
        public async Task Names_without_letters_or_digits_get_keys_of_their_own(string first, string second)
        {
            var a = await _engine.RunAsync(General(first));
            var b = await _engine.RunAsync(General(second));
            Assert.NotEqual(a.ClientId, b.ClientId);
            Assert.NotEqual(a.UniqueName, b.UniqueName);
            Assert.Equal(a.ClientId, (await _engine.RunAsync(General(first))).ClientId);
            Assert.Equal(b.ClientId, (await _engine.RunAsync(General(second))).ClientId);
        }

        [Theory]
        [InlineData("Rewst Integration", "entraappkit-rewst-rewst-integration")]
        [InlineData("CMG-ServerApp", "entraappkit-rewst-cmg-serverapp")]
        [InlineData("Konnect DCR", "entraappkit-rewst-konnect-dcr")]
        [InlineData("Prod (EU)", "entraappkit-rewst-prod-eu")]
        public void Keys_of_names_with_letters_or_digits_are_those_of_earlier_releases(string name, string key) =>
            Assert.Equal(key, UniqueNames.Derive("rewst", name));

        [Fact]
        public async Task An_earlier_releases_app_of_a_name_without_letters_is_found_and_others_get_their_own()
        {
            string old = await EarlierReleaseAppAsync("entraappkit-app-", "🚀");
            var same = await _engine.RunAsync(General("🚀"));
            Assert.Equal(old, same.ClientId);
            Assert.Contains(same.Changes, c => c.StartsWith("Record on '🚀'", StringComparison.Ordinal));
            var other = await _engine.RunAsync(General("🎉"));
            Assert.NotEqual(old, other.ClientId);
            Assert.Equal(old, (await _engine.RunAsync(General("🚀"))).ClientId);
        }

        [Fact]
        public async Task An_earlier_releases_app_is_kept_by_its_own_name_and_refused_to_another()
        {
            string old = await EarlierReleaseAppAsync("entraappkit-app-prod-eu", "Prod (EU)");
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(General("Prod EU")));
            Assert.Equal(ErrorIds.UniqueNameTaken, e.ErrorId);
            var mine = await _engine.RunAsync(General("Prod (EU)"));
            Assert.Equal(old, mine.ClientId);
            var tags = (await GetAsync($"/applications(appId='{old}')"))["tags"]!.AsArray().Select(t => (string)t!).ToList();
            Assert.Contains(AppOwnership.RecipeTag + "app", tags);
            Assert.Contains(AppOwnership.NameTag + "Prod (EU)", tags);
        }

        [Fact]
        public async Task An_app_renamed_since_is_refused_by_its_old_name_and_taken_on_purpose_with_ClientId()
        {
            string old = await EarlierReleaseAppAsync("entraappkit-app-wbe", "WBE renamed in the portal");
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(General("WBE")));
            Assert.Contains($"-ClientId {old}", e.Message);
            var adopted = await _engine.RunAsync(General("WBE", clientId: old));
            Assert.Equal(old, adopted.ClientId);
            Assert.Equal(old, (await _engine.RunAsync(General("WBE"))).ClientId);
        }

        [Theory]
        [InlineData("   ")]
        [InlineData("")]
        [InlineData(" leading")]
        [InlineData("trailing ")]
        [InlineData("o'brien")]
        [InlineData("a/b")]
        [InlineData("a\\b")]
        [InlineData("a?b")]
        [InlineData("a#b")]
        [InlineData("100%")]
        [InlineData("tab\there")]
        [InlineData("nul\0")]
        public async Task A_UniqueName_Graph_cannot_key_by_is_refused_before_any_request(string uniqueName)
        {
            _tenant.RequestLog.Clear();
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(General("Valid Name", uniqueName: uniqueName)));
            Assert.Equal((ErrorIds.InvalidRecipeInput, EntraErrorCategory.InvalidArgument), (e.ErrorId, e.Category));
            Assert.Contains("-UniqueName", e.Message);
            Assert.Empty(_tenant.RequestLog.Entries);
            Assert.Equal(0, await AppCountAsync());
        }

        [Theory]
        [InlineData("contoso-prod-api")]
        [InlineData("Contoso.Prod_API-2")]
        [InlineData("entraappkit-app-custom")]
        public async Task A_valid_UniqueName_keys_the_app_and_a_new_name_renames_it(string uniqueName)
        {
            var a = await _engine.RunAsync(General("Keyed", uniqueName: uniqueName));
            Assert.Equal(uniqueName, a.UniqueName);
            var renamed = await _engine.RunAsync(General("Keyed Renamed", uniqueName: uniqueName));
            Assert.Equal(a.ClientId, renamed.ClientId);
            Assert.Contains("Rename application 'Keyed' to 'Keyed Renamed'", renamed.Changes);
        }

        public static TheoryData<string> OtherRecipes => new TheoryData<string> { "Rewst", "CmgServer", "WriteBack", "KonnectDcr" };

        private static AppRecipe Vendor(string recipe, string name, string? uniqueName = null, string? clientId = null) => recipe switch
        {
            "Rewst" => new Rewst().For(name, uniqueName: uniqueName, adoptClientId: clientId),
            "CmgServer" => new CmgServer().For(name, uniqueName: uniqueName, adoptClientId: clientId),
            "WriteBack" => new WriteBack().For(name, uniqueName: uniqueName, adoptClientId: clientId),
            _ => new KonnectDcr().For(name, uniqueName: uniqueName, adoptClientId: clientId),
        };

        [Theory]
        [MemberData(nameof(OtherRecipes))]
        public async Task UniqueName_of_another_recipes_app_is_refused_and_ClientId_applies_a_recipe_on_purpose(string recipe)
        {
            var theirs = await _engine.RunAsync(Vendor(recipe, "Vendor App"));
            _tenant.RequestLog.Clear();

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(General("Taken Over", uniqueName: theirs.UniqueName)));
            Assert.Equal((ErrorIds.AppOfAnotherRecipe, EntraErrorCategory.ResourceExists), (e.ErrorId, e.Category));
            Assert.Contains($"-ClientId {theirs.ClientId}", e.Message);
            Assert.Equal(0, _tenant.RequestLog.Entries.Count(x => x.IsWrite));

            var plan = await _engine.PlanAsync(General("Taken Over", clientId: theirs.ClientId));
            Assert.Contains(plan.Warnings, w => w.Contains("made by another recipe"));
            var converted = await _engine.ApplyAsync(plan);
            Assert.Equal(theirs.ClientId, converted.ClientId);
            // It stays the vendor recipe's (its key is): the vendor recipe still finds it by name, the general one still may not by key.
            Assert.Equal(theirs.ClientId, (await _engine.RunAsync(Vendor(recipe, "Vendor App"))).ClientId);
            var again = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(General("Taken Over", uniqueName: theirs.UniqueName)));
            Assert.Equal(ErrorIds.AppOfAnotherRecipe, again.ErrorId);
        }

        [Fact]
        public async Task An_earlier_releases_app_of_another_recipe_is_known_by_its_key()
        {
            await EarlierReleaseAppAsync("entraappkit-rewst-old-rewst", "Old Rewst");
            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => _engine.PlanAsync(new WriteBack().For("Old Rewst", uniqueName: "entraappkit-rewst-old-rewst")));
            Assert.Equal(ErrorIds.AppOfAnotherRecipe, e.ErrorId);
            // Its own recipe still takes it, and records itself.
            var rewst = await _engine.RunAsync(new Rewst().For("Old Rewst"));
            Assert.Contains(rewst.Changes, c => c.StartsWith("Record on 'Old Rewst'", StringComparison.Ordinal));
        }
    }
}
