using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// Client secrets of an application or a service principal: POST /applications/{key}/addPassword, where the secretText is
    /// shown once (learn.microsoft.com/graph/api/application-addpassword), and removePassword
    /// (learn.microsoft.com/graph/api/application-removepassword); the same actions on /servicePrincipals/{key}
    /// (learn.microsoft.com/graph/api/serviceprincipal-addpassword, /graph/api/serviceprincipal-removepassword). The store keeps
    /// only a salted hash.
    /// </summary>
    internal sealed class PasswordCredentialsHandler
    {
        private const string AppResource = "Application";
        private const string SpResource = "ServicePrincipal";

        private readonly ITenantStore _store;
        private readonly TenantClock _clock;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;

        public PasswordCredentialsHandler(ITenantStore store, TenantClock clock, GraphSchema schema, GraphAuthorizer authorizer)
        {
            _store = store; _clock = clock; _schema = schema; _authorizer = authorizer;
        }

        /// <summary>The object whose secrets a request changes, once the caller may change it.</summary>
        private (string Id, JsonArray Credentials, string Resource, bool Personal) Target(RouteContext c)
        {
            if (c.Item is ServicePrincipalEntity sp)
            {
                _authorizer.DemandServicePrincipalWrite(c.Caller, sp);
                // Schema defaults give every service principal the list; one saved before that has none until its first secret.
                if (!(sp.Json["passwordCredentials"] is JsonArray list)) sp.Json["passwordCredentials"] = list = new JsonArray();
                return (sp.Id, list, SpResource, false);
            }
            var app = c.ItemAs<ApplicationEntity>();
            _authorizer.DemandApplicationWrite(c.Caller, app);
            // Personal-account audiences allow two secrets (learn.microsoft.com/entra/identity-platform/supported-accounts-validation).
            return (app.Id, app.PasswordCredentials, AppResource, ApplicationValidator.IsPersonalAudience(app.SignInAudience));
        }

        public GraphResponse Add(RouteContext c)
        {
            var target = Target(c);
            string resource = target.Resource;
            var body = c.Body;
            foreach (var kv in body)
                if (kv.Key != "passwordCredential") throw GraphException.UnknownProperty(kv.Key);
            // The action's one parameter is a passwordCredential object (learn.microsoft.com/graph/api/application-addpassword); null or absent takes the defaults.
            var parameter = body["passwordCredential"];
            if (parameter != null && !(parameter is JsonObject)) throw GraphException.InvalidValue("passwordCredential", resource);
            var requested = parameter as JsonObject ?? new JsonObject();
            _schema.Validate("passwordCredential", requested, resource);
            GraphPayload.RejectReadOnly(requested, "secretText", "hint", "keyId");
            var start = requested["startDateTime"] != null ? ParseTime(requested["startDateTime"]!) : _clock.Now;
            // The default end is two years after the start; a start too late for that (9999-12-31) has no valid credential.
            if (requested["endDateTime"] == null && start > DateTimeOffset.MaxValue.AddYears(-2)) throw GraphException.InvalidValue("startDateTime", "PasswordCredential");
            var end = requested["endDateTime"] != null ? ParseTime(requested["endDateTime"]!) : start.AddYears(2);
            if (end <= start) throw GraphException.InvalidValue("endDateTime", "PasswordCredential");
            int existing = target.Credentials.Count;
            if (target.Personal && existing >= 2)
                throw GraphException.BadRequest($"Not allowed to add {existing + 1} passwords. You can only add a maximum of 2 passwords.");

            string secret = NewSecretText();
            string keyId = Guid.NewGuid().ToString();
            var stored = new JsonObject
            {
                ["customKeyIdentifier"] = null,
                ["displayName"] = requested["displayName"]?.DeepClone(),
                ["endDateTime"] = GraphTimestamp.Trimmed(end),
                ["hint"] = secret.Substring(0, 3),
                ["keyId"] = keyId,
                ["secretText"] = null,
                ["startDateTime"] = GraphTimestamp.Trimmed(start),
            };
            // Graph lists the newest secret first: Azure CLI's recording test_app_credential.yaml (Azure/azure-cli, role module)
            // shows key2, added after key1, ahead of it, and its test_graph.py says "Graph API reverses the order of insertion".
            target.Credentials.Insert(0, stored);
            _store.AddSecret(keyId, StoredSecret.Create(target.Id, secret));
            var response = new JsonObject { ["@odata.context"] = c.ServiceRoot + "/$metadata#microsoft.graph.passwordCredential" };
            foreach (var kv in stored) response[kv.Key] = kv.Value?.DeepClone();
            response["secretText"] = secret; // returned once, here only
            return Json(200, response);
        }

        public GraphResponse Remove(RouteContext c)
        {
            var target = Target(c);
            var body = c.Body;
            // The action's one parameter, keyId, is an Edm.Guid (learn.microsoft.com/graph/api/application-removepassword): a string, never a number.
            foreach (var kv in body)
                if (kv.Key != "keyId" && !kv.Key.Contains("@odata.")) throw GraphException.UnknownProperty(kv.Key);
            if (!(body["keyId"] is JsonValue value && value.TryGetValue<string>(out var text) && Guid.TryParse(text, out var keyId)))
                throw GraphException.InvalidValue("keyId", target.Resource);
            var creds = target.Credentials;
            var cred = creds.FirstOrDefault(k => Guid.TryParse((string?)k!["keyId"], out var id) && id == keyId)
                ?? throw GraphException.BadRequest($"No password credential found with keyId '{keyId}'.");
            creds.Remove(cred);
            _store.RemoveSecret(keyId.ToString());
            return NoContent();
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
