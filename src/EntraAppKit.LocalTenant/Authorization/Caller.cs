using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Authorization
{
    /// <summary>Who is calling Graph, read from the access token's claims (Graph authorises from the token, not from live assignments).</summary>
    internal sealed class Caller
    {
        /// <summary>roles (app-only) or scp (delegated).</summary>
        private readonly HashSet<string> _permissions;

        /// <summary>The signed-in user's directory role template ids (wids); empty for app-only callers.</summary>
        private readonly HashSet<string> _roles;

        private Caller(bool builtInAdmin, bool appOnly, string objectId, IEnumerable<string> permissions, IEnumerable<string> roles)
        {
            IsBuiltInAdmin = builtInAdmin;
            IsAppOnly = appOnly;
            ObjectId = objectId;
            _permissions = new HashSet<string>(permissions, StringComparer.OrdinalIgnoreCase);
            _roles = new HashSet<string>(roles, StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>The tenant's built-in administrator without a token (in-process default, --no-auth): full rights.</summary>
        public bool IsBuiltInAdmin { get; }

        /// <summary>An application acting as itself (roles) rather than for a signed-in user (scp).</summary>
        public bool IsAppOnly { get; }

        /// <summary>oid: the service principal for app-only, the user for delegated.</summary>
        public string ObjectId { get; }

        public static Caller BuiltInAdmin(string administratorId) =>
            new Caller(true, false, administratorId, Array.Empty<string>(), new[] { Identity.BuiltInAdministrator.GlobalAdministratorRoleId });

        /// <summary>An app-only caller; <paramref name="roles"/> are its token's roles.</summary>
        public static Caller App(string servicePrincipalId, IEnumerable<string> roles) => new Caller(false, true, servicePrincipalId, roles, Array.Empty<string>());

        /// <summary>
        /// A delegated caller; <paramref name="scopes"/> are its token's scp, <paramref name="directoryRoles"/> its wids: the
        /// signed-in user's directory role template ids (learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
        /// </summary>
        public static Caller User(string userId, IEnumerable<string> scopes, IEnumerable<string>? directoryRoles = null) =>
            new Caller(false, false, userId, scopes, directoryRoles ?? Array.Empty<string>());

        /// <summary>The signed-in user's directory role template ids (wids); none for an app-only caller.</summary>
        public IEnumerable<string> DirectoryRoles => IsAppOnly ? Enumerable.Empty<string>() : _roles;

        /// <summary>Whether the signed-in user holds any of these directory roles (by template id); never true for an app-only caller.</summary>
        public bool HoldsAnyRole(params string[] roleTemplateIds) => !IsAppOnly && roleTemplateIds.Any(_roles.Contains);

        /// <summary>Whether the caller holds any of <paramref name="permissions"/> (the built-in admin holds all).</summary>
        public bool HasAny(IEnumerable<string> permissions) => IsBuiltInAdmin || permissions.Any(_permissions.Contains);

        public bool Has(string permission) => IsBuiltInAdmin || _permissions.Contains(permission);
    }
}
