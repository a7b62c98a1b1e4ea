namespace EntraAppKit.Model.Recipes
{
    /// <summary>What the WriteBackExtreme "+ OAuth Configuration" form asks for.</summary>
    public sealed class WriteBackAppRegistration : AppRegistrationOutput
    {
        /// <summary>A SecureString, or a String with -AsPlainText; null when the run added none.</summary>
        public object? ClientSecret { get; set; }
    }
}
