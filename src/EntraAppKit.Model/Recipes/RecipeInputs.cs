// Public types PowerShell sees: cmdlet parameters and outputs. This assembly has no dependencies and stays in PowerShell's
// default load context, so users can name these types; the engine and its dependencies load in the module's own context.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Security;

namespace EntraAppKit.Core.Recipes
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
