using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// Checks a user's password against the salted hash the store keeps (the way <see cref="ClientSecretVerifier"/> checks
    /// client secrets): for the sign-in of users by password (ROPC, the authorization endpoint's sign-in page).
    /// </summary>
    internal sealed class UserPasswordVerifier
    {
        private readonly ITenantStore _store;

        public UserPasswordVerifier(ITenantStore store) { _store = store; }

        /// <summary>The user and <see cref="UserPasswordCheck.Valid"/>, or why not (the user is returned whenever it exists).</summary>
        public UserPasswordCheck Verify(string userPrincipalName, string password, out UserEntity? user)
        {
            user = string.IsNullOrEmpty(userPrincipalName) ? null : _store.FindUserByUserPrincipalName(userPrincipalName);
            if (user == null) return UserPasswordCheck.UnknownUser;
            var stored = _store.PasswordOf(user.Id);
            if (stored == null || password == null || !stored.Matches(password)) return UserPasswordCheck.WrongPassword;
            return user.AccountEnabled ? UserPasswordCheck.Valid : UserPasswordCheck.Disabled;
        }
    }
}
