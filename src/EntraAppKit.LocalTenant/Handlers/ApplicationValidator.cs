using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// The documented rules for an application, checked on create and on every change: signInAudience and its limits
    /// (learn.microsoft.com/entra/identity-platform/supported-accounts-validation), requestedAccessTokenVersion
    /// (learn.microsoft.com/entra/identity-platform/reference-microsoft-graph-app-manifest), identifierUris and the default
    /// policy (learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions), redirect URIs, permission scopes and
    /// app roles, the personal-account secret cap, and uniqueName's uniqueness.
    /// </summary>
    internal sealed class ApplicationValidator
    {
        private const string AppResource = "Application";

        private static readonly string[] PersonalAudiences = { "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount" };
        private static readonly string[] Audiences = { "AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount" };

        private readonly ITenantStore _store;

        public ApplicationValidator(ITenantStore store) { _store = store; }

        /// <summary>Whether the audience includes personal Microsoft accounts, which brings the stricter limits.</summary>
        public static bool IsPersonalAudience(string? signInAudience) => PersonalAudiences.Contains(signInAudience);

        /// <summary>Checks an application about to be stored; <paramref name="before"/> is the stored one, null on create.</summary>
        public void Validate(JsonObject app, JsonObject? before)
        {
            string audience = (string?)app["signInAudience"] ?? "";
            if (!Audiences.Contains(audience)) throw GraphException.InvalidValue("signInAudience", AppResource);
            bool personal = IsPersonalAudience(audience);

            string displayName = (string?)app["displayName"] ?? "";
            if (displayName.Trim().Length == 0 || displayName.Length > (personal ? 90 : 120))
                throw GraphException.InvalidValue("displayName", AppResource);

            var tokenVersion = app["api"]?["requestedAccessTokenVersion"];
            int? version = tokenVersion == null ? (int?)null : (int)tokenVersion;
            if (version.HasValue && version != 1 && version != 2) throw GraphException.BadRequest("Property api.requestedAccessTokenVersion is invalid.");
            if (personal && version != 2) throw GraphException.BadRequest("Property api.requestedAccessTokenVersion is invalid.");

            if (CollectionEntries(app) > RequestLimits.MaxApplicationCollectionEntries)
                throw GraphException.BadRequest("The size of the manifest has exceeded its limit. Please reduce the number of values and retry your request.");
            ValidateIdentifierUris(app, before, personal, version ?? 1);
            ValidateRedirectUris(app, personal);
            ValidateRequiredResourceAccess(app, personal);
            ValidatePermissionScopes(app, before);
            ValidateAppRoles(app, before, personal);
            if (personal)
            {
                int secrets = app["passwordCredentials"]!.AsArray().Count;
                if (secrets > 2) throw GraphException.BadRequest($"Not allowed to add {secrets} passwords. You can only add a maximum of 2 passwords.");
            }
            string? uniqueName = (string?)app["uniqueName"];
            if (uniqueName != null && _store.ApplicationsByUniqueName(uniqueName).Any(a => !ReferenceEquals(a.Json, before) && a.Id != (string?)app["id"]))
                throw new GraphException(400, "Request_BadRequest", "Another object with the same value for property uniqueName already exists.",
                    new[] { ("ObjectConflict", "Another object with the same value for property uniqueName already exists.", "uniqueName") });
        }

        private void ValidateIdentifierUris(JsonObject app, JsonObject? before, bool personal, int tokenVersion)
        {
            var uris = app["identifierUris"]!.AsArray().Select(u => (string)u!).ToList();
            var old = before == null ? new List<string>() : before["identifierUris"]!.AsArray().Select(u => (string)u!).ToList();
            if (personal && uris.Count > 50) throw GraphException.InvalidValue("identifierUris", AppResource);
            string appId = (string)app["appId"]!;
            foreach (var uri in uris)
            {
                if (uri.Length > (personal ? 120 : 255) || HasControlCharacter(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
                    throw GraphException.InvalidValue("identifierUris", AppResource);
                if (old.Contains(uri, StringComparer.OrdinalIgnoreCase)) continue; // policies apply to newly added URIs
                if (parsed.Scheme == "https" && !OnVerifiedDomain(parsed.Host))
                    throw new GraphException(400, "HostNameNotOnVerifiedDomain",
                        $"Values of identifierUris property must use a verified domain of the organization or its subdomain: '{uri}'");
                if (_store.EnforceIdentifierUriPolicy && tokenVersion != 2 && !ContainsTenantIdentity(uri, appId))
                    throw GraphException.BadRequest($"Failed to add identifier URI {uri}. All newly added URIs must contain a tenant verified domain, tenant ID, or app ID, as per the default tenant policy of your organization. See https://aka.ms/identifier-uri-addition-error for more information on this error.");
                if (_store.FindApplicationByIdentifierUri(uri, (string)app["id"]!) != null)
                    throw new GraphException(400, "Request_BadRequest", "Another object with the same value for property identifierUris already exists.",
                        new[] { ("ObjectConflict", "Another object with the same value for property identifierUris already exists.", "identifierUris") });
            }
        }

        private bool OnVerifiedDomain(string host) =>
            _store.AllDomains.Any(d => string.Equals(host, d, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));

        private bool ContainsTenantIdentity(string uri, string appId) =>
            uri.IndexOf(_store.TenantId, StringComparison.OrdinalIgnoreCase) >= 0 ||
            uri.IndexOf(appId, StringComparison.OrdinalIgnoreCase) >= 0 ||
            _store.AllDomains.Any(d => uri.IndexOf(d, StringComparison.OrdinalIgnoreCase) >= 0);

        /// <summary>learn.microsoft.com/entra/identity-platform/reply-url: at most 256 (100 with personal accounts), each ≤ 256 characters, https except localhost, no ! $ ' ( ) , ;.</summary>
        private static void ValidateRedirectUris(JsonObject app, bool personal)
        {
            int total = 0;
            foreach (var platform in new[] { "web", "spa", "publicClient" })
            {
                foreach (var node in app[platform]?["redirectUris"]?.AsArray() ?? new JsonArray())
                {
                    total++;
                    string uri = (string)node!;
                    if (uri.Length > 256 || HasControlCharacter(uri) || uri.IndexOfAny(new[] { '!', '$', '\'', '(', ')', ',', ';' }) >= 0 || !Uri.TryCreate(uri.Replace("*", "x"), UriKind.Absolute, out var parsed))
                        throw GraphException.InvalidValue("redirectUris", AppResource);
                    if (platform != "publicClient" && parsed.Scheme != "https" && !(parsed.Scheme == "http" && parsed.IsLoopback))
                        throw GraphException.InvalidValue("redirectUris", AppResource);
                    if (personal && (uri.Contains("*") || parsed.Query.Length > 0))
                        throw GraphException.InvalidValue("redirectUris", AppResource);
                }
            }
            if (total > (personal ? 100 : 256)) throw GraphException.InvalidValue("redirectUris", AppResource);
        }

        /// <summary>
        /// A URI is printable text (RFC 3986 section 2 has no place for NUL or other control characters); System.Uri would
        /// silently drop or escape them, storing a URI other than the one the client sent.
        /// </summary>
        private static bool HasControlCharacter(string uri) => uri.Any(char.IsControl);

        /// <summary>Entries over every collection of the application, nested ones included (the manifest limit counts them all).</summary>
        private static int CollectionEntries(JsonNode? node) => node switch
        {
            JsonArray a => a.Count + a.Sum(CollectionEntries),
            JsonObject o => o.Sum(kv => CollectionEntries(kv.Value)),
            _ => 0,
        };

        /// <summary>learn.microsoft.com/entra/identity-platform/supported-accounts-validation: at most 50 APIs and 400 permissions (200, with 30 per API, for personal audiences).</summary>
        private static void ValidateRequiredResourceAccess(JsonObject app, bool personal)
        {
            var rra = app["requiredResourceAccess"]!.AsArray();
            if (rra.Count > 50) throw GraphException.InvalidValue("requiredResourceAccess", AppResource);
            int total = 0;
            foreach (var r in rra)
            {
                var access = r!["resourceAccess"]!.AsArray();
                if (!Guid.TryParse((string?)r["resourceAppId"], out _)) throw GraphException.InvalidValue("requiredResourceAccess", AppResource);
                if (personal && access.Count > 30) throw GraphException.InvalidValue("requiredResourceAccess", AppResource);
                foreach (var a in access)
                {
                    string? type = (string?)a!["type"];
                    if ((type != "Scope" && type != "Role") || !Guid.TryParse((string?)a["id"], out _))
                        throw GraphException.InvalidValue("requiredResourceAccess", AppResource);
                }
                total += access.Count;
            }
            if (total > (personal ? 200 : 400)) throw GraphException.InvalidValue("requiredResourceAccess", AppResource);
        }

        /// <summary>learn.microsoft.com/graph/resources/permissionscope: GUID ids unique, value ≤ 120 without spaces or a leading dot, enabled on create, disabled before removal.</summary>
        private static void ValidatePermissionScopes(JsonObject app, JsonObject? before)
        {
            var scopes = app["api"]?["oauth2PermissionScopes"]?.AsArray() ?? new JsonArray();
            var oldScopes = before?["api"]?["oauth2PermissionScopes"]?.AsArray() ?? new JsonArray();
            ValidateEntitlements(scopes, oldScopes, "oauth2PermissionScopes", s =>
            {
                string? type = (string?)s["type"];
                return type == "User" || type == "Admin";
            });
        }

        private static void ValidateAppRoles(JsonObject app, JsonObject? before, bool personal)
        {
            var roles = app["appRoles"]!.AsArray();
            if (personal && roles.Count > 0) throw GraphException.InvalidValue("appRoles", AppResource);
            ValidateEntitlements(roles, before?["appRoles"]!.AsArray() ?? new JsonArray(), "appRoles", r =>
            {
                var types = r["allowedMemberTypes"]!.AsArray().Select(t => (string)t!).ToList();
                return types.Count > 0 && types.All(t => t == "User" || t == "Application");
            });
        }

        private static void ValidateEntitlements(JsonArray items, JsonArray oldItems, string property, Func<JsonObject, bool> typeIsValid)
        {
            var ids = new HashSet<Guid>();
            var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var node in items)
            {
                var item = node!.AsObject();
                if (!Guid.TryParse((string?)item["id"], out var id) || id == Guid.Empty || !ids.Add(id)) throw GraphException.InvalidValue(property, AppResource);
                string? value = (string?)item["value"];
                if (value != null && (value.Length == 0 || value.Length > 120 || value.Any(char.IsWhiteSpace) || value.StartsWith(".", StringComparison.Ordinal) || !values.Add(value)))
                    throw GraphException.InvalidValue(property, AppResource);
                if (!typeIsValid(item)) throw GraphException.InvalidValue(property, AppResource);
                var previous = oldItems.FirstOrDefault(o => string.Equals((string?)o!["id"], (string?)item["id"], StringComparison.OrdinalIgnoreCase));
                if (previous == null && (bool?)item["isEnabled"] != true) throw GraphException.InvalidValue(property, AppResource);
            }
            foreach (var old in oldItems)
            {
                if ((bool?)old!["isEnabled"] != true) continue;
                var now = items.FirstOrDefault(i => string.Equals((string?)i!["id"], (string?)old["id"], StringComparison.OrdinalIgnoreCase));
                if (now == null || (string?)now["value"] != (string?)old["value"])
                    throw new GraphException(400, "CannotDeleteOrUpdateEnabledEntitlement", "Permission (scope or role) cannot be deleted or updated unless disabled first.");
            }
        }
    }
}
