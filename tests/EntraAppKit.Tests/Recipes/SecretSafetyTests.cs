using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;
using EntraAppKit.Model.Recipes;
using EntraAppKit.Tests.Support;
using Xunit;

namespace EntraAppKit.Tests.Recipes
{
    /// <summary>A secret once created is either in the user's hands or removed again.</summary>
    public class SecretSafetyTests
    {
        private readonly LocalTenant.LocalTenantEngine _tenant = LocalTenant.LocalTenantEngine.Create();

        /// <summary>Lets the addPassword request reach Graph, then loses its answer: what a dropped connection or Ctrl+C does.</summary>
        private sealed class LoseAddPasswordAnswer : DelegatingHandler
        {
            public LoseAddPasswordAnswer(HttpMessageHandler inner) : base(inner) { }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                // addPassword alone, or inside a $batch (the recipe sends it with the service principal's creation).
                bool addsPassword = request.Method == HttpMethod.Post && (request.RequestUri!.AbsolutePath.EndsWith("/addPassword", StringComparison.Ordinal) ||
                    request.RequestUri.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) && (await request.Content!.ReadAsStringAsync(cancellationToken)).Contains("/addPassword"));
                var response = await base.SendAsync(request, cancellationToken);
                if (addsPassword)
                    throw new HttpRequestException("The connection was reset before the answer arrived.");
                return response;
            }
        }

        private async Task<JsonObject> GetAsync(string path)
        {
            using var http = new HttpClient(_tenant.CreateHandler());
            return JsonNode.Parse(await http.GetStringAsync("https://graph.microsoft.com/v1.0" + path))!.AsObject();
        }

        [Fact]
        public async Task A_secret_whose_answer_is_lost_is_removed_again_and_the_error_says_so()
        {
            var local = LocalTenantAdapter.For(_tenant);
            var target = new ConnectionTarget("LosesAnswers", local.Environment, () => new LoseAddPasswordAnswer(_tenant.CreateHandler()),
                local.IdentityTransport, local.TenantId, null, local.BuiltInAdministrator);
            using var session = GraphSession.Create(target);
            var engine = new RecipeEngine(session);

            var e = await Assert.ThrowsAsync<EntraAppKitException>(() => engine.RunAsync(new WriteBack().For("WBE Lost")));

            Assert.Contains("was removed again", e.Message);
            var app = await GetAsync("/applications(uniqueName='entraappkit-writeback-wbe-lost')");
            Assert.Empty(app["passwordCredentials"]!.AsArray()); // no secret nobody holds
            // The secret was the last step: everything before it is in place, and a re-run adds one.
            using var healthy = _tenant.Session();
            var again = await new RecipeEngine(healthy).RunAsync(new WriteBack().For("WBE Lost"));
            Assert.NotNull(again.ClientSecret);
            Assert.Equal(new[] { $"Add client secret 'WriteBackExtreme {DateTimeOffset.UtcNow:yyyy-MM-dd}' to 'WBE Lost', expiring in 12 months" }, again.Changes);
        }

        /// <summary>A vendor whose output cannot be built: the secret must come back in the error.</summary>
        private sealed class BrokenShape : IVendorRecipe<WriteBackAppRegistration>
        {
            public AppRecipe Build(RecipeInput input) => new WriteBack().Build(input);

            public WriteBackAppRegistration Shape(AppRegistrationResult result, RecipeInput input) => throw new InvalidOperationException("broken");
        }

        [Fact]
        public async Task A_secret_whose_output_cannot_be_built_comes_back_in_the_error()
        {
            using var session = _tenant.Session();
            var engine = new RecipeEngine(session);
            var input = new RecipeInput { Name = "WBE Broken" };
            var result = await engine.RunAsync(new BrokenShape().Build(input));

            var e = Assert.Throws<EntraAppKitException>(() => RecipeOutputs.Shape(new BrokenShape(), result, input));

            Assert.Equal(ErrorIds.SecretInErrorRecord, e.ErrorId);
            var handedBack = Assert.IsType<AppRegistrationResult>(e.TargetObject);
            Assert.NotNull(handedBack.ClientSecret);
            Assert.True(_tenant.VerifyClientSecret(result.ClientId, Core.Secrets.SecretText.ToPlainText(handedBack.ClientSecret!)));
        }
    }
}
