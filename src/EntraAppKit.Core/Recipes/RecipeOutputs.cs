using System;
using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>Turns the engine's result into a vendor's output without ever losing a secret the run made.</summary>
    public static class RecipeOutputs
    {
        /// <summary>
        /// The vendor's output. If shaping fails after the run made a secret, the error carries the engine's result, secret
        /// included, as its target (the cmdlets make it the error record's TargetObject), so the secret is never lost.
        /// </summary>
        public static TOutput Shape<TOutput>(IVendorRecipe<TOutput> recipe, AppRegistrationResult result, RecipeInput input) where TOutput : AppRegistrationOutput
        {
            try { return recipe.Shape(result, input); }
            catch (Exception e) when (result.ClientSecret != null && !(e is OperationCanceledException))
            {
                throw new EntraAppKitException(ErrorIds.SecretInErrorRecord, EntraErrorCategory.InvalidOperation,
                    $"The app registration '{result.DisplayName}' was made and has a new client secret, but its output could not be built ({e.Message}). " +
                    "The secret is in this error's TargetObject.ClientSecret: save it now.", e) { TargetObject = result };
            }
        }
    }
}
