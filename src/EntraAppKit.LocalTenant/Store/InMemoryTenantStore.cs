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
        private readonly EntityTable<ServicePrincipalEntity> _servicePrincipals;
        private readonly EntityTable<GrantEntity> _grants = new EntityTable<GrantEntity>();
        private readonly EntityTable<AssignmentEntity> _assignments = new EntityTable<AssignmentEntity>();
        private readonly EntityIndex<ApplicationEntity> _applicationsByAppId;
        private readonly EntityIndex<ApplicationEntity> _applicationsByUniqueName;
        private readonly EntityIndex<ApplicationEntity> _applicationsByIdentifierUri;
        private readonly EntityIndex<ServicePrincipalEntity> _servicePrincipalsByAppId;
        private readonly EntityIndex<GrantEntity> _grantsByClient;
        private readonly EntityIndex<AssignmentEntity> _assignmentsByPrincipal;
        private readonly EntityIndex<AssignmentEntity> _assignmentsByResource;
        private readonly EntryTable<StoredSecret> _secrets = new EntryTable<StoredSecret>();
        private readonly EntryTable<List<string>> _owners = new EntryTable<List<string>>(); // never changed in place: a change is a new list
        private readonly EntityTable<UserEntity> _users = new EntityTable<UserEntity>();
        private readonly EntityIndex<UserEntity> _usersByUserPrincipalName;
        private readonly EntryTable<StoredSecret> _passwords = new EntryTable<StoredSecret>();
        private readonly EntityTable<RoleAssignmentEntity> _roleAssignments = new EntityTable<RoleAssignmentEntity>();
        private readonly EntityIndex<RoleAssignmentEntity> _roleAssignmentsByPrincipal;
        private GraphSchema _schema = GraphSchema.V1;
        private TenantFacts? _factsBefore; // null: not recording
        private JsonObject? _builtInBefore; // the built-in principal's changes from the catalog before the write, once it is looked up

        public InMemoryTenantStore()
        {
            _servicePrincipals = new EntityTable<ServicePrincipalEntity>(RecordBuiltIn);
            _applicationsByAppId = _applications.AddIndex(a => a.AppId);
            _applicationsByUniqueName = _applications.AddIndex(a => a.UniqueName);
            _applicationsByIdentifierUri = _applications.AddIndex(a => a.Json["identifierUris"] is JsonArray uris
                ? uris.Select(Entity.TextOf).Where(u => u != null).Select(u => u!) : Enumerable.Empty<string>());
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

        public bool HasSigningKey => _signingKey != null;

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

        /// <summary>Sets the custom domains as saved or as they were before a write.</summary>
        internal void SetCustomDomains(IEnumerable<string> names)
        {
            _customDomains.Clear();
            _customDomains.AddRange(names);
        }

        /// <summary>Adds the service principals every tenant has (Microsoft Graph). They are rebuilt from the catalog, not persisted.</summary>
        internal void SeedBuiltIns(GraphSchema schema)
        {
            _schema = schema;
            _servicePrincipals.Add(new ServicePrincipalEntity(PermissionCatalog.BuildMicrosoftGraphServicePrincipal(schema, MicrosoftGraphServicePrincipalId)), DateTimeOffset.MinValue);
        }

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
            _secrets.ReplaceAll(saved._secrets.All);
            _owners.ReplaceAll(saved._owners.All);
            _users.ReplaceAll(saved._users.All, atOnce);
            _roleAssignments.ReplaceAll(saved._roleAssignments.All, atOnce);
            _passwords.ReplaceAll(saved._passwords.All);
            _factsBefore = null;
            _builtInBefore = null;
        }

        // ----- Recording a write (a tenant with a state file saves what changed, and undoes a write that failed) -----

        /// <summary>Starts a write that records what it changes (<paramref name="record"/> true) or a read that records nothing.</summary>
        internal void BeginChanges(bool record)
        {
            foreach (var table in Tables) table.BeginChanges(record);
            _factsBefore = record ? TenantFacts.Of(this) : null;
            _builtInBefore = null;
        }

        /// <summary>Puts the tenant back as it was when the write began.</summary>
        internal void RollbackChanges()
        {
            foreach (var table in Tables) table.Rollback();
            _factsBefore?.Restore(this);
            _factsBefore = null;
            if (_builtInBefore != null) BuiltInPrincipalChanges.Restore(MicrosoftGraphServicePrincipal, _builtInBefore, _schema);
            _builtInBefore = null;
        }

        /// <summary>Whether the tenant's own facts (names, domains, policies, keys) changed since the write began.</summary>
        internal bool FactsChanged => _factsBefore != null && !_factsBefore.SameAs(TenantFacts.Of(this));

        /// <summary>The built-in principal's changes from the catalog now, when the write looked it up and changed it; else null.</summary>
        internal JsonObject? BuiltInChangesIfChanged()
        {
            if (_builtInBefore == null) return null;
            var now = BuiltInPrincipalChanges.Of(MicrosoftGraphServicePrincipal, _schema);
            return JsonNode.DeepEquals(now, _builtInBefore) ? null : now;
        }

        internal EntityTable<ApplicationEntity> ApplicationTable => _applications;
        internal EntityTable<ServicePrincipalEntity> ServicePrincipalTable => _servicePrincipals;
        internal EntityTable<GrantEntity> GrantTable => _grants;
        internal EntityTable<AssignmentEntity> AssignmentTable => _assignments;
        internal EntityTable<UserEntity> UserTable => _users;
        internal EntityTable<RoleAssignmentEntity> RoleAssignmentTable => _roleAssignments;
        internal EntryTable<StoredSecret> SecretTable => _secrets;
        internal EntryTable<List<string>> OwnerTable => _owners;
        internal EntryTable<StoredSecret> PasswordTable => _passwords;

        private IEnumerable<IRecordsChanges> Tables => new IRecordsChanges[]
        {
            _applications, _servicePrincipals, _grants, _assignments, _users, _roleAssignments, _secrets, _owners, _passwords,
        };

        /// <summary>The built-in principal carries two thousand roles: instead of a copy, its few changes from the catalog are kept.</summary>
        private bool RecordBuiltIn(ServicePrincipalEntity servicePrincipal)
        {
            if (!IsBuiltIn(servicePrincipal)) return false;
            if (_factsBefore != null && _builtInBefore == null) _builtInBefore = BuiltInPrincipalChanges.Of(servicePrincipal, _schema);
            return true;
        }

        // ----- Users -----

        public IEnumerable<UserEntity> Users => _users.All;

        public UserEntity? FindUser(string id) => _users.Find(id);

        public UserEntity? FindUserByUserPrincipalName(string userPrincipalName) => _users.Touch(_usersByUserPrincipalName.First(userPrincipalName));

        // Users are visible at once: the local tenant models replication lag for applications and service principals only.
        public void AddUser(UserEntity user, StoredSecret password)
        {
            _users.Add(user, DateTimeOffset.MinValue);
            _passwords.Set(user.Id, password);
        }

        public void Reindex(UserEntity user) => _users.Reindex(user);

        public StoredSecret? PasswordOf(string userId) => _passwords.Find(userId);

        public void SetPassword(string userId, StoredSecret password) => _passwords.Set(userId, password);

        public void RemoveUser(UserEntity user)
        {
            string id = user.Id;
            _users.Remove(id);
            _passwords.Remove(id);
            _roleAssignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id));
            RemoveFromEveryOwnersList(id);
            _grants.RemoveWhere(g => g.ConsentType == "Principal" && Entity.SameKey(g.PrincipalId, id));
            _assignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id));
        }

        public IEnumerable<KeyValuePair<string, StoredSecret>> Passwords => _passwords.All;

        /// <summary>Restores a user as saved.</summary>
        internal void LoadUser(UserEntity user, StoredSecret password) => AddUser(user, password);

        // ----- Directory role assignments -----

        public IEnumerable<RoleAssignmentEntity> RoleAssignments => _roleAssignments.All;

        public RoleAssignmentEntity? FindRoleAssignment(string id) => _roleAssignments.Find(id);

        public IReadOnlyList<RoleAssignmentEntity> RoleAssignmentsOf(string principalId) => _roleAssignments.Touch(_roleAssignmentsByPrincipal.All(principalId));

        public void AddRoleAssignment(RoleAssignmentEntity assignment) => _roleAssignments.Add(assignment, DateTimeOffset.MinValue);

        public void RemoveRoleAssignment(RoleAssignmentEntity assignment) => _roleAssignments.Remove(assignment.Id);

        // ----- Applications -----

        public IEnumerable<ApplicationEntity> Applications => _applications.All;

        public IEnumerable<ApplicationEntity> VisibleApplications(DateTimeOffset now) => _applications.Visible(now);

        public bool IsVisible(ApplicationEntity application, DateTimeOffset now) => _applications.IsVisible(application.Id, now);

        public ApplicationEntity? FindApplication(string id) => _applications.Find(id);

        public ApplicationEntity? FindApplicationByAppId(string appId) => _applications.Touch(_applicationsByAppId.First(appId));

        public ApplicationEntity? FindVisibleApplicationByAppId(string appId, DateTimeOffset now) =>
            _applications.Touch(_applicationsByAppId.All(appId).FirstOrDefault(a => IsVisible(a, now)));

        public ApplicationEntity? FindApplicationByUniqueName(string uniqueName) => _applications.Touch(_applicationsByUniqueName.First(uniqueName));

        public IReadOnlyList<ApplicationEntity> ApplicationsByUniqueName(string uniqueName) => _applications.Touch(_applicationsByUniqueName.All(uniqueName));

        public ApplicationEntity? FindApplicationByIdentifierUri(string identifierUri, string exceptId) =>
            _applications.Touch(_applicationsByIdentifierUri.All(identifierUri).FirstOrDefault(a => a.Id != exceptId));

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
            _secrets.RemoveWhere(kv => kv.Value.ApplicationId == id);
        }

        public bool IsOwner(ApplicationEntity application, string principalId) =>
            _owners.Find(application.Id) is List<string> owners && owners.Contains(principalId, StringComparer.OrdinalIgnoreCase);

        public void AddOwner(ApplicationEntity application, string principalId) => AddOwner(application.Id, principalId);

        public IReadOnlyList<string> OwnersOf(string objectId) =>
            _owners.Find(objectId) is List<string> owners ? owners.ToList() : (IReadOnlyList<string>)Array.Empty<string>();

        public bool AddOwner(string objectId, string principalId)
        {
            var owners = _owners.Find(objectId);
            if (owners != null && owners.Contains(principalId, StringComparer.OrdinalIgnoreCase)) return false;
            _owners.Set(objectId, new List<string>(owners ?? Enumerable.Empty<string>()) { principalId });
            return true;
        }

        public bool RemoveOwner(string objectId, string principalId)
        {
            var owners = _owners.Find(objectId);
            if (owners == null || !owners.Any(o => Entity.SameKey(o, principalId))) return false;
            _owners.Set(objectId, owners.Where(o => !Entity.SameKey(o, principalId)).ToList());
            return true;
        }

        /// <summary>An owner that is gone owns nothing (Graph drops a deleted object from every owners list).</summary>
        private void RemoveFromEveryOwnersList(string principalId)
        {
            foreach (var kv in _owners.All.Where(kv => kv.Value.Any(o => Entity.SameKey(o, principalId))).ToList())
                _owners.Set(kv.Key, kv.Value.Where(o => !Entity.SameKey(o, principalId)).ToList());
        }

        /// <summary>Restores an application's owners as saved (null or empty: none).</summary>
        internal void LoadOwners(string applicationId, IEnumerable<string>? owners)
        {
            if (owners == null) _owners.Remove(applicationId);
            else _owners.Set(applicationId, owners.ToList());
        }

        public IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Owners =>
            _owners.All.Select(kv => new KeyValuePair<string, IReadOnlyList<string>>(kv.Key, kv.Value));

        // ----- Client secrets -----

        public StoredSecret? FindSecret(string keyId) => _secrets.Find(keyId);

        public void AddSecret(string keyId, StoredSecret secret) => _secrets.Set(keyId, secret);

        public void RemoveSecret(string keyId) => _secrets.Remove(keyId);

        public IEnumerable<KeyValuePair<string, StoredSecret>> Secrets => _secrets.All;

        // ----- Service principals -----

        public IEnumerable<ServicePrincipalEntity> ServicePrincipals => _servicePrincipals.All;

        public IEnumerable<ServicePrincipalEntity> VisibleServicePrincipals(DateTimeOffset now) => _servicePrincipals.Visible(now);

        public bool IsVisible(ServicePrincipalEntity servicePrincipal, DateTimeOffset now) => _servicePrincipals.IsVisible(servicePrincipal.Id, now);

        public ServicePrincipalEntity? FindServicePrincipal(string id) => _servicePrincipals.Find(id);

        public ServicePrincipalEntity? FindServicePrincipalByAppId(string appId) => _servicePrincipals.Touch(_servicePrincipalsByAppId.First(appId));

        public ServicePrincipalEntity? FindVisibleServicePrincipalByAppId(string appId, DateTimeOffset now) =>
            _servicePrincipals.Touch(_servicePrincipalsByAppId.All(appId).FirstOrDefault(s => IsVisible(s, now)));

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
            _secrets.RemoveWhere(kv => kv.Value.ApplicationId == id);
            RemoveFromEveryOwnersList(id);
            _grants.RemoveWhere(g => Entity.SameKey(g.ClientId, id) || Entity.SameKey(g.ResourceId, id));
            _assignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id) || Entity.SameKey(a.ResourceId, id));
            _roleAssignments.RemoveWhere(a => Entity.SameKey(a.PrincipalId, id));
        }

        // ----- oauth2PermissionGrants -----

        public IEnumerable<GrantEntity> Grants => _grants.All;

        public GrantEntity? FindGrant(string id) => _grants.Find(id);

        public IReadOnlyList<GrantEntity> GrantsOfClient(string clientServicePrincipalId) => _grants.Touch(_grantsByClient.All(clientServicePrincipalId));

        // Grants and assignments are not subject to replication lag here: visible at once.
        public void AddGrant(GrantEntity grant) => _grants.Add(grant, DateTimeOffset.MinValue);

        public void RemoveGrant(GrantEntity grant) => _grants.Remove(grant.Id);

        // ----- App role assignments -----

        public IEnumerable<AssignmentEntity> Assignments => _assignments.All;

        public AssignmentEntity? FindAssignment(string id) => _assignments.Find(id);

        public IReadOnlyList<AssignmentEntity> AssignmentsOf(string principalId) => _assignments.Touch(_assignmentsByPrincipal.All(principalId));

        public IReadOnlyList<AssignmentEntity> AssignmentsTo(string resourceId) => _assignments.Touch(_assignmentsByResource.All(resourceId));

        public void AddAssignment(AssignmentEntity assignment) => _assignments.Add(assignment, DateTimeOffset.MinValue);

        public void RemoveAssignment(AssignmentEntity assignment) => _assignments.Remove(assignment.Id);
    }
}
