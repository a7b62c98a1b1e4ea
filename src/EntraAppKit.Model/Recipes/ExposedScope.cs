namespace EntraAppKit.Model.Recipes
{
    /// <summary>A delegated permission (scope) the application exposes, like CMG's user_impersonation.</summary>
    public sealed class ExposedScope
    {
        public ExposedScope() { }

        /// <summary>A scope by value; consent text is derived from the app's name unless set. (Lets PowerShell convert a string.)</summary>
        public ExposedScope(string value) { Value = value; }

        public string Value { get; set; } = "";

        /// <summary>"User" (admins and users can consent) or "Admin" (admins only).</summary>
        public string Type { get; set; } = "User";

        public string AdminConsentDisplayName { get; set; } = "";
        public string AdminConsentDescription { get; set; } = "";
        public string? UserConsentDisplayName { get; set; }
        public string? UserConsentDescription { get; set; }
    }
}
