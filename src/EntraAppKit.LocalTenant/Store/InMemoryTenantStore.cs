using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>The tenant held in memory: one <see cref="EntityTable{TEntity}"/> per collection with its indexes. Saved and loaded by StateFile.</summary>
    internal sealed class InMemoryTenantStore : ITenantStore
    {
        private readonly List<string> _customDomains = new List<string>();
        private readonly EntityTable<ApplicationEntity> _applications = new EntityTable<ApplicationEntity>();
        private readonly EntityTable<ServicePrincipalEntity> _servicePrincipals = new EntityTable<ServicePrincipalEntity>();
        private readonly EntityTable<GrantEntity> _grants = new EntityTable<GrantEntity>();
        private readonly EntityTable<AssignmentEntity> _assignments = new EntityTable<AssignmentEntity>();
        private readonly EntityIndex<ApplicationEntity> _applicationsByAppId;
        private readonly EntityIndex<ApplicationEntity> _applicationsByUniqueName;
        private readonly EntityIndex<ServicePrincipalEntity> _servicePrincipalsByAppId;
        private readonly EntityIndex<GrantEntity> _grantsByClient;
        private readonly EntityIndex<AssignmentEntity> _assignmentsByPrincipal;
        private readonly EntityIndex<AssignmentEntity> _assignmentsByResource;
        private readonly Dictionary<string, StoredSecret> _secrets = new Dictionary<string, StoredSecret>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<string>> _owners = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly EntityTable<UserEntity> _users = new EntityTable<UserEntity>();
        private readonly EntityIndex<UserEntity> _usersByUserPrincipalName;
        private readonly Dictionary<string, StoredSecret> _passwords = new Dictionary<string, StoredSecret>(StringComparer.OrdinalIgnoreCase);
        private readonly EntityTable<RoleAssignmentEntity> _roleAssignments = new EntityTable<RoleAssignmentEntity>();
        private readonly EntityIndex<RoleAssignmentEntity> _roleAssignmentsByPrincipal;

        public InMemoryTenantStore()
        {
            _applicationsByAppId = _applications.AddIndex(a => a.AppId);
            _applicationsByUniqueName = _applications.AddIndex(a => a.UniqueName);
            _servicePrincipalsByAppId = _servicePrincipals.AddIndex(s => s.AppId);
            _grantsByClient = _grants.AddIndex(g => g.ClientId);
            _assignmentsByPrincipal = _assignments.AddIndex(a => a.PrincipalId);
            _assignmentsByResource = _assignments.AddIndex(a => a.ResourceId);
            _usersByUserPrincipalName = _users.AddIndex(u => u.UserPrincipalName);
            _roleAssignmentsByPrincipal = _roleAssignments.AddIndex(a => a.PrincipalId);
        }

        /// <summary>A new tenant as <paramref name="options"/> describe it, with its identity and the built-in service principals.</summary>
        public static InMemoryTenantStore New(LocalTenantOptions options, GraphSchema schema, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(options.Name) || options.Name.Any(c => !(char.IsLetterOrDigit(c) || c == '-')))
                throw new ArgumentException("The tenant name must be letters, digits and hyphens (it becomes <name>.onmicrosoft.com).", nameof(options));
            var store = new InMemoryTenantStore
            {
                TenantId = (options.TenantId ?? Guid.NewGuid()).ToString(),
                Name = options.Name.ToLowerInvariant(),
                DisplayName = options.DisplayName,
                CreatedDateTime = GraphTimestamp.Seconds(now),
                EnforceIdentifierUriPolicy = options.EnforceIdentifierUriPolicy,
                MicrosoftGraphServicePrincipalId = Guid.NewGuid().ToString(),
            };
            store.CreateIdentity();
            store.UsersCanRegisterApplications = options.UsersCanRegisterApplications;
            store._customDomains.AddRange(options.VerifiedDomains.Select(d => d.ToLowerInvariant()));
            store.SeedBuiltIns(schema);
            store.EnsureAdministrator();
            return store;
        }

        // ----- The tenant -----

        public string TenantId { get; internal set; } = "";
        public string Name { get; internal set; } = "";
        public string DisplayName { get; internal set; } = "";
        public string CreatedDateTime { get; internal set; } = "";
        public bool EnforceIdentifierUriPolicy { get; internal set; } = true;
        public string MicrosoftGraphServicePrincipalId { get; internal set; } = "";
        public string AdministratorId { get; internal set; } = "";
        public string IdentityHeader { get; internal set; } = "";
        /// <summary>
        /// Made when first needed (a token to sign or check, the JWKS, a save): an RSA 2048 key takes a noticeable fraction of a
        /// second to generate, and an in-memory tenant whose administrator sends no token never needs one. Once made it stays.
        /// </summary>
        public SigningKey SigningKey
        {
            get
            {
                if (_signingKey != null) return _signingKey;
                lock (_signingKeyLock) return _signingKey ??= SigningKey.Create();
            }
            internal set => _signingKey = value;
        }

        private readonly object _signingKeyLock = new object();
        private volatile SigningKey? _signingKey;
        public JsonObject AuthorizationPolicy { get; internal set; } = AuthorizationPolicyDefaults.New(true);
        public JsonObject AdminConsentRequestPolicy { get; set; } = AdminConsentRequestPolicyDefaults.New();

        /// <summary>The policy's defaultUserRolePermissions.allowedToCreateApps.</summary>
        public bool UsersCanRegisterApplications
        {
            get => !(AuthorizationPolicy["defaultUserRolePermissions"]?["allowedToCreateApps"] is JsonValue v && v.TryGetValue<bool>(out var b) && !b);
            set => AuthorizationPolicy["defaultUserRolePermissions"]!["allowedToCreateApps"] = value;
        }

        public string InitialDomain => Name + ".onmicrosoft.com";

        public IReadOnlyList<string> CustomDomains => _customDomains;

        public IReadOnlyList<string> AllDomains => new[] { InitialDomain }.Concat(_customDomains).ToList();

        public void AddCustomDomain(string name)
        {
            if (!_customDomains.Contains(name, StringComparer.OrdinalIgnoreCase)) _customDomains.Add(name.ToLowerInvariant());
        }

        /// <summary>Restores the custom domains as saved.</summary>
        internal void LoadCustomDomains(IEnumerable<string> names) => _customDomains.AddRange(names);

        /// <summary>Adds the service principals every tenant has (Microsoft Graph). They are rebuilt from the catalog, not persisted.</summary>
        internal void SeedBuiltIns(GraphSchema schema) =>
            _servicePrincipals.Add(new ServicePrincipalEntity(PermissionCatalog.BuildMicrosoftGraphServicePrincipal(schema, MicrosoftGraphServicePrincipalId)), DateTimeOffset.MinValue);

        /// <summary>The identity-provider half of a tenant: a signing key, the managed identity secret and the administrator.</summary>
        internal void CreateIdentity()
        {
            _signingKey = null;
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            IdentityHeader = Base64Url.Encode(bytes);
            AdministratorId = Guid.NewGuid().ToString();
        }

        /// <summary>
        /// Makes the built-in administrator a user object holding Global Administrator, unless it already is one (a tenant saved
        /// before users existed gains it on load). Its password is random and never shown: it signs in by device code approval.
        /// Returns whether it added anything.
        /// </summary>
        internal bool EnsureAdministrator()
        {
            if (_users.Find(AdministratorId) != null) return false;
            // A file that kept its users but lost its identity (no signing key) keeps its administrator too.
            var saved = FindUserByUserPrincipalName(BuiltInAdministrator.UserPrincipalName(InitialDomain));
            if (saved != null)
            {
                AdministratorId = saved.Id;
                return false;
            }
            var json = new JsonObject
            {
                ["id"] = AdministratorId,
                ["accountEnabled"] = true,
                ["businessPhones"] = new JsonArray(),
                ["createdDateTime"] = CreatedDateTime,
                ["displayName"] = BuiltInAdministrator.DisplayName,
                ["mailNickname"] = "admin",
                ["userPrincipalName"] = BuiltInAdministrator.UserPrincipalName(InitialDomain),
                ["userType"] = "Member",
            };
            var bytes = new byte[32];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            AddUser(new UserEntity(json), StoredSecret.Create(AdministratorId, Convert.ToBase64String(bytes)));
            if (!RoleAssignmentsOf(AdministratorId).Any(a => Entity.SameKey(a.RoleDefinitionId, DirectoryRoles.GlobalAdministrator)))
                AddRoleAssignment(new RoleAssignmentEntity(new JsonObject
                {
                    ["id"] = DirectoryRoles.AssignmentId(DirectoryRoles.GlobalAdministrator, AdministratorId),
                    ["directoryScopeId"] = "/",
                    ["principalId"] = AdministratorId,
                    ["roleDefinitionId"] = DirectoryRoles.GlobalAdministrator,
                }));
            return true;
        }

        /// <summary>
        /// Becomes <paramref name="saved"/> (a tenant just loaded from the state file: another process's writes, or the last saved
        /// state after a failed save). Objects this store already had keep their replication lag; new ones are visible at once.
        /// </summary>
        internal void ReplaceWith(InMemoryTenantStore saved)
        {
            TenantId = saved.TenantId;
            Name = saved.Name;
            DisplayName = saved.DisplayName;
            CreatedDateTime = saved.CreatedDateTime;
            EnforceIdentifierUriPolicy = saved.EnforceIdentifierUriPolicy;
            MicrosoftGraphServicePrincipalId = saved.MicrosoftGraphServicePrincipalId;
            AdministratorId = saved.AdministratorId;
            IdentityHeader = saved.IdentityHeader;
            _signingKey = saved._signingKey ?? _signingKey; // a copy made before the key was: ours stays
            AuthorizationPolicy = (JsonObject)saved.AuthorizationPolicy.DeepClone();
            AdminConsentRequestPolicy = (JsonObject)saved.AdminConsentRequestPolicy.DeepClone();
            _customDomains.Clear();
            _customDomains.AddRange(saved._customDomains);
            Func<string, DateTimeOffset> atOnce = _ => DateTimeOffset.MinValue;
            _applications.ReplaceAll(saved._applications.All, atOnce);
            _servicePrincipals.ReplaceAll(saved._servicePrincipals.All, atOnce);
            _grants.ReplaceAll(saved._grants.All, atOnce);
            _assignments.ReplaceAll(saved._assignments.All, atOnce);
            _secrets.Clear();
            foreach (var kv in saved._secrets) _secrets[kv.Key] = kv.Value;
            _owners.Clear();
            foreach (var kv in saved._owners) _owners[kv.Key] = kv.Value.ToList();
            _users.ReplaceAll(saved._users.All, atOnce);
            _roleAssignments.ReplaceAll(saved._roleAssignments.All, atOnce);
            _passwords.Clear();
            foreach (var kv in saved._passwords) _passwords[kv.Key] = kv.Value;
        }

        // ----- Users -----

        public IEnumerable<UserEntity> Users => _users.All;

        public UserEntity? FindUser(string id) => _users.Find(id);

        public UserEntity? FindUserByUserPrincipalName(string userPrincipalName) => _usersByUserPrincipalName.First(userPrincipalName);

        // Users are visible at once: the local tenant models replication lag for applications and service principals only.
        public void AddUser(UserEntity user, StoredSecret password)
        {
            _users.Add(user, DateTimeOffset.MinValue);
            _passwords[user.Id] = password;
        }

        public void Reindex(UserEntity user) => _users.Reindex(user);

        public StoredSecret? PasswordOf(string userId) => _passwords.TryGetValue(userId, out var p) ? p : null;

        public void SetPassword(string userId, StoredSecret password) => _passwords[userId] = password;

        public void RemoveUser(UserEntity user)
        {
            string id = user.Id;
            _users.Remove(id);
            _passwords.Remove(id);
            _roleAssignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id));
            foreach (var owners in _owners.Values) owners.RemoveAll(o => Entity.SameKey(o, id));
            _grants.RemoveWhere(g => g.ConsentType == "Principal" && Entity.SameKey(g.PrincipalId, id));
            _assignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id));
        }

        public IEnumerable<KeyValuePair<string, StoredSecret>> Passwords => _passwords;

        /// <summary>Restores a user as saved.</summary>
        internal void LoadUser(UserEntity user, StoredSecret password) => AddUser(user, password);

        // ----- Directory role assignments -----

        public IEnumerable<RoleAssignmentEntity> RoleAssignments => _roleAssignments.All;

        public RoleAssignmentEntity? FindRoleAssignment(string id) => _roleAssignments.Find(id);

        public IReadOnlyList<RoleAssignmentEntity> RoleAssignmentsOf(string principalId) => _roleAssignmentsByPrincipal.All(principalId);

        public void AddRoleAssignment(RoleAssignmentEntity assignment) => _roleAssignments.Add(assignment, DateTimeOffset.MinValue);

        public void RemoveRoleAssignment(RoleAssignmentEntity assignment) => _roleAssignments.Remove(assignment.Id);

        // ----- Applications -----

        public IEnumerable<ApplicationEntity> Applications => _applications.All;

        public IEnumerable<ApplicationEntity> VisibleApplications(DateTimeOffset now) => _applications.Visible(now);

        public bool IsVisible(ApplicationEntity application, DateTimeOffset now) => _applications.IsVisible(application.Id, now);

        public ApplicationEntity? FindApplication(string id) => _applications.Find(id);

        public ApplicationEntity? FindApplicationByAppId(string appId) => _applicationsByAppId.First(appId);

        public ApplicationEntity? FindVisibleApplicationByAppId(string appId, DateTimeOffset now) =>
            _applicationsByAppId.All(appId).FirstOrDefault(a => IsVisible(a, now));

        public ApplicationEntity? FindApplicationByUniqueName(string uniqueName) => _applicationsByUniqueName.First(uniqueName);

        public IReadOnlyList<ApplicationEntity> ApplicationsByUniqueName(string uniqueName) => _applicationsByUniqueName.All(uniqueName);

        public ApplicationEntity? FindApplicationByIdentifierUri(string identifierUri, string exceptId) =>
            _applications.All.FirstOrDefault(a => a.Id != exceptId &&
                a.IdentifierUris.Any(u => string.Equals((string)u!, identifierUri, StringComparison.OrdinalIgnoreCase)));

        public void AddApplication(ApplicationEntity application, DateTimeOffset visibleAt) => _applications.Add(application, visibleAt);

        public void ReplaceApplication(ApplicationEntity application, JsonObject updated)
        {
            foreach (var kv in updated.ToList()) { updated.Remove(kv.Key); application.Json[kv.Key] = kv.Value; }
            _applications.Reindex(application);
        }

        public void RemoveApplication(ApplicationEntity application)
        {
            string id = application.Id;
            _applications.Remove(id);
            _owners.Remove(id);
            foreach (var keyId in _secrets.Where(kv => kv.Value.ApplicationId == id).Select(kv => kv.Key).ToList()) _secrets.Remove(keyId);
        }

        public bool IsOwner(ApplicationEntity application, string principalId) =>
            _owners.TryGetValue(application.Id, out var owners) && owners.Contains(principalId, StringComparer.OrdinalIgnoreCase);

        public void AddOwner(ApplicationEntity application, string principalId) => AddOwner(application.Id, principalId);

        public IReadOnlyList<string> OwnersOf(string objectId) =>
            _owners.TryGetValue(objectId, out var owners) ? owners.ToList() : (IReadOnlyList<string>)Array.Empty<string>();

        public bool AddOwner(string objectId, string principalId)
        {
            if (!_owners.TryGetValue(objectId, out var owners)) _owners[objectId] = owners = new List<string>();
            if (owners.Contains(principalId, StringComparer.OrdinalIgnoreCase)) return false;
            owners.Add(principalId);
            return true;
        }

        public bool RemoveOwner(string objectId, string principalId) =>
            _owners.TryGetValue(objectId, out var owners) && owners.RemoveAll(o => Entity.SameKey(o, principalId)) > 0;

        /// <summary>Restores an application's owners as saved.</summary>
        internal void LoadOwners(string applicationId, IEnumerable<string> owners) => _owners[applicationId] = owners.ToList();

        public IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Owners =>
            _owners.Select(kv => new KeyValuePair<string, IReadOnlyList<string>>(kv.Key, kv.Value));

        // ----- Client secrets -----

        public StoredSecret? FindSecret(string keyId) => _secrets.TryGetValue(keyId, out var secret) ? secret : null;

        public void AddSecret(string keyId, StoredSecret secret) => _secrets[keyId] = secret;

        public void RemoveSecret(string keyId) => _secrets.Remove(keyId);

        public IEnumerable<KeyValuePair<string, StoredSecret>> Secrets => _secrets;

        // ----- Service principals -----

        public IEnumerable<ServicePrincipalEntity> ServicePrincipals => _servicePrincipals.All;

        public IEnumerable<ServicePrincipalEntity> VisibleServicePrincipals(DateTimeOffset now) => _servicePrincipals.Visible(now);

        public bool IsVisible(ServicePrincipalEntity servicePrincipal, DateTimeOffset now) => _servicePrincipals.IsVisible(servicePrincipal.Id, now);

        public ServicePrincipalEntity? FindServicePrincipal(string id) => _servicePrincipals.Find(id);

        public ServicePrincipalEntity? FindServicePrincipalByAppId(string appId) => _servicePrincipalsByAppId.First(appId);

        public ServicePrincipalEntity? FindVisibleServicePrincipalByAppId(string appId, DateTimeOffset now) =>
            _servicePrincipalsByAppId.All(appId).FirstOrDefault(s => IsVisible(s, now));

        public IEnumerable<ServicePrincipalEntity> ManagedIdentities => _servicePrincipals.All.Where(s => s.IsManagedIdentity);

        public ServicePrincipalEntity MicrosoftGraphServicePrincipal => _servicePrincipals.Find(MicrosoftGraphServicePrincipalId)!;

        public bool IsBuiltIn(ServicePrincipalEntity servicePrincipal) =>
            string.Equals(servicePrincipal.Id, MicrosoftGraphServicePrincipalId, StringComparison.OrdinalIgnoreCase);

        public void AddServicePrincipal(ServicePrincipalEntity servicePrincipal, DateTimeOffset visibleAt) => _servicePrincipals.Add(servicePrincipal, visibleAt);

        public void RemoveServicePrincipal(ServicePrincipalEntity servicePrincipal)
        {
            string id = servicePrincipal.Id;
            _servicePrincipals.Remove(id);
            _owners.Remove(id);
            foreach (var keyId in _secrets.Where(kv => kv.Value.ApplicationId == id).Select(kv => kv.Key).ToList()) _secrets.Remove(keyId);
            // An owner that is gone owns nothing (Graph drops a deleted object from every owners list).
            foreach (var owners in _owners.Values) owners.RemoveAll(o => Entity.SameKey(o, id));
            _grants.RemoveWhere(g => Entity.SameKey(g.ClientId, id) || Entity.SameKey(g.ResourceId, id));
            _assignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id) || Entity.SameKey(a.ResourceId, id));
            _roleAssignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id));
        }

        // ----- oauth2PermissionGrants -----

        public IEnumerable<GrantEntity> Grants => _grants.All;

        public GrantEntity? FindGrant(string id) => _grants.Find(id);

        public IReadOnlyList<GrantEntity> GrantsOfClient(string clientServicePrincipalId) => _grantsByClient.All(clientServicePrincipalId);

        // Grants and assignments are not subject to replication lag here: visible at once.
        public void AddGrant(GrantEntity grant) => _grants.Add(grant, DateTimeOffset.MinValue);

        public void RemoveGrant(GrantEntity grant) => _grants.Remove(grant.Id);

        // ----- App role assignments -----

        public IEnumerable<AssignmentEntity> Assignments => _assignments.All;

        public AssignmentEntity? FindAssignment(string id) => _assignments.Find(id);

        public IReadOnlyList<AssignmentEntity> AssignmentsOf(string principalId) => _assignmentsByPrincipal.All(principalId);

        public IReadOnlyList<AssignmentEntity> AssignmentsTo(string resourceId) => _assignmentsByResource.All(resourceId);

        public void AddAssignment(AssignmentEntity assignment) => _assignments.Add(assignment, DateTimeOffset.MinValue);

        public void RemoveAssignment(AssignmentEntity assignment) => _assignments.Remove(assignment.Id);
    }
}
