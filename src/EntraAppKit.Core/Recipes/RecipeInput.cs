using System.Security.Cryptography.X509Certificates;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>
    /// What every recipe takes, whatever its vendor: the app's name and key, an app to adopt, the secret's options and how
    /// to return it. The recipe cmdlets' base class fills it from their common parameters.
    /// </summary>
    public sealed class RecipeInput
    {
        /// <summary>The app registration's display name.</summary>
        public string Name { get; set; } = "";

        /// <summary>Overrides the uniqueName derived from the recipe and <see cref="Name"/>.</summary>
        public string? UniqueName { get; set; }

        /// <summary>Adopt the existing app registration with this client id (its uniqueName is set when it has none).</summary>
        public string? AdoptClientId { get; set; }

        /// <summary>The client secret's lifetime; null adds no secret.</summary>
        public int? SecretLifetimeMonths { get; set; } = 12;

        /// <summary>Add a new client secret even when the app already has one (existing secrets are kept).</summary>
        public bool NewSecret { get; set; }

        /// <summary>A certificate credential to give the app instead of a client secret (only its public part is sent).</summary>
        public X509Certificate2? Certificate { get; set; }

        /// <summary>Return the new client secret as plain text instead of a SecureString.</summary>
        public bool AsPlainText { get; set; }

        /// <summary>Remove what the recipe does not set (see <see cref="AppRecipe.Exclusive"/>).</summary>
        public bool Exclusive { get; set; }

        /// <summary>The uniqueName the app is found by: <see cref="UniqueName"/>, or one derived from <paramref name="recipeKey"/> and the name.</summary>
        public string UniqueNameFor(string recipeKey)
        {
            if (UniqueName == null) return UniqueNames.Derive(recipeKey, Name);
            UniqueNames.Validate(UniqueName);
            return UniqueName;
        }

        /// <summary>Refuses an empty name before anything is read or written.</summary>
        public void RequireName()
        {
            if (string.IsNullOrWhiteSpace(Name)) throw EntraAppKitException.InvalidInput("A name is required.");
        }

        /// <summary>A recipe for <paramref name="recipeName"/> with this input's name, key, adoption and secret already set.</summary>
        public AppRecipe NewRecipe(string recipeName, string recipeKey, string secretDisplayName)
        {
            RequireName();
            return new AppRecipe(recipeName, Name, UniqueNameFor(recipeKey))
            {
                RecipeKey = recipeKey,
                KeyIsDerived = UniqueName == null,
                LegacyUniqueName = UniqueName == null ? UniqueNames.Legacy(recipeKey, Name) : null,
                AdoptClientId = AdoptClientId,
                Secret = Certificate == null && SecretLifetimeMonths.HasValue ? new SecretRequest(secretDisplayName, SecretLifetimeMonths.Value) : null,
                Certificate = Certificate,
                NewSecret = NewSecret,
                Exclusive = Exclusive,
            };
        }
    }
}
