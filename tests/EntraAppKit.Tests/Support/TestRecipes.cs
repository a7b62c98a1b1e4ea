using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using EntraAppKit.Core.Connections;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Recipes;
using EntraAppKit.LocalTenant;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Tests.Support
{
    /// <summary>Short ways for tests to build recipes, run them and open sessions on a local tenant.</summary>
    internal static class TestRecipes
    {
        /// <summary>The recipe with the common inputs tests vary; the secret's defaults are the cmdlets' (12 months).</summary>
        public static AppRecipe For<TOutput>(this IVendorRecipe<TOutput> recipe, string name, string? uniqueName = null, string? adoptClientId = null,
            int? secretLifetimeMonths = 12, bool newSecret = false, bool exclusive = false) where TOutput : AppRegistrationOutput =>
            recipe.Build(new RecipeInput
            {
                Name = name, UniqueName = uniqueName, AdoptClientId = adoptClientId, SecretLifetimeMonths = secretLifetimeMonths, NewSecret = newSecret, Exclusive = exclusive,
            });

        /// <summary>The vendor's output for <paramref name="result"/>.</summary>
        public static TOutput Shape<TOutput>(this IVendorRecipe<TOutput> recipe, AppRegistrationResult result, bool asPlainText = false) where TOutput : AppRegistrationOutput =>
            recipe.Shape(result, new RecipeInput { AsPlainText = asPlainText });

        /// <summary>Plans and applies in one call, as a cmdlet without -WhatIf does.</summary>
        public static async Task<AppRegistrationResult> RunAsync(this RecipeEngine engine, AppRecipe recipe, CancellationToken cancellationToken = default) =>
            await engine.ApplyAsync(await engine.PlanAsync(recipe, cancellationToken), cancellationToken);

        /// <summary>A Graph session on <paramref name="tenant"/>, in-process, as its built-in administrator unless a credential is given.</summary>
        public static GraphSession Session(this LocalTenantEngine tenant, GraphSessionOptions? options = null, TokenCredential? credential = null) =>
            GraphSession.Create(LocalTenantAdapter.For(tenant), credential, options);
    }
}
