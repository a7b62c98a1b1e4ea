using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Query;

namespace EntraAppKit.LocalTenant
{
    // /applications: create, read, update, upsert by uniqueName, delete, addPassword, removePassword (graph-ground-truth §0.3–§0.6).
    public sealed partial class LocalTenantEngine
    {
        private const string AppType = "application";
        private const string AppResource = "Application";

        private static readonly string[] PersonalAudiences = { "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount" };
        private static readonly string[] Audiences = { "AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount" };

        private GraphResponse Applications(GraphRequest request, string? keyName, string? keyValue, string[] rest)
        {
            string context = ServiceRoot(request) + "/$metadata#applications";
            Demand(request, ReadApplications); // every write permission also reads
            if (keyName == null)
            {
                if (rest.Length == 1 && rest[0] == "$count") return Count(request, _state.Applications);
                if (rest.Length > 0) throw GraphException.NoRoute(rest[0]);
                RequireMethod(request, "GET", "POST");
                if (request.Method == "GET")
                    return Json(200, CollectionQuery.Parse(request, Schema, AppType, AppResource).Page(_state.Applications.Visible(Now), request, context));
                Demand(request, WriteApplications);
                return Json(201, Entity(CreateApplication(ParseBody(request), null, CallerOf(request)), context, request, Schema, AppType));
            }

            if (keyName == "uniqueName" && request.Method == "PATCH" && rest.Length == 0)
                return UpsertApplication(request, keyValue!, context);

            var app = FindApplication(keyName, keyValue!);
            if (rest.Length == 1 && request.Method == "POST")
            {
                switch (rest[0])
                {
                    case "addPassword":
                    case "microsoft.graph.addPassword":
                        DemandApplicationWrite(request, app);
                        return Json(200, AddPassword(app, ParseBody(request), ServiceRoot(request)));
                    case "removePassword":
                    case "microsoft.graph.removePassword":
                        DemandApplicationWrite(request, app);
                        RemovePassword(app, ParseBody(request));
                        return NoContent();
                }
            }
            if (rest.Length > 0) throw GraphException.NoRoute(rest[0]);
            RequireMethod(request, "GET", "PATCH", "DELETE");
            switch (request.Method)
            {
                case "GET": return Json(200, Entity(app, context, request, Schema, AppType));
                case "PATCH":
                    DemandApplicationWrite(request, app);
                    UpdateApplication(app, ParseBody(request));
                    return NoContent();
                default:
                    DemandApplicationWrite(request, app);
                    DeleteApplication(app);
                    return NoContent();
            }
        }

        private GraphResponse Count(GraphRequest request, EntityTable table)
        {
            if (!string.Equals(request.Header("ConsistencyLevel"), "eventual", StringComparison.OrdinalIgnoreCase))
                throw GraphException.UnsupportedQuery("Raw count (/$count) is not supported because the 'ConsistencyLevel:eventual' header is missing. Refer to https://aka.ms/graph-docs/advanced-queries for more information");
            return new GraphResponse(200, table.Visible(Now).Count().ToString(CultureInfo.InvariantCulture), "text/plain");
        }

        /// <summary>Finds an application by id, appId or uniqueName; a missing or not yet replicated one is Graph's 404 (§7).</summary>
        private JsonObject FindApplication(string keyName, string keyValue)
        {
            JsonObject? app;
            switch (keyName)
            {
                case "id": app = _state.Applications.Find(keyValue); break;
                case "appId": app = _state.Applications.All.FirstOrDefault(a => Eq(a["appId"], keyValue)); break;
                case "uniqueName": app = _state.Applications.All.FirstOrDefault(a => Eq(a["uniqueName"], keyValue)); break;
                default: throw GraphException.BadRequest($"The alternate key '{keyName}' is not defined for the type 'microsoft.graph.application'.");
            }
            if (keyName == "appId" && !Guid.TryParse(keyValue, out _))
                throw GraphException.BadRequest("Invalid value specified for object reference property 'appId'. Please ensure that this value has an appropriate syntax and length.");
            if (app == null || !_state.Applications.IsVisible((string)app["id"]!, Now)) throw GraphException.NotFound(keyValue);
            return app;
        }

        private static bool Eq(JsonNode? node, string value) =>
            node is JsonValue v && v.TryGetValue<string>(out var s) && string.Equals(s, value, StringComparison.OrdinalIgnoreCase);

        /// <summary>PATCH /applications(uniqueName='…'): 201 with the object when created (Prefer: create-if-missing), 204 when updated, 404 otherwise (§0.4).</summary>
        private GraphResponse UpsertApplication(GraphRequest request, string uniqueName, string context)
        {
            Demand(request, WriteApplications);
            var body = ParseBody(request);
            var existing = _state.Applications.All.FirstOrDefault(a => Eq(a["uniqueName"], uniqueName));
            if (existing != null)
            {
                if (!_state.Applications.IsVisible((string)existing["id"]!, Now)) throw GraphException.NotFound(uniqueName);
                DemandApplicationWrite(request, existing);
                UpdateApplication(existing, body);
                return NoContent();
            }
            bool createIfMissing = (request.Header("Prefer") ?? "").Split(',').Any(p => string.Equals(p.Trim(), "create-if-missing", StringComparison.OrdinalIgnoreCase));
            if (!createIfMissing) throw GraphException.NotFound(uniqueName);
            if (body.ContainsKey("uniqueName") && !Eq(body["uniqueName"], uniqueName))
                throw GraphException.InvalidValue("uniqueName", AppResource);
            return Json(201, Entity(CreateApplication(body, uniqueName, CallerOf(request)), context, request, Schema, AppType));
        }

        /// <summary>Creates an application owned by <paramref name="creator"/> (an app-only creator must own it to change it with OwnedBy).</summary>
        private JsonObject CreateApplication(JsonObject body, string? uniqueName, Identity.Caller creator)
        {
            Schema.Validate(AppType, body, AppResource);
            RejectReadOnly(body, "id", "appId", "createdDateTime", "publisherDomain", "deletedDateTime", "createdByAppId");
            if (body["passwordCredentials"] is JsonArray pw && pw.Count > 0)
                throw GraphException.BadRequest("Adding passwordCredential when creating applications is not supported. Use the addPassword method.");
            if (!(body["displayName"] is JsonValue dn) || string.IsNullOrWhiteSpace((string?)dn))
                throw GraphException.BadRequest("Property 'displayName' is required.");

            var app = ApplicationDefaults.New(Schema);
            app["signInAudience"] = "AzureADandPersonalMicrosoftAccount"; // Graph's default when omitted (§0.3)
            Merge(app, body, AppType, ApplicationDefaults.Materialized);
            ApplicationDefaults.Normalize(app);
            if (uniqueName != null) app["uniqueName"] = uniqueName;
            bool tokenVersionGiven = body["api"] is JsonObject api && api.ContainsKey("requestedAccessTokenVersion");
            if (!tokenVersionGiven)
                app["api"]!["requestedAccessTokenVersion"] = PersonalAudiences.Contains((string?)app["signInAudience"]) ? 2 : (int?)null;

            string id = Guid.NewGuid().ToString();
            string appId = Guid.NewGuid().ToString();
            app["id"] = id;
            app["appId"] = appId;
            app["createdDateTime"] = Timestamp(Now);
            app["publisherDomain"] = _state.InitialDomain;
            Identity.KeyCredentials.Normalize(app);
            ValidateApplication(app, null);
            _state.Applications.Add(app, VisibleAt);
            AddOwner(app, creator);
            return app;
        }

        private void UpdateApplication(JsonObject app, JsonObject body)
        {
            Schema.Validate(AppType, body, AppResource);
            RejectReadOnly(body, "id", "appId", "createdDateTime", "publisherDomain", "deletedDateTime", "createdByAppId");
            if (body.ContainsKey("passwordCredentials"))
                throw GraphException.BadRequest("Using PATCH to set passwordCredential is not supported. Use the addPassword and removePassword methods.");
            if (body.ContainsKey("uniqueName") && app["uniqueName"] != null && !Eq(body["uniqueName"], (string)app["uniqueName"]!))
                throw GraphException.BadRequest("Property 'uniqueName' can be updated only if null and is immutable once set.");
            var updated = (JsonObject)app.DeepClone();
            Merge(updated, body, AppType, ApplicationDefaults.Materialized);
            ApplicationDefaults.Normalize(updated);
            Identity.KeyCredentials.Normalize(updated);
            ValidateApplication(updated, app);
            foreach (var kv in updated.ToList()) { updated.Remove(kv.Key); app[kv.Key] = kv.Value; }
            SyncServicePrincipal(app);
        }

        private void DeleteApplication(JsonObject app)
        {
            string id = (string)app["id"]!;
            _state.Applications.Remove(id);
            _state.Owners.Remove(id);
            foreach (var keyId in _state.Secrets.Where(kv => kv.Value.ApplicationId == id).Select(kv => kv.Key).ToList()) _state.Secrets.Remove(keyId);
            // Deleting the application deletes its service principal in the home tenant (§6).
            var sp = _state.ServicePrincipals.All.FirstOrDefault(s => Eq(s["appId"], (string)app["appId"]!));
            if (sp != null) DeleteServicePrincipal(sp);
        }

        /// <summary>The documented rules for an application (§0.3, §0.5, §0.6, §6). <paramref name="before"/> is null on create.</summary>
        private void ValidateApplication(JsonObject app, JsonObject? before)
        {
            string audience = (string?)app["signInAudience"] ?? "";
            if (!Audiences.Contains(audience)) throw GraphException.InvalidValue("signInAudience", AppResource);
            bool personal = PersonalAudiences.Contains(audience);

            string displayName = (string?)app["displayName"] ?? "";
            if (displayName.Trim().Length == 0 || displayName.Length > (personal ? 90 : 120))
                throw GraphException.InvalidValue("displayName", AppResource);

            var tokenVersion = app["api"]?["requestedAccessTokenVersion"];
            int? version = tokenVersion == null ? (int?)null : (int)tokenVersion;
            if (version.HasValue && version != 1 && version != 2) throw GraphException.BadRequest("Property api.requestedAccessTokenVersion is invalid.");
            if (personal && version != 2) throw GraphException.BadRequest("Property api.requestedAccessTokenVersion is invalid.");

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
            if (uniqueName != null && _state.Applications.All.Any(a => !ReferenceEquals(a, before) && (string?)a["id"] != (string?)app["id"] && Eq(a["uniqueName"], uniqueName)))
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
                if (uri.Length > (personal ? 120 : 255) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
                    throw GraphException.InvalidValue("identifierUris", AppResource);
                if (old.Contains(uri, StringComparer.OrdinalIgnoreCase)) continue; // policies apply to newly added URIs
                if (parsed.Scheme == "https" && !OnVerifiedDomain(parsed.Host))
                    throw new GraphException(400, "HostNameNotOnVerifiedDomain",
                        $"Values of identifierUris property must use a verified domain of the organization or its subdomain: '{uri}'");
                if (_state.EnforceIdentifierUriPolicy && tokenVersion != 2 && !ContainsTenantIdentity(uri, appId))
                    throw GraphException.BadRequest($"Failed to add identifier URI {uri}. All newly added URIs must contain a tenant verified domain, tenant ID, or app ID, as per the default tenant policy of your organization. See https://aka.ms/identifier-uri-addition-error for more information on this error.");
                var owner = _state.Applications.All.FirstOrDefault(a => (string?)a["id"] != (string?)app["id"] &&
                    a["identifierUris"]!.AsArray().Any(u => string.Equals((string)u!, uri, StringComparison.OrdinalIgnoreCase)));
                if (owner != null)
                    throw new GraphException(400, "Request_BadRequest", "Another object with the same value for property identifierUris already exists.",
                        new[] { ("ObjectConflict", "Another object with the same value for property identifierUris already exists.", "identifierUris") });
            }
        }

        private bool OnVerifiedDomain(string host) =>
            _state.AllDomains.Any(d => string.Equals(host, d, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));

        private bool ContainsTenantIdentity(string uri, string appId) =>
            uri.IndexOf(_state.TenantId, StringComparison.OrdinalIgnoreCase) >= 0 ||
            uri.IndexOf(appId, StringComparison.OrdinalIgnoreCase) >= 0 ||
            _state.AllDomains.Any(d => uri.IndexOf(d, StringComparison.OrdinalIgnoreCase) >= 0);

        /// <summary>reply-url.md (§6): at most 256 (100 with personal accounts), each ≤ 256 characters, https except localhost, no ! $ ' ( ) , ;.</summary>
        private static void ValidateRedirectUris(JsonObject app, bool personal)
        {
            int total = 0;
            foreach (var platform in new[] { "web", "spa", "publicClient" })
            {
                foreach (var node in app[platform]?["redirectUris"]?.AsArray() ?? new JsonArray())
                {
                    total++;
                    string uri = (string)node!;
                    if (uri.Length > 256 || uri.IndexOfAny(new[] { '!', '$', '\'', '(', ')', ',', ';' }) >= 0 || !Uri.TryCreate(uri.Replace("*", "x"), UriKind.Absolute, out var parsed))
                        throw GraphException.InvalidValue("redirectUris", AppResource);
                    if (platform != "publicClient" && parsed.Scheme != "https" && !(parsed.Scheme == "http" && parsed.IsLoopback))
                        throw GraphException.InvalidValue("redirectUris", AppResource);
                    if (personal && (uri.Contains("*") || parsed.Query.Length > 0))
                        throw GraphException.InvalidValue("redirectUris", AppResource);
                }
            }
            if (total > (personal ? 100 : 256)) throw GraphException.InvalidValue("redirectUris", AppResource);
        }

        /// <summary>§6: at most 50 APIs and 400 permissions (200, with 30 per API, for personal audiences).</summary>
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

        /// <summary>permissionScope rules (§0.3): GUID ids unique, value ≤ 120 without spaces or a leading dot, enabled on create, disabled before removal.</summary>
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

        // ----- Client secrets (§0.6) -----

        private JsonObject AddPassword(JsonObject app, JsonObject body, string root)
        {
            foreach (var kv in body)
                if (kv.Key != "passwordCredential") throw GraphException.UnknownProperty(kv.Key);
            var requested = body["passwordCredential"] as JsonObject ?? new JsonObject();
            Schema.Validate("passwordCredential", requested, AppResource);
            RejectReadOnly(requested, "secretText", "hint", "keyId");
            var start = requested["startDateTime"] != null ? ParseTime(requested["startDateTime"]!) : Now;
            var end = requested["endDateTime"] != null ? ParseTime(requested["endDateTime"]!) : start.AddYears(2);
            if (end <= start) throw GraphException.InvalidValue("endDateTime", "PasswordCredential");
            bool personal = PersonalAudiences.Contains((string?)app["signInAudience"]);
            int existing = app["passwordCredentials"]!.AsArray().Count;
            if (personal && existing >= 2)
                throw GraphException.BadRequest($"Not allowed to add {existing + 1} passwords. You can only add a maximum of 2 passwords.");

            string secret = NewSecretText();
            string keyId = Guid.NewGuid().ToString();
            var stored = new JsonObject
            {
                ["customKeyIdentifier"] = null,
                ["displayName"] = requested["displayName"]?.DeepClone(),
                ["endDateTime"] = PreciseTimestamp(end),
                ["hint"] = secret.Substring(0, 3),
                ["keyId"] = keyId,
                ["secretText"] = null,
                ["startDateTime"] = PreciseTimestamp(start),
            };
            app["passwordCredentials"]!.AsArray().Add(stored);
            _state.Secrets[keyId] = StoredSecret.Create((string)app["id"]!, secret);
            var response = new JsonObject { ["@odata.context"] = root + "/$metadata#microsoft.graph.passwordCredential" };
            foreach (var kv in stored) response[kv.Key] = kv.Value?.DeepClone();
            response["secretText"] = secret; // returned once, here only
            return response;
        }

        private void RemovePassword(JsonObject app, JsonObject body)
        {
            if (!Guid.TryParse((string?)body["keyId"], out var keyId)) throw GraphException.InvalidValue("keyId", AppResource);
            var creds = app["passwordCredentials"]!.AsArray();
            var cred = creds.FirstOrDefault(c => Guid.TryParse((string?)c!["keyId"], out var k) && k == keyId)
                ?? throw GraphException.BadRequest($"No password credential found with keyId '{keyId}'.");
            creds.Remove(cred);
            _state.Secrets.Remove(keyId.ToString());
        }

        private static DateTimeOffset ParseTime(JsonNode node) =>
            DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        /// <summary>A secret shaped like Entra's: 40 characters, a 3-character hint, then "8Q~".</summary>
        private static string NewSecretText()
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~";
            var bytes = new byte[37];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            var chars = bytes.Select(b => alphabet[b % alphabet.Length]).ToArray();
            return new string(chars, 0, 3) + "8Q~" + new string(chars, 3, 34);
        }
    }
}
