namespace EntraAppKit.Model.Recipes
{
    /// <summary>An app role the application defines (Graph appRole).</summary>
    public sealed class AppRoleDefinition
    {
        public AppRoleDefinition() { }

        /// <summary>An app role by value, for users and applications unless set otherwise. (Lets PowerShell convert a string.)</summary>
        public AppRoleDefinition(string value) { Value = value; }

        public string Value { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Description { get; set; } = "";

        /// <summary>"User", "Application" or both (settable, so a hashtable converts: @{ Value = 'Reader'; AllowedMemberTypes = 'User' }).</summary>
        public string[] AllowedMemberTypes { get; set; } = new string[0];
    }
}
