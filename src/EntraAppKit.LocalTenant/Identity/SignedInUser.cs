namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>Who signed in at the authorization endpoint: the user's object id, sign-in name and display name.</summary>
    internal sealed class SignedInUser
    {
        public SignedInUser(string id, string userPrincipalName, string displayName)
        {
            Id = id; UserPrincipalName = userPrincipalName; DisplayName = displayName;
        }

        public string Id { get; }

        public string UserPrincipalName { get; }

        public string DisplayName { get; }
    }
}
