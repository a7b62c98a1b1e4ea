using System;
using System.Collections.Generic;
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
            string timestamp = Timestamp(now);
            var body = new JsonObject
            {
                ["error"] = Error,
                ["error_description"] = Description(now, traceId, correlationId),
                ["error_codes"] = new JsonArray(Code),
                ["timestamp"] = timestamp,
                ["trace_id"] = traceId,
                ["correlation_id"] = correlationId,
                ["error_uri"] = ErrorUri,
            };
            if (SubError != null) body["suberror"] = SubError;
            return body;
        }

        /// <summary>error_description: "AADSTSnnnn: text Trace ID: … Correlation ID: … Timestamp: yyyy-MM-dd HH:mm:ssZ".</summary>
        public string Description(DateTimeOffset now, string traceId, string correlationId) =>
            $"AADSTS{Code}: {Message} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {Timestamp(now)}";

        public string ErrorUri => "https://login.microsoftonline.com/error?code=" + Code.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// The parameters of an error sent to the redirect URI (v2-oauth2-auth-code-flow "Error response": error,
        /// error_description; Entra adds error_uri, and error_subcode "cancel" when the user declines).
        /// </summary>
        public IEnumerable<KeyValuePair<string, string>> RedirectParameters(DateTimeOffset now, string traceId, string correlationId)
        {
            yield return new KeyValuePair<string, string>("error", Error);
            if (SubError != null) yield return new KeyValuePair<string, string>("error_subcode", SubError);
            yield return new KeyValuePair<string, string>("error_description", Description(now, traceId, correlationId));
            yield return new KeyValuePair<string, string>("error_uri", ErrorUri);
        }

        private static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

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

        // ----- Authorization endpoint and user sign-in (v2-oauth2-auth-code-flow, v2-protocols-oidc) -----

        /// <summary>On the page, never in a redirect: the redirect URI itself is not trusted (texts as Entra shows them, e.g. OfficeDev/microsoft-teams-apps-company-communicator#1035).</summary>
        public static AadstsException RedirectUriMismatch(string redirectUri, string appId) =>
            new AadstsException(400, "invalid_request", 50011, $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");

        public static AadstsException NoReplyAddress(string appId) =>
            new AadstsException(400, "invalid_request", 500113, $"No reply address is registered for the application '{appId}'.");

        /// <summary>web.implicitGrantSettings.enableIdTokenIssuance is off (syncweek-react-aad/react-aad#158).</summary>
        public static AadstsException IdTokenNotEnabled() =>
            new AadstsException(400, "unsupported_response_type", 700054, "response_type 'id_token' is not enabled for the application.");

        /// <summary>
        /// web.implicitGrantSettings.enableAccessTokenIssuance is off; in the redirect as
        /// "#error=unsupported_response_type&amp;error_description=AADSTS700051…&amp;error_uri=…" (FalconForce, reply-url-brute write-up).
        /// </summary>
        public static AadstsException AccessTokenNotEnabled() =>
            new AadstsException(400, "unsupported_response_type", 700051, "response_type 'token' is not enabled for the application.");

        /// <summary>A response_type the application cannot use (OfficeDev/O365-jQuery-CORS#2: "AADSTS70005: response_type 'token' is not supported for the application").</summary>
        public static AadstsException UnsupportedResponseType(string responseType) =>
            new AadstsException(400, "unsupported_response_type", 70005, $"response_type '{responseType}' is not supported for the application.");

        public static AadstsException InvalidCodeChallengeMethod() =>
            new AadstsException(400, "invalid_request", 50149, "Invalid Code_Challenge_method parameter.");

        /// <summary>A SPA redirect needs PKCE (v2-oauth2-auth-code-flow: "code_challenge ... Required for single page apps using the authorization code flow").</summary>
        public static AadstsException PkceRequiredForSpa() =>
            new AadstsException(400, "invalid_request", 9002325, "Proof Key for Code Exchange is required for cross-origin authorization code redemption.");

        /// <summary>prompt=none without a signed-in user (AzureAD/microsoft-authentication-library-for-js#1560, microsoft/service-fabric-explorer#148).</summary>
        public static AadstsException LoginRequired() =>
            new AadstsException(400, "login_required", 50058, "A silent sign-in request was sent but no user is signed in.");

        /// <summary>prompt=none and consent missing: OpenID Connect's consent_required, with Entra's AADSTS65001 text.</summary>
        public static AadstsException InteractiveConsentRequired(string appId, string displayName) =>
            new AadstsException(400, "consent_required", 65001, $"The user or administrator has not consented to use the application with ID '{appId}' named '{displayName}'. Send an interactive authorization request for this user and resource.");

        /// <summary>
        /// A user who may not consent to an admin-only permission (oauth2PermissionScope type "Admin") asked for one: Entra's
        /// "Need admin approval", returned to the client as access_denied (AADSTS90094, as Microsoft's Power BI troubleshooting
        /// page titles it: "The grant requires admin permission").
        /// </summary>
        public static AadstsException AdminApprovalRequired() =>
            new AadstsException(400, "access_denied", 90094, "The grant requires admin permission.");

        /// <summary>prompt=admin_consent by a user without an administrator role (AADSTS90093, OfficeDev/O365-Windows-Start#23).</summary>
        public static AadstsException CannotConsentForOrganization() =>
            new AadstsException(400, "access_denied", 90093, "Calling principal cannot consent due to lack of permissions.");

        public static AadstsException ConsentDeclined() =>
            new AadstsException(400, "access_denied", 65004, "User declined to consent to access the app.", "cancel");

        /// <summary>The sign-in name is no user of the tenant; Entra hides the name it was given.</summary>
        public static AadstsException UnknownUser(string tenantId) =>
            new AadstsException(400, "invalid_grant", 50034, $"The user account {{EmailHidden}} does not exist in the {tenantId} directory. To sign into this application, the account must be added to the directory.");

        /// <summary>
        /// A user of another tenant signs in at this tenant's own endpoint: AADSTS50020, shown on Entra's error page ("Sorry,
        /// but we're having trouble signing you in."), in the words seed 002 and users' reports quote (nextauthjs/next-auth
        /// discussion 7448, MicrosoftDocs/azure-docs#57031). The identity provider of a work account is its tenant's issuer.
        /// </summary>
        public const int ExternalUserCode = 50020;

        public const int UserNotAssignedCode = 50105;

        /// <summary>Whether the sign-in pages show it on Entra's error page instead of sending it to the app (the user's, not the app's, to act on).</summary>
        public bool ShownOnPage => Code == ExternalUserCode || Code == UserNotAssignedCode;

        /// <summary>
        /// The client's service principal requires assignment (appRoleAssignmentRequired) and the user has none: AADSTS50105, in
        /// the words users report (learn.microsoft.com/troubleshoot/entra/entra-id/app-integration/error-code-aadsts50105-user-not-assigned-role;
        /// docs.nais.io's Azure AD troubleshooting page quotes the same text at the token endpoint, as invalid_grant).
        /// </summary>
        public static AadstsException UserNotAssigned(string appId, string appName) =>
            new AadstsException(400, "invalid_grant", UserNotAssignedCode,
                $"Your administrator has configured the application {appName} ('{appId}') to block users unless they are specifically granted ('assigned') access to the application. " +
                "The signed in user '{EmailHidden}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. " +
                "Please contact your administrator to assign access to this application.");

        public static AadstsException ExternalUser(string userPrincipalName, string homeTenantId, string tenantDisplayName, string appId, string appName) =>
            new AadstsException(400, "invalid_request", ExternalUserCode,
                $"User account '{userPrincipalName}' from identity provider 'https://sts.windows.net/{homeTenantId}/' does not exist in tenant '{tenantDisplayName}' " +
                $"and cannot access the application '{appId}'({appName}) in that tenant. The account needs to be added as an external user in the tenant first. " +
                "Sign out and sign in again with a different Azure Active Directory user account.");

        /// <summary>A disabled account's sign-in (reference-error-codes: UserDisabled, "The user account is disabled.").</summary>
        public static AadstsException DisabledUser() =>
            new AadstsException(400, "invalid_grant", 50057, "The user account is disabled.");

        public static AadstsException InvalidPassword() =>
            new AadstsException(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.");

        /// <summary>A sign-in or consent page answered after its request expired (reference-error-codes: "Authentication failed due to flow token expired").</summary>
        public static AadstsException FlowTokenExpired() =>
            new AadstsException(400, "invalid_request", 50089, "Authentication failed due to flow token expired.");

        // ----- Authorization code redemption -----

        public static AadstsException CodeRedeemed() =>
            new AadstsException(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");

        public static AadstsException CodeExpired() =>
            new AadstsException(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");

        public static AadstsException CodeRedirectMismatch(string sent, string original) =>
            new AadstsException(400, "invalid_grant", 500112, $"The reply address '{sent}' does not match the reply address '{original}' provided when requesting Authorization code.");

        /// <summary>AzureAD/microsoft-authentication-library-for-js#2694; Entra's error code reference.</summary>
        public static AadstsException CodeVerifierMismatch() =>
            new AadstsException(400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");

        /// <summary>A code issued to a SPA redirect redeemed without an Origin header (AzureAD/microsoft-authentication-library-for-js#2482).</summary>
        public static AadstsException SpaNeedsCrossOrigin() =>
            new AadstsException(400, "invalid_request", 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");

        /// <summary>A cross-origin redemption of a code not issued to a SPA redirect (vippsas/vipps-ecom-api#246).</summary>
        public static AadstsException CrossOriginNotSpa() =>
            new AadstsException(400, "invalid_request", 9002326, "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.");

        // ----- On-behalf-of (v2-oauth2-on-behalf-of-flow) -----

        /// <summary>The assertion is not a token of this tenant (AzureAD/microsoft-authentication-library-for-dotnet#1317).</summary>
        public static AadstsException AssertionSignatureInvalid() =>
            new AadstsException(400, "invalid_grant", 50013, "Assertion failed signature validation.");

        /// <summary>The assertion's aud is not the client making the request (AzureAD/microsoft-authentication-library-for-java#38, microsoft/AzureTRE-Deployment#65).</summary>
        public static AadstsException AssertionAudienceMismatch(string audience, string appId, string displayName) =>
            new AadstsException(400, "invalid_grant", 500131, $"Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '{audience}' and the expected audience is '{appId}' or one of the Application Uris of this application with App ID '{appId}'({displayName}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.");

        public static AadstsException AssertionExpired(DateTimeOffset now, DateTimeOffset? expires) =>
            new AadstsException(400, "invalid_grant", 500133, $"Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: {Iso(now)}, expiry time of assertion {(expires.HasValue ? Iso(expires.Value) : "(none)")}.");

        private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }
}
