using System;
using System.Globalization;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// An error the identity endpoints answer in Entra's OAuth shape:
    /// <c>{"error","error_description":"AADSTS…: … Trace ID: … Correlation ID: … Timestamp: …","error_codes":[n],"timestamp","trace_id","correlation_id","error_uri"}</c>.
    /// The codes and wording are Entra's own (learn.microsoft.com/entra/identity-platform/reference-error-codes and the
    /// messages the service returns); MSAL reads <c>error</c>, <c>error_description</c> and <c>suberror</c>.
    /// </summary>
    internal sealed class AadstsException : Exception
    {
        public AadstsException(int status, string error, int code, string message, string? subError = null) : base(message)
        {
            Status = status; Error = error; Code = code; SubError = subError;
        }

        public int Status { get; }

        /// <summary>The OAuth error: invalid_client, invalid_grant, authorization_pending…</summary>
        public string Error { get; }

        /// <summary>The AADSTS number.</summary>
        public int Code { get; }

        public string? SubError { get; }

        public JsonObject ToJson(DateTimeOffset now, string traceId, string correlationId)
        {
            string timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var body = new JsonObject
            {
                ["error"] = Error,
                ["error_description"] = $"AADSTS{Code}: {Message} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
                ["error_codes"] = new JsonArray(Code),
                ["timestamp"] = timestamp,
                ["trace_id"] = traceId,
                ["correlation_id"] = correlationId,
                ["error_uri"] = "https://login.microsoftonline.com/error?code=" + Code.ToString(CultureInfo.InvariantCulture),
            };
            if (SubError != null) body["suberror"] = SubError;
            return body;
        }

        // ----- Request shape -----

        public static AadstsException MissingParameter(string name) =>
            new AadstsException(400, "invalid_request", 900144, $"The request body must contain the following parameter: '{name}'.");

        public static AadstsException PostOnly(string method) =>
            new AadstsException(400, "invalid_request", 900561, $"The endpoint only accepts POST, OPTIONS requests. Received a {method} request.");

        public static AadstsException UnsupportedGrant(string grantType) =>
            new AadstsException(400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'.");

        // ----- Tenant -----

        public static AadstsException UnknownTenant(string tenant) =>
            new AadstsException(400, "invalid_tenant", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

        /// <summary>App-only flows need a tenant: /common and /organizations do not name one.</summary>
        public static AadstsException NoTenant() =>
            new AadstsException(400, "invalid_request", 50059, "No tenant-identifying information found in either the request or implied by any provided credentials.");

        public static AadstsException NotMultiTenant(string appId, string displayName) =>
            new AadstsException(400, "invalid_request", 50194, $"Application '{appId}'({displayName}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.");

        // ----- Client -----

        public static AadstsException UnknownClient(string appId, string tenantDisplayName) =>
            new AadstsException(400, "unauthorized_client", 700016, $"Application with identifier '{appId}' was not found in the directory '{tenantDisplayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

        public static AadstsException MissingServicePrincipal(string appId, string tenantId) =>
            new AadstsException(400, "invalid_client", 7000229, $"The client application {appId} is missing service principal in the tenant {tenantId}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119");

        public static AadstsException DisabledApplication(string appId, string displayName) =>
            new AadstsException(400, "unauthorized_client", 7000112, $"Application '{appId}'({displayName}) is disabled.");

        public static AadstsException MissingCredential() =>
            new AadstsException(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

        public static AadstsException InvalidSecret(string appId) =>
            new AadstsException(401, "invalid_client", 7000215, $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{appId}'.");

        public static AadstsException ExpiredSecret(string appId) =>
            new AadstsException(401, "invalid_client", 7000222, $"The provided client secret keys for app '{appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.");

        public static AadstsException MalformedAssertion() =>
            new AadstsException(400, "invalid_request", 50027, "JWT token is invalid or malformed.");

        public static AadstsException BadAssertion(string message) =>
            new AadstsException(401, "invalid_client", 700027, message);

        public static AadstsException AssertionOutsideLifetime(DateTimeOffset now, DateTimeOffset? notBefore, DateTimeOffset? expires) =>
            new AadstsException(401, "invalid_client", 700024,
                $"Client assertion is not within its valid time range. Current time: {Iso(now)}, assertion valid from {(notBefore.HasValue ? Iso(notBefore.Value) : "(none)")}, expiry time of assertion {(expires.HasValue ? Iso(expires.Value) : "(none)")}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");

        // ----- Scope and resource -----

        public static AadstsException InvalidScope(string scope) =>
            new AadstsException(400, "invalid_scope", 70011, $"The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.");

        public static AadstsException DefaultScopeRequired(string scope) =>
            new AadstsException(400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

        public static AadstsException MultipleResources(string scope) =>
            new AadstsException(400, "invalid_scope", 28000, $"Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid.");

        public static AadstsException UnknownResource(string resource, string tenantDisplayName) =>
            new AadstsException(400, "invalid_resource", 500011, $"The resource principal named {resource} was not found in the tenant named {tenantDisplayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");

        public static AadstsException ConsentRequired(string appId, string displayName) =>
            new AadstsException(400, "invalid_grant", 65001, $"The user or administrator has not consented to use the application with ID '{appId}' named '{displayName}'. Send an interactive authorization request for this user and resource.", "consent_required");

        // ----- Grants -----

        public static AadstsException AuthorizationPending() =>
            new AadstsException(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");

        public static AadstsException DeviceCodeExpired() =>
            new AadstsException(400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. Device code expired.");

        public static AadstsException InvalidGrant() =>
            new AadstsException(400, "invalid_grant", 70000, "Provided grant is invalid or malformed.");

        public static AadstsException RefreshTokenExpired(DateTimeOffset issued) =>
            new AadstsException(400, "invalid_grant", 700082, $"The refresh token has expired due to inactivity. The token was issued on {Iso(issued)} and was inactive for 90.00:00:00.");

        private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }
}
