namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>How a user's sign-in with a password came out (the AADSTS errors the sign-in page maps them to are the caller's).</summary>
    internal enum UserPasswordCheck
    {
        Valid,

        /// <summary>No user has the userPrincipalName (Entra's AADSTS50034).</summary>
        UnknownUser,

        /// <summary>The password does not match (AADSTS50126).</summary>
        WrongPassword,

        /// <summary>The password matches but the account is disabled, accountEnabled false (AADSTS50057).</summary>
        Disabled,
    }
}
