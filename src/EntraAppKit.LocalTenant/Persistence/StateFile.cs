using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>The tenant's optional JSON file: written atomically (temp file + rename), validated on load.</summary>
    internal static class StateFile
    {
        public const string Format = "EntraAppKit.LocalTenant/1";

        public static bool Exists(string path) => File.Exists(path);

        public static void Save(string path, TenantState state)
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
                ["applications"] = Array(state.Applications.All),
                ["servicePrincipals"] = Array(state.ServicePrincipals.All.Where(sp => !state.IsBuiltIn(sp))),
                ["oauth2PermissionGrants"] = Array(state.Grants.All),
                ["appRoleAssignments"] = Array(state.Assignments.All),
                ["secrets"] = new JsonObject(state.Secrets.Select(kv => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(kv.Key,
                    new JsonObject { ["applicationId"] = kv.Value.ApplicationId, ["salt"] = kv.Value.Salt, ["sha256"] = kv.Value.Hash }))),
                ["owners"] = new JsonObject(state.Owners.Select(kv => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(kv.Key,
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

        private static JsonArray Array(System.Collections.Generic.IEnumerable<JsonObject> items) =>
            new JsonArray(items.Select(i => (JsonNode?)i.DeepClone()).ToArray());

        /// <summary>
        /// Loads a tenant. <paramref name="upgraded"/> is true when the file predates the identity provider (no signing key):
        /// one is created, and the caller saves the file so the key is kept.
        /// </summary>
        public static TenantState Load(string path, GraphSchema schema, out bool upgraded)
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
                var state = new TenantState
                {
                    TenantId = (string)t["id"]!,
                    Name = (string)t["name"]!,
                    DisplayName = (string)t["displayName"]!,
                    CreatedDateTime = (string)t["createdDateTime"]!,
                    EnforceIdentifierUriPolicy = (bool?)t["enforceIdentifierUriPolicy"] ?? true,
                    MicrosoftGraphServicePrincipalId = (string)t["microsoftGraphServicePrincipalId"]!,
                };
                state.CustomDomains.AddRange(t["customDomains"]!.AsArray().Select(d => (string)d!));
                state.SeedBuiltIns(schema);
                Fill(state.Applications, doc["applications"]);
                Fill(state.ServicePrincipals, doc["servicePrincipals"]);
                Fill(state.Grants, doc["oauth2PermissionGrants"]);
                Fill(state.Assignments, doc["appRoleAssignments"]);
                foreach (var kv in doc["secrets"]!.AsObject())
                    state.Secrets[kv.Key] = new StoredSecret((string)kv.Value!["applicationId"]!, (string)kv.Value["salt"]!, (string)kv.Value["sha256"]!);
                foreach (var kv in doc["owners"]?.AsObject() ?? new JsonObject())
                    state.Owners[kv.Key] = kv.Value!.AsArray().Select(o => (string)o!).ToList();
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

        private static void Fill(EntityTable table, JsonNode? items)
        {
            foreach (var item in items!.AsArray()) table.Add(item!.DeepClone().AsObject(), DateTimeOffset.MinValue);
        }
    }

    /// <summary>The local tenant's state file could not be used.</summary>
    public sealed class LocalTenantStateException : Exception
    {
        public LocalTenantStateException(string message) : base(message) { }
    }
}
