using EntraAppKit.Model.Recipes;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// One vendor's recipe, in one file under Recipes/Vendors: its own inputs (the properties of the implementing class),
    /// how they and the common <see cref="RecipeInput"/> become the desired state, and how the engine's result becomes the
    /// values the vendor's console asks for. The <see cref="RecipeEngine"/> does everything else.
    /// </summary>
    public interface IVendorRecipe<out TOutput> where TOutput : AppRegistrationOutput
    {
        /// <summary>Builds the desired state; refuses bad input before any read or write.</summary>
        AppRecipe Build(RecipeInput input);

        /// <summary>Shapes what applying the recipe produced into the vendor's output object.</summary>
        TOutput Shape(AppRegistrationResult result, RecipeInput input);
    }
}
