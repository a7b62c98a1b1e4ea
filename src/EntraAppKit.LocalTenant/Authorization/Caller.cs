using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Authorization
{
    /// <summary>Who is calling Graph, read from the access token's claims (Graph authorises from the token, not from live assignments).</summary>
    internal sealed class Caller
    {
        private readonly HashSet<string> _permissions;

        private Caller(bool builtInAdmin, bool appOnly, string objectId, string? appId, IEnumerable<string> permissions)
        {
            IsBuiltInAdmin = builtInAdmin;
            IsAppOnly = appOnly;
            ObjectId = objectId;
            AppId = appId;
            _permissions = new HashSet<string>(permissions, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The tenant's built-in administrator without a token (in-process default, --no-auth): full rights.</summary>
        public bool IsBuiltInAdmin { get; }

        /// <summary>An application acting as itself (roles) rather than for a signed-in user (scp).</summary>
        public bool IsAppOnly { get; }

        /// <summary>oid: the service principal for app-only, the user for delegated.</summary>
        public string ObjectId { get; }

        public string? AppId { get; }

        /// <summary>roles (app-only) or scp (delegated).</summary>
        public IReadOnlyCollection<string> Permissions => _permissions;

        public static Caller BuiltInAdmin(string administratorId) => new Caller(true, false, administratorId, null, Array.Empty<string>());

        public static Caller App(string servicePrincipalId, string appId, IEnumerable<string> roles) => new Caller(false, true, servicePrincipalId, appId, roles);

        public static Caller User(string userId, string appId, IEnumerable<string> scopes) => new Caller(false, false, userId, appId, scopes);

        /// <summary>Whether the caller holds any of <paramref name="permissions"/> (the built-in admin holds all).</summary>
        public bool HasAny(IEnumerable<string> permissions) => IsBuiltInAdmin || permissions.Any(_permissions.Contains);

        public bool Has(string permission) => IsBuiltInAdmin || _permissions.Contains(permission);
    }
}
