using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// Which recipe made an app, and from which name, recorded in the application's tags (free strings Graph keeps with the
    /// app, learn.microsoft.com/graph/api/resources/application): a run may only bring its own app up to date. Another recipe's
    /// app, or the app another name made under the same derived key, is refused; -ClientId applies a recipe to any app on purpose.
    /// </summary>
    public static class AppOwnership
    {
        public const string RecipeTag = "EntraAppKit.Recipe:";
        public const string NameTag = "EntraAppKit.Name:";

        /// <summary>The tags that record <paramref name="recipe"/> on its app, after the app's other tags.</summary>
        internal static List<string> Tags(AppRecipe recipe, IEnumerable<string>? existing) =>
            (existing ?? Enumerable.Empty<string>()).Where(t => !IsOurs(t)).Concat(new[] { RecipeTag + recipe.RecipeKey, NameTag + recipe.DisplayName }).ToList();

        internal static bool IsOurs(string tag) =>
            tag.StartsWith(RecipeTag, StringComparison.Ordinal) || tag.StartsWith(NameTag, StringComparison.Ordinal);

        private static string? Read(Application app, string prefix) =>
            app.Tags?.FirstOrDefault(t => t.StartsWith(prefix, StringComparison.Ordinal))?.Substring(prefix.Length);

        /// <summary>
        /// Whether a run of <paramref name="recipe"/> records itself on <paramref name="app"/>: on its own apps and on apps no recipe
        /// made. An app another recipe made stays that recipe's when -ClientId applies this one to it: its key is that recipe's.
        /// </summary>
        internal static bool Records(AppRecipe recipe, Application app) =>
            RecipeOf(app) is string made ? made == recipe.RecipeKey : !UniqueNames.DerivedForAnotherRecipe(app.UniqueName, recipe.RecipeKey);

        /// <summary>The recipe key recorded on <paramref name="app"/>, or null.</summary>
        public static string? RecipeOf(Application app) => Read(app, RecipeTag);

        /// <summary>The name <paramref name="app"/> was made from: recorded, or (an earlier release's app) its display name.</summary>
        public static string MadeFrom(Application app) => Read(app, NameTag) ?? app.DisplayName ?? "";

        /// <summary>
        /// Refuses to let <paramref name="recipe"/> change <paramref name="app"/>, found by its key, when the app is another
        /// recipe's or was made from another name. Apps of earlier releases carry no record: their key tells the recipe and their
        /// display name the name.
        /// </summary>
        internal static void Check(AppRecipe recipe, Application app)
        {
            string? recipeOf = RecipeOf(app);
            bool another = recipeOf != null ? !string.Equals(recipeOf, recipe.RecipeKey, StringComparison.Ordinal) : UniqueNames.DerivedForAnotherRecipe(app.UniqueName, recipe.RecipeKey);
            if (another)
                throw new EntraAppKitException(ErrorIds.AppOfAnotherRecipe, EntraErrorCategory.ResourceExists,
                    $"uniqueName {app.UniqueName} is '{app.DisplayName}' (client id {app.AppId}), made by another recipe ({recipeOf ?? app.UniqueName}); the {recipe.RecipeName} recipe does not convert it. " +
                    $"Give a -UniqueName of its own for a new app, or run with -ClientId {app.AppId} to convert that app to this recipe on purpose.");
            if (!recipe.KeyIsDerived) return; // an explicit key names the app: a new -Name renames it
            string madeFrom = MadeFrom(app);
            if (!string.Equals(madeFrom, recipe.DisplayName, StringComparison.Ordinal))
                throw new EntraAppKitException(ErrorIds.UniqueNameTaken, EntraErrorCategory.ResourceExists,
                    $"-Name '{recipe.DisplayName}' and '{madeFrom}' share the key {app.UniqueName} (names that differ only in case, spaces or punctuation do), " +
                    $"and that key is the app made from '{madeFrom}' (client id {app.AppId}). Run with -Name '{madeFrom}' to update that app, " +
                    $"with -UniqueName to give '{recipe.DisplayName}' an app of its own, or with -ClientId {app.AppId} to rename that app to '{recipe.DisplayName}'.");
        }
    }
}
