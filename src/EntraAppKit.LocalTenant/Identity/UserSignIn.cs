using System;
using System.Security.Cryptography;
using System.Text;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The one place a user's sign-in name and password are checked (the sign-in page's <c>login</c> and <c>passwd</c>).
    /// Today the tenant's only user is the built-in administrator, whose password is <see cref="LocalTenantOptions.AdministratorPassword"/>
    /// (none: it cannot sign in with a password). Errors as Entra's sign-in gives them (reference-error-codes): AADSTS50034
    /// for a name no user has, AADSTS50126 for a wrong password.
    /// </summary>
    internal sealed class UserSignIn
    {
        private readonly ITenantStore _store;
        private readonly RuntimeSettings _settings;

        public UserSignIn(ITenantStore store, RuntimeSettings settings) { _store = store; _settings = settings; }

        public SignedInUser SignIn(string login, string password)
        {
            string upn = BuiltInAdministrator.UserPrincipalName(_store.InitialDomain);
            if (!string.Equals(login.Trim(), upn, StringComparison.OrdinalIgnoreCase)) throw AadstsException.UnknownUser(_store.TenantId);
            string? expected = _settings.AdministratorPassword;
            if (expected == null || !SameSecret(expected, password)) throw AadstsException.InvalidPassword();
            return new SignedInUser(_store.AdministratorId, upn, BuiltInAdministrator.DisplayName);
        }

        /// <summary>The user a session cookie names, while it still exists (null otherwise).</summary>
        public SignedInUser? Find(string userId) =>
            string.Equals(userId, _store.AdministratorId, StringComparison.OrdinalIgnoreCase)
                ? new SignedInUser(_store.AdministratorId, BuiltInAdministrator.UserPrincipalName(_store.InitialDomain), BuiltInAdministrator.DisplayName)
                : null;

        /// <summary>Compared in constant time, so the time of a refusal does not tell how much of the password was right.</summary>
        private static bool SameSecret(string expected, string given)
        {
            using var sha = SHA256.Create();
            byte[] a = sha.ComputeHash(Encoding.UTF8.GetBytes(expected)), b = sha.ComputeHash(Encoding.UTF8.GetBytes(given));
            int difference = 0;
            for (int i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }
    }
}
