using System;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// The rules every user and role assignment obeys, whoever makes them (POST /users, PATCH, the server's --user, the
    /// engine's AddUser): the userPrincipalName's form, verified domain and uniqueness, Entra's password policy, and one
    /// tenant-wide assignment per role and principal.
    /// </summary>
    internal sealed class UserAccounts
    {
        public const string UserResource = "User";

        /// <summary>Graph's 400 for a userPrincipalName in a domain the tenant has not verified (as Office 365 provisioning reports it, support.okta.com).</summary>
        public const string UnverifiedDomain =
            "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.";

        /// <summary>Graph's 400 for a userPrincipalName another object has (microsoftgraph/microsoft-graph-docs#1508).</summary>
        public const string DuplicateUserPrincipalName = "Another object with the same value for property userPrincipalName already exists.";

        /// <summary>Graph's 400 for a password the policy refuses (microsoftgraph/msgraph-sdk-java-auth#36).</summary>
        public const string WeakPassword = "The specified password does not comply with password complexity requirements. Please provide a different password.";

        /// <summary>Graph's 400 for a role assignment that already exists: the directory's conflict wording.</summary>
        public const string DuplicateAssignment = "A conflicting object with one or more of the specified property values is present in the directory.";

        /// <summary>
        /// The symbols Entra accepts in a password besides letters and digits, and the blank space
        /// (learn.microsoft.com/entra/identity/authentication/concept-password-ban-bad-combined-policy, "Characters allowed").
        /// </summary>
        private const string Symbols = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;

        public UserAccounts(ITenantStore store, TenantClock clock) { _store = store; _clock = clock; }

        /// <summary>
        /// Entra's password rules (concept-password-ban-bad-combined-policy, "Password policies that only apply to cloud user
        /// accounts"): 8 to 256 characters, only the characters allowed (no Unicode), and three of the four kinds: lowercase,
        /// uppercase, digits, symbols.
        /// </summary>
        public static bool MeetsPasswordPolicy(string password)
        {
            if (password.Length < 8 || password.Length > 256) return false;
            if (password.Any(ch => !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || Symbols.IndexOf(ch) >= 0))) return false;
            int kinds = (password.Any(ch => ch >= 'a' && ch <= 'z') ? 1 : 0) + (password.Any(ch => ch >= 'A' && ch <= 'Z') ? 1 : 0) +
                (password.Any(ch => ch >= '0' && ch <= '9') ? 1 : 0) + (password.Any(ch => Symbols.IndexOf(ch) >= 0) ? 1 : 0);
            return kinds >= 3;
        }

        public static void DemandPasswordPolicy(string password)
        {
            if (!MeetsPasswordPolicy(password)) throw GraphException.BadRequest(WeakPassword);
        }

        /// <summary>
        /// A userPrincipalName is alias@domain, the domain one the tenant has verified, and no other user has it
        /// (resources/user: "The domain must be present in the tenant's collection of verified domains").
        /// Returns it with the domain as the tenant spells it.
        /// </summary>
        public string DemandUserPrincipalName(string? upn, string? exceptId)
        {
            int at = upn == null ? -1 : upn.LastIndexOf('@');
            if (upn == null || at <= 0 || at == upn.Length - 1 || upn.IndexOf('@') != at || upn.Any(char.IsWhiteSpace) || upn.Length > 113)
                throw GraphException.InvalidValue("userPrincipalName", UserResource);
            string domain = _store.AllDomains.FirstOrDefault(d => string.Equals(d, upn.Substring(at + 1), StringComparison.OrdinalIgnoreCase))
                ?? throw GraphException.BadRequest(UnverifiedDomain);
            string normalized = upn.Substring(0, at + 1) + domain;
            var other = _store.FindUserByUserPrincipalName(normalized);
            if (other != null && !Entity.SameKey(other.Id, exceptId))
                throw new GraphException(400, "Request_BadRequest", DuplicateUserPrincipalName,
                    new[] { ("ObjectConflict", DuplicateUserPrincipalName, "userPrincipalName") });
            return normalized;
        }

        /// <summary>Creates a user from a body already checked against the schema; <paramref name="password"/> is kept only as a salted hash.</summary>
        public UserEntity Create(JsonObject properties, string password)
        {
            var json = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["businessPhones"] = new JsonArray(),
                ["createdDateTime"] = GraphTimestamp.Seconds(_clock.Now),
                ["userType"] = "Member",
            };
            foreach (var kv in properties)
                if (kv.Key != "passwordProfile" && !kv.Key.StartsWith("@odata.", StringComparison.Ordinal)) json[kv.Key] = kv.Value?.DeepClone();
            var user = new UserEntity(json);
            _store.AddUser(user, StoredSecret.Create(user.Id, password));
            return user;
        }

        /// <summary>Assigns a built-in role tenant-wide ("/"); a second assignment of the same role to the same principal is the directory's conflict.</summary>
        public RoleAssignmentEntity Assign(string principalId, DirectoryRoles.Role role)
        {
            string id = DirectoryRoles.AssignmentId(role.Id, principalId);
            if (_store.FindRoleAssignment(id) != null) throw GraphException.BadRequest(DuplicateAssignment);
            var assignment = new RoleAssignmentEntity(new JsonObject
            {
                ["id"] = id,
                ["directoryScopeId"] = "/",
                ["principalId"] = principalId.ToLowerInvariant(),
                ["roleDefinitionId"] = role.Id,
            });
            _store.AddRoleAssignment(assignment);
            return assignment;
        }

        /// <summary>
        /// Adds a seeded user (server --user, LocalTenantOptions.Users) with its roles, unless a user already has its
        /// userPrincipalName. Bad input is an ArgumentException naming the user, with Graph's reason.
        /// </summary>
        public bool Seed(LocalTenantUser seed)
        {
            var roles = seed.Roles.Select(r => DirectoryRoles.Parse(r) ?? throw new ArgumentException(
                $"User '{seed.UserPrincipalName}': unknown directory role '{r}'. Known roles: {string.Join(", ", DirectoryRoles.All.Select(x => x.Name))} (or their template ids).")).ToList();
            if (_store.FindUserByUserPrincipalName(seed.UserPrincipalName) != null) return false;
            string upn;
            try
            {
                upn = DemandUserPrincipalName(seed.UserPrincipalName, null);
                DemandPasswordPolicy(seed.Password);
            }
            catch (GraphException e)
            {
                throw new ArgumentException($"User '{seed.UserPrincipalName}': {e.Message}");
            }
            string alias = upn.Substring(0, upn.IndexOf('@'));
            var user = Create(new JsonObject
            {
                ["accountEnabled"] = true,
                ["displayName"] = alias,
                ["mailNickname"] = alias,
                ["userPrincipalName"] = upn,
            }, seed.Password);
            foreach (var role in roles.Distinct()) Assign(user.Id, role);
            return true;
        }
    }
}
