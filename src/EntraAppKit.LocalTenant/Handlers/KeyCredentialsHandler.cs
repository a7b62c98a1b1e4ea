using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Authorization;
using EntraAppKit.LocalTenant.Http;
using EntraAppKit.LocalTenant.Identity;
using EntraAppKit.LocalTenant.Model;
using EntraAppKit.LocalTenant.Routing;
using EntraAppKit.LocalTenant.Store;
using static EntraAppKit.LocalTenant.Http.GraphResponses;

namespace EntraAppKit.LocalTenant.Handlers
{
    /// <summary>
    /// Certificate credentials an application or service principal rolls itself: POST /applications/{key}/addKey
    /// (learn.microsoft.com/graph/api/application-addkey) and removeKey (learn.microsoft.com/graph/api/application-removekey),
    /// and the same actions on /servicePrincipals/{key} (learn.microsoft.com/graph/api/serviceprincipal-addkey,
    /// /graph/api/serviceprincipal-removekey). Each carries a proof of possession of an existing valid certificate
    /// (<see cref="KeyProof"/>); the object's keyCredentials are the ones PATCH sets (<see cref="KeyCredentials"/>).
    /// </summary>
    internal sealed class KeyCredentialsHandler
    {
        private const string AppResource = "Application";
        private const string SpResource = "ServicePrincipal";

        private readonly TenantClock _clock;
        private readonly GraphSchema _schema;
        private readonly GraphAuthorizer _authorizer;

        public KeyCredentialsHandler(TenantClock clock, GraphSchema schema, GraphAuthorizer authorizer)
        {
            _clock = clock; _schema = schema; _authorizer = authorizer;
        }

        /// <summary>
        /// The object whose keys a request changes, once the caller may change them: itself with no permission ("An
        /// application does not need any specific permission to roll its own keys"), anyone else as for any other write
        /// (Application.ReadWrite.OwnedBy on what it owns, Application.ReadWrite.All).
        /// </summary>
        private (string Id, JsonObject Owner, JsonArray Credentials, string Resource) Target(RouteContext c)
        {
            JsonObject owner;
            string resource;
            if (c.Item is ServicePrincipalEntity sp)
            {
                if (!_authorizer.IsItself(c.Caller, sp)) _authorizer.DemandServicePrincipalWrite(c.Caller, sp);
                (owner, resource) = (sp.Json, SpResource);
            }
            else
            {
                var app = c.ItemAs<ApplicationEntity>();
                if (!_authorizer.IsItself(c.Caller, app)) _authorizer.DemandApplicationWrite(c.Caller, app);
                (owner, resource) = (app.Json, AppResource);
            }
            // An object saved before keyCredentials were materialized has none until its first key.
            if (!(owner["keyCredentials"] is JsonArray list)) owner["keyCredentials"] = list = new JsonArray();
            return ((string)owner["id"]!, owner, list, resource);
        }

        public GraphResponse Add(RouteContext c)
        {
            var target = Target(c);
            string resource = target.Resource;
            var body = c.Body;
            // The action's parameters (application-addkey, "Request body"): keyCredential, passwordCredential, proof.
            foreach (var kv in body)
                if (kv.Key != "keyCredential" && kv.Key != "passwordCredential" && kv.Key != "proof" && !kv.Key.Contains("@odata."))
                    throw GraphException.UnknownProperty(kv.Key);
            if (!(body["keyCredential"] is JsonObject requested)) throw GraphException.InvalidValue("keyCredential", resource);
            var passwordNode = body["passwordCredential"];
            if (passwordNode != null && !(passwordNode is JsonObject)) throw GraphException.InvalidValue("passwordCredential", resource);
            _schema.Validate("keyCredential", requested, resource);
            if (passwordNode is JsonObject password) _schema.Validate("passwordCredential", password, resource);
            // "a proof of possession of an existing key is verified before the action can be performed".
            KeyProof.Demand(body["proof"], target.Id, target.Owner, _clock.Now);

            // "type, usage and key are required ... AsymmetricX509Cert: The usage must be Verify. X509CertAndPassword: The
            // usage must be Sign"; passwordCredential's secretText "is required only for keys of type X509CertAndPassword".
            string? type = Text(requested["type"]);
            string? usage = Text(requested["usage"]);
            bool withPassword = type == "X509CertAndPassword" && usage == "Sign";
            if (!(type == "AsymmetricX509Cert" && usage == "Verify") && !withPassword) throw GraphException.InvalidValue("keyCredential", resource);
            string key = Text(requested["key"]) ?? throw GraphException.InvalidValue("keyCredential", resource);
            string? secret = withPassword ? Text((passwordNode as JsonObject)?["secretText"]) ?? throw GraphException.InvalidValue("passwordCredential", resource) : null;
            // The password only opens the key here, to read the certificate's thumbprint and validity; the tenant keeps the key as sent.
            using var certificate = Certificate(key, secret) ?? throw GraphException.InvalidValue("keyCredential", resource);

            var stored = new JsonObject
            {
                ["customKeyIdentifier"] = requested["customKeyIdentifier"]?.DeepClone(),
                ["displayName"] = requested["displayName"]?.DeepClone(),
                ["endDateTime"] = requested["endDateTime"]?.DeepClone(),
                ["key"] = key,
                ["keyId"] = Guid.NewGuid().ToString(),
                ["startDateTime"] = requested["startDateTime"]?.DeepClone(),
                ["type"] = type,
                ["usage"] = usage,
            };
            KeyCredentials.Complete(stored, certificate);
            target.Credentials.Add(stored);

            // The new keyCredential as Graph serializes one it returns: every property, the key itself null.
            var response = new JsonObject { ["@odata.context"] = c.ServiceRoot + "/$metadata#microsoft.graph.keyCredential" };
            foreach (var kv in stored) response[kv.Key] = kv.Key == "key" ? null : kv.Value?.DeepClone();
            return Json(200, response);
        }

        public GraphResponse Remove(RouteContext c)
        {
            var target = Target(c);
            var body = c.Body;
            // The action's parameters (application-removekey): keyId, an Edm.Guid, and proof.
            foreach (var kv in body)
                if (kv.Key != "keyId" && kv.Key != "proof" && !kv.Key.Contains("@odata.")) throw GraphException.UnknownProperty(kv.Key);
            if (!(Text(body["keyId"]) is string text && Guid.TryParse(text, out var keyId))) throw GraphException.InvalidValue("keyId", target.Resource);
            KeyProof.Demand(body["proof"], target.Id, target.Owner, _clock.Now);
            var credential = target.Credentials.FirstOrDefault(k => Guid.TryParse(Text(k?["keyId"]), out var id) && id == keyId)
                // Graph's wording for an unknown keyId was not found published; this mirrors removePassword's.
                ?? throw GraphException.BadRequest($"No key credential found with keyId '{keyId}'.");
            target.Credentials.Remove(credential);
            return NoContent();
        }

        private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        /// <summary>The certificate in a base64 key: DER, or for X509CertAndPassword a PFX the password opens.</summary>
        private static X509Certificate2? Certificate(string base64, string? password)
        {
            if (password == null) return KeyCredentials.Certificate(base64);
            try { return new X509Certificate2(Convert.FromBase64String(base64), password); }
            catch (Exception e) when (e is FormatException || e is CryptographicException) { return null; }
        }
    }
}
