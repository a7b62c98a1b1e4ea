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

        /// <summary>
        /// The version this build writes; it reads this one and version 1 (no generation, no journal). A file with a higher
        /// one was written by a newer EntraAppKit. Version 2 came with the journal: a build that reads only version 1 would
        /// miss the writes in it, so it refuses the file instead.
        /// </summary>
        public const int Version = 2;

        public static string Format => FormatName + "/" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The top-level members this version writes; others (from a newer minor change, or a person) are kept as they are.</summary>
        private static readonly HashSet<string> KnownMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "format", "generation", "tenant", "signingKey", "applications", "servicePrincipals", "builtInServicePrincipalChanges",
            "oauth2PermissionGrants", "appRoleAssignments", "secrets", "owners", "users", "userPasswords", "directoryRoleAssignments",
            "authorizationPolicy", "adminConsentRequestPolicy",
        };

        /// <summary>The file's bytes, or null when there is no file.</summary>
        public static byte[]? Read(string path)
        {
            try { return File.ReadAllBytes(path); }
            catch (FileNotFoundException) { return null; }
        }

        /// <summary>
        /// The tenant as the file's bytes (UTF-8 JSON), with <paramref name="unknownMembers"/> carried over from the file it
        /// loaded. <paramref name="generation"/> names this writing of the file: its journal continues that generation only.
        /// </summary>
        public static byte[] Serialize(ITenantStore state, GraphSchema schema, JsonObject unknownMembers, string generation)
        {
            // Each object is written as it is held, not copied into one document first: a large tenant is written once.
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WriteString("format", Format);
                    writer.WriteString("generation", generation); // near the start: a process checks it without reading the rest
                    foreach (var member in Members(state, schema))
                    {
                        writer.WritePropertyName(member.Key);
                        member.Value(writer);
                    }
                    foreach (var kv in unknownMembers)
                    {
                        writer.WritePropertyName(kv.Key);
                        if (kv.Value == null) writer.WriteNullValue(); else kv.Value.WriteTo(writer);
                    }
                    writer.WriteEndObject();
                }
                return buffer.ToArray();
            }
        }

        private static IEnumerable<KeyValuePair<string, Action<Utf8JsonWriter>>> Members(ITenantStore state, GraphSchema schema)
        {
            KeyValuePair<string, Action<Utf8JsonWriter>> M(string name, Action<Utf8JsonWriter> write) => new KeyValuePair<string, Action<Utf8JsonWriter>>(name, write);
            Action<Utf8JsonWriter> Node(JsonNode node) => w => node.WriteTo(w);
            Action<Utf8JsonWriter> Objects(IEnumerable<Entity> items) => w =>
            {
                w.WriteStartArray();
                foreach (var item in items) item.Json.WriteTo(w);
                w.WriteEndArray();
            };
            yield return M("tenant", Node(TenantMember(state)));
            // The tenant's own token-signing key (not a client credential): tokens issued before a reopen must still validate.
            yield return M("signingKey", Node(state.SigningKey.ToPrivateJwk()));
            yield return M("applications", Objects(state.Applications));
            yield return M("servicePrincipals", Objects(state.ServicePrincipals.Where(sp => !state.IsBuiltIn(sp))));
            // Built-in principals are rebuilt from the catalog; what a PATCH accepted on them (notes, tags…) is kept beside it.
            yield return M("builtInServicePrincipalChanges", Node(BuiltInChanges(state, schema)));
            yield return M("oauth2PermissionGrants", Objects(state.Grants));
            yield return M("appRoleAssignments", Objects(state.Assignments));
            yield return M("secrets", Node(new JsonObject(state.Secrets.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, SecretMember(kv.Value))))));
            yield return M("owners", Node(new JsonObject(state.Owners.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, OwnersMember(kv.Value))))));
            // Users and their directory roles; a password is kept only as a salted hash, beside the user and never in it.
            yield return M("users", Objects(state.Users));
            yield return M("userPasswords", Node(new JsonObject(state.Passwords.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, PasswordMember(kv.Value))))));
            yield return M("directoryRoleAssignments", Objects(state.RoleAssignments));
            yield return M("authorizationPolicy", Node(state.AuthorizationPolicy));
            yield return M("adminConsentRequestPolicy", Node(state.AdminConsentRequestPolicy));
        }

        private static JsonObject TenantMember(ITenantStore state) => new JsonObject
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
        };

        private static JsonObject SecretMember(StoredSecret secret) =>
            new JsonObject { ["applicationId"] = secret.ApplicationId, ["salt"] = secret.Salt, ["sha256"] = secret.Hash };

        private static JsonArray OwnersMember(IEnumerable<string> owners) => new JsonArray(owners.Select(o => (JsonNode?)o).ToArray());

        private static JsonObject PasswordMember(StoredSecret password) => new JsonObject { ["salt"] = password.Salt, ["sha256"] = password.Hash };

        // ----- The journal's records: what one write changed -----

        /// <summary>What the write <paramref name="state"/> recorded changed, as one journal record; null when it changed nothing.</summary>
        public static JsonObject? ChangeRecord(InMemoryTenantStore state)
        {
            var record = new JsonObject();
            void Entities<TEntity>(string member, EntityTable<TEntity> table) where TEntity : Entity
            {
                var changed = new JsonObject();
                foreach (var kv in table.Changed()) changed[kv.Key] = kv.Value?.Json.DeepClone();
                if (changed.Count > 0) record[member] = changed;
            }
            void Entries<TValue>(string member, EntryTable<TValue> table, Func<TValue, JsonNode> write) where TValue : class
            {
                var changed = new JsonObject();
                foreach (var kv in table.Changed()) changed[kv.Key] = kv.Value == null ? null : write(kv.Value);
                if (changed.Count > 0) record[member] = changed;
            }
            if (state.FactsChanged)
            {
                record["tenant"] = TenantMember(state);
                record["signingKey"] = state.SigningKey.ToPrivateJwk();
                record["authorizationPolicy"] = state.AuthorizationPolicy.DeepClone();
                record["adminConsentRequestPolicy"] = state.AdminConsentRequestPolicy.DeepClone();
            }
            if (state.BuiltInChangesIfChanged() is JsonObject builtIn)
                record["builtInServicePrincipalChanges"] = new JsonObject { [state.MicrosoftGraphServicePrincipalId] = builtIn };
            Entities("users", state.UserTable);
            Entities("applications", state.ApplicationTable);
            Entities("servicePrincipals", state.ServicePrincipalTable);
            Entities("oauth2PermissionGrants", state.GrantTable);
            Entities("appRoleAssignments", state.AssignmentTable);
            Entities("directoryRoleAssignments", state.RoleAssignmentTable);
            Entries("secrets", state.SecretTable, SecretMember);
            Entries("owners", state.OwnerTable, OwnersMember);
            Entries("userPasswords", state.PasswordTable, PasswordMember);
            return record.Count == 0 ? null : record;
        }

        /// <summary>
        /// Applies a journal record another process (or this one, before a restart) wrote, checking it as a load checks the
        /// file. Damage raises <see cref="LocalTenantStateException"/> naming it.
        /// </summary>
        public static void ApplyRecord(InMemoryTenantStore state, JsonObject record, string path, GraphSchema schema)
        {
            try { Apply(state, record, schema); }
            catch (Exception e) when (!(e is OutOfMemoryException || e is LocalTenantStateException))
            {
                throw new LocalTenantStateException($"The local tenant journal '{StateJournal.PathFor(path)}' is damaged ({e.Message}). It was left untouched; move it and the state file away or pass another -Path.");
            }
        }

        private static void Apply(InMemoryTenantStore state, JsonObject record, GraphSchema schema)
        {
            if (record["tenant"] is JsonNode tenant)
            {
                var t = As<JsonObject>(tenant, "tenant");
                if (!Entity.SameKey(GuidText(t, "id", "tenant"), state.TenantId)) throw Damaged("the record is for another tenant");
                ReadTenant(state, t);
            }
            if (record["signingKey"] is JsonNode key) state.SigningKey = SigningKey.FromPrivateJwk(As<JsonObject>(key, "signingKey"));
            if (record["authorizationPolicy"] is JsonNode authorization) state.AuthorizationPolicy = AuthorizationPolicy(authorization, schema);
            if (record["adminConsentRequestPolicy"] is JsonNode request) state.AdminConsentRequestPolicy = AdminConsentRequestPolicy(request, schema);
            if (record["builtInServicePrincipalChanges"] is JsonNode builtIn) ApplyBuiltInChanges(state, As<JsonObject>(builtIn, "builtInServicePrincipalChanges"), schema);
            Upserts(record, "users", "user", schema, state.UserTable, json => new UserEntity(json), false);
            Upserts(record, "applications", "application", schema, state.ApplicationTable, json => new ApplicationEntity(json), true, "appId");
            Upserts(record, "servicePrincipals", "servicePrincipal", schema, state.ServicePrincipalTable, json => new ServicePrincipalEntity(json), true, "appId");
            Upserts(record, "oauth2PermissionGrants", "oAuth2PermissionGrant", schema, state.GrantTable, json => new GrantEntity(json), true, "clientId", "resourceId");
            Upserts(record, "appRoleAssignments", "appRoleAssignment", schema, state.AssignmentTable, json => new AssignmentEntity(json), true, "principalId", "resourceId", "appRoleId");
            Upserts(record, "directoryRoleAssignments", "unifiedRoleAssignment", schema, state.RoleAssignmentTable, json => new RoleAssignmentEntity(json), true, "principalId", "roleDefinitionId");
            foreach (var kv in Changes(record, "secrets"))
            {
                if (kv.Value == null) { state.RemoveSecret(kv.Key); continue; }
                var s = As<JsonObject>(kv.Value, "secrets." + kv.Key);
                state.AddSecret(kv.Key, new StoredSecret(GuidText(s, "applicationId", "secrets." + kv.Key), Text(s, "salt", "secrets." + kv.Key), Text(s, "sha256", "secrets." + kv.Key)));
            }
            foreach (var kv in Changes(record, "owners"))
                state.LoadOwners(kv.Key, kv.Value == null ? null
                    : As<JsonArray>(kv.Value, "owners." + kv.Key).Select((o, i) => Entity.TextOf(o) ?? throw Damaged($"owners.{kv.Key}[{i}] is not a string")).ToList());
            foreach (var kv in Changes(record, "userPasswords"))
            {
                if (kv.Value == null) { state.PasswordTable.Remove(kv.Key); continue; }
                var h = As<JsonObject>(kv.Value, "userPasswords." + kv.Key);
                state.SetPassword(kv.Key, new StoredSecret(kv.Key, Text(h, "salt", "userPasswords." + kv.Key), Text(h, "sha256", "userPasswords." + kv.Key)));
            }
        }

        private static IEnumerable<KeyValuePair<string, JsonNode?>> Changes(JsonObject record, string member) =>
            record[member] is JsonNode node ? As<JsonObject>(node, member).ToList() : new List<KeyValuePair<string, JsonNode?>>();

        private static void Upserts<TEntity>(JsonObject record, string member, string type, GraphSchema schema, EntityTable<TEntity> table,
            Func<JsonObject, TEntity> entity, bool requireCollections, params string[] references) where TEntity : Entity
        {
            foreach (var kv in Changes(record, member))
            {
                string where = $"{member}.{kv.Key}";
                if (kv.Value == null) { table.Remove(kv.Key); continue; }
                var item = As<JsonObject>(kv.Value, where).DeepClone().AsObject();
                if (!Entity.SameKey(Text(item, "id", where), kv.Key)) throw Damaged($"{where} holds another id");
                foreach (var reference in references) GuidText(item, reference, where);
                if (!schema.Conforms(type, item, out string problem)) throw Damaged($"{where}: {problem}");
                foreach (var p in schema.Properties(type).Where(p => requireCollections && p.Collection && item[p.Name] == null))
                    throw Damaged($"{where} has no '{p.Name}' (a collection the tenant always writes, if only as [])");
                table.Upsert(entity(item));
            }
        }

        private static void ApplyBuiltInChanges(InMemoryTenantStore state, JsonObject changes, GraphSchema schema)
        {
            foreach (var kv in changes)
            {
                var sp = state.FindServicePrincipal(kv.Key);
                if (sp == null || !state.IsBuiltIn(sp)) throw Damaged($"builtInServicePrincipalChanges names '{kv.Key}', which is not a built-in service principal");
                var changed = As<JsonObject>(kv.Value, "builtInServicePrincipalChanges." + kv.Key);
                if (!schema.Conforms("servicePrincipal", changed, out string problem)) throw Damaged(problem);
                BuiltInPrincipalChanges.Restore(sp, changed, schema);
            }
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

        private static JsonObject BuiltInChanges(ITenantStore state, GraphSchema schema)
        {
            var changes = new JsonObject();
            foreach (var sp in state.ServicePrincipals.Where(state.IsBuiltIn))
            {
                var changed = BuiltInPrincipalChanges.Of(sp, schema);
                if (changed.Count > 0) changes[sp.Id] = changed;
            }
            return changes;
        }

        /// <summary>
        /// Loads a tenant from the file's bytes. <paramref name="upgraded"/> is true when the file predates the identity provider
        /// (no signing key): one is created, and the caller saves the file so the key is kept. Members this version does not know
        /// come back in <paramref name="unknownMembers"/>. Any damage raises <see cref="LocalTenantStateException"/> naming it.
        /// </summary>
        public static InMemoryTenantStore Parse(byte[] bytes, string path, GraphSchema schema, out bool upgraded, out JsonObject unknownMembers) =>
            Parse(bytes, path, schema, out upgraded, out unknownMembers, out _);

        /// <summary>As above; <paramref name="generation"/> names this writing of the file (null in a version 1 file).</summary>
        public static InMemoryTenantStore Parse(byte[] bytes, string path, GraphSchema schema, out bool upgraded, out JsonObject unknownMembers, out string? generation)
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
            generation = Entity.TextOf(doc["generation"]);
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
                if (version == Version || version == 1) return;
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
                MicrosoftGraphServicePrincipalId = GuidText(t, "microsoftGraphServicePrincipalId", "tenant"),
            };
            ReadTenant(state, t, identity: false);
            state.SeedBuiltIns(schema);
            foreach (var kv in doc["builtInServicePrincipalChanges"] is JsonNode changes ? As<JsonObject>(changes, "builtInServicePrincipalChanges") : new JsonObject())
            {
                var sp = state.FindServicePrincipal(kv.Key);
                if (sp == null || !state.IsBuiltIn(sp)) throw Damaged($"builtInServicePrincipalChanges names '{kv.Key}', which is not a built-in service principal");
                var changed = As<JsonObject>(kv.Value, "builtInServicePrincipalChanges." + kv.Key);
                if (!schema.Conforms("servicePrincipal", changed, out string problem)) throw Damaged(problem);
                BuiltInPrincipalChanges.Restore(sp, changed, schema);
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
                ReadTenantIdentity(state, t);
            }
            else
            {
                state.CreateIdentity();
                upgraded = true;
            }
            LoadUsers(doc, schema, state, ids);
            // Optional: a file written before the policy existed keeps a new tenant's (users may register applications).
            if (doc["authorizationPolicy"] is JsonNode policyNode) state.AuthorizationPolicy = AuthorizationPolicy(policyNode, schema);
            // Optional too: a file written before the admin consent workflow existed keeps a new tenant's (off).
            if (doc["adminConsentRequestPolicy"] is JsonNode requestNode) state.AdminConsentRequestPolicy = AdminConsentRequestPolicy(requestNode, schema);
            // A file written before users existed gains the administrator as a user (and is saved so it keeps it).
            if (state.EnsureAdministrator()) upgraded = true;
            return state;
        }

        /// <summary>The tenant's names and domains (and, with <paramref name="identity"/>, the facts of its identity provider).</summary>
        private static void ReadTenant(InMemoryTenantStore state, JsonObject t, bool identity = true)
        {
            state.Name = Text(t, "name", "tenant");
            state.DisplayName = Text(t, "displayName", "tenant");
            state.CreatedDateTime = Text(t, "createdDateTime", "tenant");
            state.EnforceIdentifierUriPolicy = t["enforceIdentifierUriPolicy"] == null || Flag(t, "enforceIdentifierUriPolicy");
            state.SetCustomDomains(Member<JsonArray>(t, "customDomains").Select((d, i) => Entity.TextOf(d) ?? throw Damaged($"tenant.customDomains[{i}] is not a string")).ToList());
            if (identity) ReadTenantIdentity(state, t);
        }

        private static void ReadTenantIdentity(InMemoryTenantStore state, JsonObject t)
        {
            state.IdentityHeader = Text(t, "identityHeader", "tenant");
            state.AdministratorId = GuidText(t, "administratorId", "tenant");
        }

        private static JsonObject AuthorizationPolicy(JsonNode node, GraphSchema schema)
        {
            var policy = As<JsonObject>(node, "authorizationPolicy").DeepClone().AsObject();
            if (!schema.Conforms("authorizationPolicy", policy, out string problem)) throw Damaged("authorizationPolicy: " + problem);
            As<JsonObject>(policy["defaultUserRolePermissions"], "authorizationPolicy.defaultUserRolePermissions");
            return policy;
        }

        private static JsonObject AdminConsentRequestPolicy(JsonNode node, GraphSchema schema)
        {
            var policy = As<JsonObject>(node, "adminConsentRequestPolicy").DeepClone().AsObject();
            if (!schema.Conforms("adminConsentRequestPolicy", policy, out string problem)) throw Damaged("adminConsentRequestPolicy: " + problem);
            foreach (var required in new[] { "isEnabled", "notifyReviewers", "remindersEnabled", "requestDurationInDays", "version" })
                if (policy[required] == null) throw Damaged($"adminConsentRequestPolicy: {required} is missing");
            As<JsonArray>(policy["reviewers"], "adminConsentRequestPolicy.reviewers");
            return policy;
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
            // Taken out of the parsed document rather than copied: a large tenant is held once, not twice, while it loads.
            var array = Member<JsonArray>(doc, member);
            var nodes = array.ToList();
            array.Clear();
            foreach (var node in nodes)
            {
                string where = $"{member}[{i++}]";
                var item = As<JsonObject>(node, where);
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
