using System;
using EntraAppKit.LocalTenant.Cloud;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The one place a user's sign-in name and password are checked (the sign-in page's <c>login</c> and <c>passwd</c>): the
    /// tenant's users by their stored password (<see cref="UserPasswordVerifier"/>), and the built-in administrator also by
    /// <see cref="LocalTenantOptions.AdministratorPassword"/>, a runtime setting never saved. Errors as Entra's sign-in gives
    /// them (reference-error-codes): AADSTS50034 for a name no user has, AADSTS50126 for a wrong password, AADSTS50057 for a
    /// disabled account, and AADSTS50020 for a user of another tenant of the local cloud (<see cref="TenantNeighbours"/>), who
    /// signs in at /common or /organizations, or at the home tenant's own endpoint, not at this one's.
    /// </summary>
    internal sealed class UserSignIn
    {
        private readonly ITenantStore _store;
        private readonly RuntimeSettings _settings;
        private readonly UserPasswordVerifier _passwords;
        private readonly TenantNeighbours _neighbours;

        public UserSignIn(ITenantStore store, RuntimeSettings settings, UserPasswordVerifier passwords, TenantNeighbours neighbours)
        {
            _store = store; _settings = settings; _passwords = passwords; _neighbours = neighbours;
        }

        public SignedInUser SignIn(string login, string password, UserClient client)
        {
            string name = login.Trim();
            var administrator = _store.FindUser(_store.AdministratorId);
            string? runtime = _settings.AdministratorPassword;
            if (runtime != null && administrator != null && string.Equals(name, administrator.UserPrincipalName, StringComparison.OrdinalIgnoreCase) && SecretComparison.AreEqual(runtime, password))
                return Signed(administrator);
            switch (_passwords.Verify(name, password, out var user))
            {
                case UserPasswordCheck.Valid: return Signed(user!);
                case UserPasswordCheck.Disabled: throw AadstsException.DisabledUser();
                case UserPasswordCheck.UnknownUser:
                    if (_neighbours.HomeTenantOf(name) is LocalTenantEngine home)
                        throw AadstsException.ExternalUser(name, home.TenantId, _store.DisplayName, client.AppId, client.DisplayName);
                    throw AadstsException.UnknownUser(_store.TenantId);
                default: throw AadstsException.InvalidPassword();
            }
        }

        /// <summary>The user a session cookie names, while it still exists and may sign in (null otherwise).</summary>
        public SignedInUser? Find(string userId)
        {
            var user = _store.FindUser(userId);
            return user != null && user.AccountEnabled ? Signed(user) : null;
        }

        private static SignedInUser Signed(Model.UserEntity user) => new SignedInUser(user.Id, user.UserPrincipalName ?? "", user.DisplayName ?? "");
    }
}
