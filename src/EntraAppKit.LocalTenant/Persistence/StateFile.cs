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
    /// <summary>The tenant's optional JSON file: written atomically (temp file + rename), validated on load.</summary>
    internal static class StateFile
    {
        public const string Format = "EntraAppKit.LocalTenant/1";

        public static bool Exists(string path) => File.Exists(path);

        public static void Save(string path, ITenantStore state)
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
                ["oauth2PermissionGrants"] = Array(state.Grants.Select(g => g.Json)),
                ["appRoleAssignments"] = Array(state.Assignments.Select(a => a.Json)),
                ["secrets"] = new JsonObject(state.Secrets.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key,
                    new JsonObject { ["applicationId"] = kv.Value.ApplicationId, ["salt"] = kv.Value.Salt, ["sha256"] = kv.Value.Hash }))),
                ["owners"] = new JsonObject(state.Owners.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key,
                    new JsonArray(kv.Value.Select(o => (JsonNode?)o).ToArray())))),
            };
            string full = System.IO.Path.GetFullPath(path);
            string dir = System.IO.Path.GetDirectoryName(full)!;
            Directory.CreateDirectory(dir);
            string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            File.WriteAllText(temp, doc.ToJsonString(), new UTF8Encoding(false));
            if (File.Exists(full)) File.Replace(temp, full, null);
            else File.Move(temp, full);
        }

        private static JsonArray Array(IEnumerable<JsonObject> items) =>
            new JsonArray(items.Select(i => (JsonNode?)i.DeepClone()).ToArray());

        /// <summary>
        /// Loads a tenant. <paramref name="upgraded"/> is true when the file predates the identity provider (no signing key):
        /// one is created, and the caller saves the file so the key is kept.
        /// </summary>
        public static InMemoryTenantStore Load(string path, GraphSchema schema, out bool upgraded)
        {
            upgraded = false;
            JsonObject doc;
            try
            {
                doc = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("not a JSON object");
            }
            catch (JsonException e)
            {
                throw new LocalTenantStateException($"The local tenant file '{path}' is corrupt ({e.Message}). It was left untouched; move it away or pass another -Path.");
            }
            if ((string?)doc["format"] != Format)
                throw new LocalTenantStateException($"The file '{path}' is not a local tenant file (expected format '{Format}'). It was left untouched.");
            try
            {
                var t = doc["tenant"]!.AsObject();
                var state = new InMemoryTenantStore
                {
                    TenantId = (string)t["id"]!,
                    Name = (string)t["name"]!,
                    DisplayName = (string)t["displayName"]!,
                    CreatedDateTime = (string)t["createdDateTime"]!,
                    EnforceIdentifierUriPolicy = (bool?)t["enforceIdentifierUriPolicy"] ?? true,
                    MicrosoftGraphServicePrincipalId = (string)t["microsoftGraphServicePrincipalId"]!,
                };
                state.LoadCustomDomains(t["customDomains"]!.AsArray().Select(d => (string)d!));
                state.SeedBuiltIns(schema);
                foreach (var item in Items(doc["applications"])) state.AddApplication(new ApplicationEntity(item), DateTimeOffset.MinValue);
                foreach (var item in Items(doc["servicePrincipals"])) state.AddServicePrincipal(new ServicePrincipalEntity(item), DateTimeOffset.MinValue);
                foreach (var item in Items(doc["oauth2PermissionGrants"])) state.AddGrant(new GrantEntity(item));
                foreach (var item in Items(doc["appRoleAssignments"])) state.AddAssignment(new AssignmentEntity(item));
                foreach (var kv in doc["secrets"]!.AsObject())
                    state.AddSecret(kv.Key, new StoredSecret((string)kv.Value!["applicationId"]!, (string)kv.Value["salt"]!, (string)kv.Value["sha256"]!));
                foreach (var kv in doc["owners"]?.AsObject() ?? new JsonObject())
                    state.LoadOwners(kv.Key, kv.Value!.AsArray().Select(o => (string)o!));
                if (doc["signingKey"] is JsonObject key)
                {
                    state.SigningKey = SigningKey.FromPrivateJwk(key);
                    state.IdentityHeader = (string?)t["identityHeader"] ?? throw new FormatException("identityHeader is missing");
                    state.AdministratorId = (string?)t["administratorId"] ?? throw new FormatException("administratorId is missing");
                }
                else
                {
                    state.CreateIdentity();
                    upgraded = true;
                }
                return state;
            }
            catch (Exception e) when (e is NullReferenceException || e is InvalidOperationException || e is FormatException || e is System.Security.Cryptography.CryptographicException)
            {
                throw new LocalTenantStateException($"The local tenant file '{path}' is incomplete or damaged ({e.Message}). It was left untouched.");
            }
        }

        private static IEnumerable<JsonObject> Items(JsonNode? items) => items!.AsArray().Select(item => item!.DeepClone().AsObject()).ToList();
    }
}
