namespace EntraAppKit.Model
{
    /// <summary>
    /// A client secret's lifetime, one concept in one place: the recipes' -SecretLifetimeMonths and New-/Update-EntraAppSecret's
    /// -Months take the same default and range (Microsoft recommends less than 12 months, and at most 24:
    /// learn.microsoft.com/entra/identity-platform/how-to-add-credentials).
    /// </summary>
    public static class ClientSecretLifetime
    {
        /// <summary>The lifetime in months when none is given.</summary>
        public const int DefaultMonths = 12;

        /// <summary>The shortest lifetime in months.</summary>
        public const int MinMonths = 1;

        /// <summary>The longest lifetime in months.</summary>
        public const int MaxMonths = 24;
    }
}
