using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>
    /// The tenant's optional JSON file: written atomically (temp file + rename, owner-only permissions), validated in full on
    /// load. It holds the tenant's private signing key, the managed identity's IDENTITY_HEADER and salted hashes of client
    /// secrets (never a secret's text).
    /// </summary>
    internal static class StateFile
    {
        public const string FormatName = "EntraAppKit.LocalTenant";

        /// <summary>The version this build writes and reads; a file with a higher one was written by a newer EntraAppKit.</summary>
        public const int Version = 1;

        public static string Format => FormatName + "/" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The top-level members this version writes; others (from a newer minor change, or a person) are kept as they are.</summary>
        private static readonly HashSet<string> KnownMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "format", "tenant", "signingKey", "applications", "servicePrincipals", "builtInServicePrincipalChanges",
            "oauth2PermissionGrants", "appRoleAssignments", "secrets", "owners", "users", "userPasswords", "directoryRoleAssignments",
            "authorizationPolicy", "adminConsentRequestPolicy",
        };

        /// <summary>The file's bytes, or null when there is no file.</summary>
        public static byte[]? Read(string path)
        {
            try { return File.ReadAllBytes(path); }
            catch (FileNotFoundException) { return null; }
        }

        /// <summary>The tenant as the file's bytes (UTF-8 JSON), with <paramref name="unknownMembers"/> carried over from the file it loaded.</summary>
        public static byte[] Serialize(ITenantStore state, GraphSchema schema, JsonObject unknownMembers)
        {
            var doc = new JsonObject
            {
                ["format"] = Format,
                ["tenant"] = new JsonObject
                {
                    ["id"] = state.TenantId,
                    ["name"] = state.Name,
                    ["displayName"] = state.DisplayName,
                    ["createdDateTime"] = state.CreatedDateTime,
                    ["enforceIdentifierUriPolicy"] = state.EnforceIdentifierUriPolicy,
                    ["customDomains"] = new JsonArray(state.CustomDomains.Select(d => (JsonNode?)d).ToArray()),
                    ["microsoftGraphServicePrincipalId"] = state.MicrosoftGraphServicePrincipalId,
                    ["administratorId"] = state.AdministratorId,
                    ["identityHeader"] = state.IdentityHeader,
                },
                // The tenant's own token-signing key (not a client credential): tokens issued before a reopen must still validate.
                ["signingKey"] = state.SigningKey.ToPrivateJwk(),
                ["applications"] = Array(state.Applications.Select(a => a.Json)),
                ["servicePrincipals"] = Array(state.ServicePrincipals.Where(sp => !state.IsBuiltIn(sp)).Select(sp => sp.Json)),
                // Built-in principals are rebuilt from the catalog; what a PATCH accepted on them (notes, tags…) is kept beside it.
                ["builtInServicePrincipalChanges"] = BuiltInChanges(state, schema),
                ["oauth2PermissionGrants"] = Array(state.Grants.Select(g => g.Json)),
                ["appRoleAssignments"] = Array(state.Assignments.Select(a => a.Json)),
                ["secrets"] = new JsonObject(state.Secrets.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key,
                    new JsonObject { ["applicationId"] = kv.Value.ApplicationId, ["salt"] = kv.Value.Salt, ["sha256"] = kv.Value.Hash }))),
                ["owners"] = new JsonObject(state.Owners.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key,
                    new JsonArray(kv.Value.Select(o => (JsonNode?)o).ToArray())))),
                // Users and their directory roles; a password is kept only as a salted hash, beside the user and never in it.
                ["users"] = Array(state.Users.Select(u => u.Json)),
                ["userPasswords"] = new JsonObject(state.Passwords.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key,
                    new JsonObject { ["salt"] = kv.Value.Salt, ["sha256"] = kv.Value.Hash }))),
                ["directoryRoleAssignments"] = Array(state.RoleAssignments.Select(a => a.Json)),
                ["authorizationPolicy"] = state.AuthorizationPolicy.DeepClone(),
                ["adminConsentRequestPolicy"] = state.AdminConsentRequestPolicy.DeepClone(),
            };
            foreach (var kv in unknownMembers) doc[kv.Key] = kv.Value?.DeepClone();
            return new UTF8Encoding(false).GetBytes(doc.ToJsonString());
        }

        /// <summary>
        /// Replaces the file with <paramref name="bytes"/> atomically: a temp file beside it (owner-only from its creation, or
        /// as strict as the file it replaces), then a rename. On failure the temp file is removed and the old file stays whole.
        /// </summary>
        public static void Write(string path, byte[] bytes)
        {
            string full = System.IO.Path.GetFullPath(path);
            string dir = System.IO.Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(dir);
            string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            int? existingMode = OwnerOnlyFileMode.Of(full);
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    OwnerOnlyFileMode.Apply(temp, existingMode); // before the first byte: the key is never readable by others
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true); // on disk before the rename, so a crash leaves the old file or the new one, never an empty one
                }
                if (File.Exists(full)) File.Replace(temp, full, null);
                else File.Move(temp, full);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        /// <summary>
        /// Removes temp files a killed process left beside the file. Call it holding the file's lock: a save in progress holds
        /// it too, so every temp file found then is an orphan.
        /// </summary>
        public static void RemoveOrphans(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            string dir = System.IO.Path.GetDirectoryName(full)!;
            if (!Directory.Exists(dir)) return;
            foreach (var orphan in Directory.GetFiles(dir, "." + System.IO.Path.GetFileName(full) + ".*.tmp")) TryDelete(orphan);
        }

        private static void TryDelete(string path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        private static JsonArray Array(IEnumerable<JsonObject> items) =>
            new JsonArray(items.Select(i => (JsonNode?)i.DeepClone()).ToArray());

        private static JsonObject BuiltInChanges(ITenantStore state, GraphSchema schema)
        {
            var changes = new JsonObject();
            foreach (var sp in state.ServicePrincipals.Where(state.IsBuiltIn))
            {
                var catalog = schema == GraphSchema.V1 ? MicrosoftGraphBaseline.Value : PermissionCatalog.BuildMicrosoftGraphServicePrincipal(schema, sp.Id);
                var changed = new JsonObject();
                foreach (var kv in sp.Json)
                    if (!CatalogOwned.Contains(kv.Key) && !JsonNode.DeepEquals(kv.Value, catalog[kv.Key])) changed[kv.Key] = kv.Value?.DeepClone();
                if (changed.Count > 0) changes[sp.Id] = changed;
            }
            return changes;
        }

        /// <summary>
        /// The built-in principal as the catalog makes it, built once and only read: every save compares against it, and the
        /// principal carries about two thousand roles and scopes. Its id, the one thing that differs between tenants, is
        /// catalog-owned and never compared.
        /// </summary>
        private static readonly Lazy<JsonObject> MicrosoftGraphBaseline = new Lazy<JsonObject>(() =>
            PermissionCatalog.BuildMicrosoftGraphServicePrincipal(GraphSchema.V1, System.Guid.Empty.ToString()));

        /// <summary>What the catalog defines on a built-in principal: always the catalog's, so a newer catalog reaches old files.</summary>
        private static readonly HashSet<string> CatalogOwned = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "appId", "appRoles", "oauth2PermissionScopes",
        };

        /// <summary>
        /// Loads a tenant from the file's bytes. <paramref name="upgraded"/> is true when the file predates the identity provider
        /// (no signing key): one is created, and the caller saves the file so the key is kept. Members this version does not know
        /// come back in <paramref name="unknownMembers"/>. Any damage raises <see cref="LocalTenantStateException"/> naming it.
        /// </summary>
        public static InMemoryTenantStore Parse(byte[] bytes, string path, GraphSchema schema, out bool upgraded, out JsonObject unknownMembers)
        {
            upgraded = false;
            JsonObject doc;
            try
            {
                // Strict UTF-8 and unique keys: a file the tenant wrote always has them; anything else was damaged.
                string text = new UTF8Encoding(false, true).GetString(bytes);
                doc = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 128, AllowDuplicateProperties = false }) as JsonObject
                    ?? throw new JsonException("the file is not a JSON object");
            }
            catch (Exception e) when (e is JsonException || e is DecoderFallbackException || e is ArgumentException)
            {
                throw new LocalTenantStateException($"The local tenant file '{path}' is corrupt ({e.Message}). It was left untouched; move it away or pass another -Path.");
            }
            CheckFormat(doc, path);
            unknownMembers = new JsonObject();
            foreach (var kv in doc.Where(kv => !KnownMembers.Contains(kv.Key)).ToList()) unknownMembers[kv.Key] = kv.Value?.DeepClone();
            try
            {
                return Build(doc, schema, out upgraded);
            }
            catch (Exception e) when (!(e is OutOfMemoryException || e is LocalTenantStateException))
            {
                throw new LocalTenantStateException($"The local tenant file '{path}' is incomplete or damaged ({e.Message}). It was left untouched; move it away or pass another -Path.");
            }
        }

        private static void CheckFormat(JsonObject doc, string path)
        {
            string? format = Entity.TextOf(doc["format"]);
            string prefix = FormatName + "/";
            if (format != null && format.StartsWith(prefix, StringComparison.Ordinal) &&
                int.TryParse(format.Substring(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int version))
            {
                if (version == Version) return;
                if (version > Version)
                    throw new LocalTenantStateException($"The local tenant file '{path}' was written by a newer version of EntraAppKit (format '{format}'; this version reads '{Format}'). It was left untouched; update EntraAppKit to open it.");
            }
            throw new LocalTenantStateException($"The file '{path}' is not a local tenant file (expected format '{Format}'). It was left untouched.");
        }

        private static InMemoryTenantStore Build(JsonObject doc, GraphSchema schema, out bool upgraded)
        {
            upgraded = false;
            var t = Member<JsonObject>(doc, "tenant");
            var state = new InMemoryTenantStore
            {
                TenantId = GuidText(t, "id", "tenant"),
                Name = Text(t, "name", "tenant"),
                DisplayName = Text(t, "displayName", "tenant"),
                CreatedDateTime = Text(t, "createdDateTime", "tenant"),
                EnforceIdentifierUriPolicy = t["enforceIdentifierUriPolicy"] == null || Flag(t, "enforceIdentifierUriPolicy"),
                MicrosoftGraphServicePrincipalId = GuidText(t, "microsoftGraphServicePrincipalId", "tenant"),
            };
            state.LoadCustomDomains(Member<JsonArray>(t, "customDomains").Select((d, i) => Entity.TextOf(d) ?? throw Damaged($"tenant.customDomains[{i}] is not a string")));
            state.SeedBuiltIns(schema);
            foreach (var kv in doc["builtInServicePrincipalChanges"] is JsonNode changes ? As<JsonObject>(changes, "builtInServicePrincipalChanges") : new JsonObject())
            {
                var sp = state.FindServicePrincipal(kv.Key);
                if (sp == null || !state.IsBuiltIn(sp)) throw Damaged($"builtInServicePrincipalChanges names '{kv.Key}', which is not a built-in service principal");
                var changed = As<JsonObject>(kv.Value, "builtInServicePrincipalChanges." + kv.Key);
                if (!schema.Conforms("servicePrincipal", changed, out string problem)) throw Damaged(problem);
                foreach (var c in changed.Where(c => !CatalogOwned.Contains(c.Key))) sp.Json[c.Key] = c.Value?.DeepClone();
            }
            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { state.MicrosoftGraphServicePrincipalId };
            foreach (var item in Entities(doc, "applications", "application", schema, ids, true, "appId"))
                state.AddApplication(new ApplicationEntity(item), DateTimeOffset.MinValue);
            foreach (var item in Entities(doc, "servicePrincipals", "servicePrincipal", schema, ids, true, "appId"))
                state.AddServicePrincipal(new ServicePrincipalEntity(item), DateTimeOffset.MinValue);
            foreach (var item in Entities(doc, "oauth2PermissionGrants", "oAuth2PermissionGrant", schema, ids, false, "clientId", "resourceId"))
                state.AddGrant(new GrantEntity(item));
            foreach (var item in Entities(doc, "appRoleAssignments", "appRoleAssignment", schema, ids, false, "principalId", "resourceId", "appRoleId"))
                state.AddAssignment(new AssignmentEntity(item));
            foreach (var kv in Member<JsonObject>(doc, "secrets"))
            {
                var s = As<JsonObject>(kv.Value, "secrets." + kv.Key);
                state.AddSecret(kv.Key, new StoredSecret(GuidText(s, "applicationId", "secrets." + kv.Key), Text(s, "salt", "secrets." + kv.Key), Text(s, "sha256", "secrets." + kv.Key)));
            }
            foreach (var kv in doc["owners"] is JsonNode owners ? As<JsonObject>(owners, "owners") : new JsonObject())
                state.LoadOwners(kv.Key, As<JsonArray>(kv.Value, "owners." + kv.Key).Select((o, i) => Entity.TextOf(o) ?? throw Damaged($"owners.{kv.Key}[{i}] is not a string")));
            if (doc["signingKey"] is JsonNode key)
            {
                state.SigningKey = SigningKey.FromPrivateJwk(As<JsonObject>(key, "signingKey"));
                state.IdentityHeader = Text(t, "identityHeader", "tenant");
                state.AdministratorId = GuidText(t, "administratorId", "tenant");
            }
            else
            {
                state.CreateIdentity();
                upgraded = true;
            }
            LoadUsers(doc, schema, state, ids);
            // Optional: a file written before the policy existed keeps a new tenant's (users may register applications).
            if (doc["authorizationPolicy"] is JsonNode policyNode)
            {
                var policy = As<JsonObject>(policyNode, "authorizationPolicy").DeepClone().AsObject();
                if (!schema.Conforms("authorizationPolicy", policy, out string problem)) throw Damaged("authorizationPolicy: " + problem);
                As<JsonObject>(policy["defaultUserRolePermissions"], "authorizationPolicy.defaultUserRolePermissions");
                state.AuthorizationPolicy = policy;
            }
            // Optional too: a file written before the admin consent workflow existed keeps a new tenant's (off).
            if (doc["adminConsentRequestPolicy"] is JsonNode requestNode)
            {
                var policy = As<JsonObject>(requestNode, "adminConsentRequestPolicy").DeepClone().AsObject();
                if (!schema.Conforms("adminConsentRequestPolicy", policy, out string problem)) throw Damaged("adminConsentRequestPolicy: " + problem);
                foreach (var required in new[] { "isEnabled", "notifyReviewers", "remindersEnabled", "requestDurationInDays", "version" })
                    if (policy[required] == null) throw Damaged($"adminConsentRequestPolicy: {required} is missing");
                As<JsonArray>(policy["reviewers"], "adminConsentRequestPolicy.reviewers");
                state.AdminConsentRequestPolicy = policy;
            }
            // A file written before users existed gains the administrator as a user (and is saved so it keeps it).
            if (state.EnsureAdministrator()) upgraded = true;
            return state;
        }

        /// <summary>
        /// The optional users, their password hashes and their directory role assignments: every user has a hash, every
        /// userPrincipalName is unique, every assignment names a known user or service principal and a role the tenant knows.
        /// </summary>
        private static void LoadUsers(JsonObject doc, GraphSchema schema, InMemoryTenantStore state, ISet<string> ids)
        {
            var passwords = doc["userPasswords"] is JsonNode p ? As<JsonObject>(p, "userPasswords") : new JsonObject();
            var upns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (doc["users"] != null)
                foreach (var item in Entities(doc, "users", "user", schema, ids, true, requireCollections: false))
                {
                    var user = new UserEntity(item);
                    if (item.ContainsKey("passwordProfile")) throw Damaged($"user '{user.Id}' holds a passwordProfile (only its hash belongs in the file)");
                    if (!upns.Add(Text(item, "userPrincipalName", "user " + user.Id))) throw Damaged($"users repeat the userPrincipalName '{user.UserPrincipalName}'");
                    var h = As<JsonObject>(passwords[user.Id], "userPasswords." + user.Id);
                    state.LoadUser(user, new StoredSecret(user.Id, Text(h, "salt", "userPasswords." + user.Id), Text(h, "sha256", "userPasswords." + user.Id)));
                }
            foreach (var kv in passwords)
                if (state.FindUser(kv.Key) == null) throw Damaged($"userPasswords names '{kv.Key}', which is not a user");
            if (doc["directoryRoleAssignments"] == null) return;
            foreach (var item in Entities(doc, "directoryRoleAssignments", "unifiedRoleAssignment", schema, ids, false, "principalId", "roleDefinitionId"))
            {
                var a = new RoleAssignmentEntity(item);
                if (DirectoryRoles.Find(a.RoleDefinitionId!) == null) throw Damaged($"role assignment '{a.Id}' names the unknown role '{a.RoleDefinitionId}'");
                if (state.FindUser(a.PrincipalId!) == null && state.FindServicePrincipal(a.PrincipalId!) == null)
                    throw Damaged($"role assignment '{a.Id}' names '{a.PrincipalId}', which is neither a user nor a service principal");
                state.AddRoleAssignment(a);
            }
        }

        /// <summary>
        /// A collection's objects, each checked as the handlers will read it: a JSON object of the v1.0 type, an id not used by any
        /// other object (a GUID for directory objects; grants and assignments have opaque ids), and the listed references as GUIDs.
        /// </summary>
        private static IEnumerable<JsonObject> Entities(JsonObject doc, string member, string type, GraphSchema schema, ISet<string> ids, bool guidIds, params string[] references) =>
            Entities(doc, member, type, schema, ids, guidIds, true, references);

        /// <summary>As above; a user (<paramref name="requireCollections"/> false) keeps only the collections it was given.</summary>
        private static IEnumerable<JsonObject> Entities(JsonObject doc, string member, string type, GraphSchema schema, ISet<string> ids, bool guidIds, bool requireCollections, params string[] references)
        {
            var items = new List<JsonObject>();
            int i = 0;
            foreach (var node in Member<JsonArray>(doc, member))
            {
                string where = $"{member}[{i++}]";
                var item = As<JsonObject>(node, where).DeepClone().AsObject();
                string id = guidIds ? GuidText(item, "id", where) : Text(item, "id", where);
                if (!ids.Add(id)) throw Damaged($"{where} repeats the id '{id}'");
                foreach (var reference in references) GuidText(item, reference, where);
                if (!schema.Conforms(type, item, out string problem)) throw Damaged($"{where}: {problem}");
                foreach (var p in schema.Properties(type).Where(p => requireCollections && p.Collection && item[p.Name] == null))
                    throw Damaged($"{where} has no '{p.Name}' (a collection the tenant always writes, if only as [])");
                items.Add(item);
            }
            return items;
        }

        private static T Member<T>(JsonObject o, string name) where T : JsonNode => As<T>(o[name], name);

        private static T As<T>(JsonNode? node, string where) where T : JsonNode =>
            node as T ?? throw Damaged($"'{where}' is {(node == null ? "missing" : "not a JSON " + (typeof(T) == typeof(JsonArray) ? "array" : "object"))}");

        private static string Text(JsonObject o, string name, string where) =>
            Entity.TextOf(o[name]) is string s && s.Length > 0 ? s : throw Damaged($"{where}.{name} is missing or not a string");

        private static string GuidText(JsonObject o, string name, string where) =>
            Text(o, name, where) is string s && System.Guid.TryParse(s, out _) ? s : throw Damaged($"{where}.{name} is not a GUID");

        private static bool Flag(JsonObject o, string name) =>
            o[name] is JsonValue v && v.TryGetValue<bool>(out bool b) ? b : throw Damaged($"tenant.{name} is not true or false");

        private static FormatException Damaged(string what) => new FormatException(what);
    }
}
