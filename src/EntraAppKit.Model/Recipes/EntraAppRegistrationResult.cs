namespace EntraAppKit.Model.Recipes
{
    /// <summary>The general recipe's output: the common facts and the secret.</summary>
    public sealed class EntraAppRegistrationResult : AppRegistrationOutput
    {
        /// <summary>A SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }

        public string SignInAudience { get; set; } = "";
    }
}
