using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using static EntraAppKit.Tests.LocalTenantTests.GraphAssert;
using static EntraAppKit.Tests.LocalTenantTests.SignInPages;

namespace EntraAppKit.Tests.LocalTenantTests
{
    /// <summary>
    /// Issue 12, section 2: the authorization endpoint, driven with plain HTTP as a vendor's server and a script drive Entra's
    /// (learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow, v2-protocols-oidc): GET /{tenant}/oauth2/v2.0/authorize,
    /// the sign-in form (login, passwd), the consent form (acceptConsent), the 302 to the redirect URI (read, never followed),
    /// and the code redeemed at the token endpoint. Error texts are Entra's, from the pages cited at each test.
    /// </summary>
    public abstract class AuthorizeTests : DoorTests
    {
        protected AuthorizeTests(FrontDoor door) : base(door) { }

        public sealed class InProcess : AuthorizeTests, IClassFixture<InProcessDoor> { public InProcess(InProcessDoor door) : base(door) { } }

        public sealed class Server : AuthorizeTests, IClassFixture<ServerDoor> { public Server(ServerDoor door) : base(door) { } }

        /// <summary>The redirect URI Rewst's Microsoft Cloud integration registers (its "Owned App Registration" guide, seed 000).</summary>
        private const string RewstCallback = "https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback";

        /// <summary>Microsoft Graph's User.Read delegated permission (learn.microsoft.com/graph/permissions-reference).</summary>
        private const string UserReadId = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

        private string Origin => new Uri(Root).GetLeftPart(UriPartial.Authority);

        private string Admin => "admin@" + Tenant.InitialDomain;

        private string AuthorizeUrl(IEnumerable<(string, string)> parameters, string? tenant = null, string version = "v2.0/") =>
            $"{Origin}/{tenant ?? Tenant.TenantId}/oauth2/{version}authorize?" + string.Join("&", parameters.Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2)));

        private string TokenUrl(string version = "v2.0/") => $"{Origin}/{Tenant.TenantId}/oauth2/{version}token";

        /// <summary>A confidential web app like Rewst's: its redirect URI, ID tokens on or off, Graph's User.Read, a secret.</summary>
        private async Task<(string AppId, string Id, string Secret)> WebAppAsync(string redirectUri = RewstCallback, bool idTokens = true, JsonObject? extra = null)
        {
            var body = extra ?? new JsonObject();
            body["web"] = new JsonObject
            {
                ["redirectUris"] = new JsonArray(redirectUri),
                ["implicitGrantSettings"] = new JsonObject { ["enableIdTokenIssuance"] = idTokens, ["enableAccessTokenIssuance"] = false },
            };
            body["requiredResourceAccess"] = new JsonArray(new JsonObject
            {
                ["resourceAppId"] = FrontDoor.MicrosoftGraphAppId,
                ["resourceAccess"] = new JsonArray(new JsonObject { ["id"] = UserReadId, ["type"] = "Scope" }),
            });
            var app = await CreateAppAsync(body);
            string id = (string)app["id"]!;
            var secret = Ok(await Door.PostAsync($"/applications/{id}/addPassword", new JsonObject { ["passwordCredential"] = new JsonObject { ["displayName"] = "vendor" } }));
            return ((string)app["appId"]!, id, (string)secret["secretText"]!);
        }

        private static (string, string)[] CodeRequest(string appId, string redirectUri, string state = "st-1", params (string, string)[] more) =>
            new[] { ("client_id", appId), ("response_type", "code"), ("redirect_uri", redirectUri), ("scope", "openid profile offline_access User.Read"), ("state", state) }
                .Concat(more).ToArray();

        /// <summary>GET authorize, then the sign-in form with the administrator's password: the consent page, or the redirect.</summary>
        private async Task<GraphCall> SignInAsync(string url, string? password = null, string? login = null, params (string, string?)[] headers)
        {
            var page = await Door.SendAsync("GET", url, null, headers);
            Assert.True(page.Status == 200, page.ToString());
            Assert.StartsWith("text/html", page.Header("Content-Type"));
            return await Door.PostFormAsync(FormAction(page.Text), new Dictionary<string, string>
            {
                ["ctx"] = Field(page.Text, "ctx"),
                ["login"] = login ?? Admin,
                ["passwd"] = password ?? FrontDoor.AdministratorPassword,
            });
        }

        private async Task<GraphCall> AcceptAsync(GraphCall consentPage, bool accept = true)
        {
            Assert.True(consentPage.Status == 200, consentPage.ToString());
            Assert.Contains("name=\"acceptConsent\"", consentPage.Text);
            return await Door.PostFormAsync(FormAction(consentPage.Text), new Dictionary<string, string>
            {
                ["ctx"] = Field(consentPage.Text, "ctx"),
                ["acceptConsent"] = accept ? "true" : "false",
            });
        }

        /// <summary>Sign-in and consent through to the code at the redirect URI.</summary>
        private async Task<(string Code, GraphCall Redirect)> CodeAsync(string url, string redirectUri)
        {
            var answer = await SignInAsync(url);
            if (answer.Status == 200) answer = await AcceptAsync(answer);
            var returned = Returned(answer, redirectUri, '?');
            return (returned["code"], answer);
        }

        private Task<GraphCall> RedeemAsync(string appId, string code, string redirectUri, string? secret, string? verifier = null, string? origin = null, string version = "v2.0/",
            string? resource = null)
        {
            var fields = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["client_id"] = appId, ["code"] = code, ["redirect_uri"] = redirectUri };
            if (secret != null) fields["client_secret"] = secret;
            if (verifier != null) fields["code_verifier"] = verifier;
            if (resource != null) fields["resource"] = resource;
            return Door.PostFormAsync(TokenUrl(version), fields, origin == null ? Array.Empty<(string, string?)>() : new[] { ("Origin", (string?)origin) });
        }

        /// <summary>A token endpoint's 200 (Entra's x-ms-request-id, not Graph's request-id), its JSON.</summary>
        private static JsonObject Tokens(GraphCall call)
        {
            Assert.True(call.Status == 200, call.ToString());
            Assert.NotNull(call.Header("x-ms-request-id"));
            return call.Json;
        }

        private static void TokenError(GraphCall call, int status, string error, int code, string text)
        {
            Assert.True(call.Status == status, call.ToString());
            var json = call.Json;
            Assert.Equal(error, (string?)json["error"]);
            Assert.StartsWith($"AADSTS{code}: {text} Trace ID: ", (string?)json["error_description"]);
            Assert.Equal(code, (int)json["error_codes"]![0]!);
        }

        /// <summary>An error in the redirect: error, error_description "AADSTSnnnn: text Trace ID… Correlation ID… Timestamp…", error_uri, state.</summary>
        private static void RedirectError(Dictionary<string, string> returned, string error, int code, string text, string? state)
        {
            Assert.Equal(error, returned["error"]);
            Assert.Matches($"^AADSTS{code}: {Regex.Escape(text)} Trace ID: [0-9a-f-]{{36}} Correlation ID: [0-9a-f-]{{36}} Timestamp: \\d{{4}}-\\d{{2}}-\\d{{2}} \\d{{2}}:\\d{{2}}:\\d{{2}}Z$", returned["error_description"]);
            Assert.Equal($"https://login.microsoftonline.com/error?code={code}", returned["error_uri"]);
            if (state != null) Assert.Equal(state, returned["state"]);
            Assert.False(returned.ContainsKey("code"));
        }

        private static void PageError(GraphCall call, int code, string text)
        {
            Assert.True(call.Status == 400, call.ToString());
            Assert.Null(call.Header("Location"));
            Assert.StartsWith("text/html", call.Header("Content-Type"));
            Assert.Contains($"AADSTS{code}: {text} Trace ID: {call.Header("x-ms-request-id")}", PageText(call));
        }

        // AADSTS50011's text as Entra shows it on the page: OfficeDev/microsoft-teams-apps-company-communicator#1035,
        // unoplatform/uno.todo#180. AADSTS700054's: syncweek-react-aad/react-aad#158 (in the redirect as unsupported_response_type,
        // like AADSTS700051 in FalconForce's reply-url-brute write-up).
        [Fact]
        public async Task Rewst_vendor_flow_code_with_secret_then_a_changed_redirect_and_ID_tokens_off()
        {
            var (appId, id, secret) = await WebAppAsync();
            var consent = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "rewst-state")));
            Assert.Contains("ESTSAUTH=", consent.Header("Set-Cookie"));
            Assert.Contains("<li>User.Read</li>", consent.Text);
            var returned = Returned(await AcceptAsync(consent), RewstCallback, '?');
            Assert.Equal("rewst-state", returned["state"]);
            string code = returned["code"];

            var tokens = Tokens(await RedeemAsync(appId, code, RewstCallback, secret));
            string access = (string)tokens["access_token"]!;
            Assert.Equal("https://graph.microsoft.com", (string?)IdentityKit.Claims(access)["aud"]);
            Assert.Contains("User.Read", IdentityKit.Scopes(access));
            // access-token-claims-reference, appidacr: "1" when the client authenticated with a client secret.
            Assert.Equal("1", (string?)IdentityKit.Claims(access)["appidacr"]);
            Assert.Equal("User.Read openid profile", (string?)tokens["scope"]);
            Assert.NotNull(tokens["refresh_token"]);
            var idToken = IdentityKit.Claims((string)tokens["id_token"]!);
            Assert.Equal(appId, (string?)idToken["aud"]);
            Assert.Equal($"{Origin}/{Tenant.TenantId}/v2.0", (string?)idToken["iss"]);
            Assert.Equal(Admin, (string?)idToken["preferred_username"]);
            Assert.Equal(Tenant.TenantId, (string?)idToken["tid"]);

            // The vendor keeps its user signed in with the refresh token and its secret.
            Tokens(await Door.PostFormAsync(TokenUrl(), new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["client_id"] = appId, ["client_secret"] = secret, ["refresh_token"] = (string)tokens["refresh_token"]!, ["scope"] = "User.Read",
            }));

            string altered = RewstCallback + "/evil";
            PageError(await Door.GetAsync(AuthorizeUrl(CodeRequest(appId, altered))), 50011,
                $"The redirect URI '{altered}' specified in the request does not match the redirect URIs configured for the application '{appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");

            NoContent(await Door.PatchAsync($"/applications/{id}", new JsonObject { ["web"] = new JsonObject { ["implicitGrantSettings"] = new JsonObject { ["enableIdTokenIssuance"] = false } } }));
            var hybrid = CodeRequest(appId, RewstCallback, "st-2", ("nonce", "n-1")).Select(p => p.Item1 == "response_type" ? ("response_type", "code id_token") : p);
            RedirectError(Returned(await Door.GetAsync(AuthorizeUrl(hybrid)), RewstCallback, '#'), "unsupported_response_type", 700054,
                "response_type 'id_token' is not enabled for the application.", "st-2");
        }

        // AADSTS54005 (AzureAD/microsoft-identity-web#2612); AADSTS7000218, the token endpoint's own text; AADSTS500112.
        [Fact]
        public async Task A_code_is_redeemed_once_with_the_secret_and_the_same_redirect_uri()
        {
            var (appId, _, secret) = await WebAppAsync();
            var (code, _) = await CodeAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback)), RewstCallback);
            TokenError(await RedeemAsync(appId, code, RewstCallback, null), 401, "invalid_client", 7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
            TokenError(await RedeemAsync(appId, code, RewstCallback + "/other", secret), 400, "invalid_grant", 500112,
                $"The reply address '{RewstCallback}/other' does not match the reply address '{RewstCallback}' provided when requesting Authorization code.");
            Tokens(await RedeemAsync(appId, code, RewstCallback, secret));
            TokenError(await RedeemAsync(appId, code, RewstCallback, secret), 400, "invalid_grant", 54005,
                "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
        }

        // v2-oauth2-auth-code-flow: "Authorization codes are short lived. Typically, they expire after about 10 minutes."
        [Fact]
        public async Task A_code_expires_after_ten_minutes()
        {
            var (appId, _, secret) = await WebAppAsync();
            var (code, _) = await CodeAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback)), RewstCallback);
            Door.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
            TokenError(await RedeemAsync(appId, code, RewstCallback, secret), 400, "invalid_grant", 70008,
                "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
        }

        // AADSTS50126 and AADSTS50034 as Entra's sign-in reports them (reference-error-codes); shown on the page, which asks again.
        [Fact]
        public async Task A_wrong_password_or_an_unknown_user_is_shown_on_the_sign_in_page()
        {
            var (appId, _, _) = await WebAppAsync();
            string url = AuthorizeUrl(CodeRequest(appId, RewstCallback));
            var wrong = await SignInAsync(url, password: "not-it");
            Assert.Equal(200, wrong.Status);
            Assert.Contains("AADSTS50126: Error validating credentials due to invalid username or password.", PageText(wrong));
            Assert.Contains("name=\"passwd\"", wrong.Text);
            var unknown = await SignInAsync(url, login: "nobody@" + Tenant.InitialDomain);
            Assert.Contains($"AADSTS50034: The user account {{EmailHidden}} does not exist in the {Tenant.TenantId} directory. To sign into this application, the account must be added to the directory.", PageText(unknown));

            // The same page, answered correctly, goes on.
            var retry = await Door.PostFormAsync(FormAction(wrong.Text), new Dictionary<string, string> { ["ctx"] = Field(wrong.Text, "ctx"), ["login"] = Admin, ["passwd"] = FrontDoor.AdministratorPassword });
            Assert.Contains("name=\"acceptConsent\"", retry.Text);
        }

        [Fact]
        public async Task A_user_of_the_tenant_signs_in_with_their_password_and_the_tokens_are_theirs()
        {
            // The sign-in page checks the tenant's users (user-post-users' passwordProfile), not only the administrator.
            string alias = Unique("megan");
            var user = Ok(await Door.PostAsync("/users", UsersTests.NewUser(alias)), 201);
            string upn = (string)user["userPrincipalName"]!, userId = (string)user["id"]!;
            var (appId, _, secret) = await WebAppAsync();
            var answer = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback)), password: "Str0ng-Passw0rd", login: upn);
            if (answer.Status == 200) answer = await AcceptAsync(answer);
            string code = Returned(answer, RewstCallback, '?')["code"];
            var tokens = Tokens(await Door.PostFormAsync(TokenUrl(), new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["client_id"] = appId, ["code"] = code, ["redirect_uri"] = RewstCallback, ["client_secret"] = secret, ["client_info"] = "1",
            }));
            var access = IdentityKit.Claims((string)tokens["access_token"]!);
            Assert.Equal(userId, (string?)access["oid"]);
            // MSAL keys its account cache on client_info's uid: the user's, not the administrator's.
            string info = (string)tokens["client_info"]!;
            var clientInfo = IdentityKit.Base64UrlJson(info);
            Assert.Equal(userId, (string?)clientInfo["uid"]);
            Assert.Equal(upn, (string?)access["upn"]);
            Assert.Equal("User " + alias, (string?)access["name"]);
            // wids: the user's directory roles, here none but the member-user role (access-token-claims-reference).
            Assert.Equal(new[] { "b79fbf4d-3ef9-4689-8143-76b194e85509" }, Strings(access["wids"]));
            var idToken = IdentityKit.Claims((string)tokens["id_token"]!);
            Assert.Equal(upn, (string?)idToken["preferred_username"]);
            Assert.Equal(userId, (string?)idToken["oid"]);

            // The refresh token stays the same user's.
            var refreshed = Tokens(await Door.PostFormAsync(TokenUrl(), new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["client_id"] = appId, ["client_secret"] = secret, ["refresh_token"] = (string)tokens["refresh_token"]!, ["scope"] = "User.Read",
            }));
            Assert.Equal(userId, (string?)IdentityKit.Claims((string)refreshed["access_token"]!)["oid"]);

            // The consent was the user's own: a Principal grant for that user, not the administrator's (oauth2permissiongrant).
            var grants = Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=principalId eq '{userId}'")));
            var grant = Assert.Single(grants);
            Assert.Equal("Principal", (string?)grant["consentType"]);
            Assert.Contains("User.Read", ((string)grant["scope"]!).Split(' '));

            // A permission only an administrator may consent to (permissionScope type "Admin") is Entra's "Need admin approval",
            // AADSTS90094, for a user without an administrator role; asking to consent for the organization is AADSTS90093.
            var adminScope = CodeRequest(appId, RewstCallback, "st-admin").Select(p => p.Item1 == "scope" ? ("scope", "openid Application.ReadWrite.All") : p);
            var refused = await SignInAsync(AuthorizeUrl(adminScope), password: "Str0ng-Passw0rd", login: upn);
            // Not the consent form but Entra's "Need admin approval" page (configure-admin-consent-workflow), whose one way on is back to the app.
            Assert.Contains("Need admin approval", PageText(refused));
            Assert.Contains("<li>Application.ReadWrite.All</li>", refused.Text);
            Assert.DoesNotContain("value=\"true\"", refused.Text);
            RedirectError(Returned(await AcceptAsync(refused), RewstCallback, '?'), "access_denied", 90094, "The grant requires admin permission.", "st-admin");
            var forOrganization = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "st-org", ("prompt", "admin_consent"))), password: "Str0ng-Passw0rd", login: upn);
            RedirectError(Returned(await AcceptAsync(forOrganization), RewstCallback, '?'), "access_denied", 90093, "Calling principal cannot consent due to lack of permissions.", "st-org");
            Assert.Single(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=principalId eq '{userId}'"))));

            // A disabled account cannot sign in (reference-error-codes: AADSTS50057 UserDisabled).
            NoContent(await Door.PatchAsync("/users/" + userId, new JsonObject { ["accountEnabled"] = false }));
            var disabled = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback)), password: "Str0ng-Passw0rd", login: upn);
            Assert.Contains("AADSTS50057: The user account is disabled.", PageText(disabled));
            // Nor refresh what it was given before: the refresh token dies with the account's sign-in.
            TokenError(await Door.PostFormAsync(TokenUrl(), new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token", ["client_id"] = appId, ["client_secret"] = secret, ["refresh_token"] = (string)tokens["refresh_token"]!, ["scope"] = "User.Read",
            }), 400, "invalid_grant", 50057, "The user account is disabled.");
        }

        // serviceprincipal, appRoleAssignmentRequired: "users or other service principals need to be granted an app role assignment
        // for this service principal before users can sign in"; AADSTS50105 on the page (error-code-aadsts50105-user-not-assigned-role).
        // approleassignment: a user's assignment is to a role whose allowedMemberTypes include User; access-token-claims-reference,
        // roles: the API's roles "the requesting application or user has been given permission to call".
        [Fact]
        public async Task An_app_that_requires_assignment_admits_assigned_users_only_and_their_roles_reach_its_token()
        {
            string roleId = Guid.NewGuid().ToString(), scopeId = Guid.NewGuid().ToString();
            var (appId, id, secret) = await WebAppAsync(extra: new JsonObject
            {
                ["appRoles"] = new JsonArray(new JsonObject
                {
                    ["id"] = roleId, ["allowedMemberTypes"] = new JsonArray("User"), ["value"] = "Survey.Admin", ["displayName"] = "Survey admins",
                    ["description"] = "Administer surveys", ["isEnabled"] = true,
                }),
                ["api"] = new JsonObject
                {
                    ["oauth2PermissionScopes"] = new JsonArray(new JsonObject
                    {
                        ["id"] = scopeId, ["value"] = "access_as_user", ["type"] = "User", ["isEnabled"] = true,
                        ["adminConsentDisplayName"] = "Access", ["adminConsentDescription"] = "Access the API", ["userConsentDisplayName"] = "Access", ["userConsentDescription"] = "Access the API",
                    }),
                },
            });
            NoContent(await Door.PatchAsync("/applications/" + id, new JsonObject { ["identifierUris"] = new JsonArray($"api://{appId}") }));
            var sp = Ok(await Door.PostAsync("/servicePrincipals", new JsonObject { ["appId"] = appId, ["appRoleAssignmentRequired"] = true }), 201);
            var user = Ok(await Door.PostAsync("/users", UsersTests.NewUser(Unique("sam"))), 201);
            string upn = (string)user["userPrincipalName"]!, userId = (string)user["id"]!;
            var request = CodeRequest(appId, RewstCallback, "st-api").Select(p => p.Item1 == "scope" ? ("scope", $"openid offline_access api://{appId}/access_as_user") : p).ToArray();

            var blocked = await SignInAsync(AuthorizeUrl(request), password: "Str0ng-Passw0rd", login: upn);
            PageError(blocked, 50105, $"Your administrator has configured the application {sp["displayName"]} ('{appId}') to block users unless they are specifically granted ('assigned') access to the application. " +
                "The signed in user '{EmailHidden}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. " +
                "Please contact your administrator to assign access to this application.");

            // The default access role is for an app that declares none; this one declares Survey.Admin.
            Error(await Door.PostAsync($"/servicePrincipals/{sp["id"]}/appRoleAssignedTo",
                new JsonObject { ["principalId"] = userId, ["resourceId"] = sp["id"]!.DeepClone(), ["appRoleId"] = Guid.Empty.ToString() }), 400, "Request_BadRequest");
            var assignment = Ok(await Door.PostAsync($"/servicePrincipals/{sp["id"]}/appRoleAssignedTo",
                new JsonObject { ["principalId"] = userId, ["resourceId"] = sp["id"]!.DeepClone(), ["appRoleId"] = roleId }), 201);
            Assert.Equal("User", (string?)assignment["principalType"]);
            Assert.Equal((string?)user["displayName"], (string?)assignment["principalDisplayName"]);

            var answer = await SignInAsync(AuthorizeUrl(request), password: "Str0ng-Passw0rd", login: upn);
            if (answer.Status == 200) answer = await AcceptAsync(answer);
            var tokens = Tokens(await RedeemAsync(appId, Returned(answer, RewstCallback, '?')["code"], RewstCallback, secret));
            var access = IdentityKit.Claims((string)tokens["access_token"]!);
            Assert.Equal($"api://{appId}", (string?)access["aud"]);
            Assert.Equal("access_as_user", (string?)access["scp"]);
            Assert.Equal(new[] { "Survey.Admin" }, Strings(access["roles"]));

            // Deleting the user takes the assignment with it (and the sign-in's grant), as Graph does for a deleted principal.
            NoContent(await Door.DeleteAsync("/users/" + userId));
            Assert.Empty(Items(Ok(await Door.GetAsync($"/servicePrincipals/{sp["id"]}/appRoleAssignedTo"))));
        }

        // prompt=none: AADSTS50058 (AzureAD/microsoft-authentication-library-for-js#1560) and consent_required with AADSTS65001.
        [Fact]
        public async Task Prompt_none_needs_a_session_and_consent()
        {
            var (appId, _, _) = await WebAppAsync();
            var silent = CodeRequest(appId, RewstCallback, "silent", ("prompt", "none"));
            RedirectError(Returned(await Door.GetAsync(AuthorizeUrl(silent)), RewstCallback, '?'), "login_required", 50058,
                "A silent sign-in request was sent but no user is signed in.", "silent");

            // Sign in and cancel the consent: the session stays, the consent does not exist.
            var consentPage = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "c")));
            string cookie = consentPage.Header("Set-Cookie")!.Split(';')[0];
            RedirectError(Returned(await AcceptAsync(consentPage, accept: false), RewstCallback, '?'), "access_denied", 65004, "User declined to consent to access the app.", "c");
            var withSession = await Door.SendAsync("GET", AuthorizeUrl(silent), null, ("Cookie", cookie));
            var app = Ok(await Door.GetAsync($"/applications?$filter=appId eq '{appId}'"));
            RedirectError(Returned(withSession, RewstCallback, '?'), "consent_required", 65001,
                $"The user or administrator has not consented to use the application with ID '{appId}' named '{(string)Items(app)[0]["displayName"]!}'. Send an interactive authorization request for this user and resource.", "silent");

            // With the session, the interactive request skips the sign-in page; after consent, prompt=none answers a code.
            var consentAgain = await Door.SendAsync("GET", AuthorizeUrl(CodeRequest(appId, RewstCallback)), null, ("Cookie", cookie));
            Returned(await AcceptAsync(consentAgain), RewstCallback, '?');
            var code = Returned(await Door.SendAsync("GET", AuthorizeUrl(silent), null, ("Cookie", cookie)), RewstCallback, '?');
            Assert.Equal("silent", code["state"]);
            Assert.NotEmpty(code["code"]);
        }

        // AADSTS700016's text: the token endpoint's (AadstsException.UnknownClient), shown on the page.
        [Fact]
        public async Task An_unknown_client_is_shown_on_the_page()
        {
            string appId = Guid.NewGuid().ToString();
            PageError(await Door.GetAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback))), 700016,
                $"Application with identifier '{appId}' was not found in the directory '{Tenant.DisplayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
        }

        // SPA: PKCE required, the code redeemed cross-origin (AADSTS9002327, AzureAD/microsoft-authentication-library-for-js#2482),
        // a wrong verifier refused (AADSTS501481, #2694); a web redirect's code is not redeemed cross-origin (AADSTS9002326, vippsas/vipps-ecom-api#246).
        [Fact]
        public async Task A_spa_redeems_cross_origin_with_its_pkce_verifier()
        {
            const string spa = "https://app.contoso.test/spa";
            var app = await CreateAppAsync(new JsonObject { ["spa"] = new JsonObject { ["redirectUris"] = new JsonArray(spa) } });
            string appId = (string)app["appId"]!;
            RedirectError(Returned(await Door.GetAsync(AuthorizeUrl(CodeRequest(appId, spa, "p"))), spa, '?'), "invalid_request", 9002325,
                "Proof Key for Code Exchange is required for cross-origin authorization code redemption.", "p");

            string verifier = "verifier-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
            string challenge;
            using (var sha = SHA256.Create()) challenge = Convert.ToBase64String(sha.ComputeHash(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var (code, _) = await CodeAsync(AuthorizeUrl(CodeRequest(appId, spa, "s", ("code_challenge", challenge), ("code_challenge_method", "S256"))), spa);
            TokenError(await RedeemAsync(appId, code, spa, null, verifier), 400, "invalid_request", 9002327,
                "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
            TokenError(await RedeemAsync(appId, code, spa, null, verifier + "x", origin: "https://app.contoso.test"), 400, "invalid_grant", 501481,
                "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
            Tokens(await RedeemAsync(appId, code, spa, null, verifier, origin: "https://app.contoso.test"));

            var (webAppId, _, secret) = await WebAppAsync();
            var (webCode, _) = await CodeAsync(AuthorizeUrl(CodeRequest(webAppId, RewstCallback)), RewstCallback);
            TokenError(await RedeemAsync(webAppId, webCode, RewstCallback, secret, origin: "https://evil.test"), 400, "invalid_request", 9002326,
                "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.");
        }

        // reply-url "Localhost exceptions": the port of an http loopback redirect URI is ignored; a public client redeems without a secret.
        [Fact]
        public async Task A_public_clients_localhost_redirect_matches_on_any_port()
        {
            var app = await CreateAppAsync(new JsonObject { ["publicClient"] = new JsonObject { ["redirectUris"] = new JsonArray("http://localhost/cb") } });
            string appId = (string)app["appId"]!;
            const string requested = "http://localhost:53123/cb";
            var (code, _) = await CodeAsync(AuthorizeUrl(CodeRequest(appId, requested)), requested);
            Assert.NotNull(Tokens(await RedeemAsync(appId, code, requested, null))["access_token"]);
            // Another path is another URI.
            PageError(await Door.GetAsync(AuthorizeUrl(CodeRequest(appId, "http://localhost:53123/other"))), 50011,
                $"The redirect URI 'http://localhost:53123/other' specified in the request does not match the redirect URIs configured for the application '{appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");
        }

        // v2-protocols-oidc: response_type=id_token with response_mode=form_post; the ID token carries the nonce.
        [Fact]
        public async Task An_id_token_is_form_posted_with_its_nonce()
        {
            var (appId, _, _) = await WebAppAsync();
            var request = new[] { ("client_id", appId), ("response_type", "id_token"), ("redirect_uri", RewstCallback), ("scope", "openid profile User.Read"),
                ("response_mode", "form_post"), ("state", "<s>&\"x"), ("nonce", "nonce-42") };
            RedirectError(Returned(await Door.GetAsync(AuthorizeUrl(request.Where(p => p.Item1 != "nonce" && p.Item1 != "response_mode"))), RewstCallback, '#'), "invalid_request", 900144,
                "The request body must contain the following parameter: 'nonce'.", null);

            var consent = await SignInAsync(AuthorizeUrl(request));
            var post = await AcceptAsync(consent);
            Assert.Equal(200, post.Status);
            Assert.Equal(RewstCallback, FormAction(post.Text));
            Assert.DoesNotContain("<s>", post.Text);
            Assert.Equal("<s>&\"x", Field(post.Text, "state"));
            var claims = IdentityKit.Claims(Field(post.Text, "id_token"));
            Assert.Equal("nonce-42", (string?)claims["nonce"]);
            Assert.Equal(appId, (string?)claims["aud"]);
            Assert.Equal(Tenant.TenantId, (string?)claims["tid"]);
            Assert.NotNull(claims["oid"]);
            Assert.NotNull(claims["sub"]);
            Assert.Equal("Administrator", (string?)claims["name"]);
        }

        // Echoed values are HTML-encoded: the pages are no XSS hole.
        [Fact]
        public async Task Values_from_the_request_are_encoded_in_the_pages()
        {
            var (appId, _, _) = await WebAppAsync();
            var page = await Door.GetAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, more: ("login_hint", "\"><script>alert(1)</script>"))));
            Assert.Equal(200, page.Status);
            Assert.DoesNotContain("<script>", page.Text);
            Assert.Equal("\"><script>alert(1)</script>", Field(page.Text, "login"));
            var bad = await Door.GetAsync(AuthorizeUrl(CodeRequest(appId, "https://x.test/<script>")));
            Assert.DoesNotContain("<script>", bad.Text);
        }

        // The v1 endpoint: resource= instead of scope=, the code redeemed at /oauth2/token with v1's answer.
        [Fact]
        public async Task The_v1_endpoint_takes_a_resource()
        {
            var (appId, _, secret) = await WebAppAsync();
            var request = new[] { ("client_id", appId), ("response_type", "code"), ("redirect_uri", RewstCallback), ("resource", "https://graph.microsoft.com"), ("state", "v1") };
            var (code, _) = await CodeAsync(AuthorizeUrl(request, version: ""), RewstCallback);
            var tokens = Tokens(await RedeemAsync(appId, code, RewstCallback, secret, version: "", resource: "https://graph.microsoft.com"));
            Assert.Equal("https://graph.microsoft.com", (string?)tokens["resource"]);
            Assert.Contains("User.Read", IdentityKit.Scopes((string)tokens["access_token"]!));
            Assert.NotNull(tokens["refresh_token"]);
        }

        // A page answered after its request is gone (AADSTS50089, reference-error-codes).
        [Fact]
        public async Task A_sign_in_page_expires()
        {
            var (appId, _, _) = await WebAppAsync();
            var page = await Door.GetAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback)));
            Door.Clock.Advance(TimeSpan.FromMinutes(16));
            var late = await Door.PostFormAsync(FormAction(page.Text), new Dictionary<string, string> { ["ctx"] = Field(page.Text, "ctx"), ["login"] = Admin, ["passwd"] = FrontDoor.AdministratorPassword });
            PageError(late, 50089, "Authentication failed due to flow token expired.");
        }

        // v2-oauth2-on-behalf-of-flow: the middle tier exchanges the user's token for one to Graph. AADSTS65001 until the user
        // consented to the middle tier's Graph permission; AADSTS500131 (microsoft/AzureTRE-Deployment#65,
        // AzureAD/microsoft-authentication-library-for-java#38) for a token of another audience; AADSTS500133 once it expired.
        [Fact]
        public async Task A_middle_tier_api_gets_a_graph_token_on_behalf_of_its_user()
        {
            var (appId, id, secret) = await WebAppAsync();
            NoContent(await Door.PatchAsync($"/applications/{id}", new JsonObject
            {
                ["identifierUris"] = new JsonArray($"api://{appId}"),
                ["api"] = new JsonObject
                {
                    ["oauth2PermissionScopes"] = new JsonArray(new JsonObject
                    {
                        ["id"] = Guid.NewGuid().ToString(), ["value"] = "access_as_user", ["type"] = "User", ["isEnabled"] = true,
                        ["adminConsentDisplayName"] = "Access as the user", ["adminConsentDescription"] = "Access as the user",
                        ["userConsentDisplayName"] = "Access as the user", ["userConsentDescription"] = "Access as the user",
                    }),
                },
            }));
            await CreateSpAsync(appId);
            string name = (string)Ok(await Door.GetAsync($"/applications/{id}"))["displayName"]!;
            var request = new[] { ("client_id", appId), ("response_type", "code"), ("redirect_uri", RewstCallback), ("scope", $"api://{appId}/access_as_user"), ("state", "api") };
            var (code, _) = await CodeAsync(AuthorizeUrl(request), RewstCallback);
            string userToken = (string)Tokens(await RedeemAsync(appId, code, RewstCallback, secret))["access_token"]!;
            Assert.Equal($"api://{appId}", (string?)IdentityKit.Claims(userToken)["aud"]);

            Dictionary<string, string> Obo(string assertion) => new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["client_id"] = appId, ["client_secret"] = secret, ["assertion"] = assertion,
                ["scope"] = "https://graph.microsoft.com/User.Read", ["requested_token_use"] = "on_behalf_of",
            };
            TokenError(await Door.PostFormAsync(TokenUrl(), Obo(userToken)), 400, "invalid_grant", 65001,
                $"The user or administrator has not consented to use the application with ID '{appId}' named '{name}'. Send an interactive authorization request for this user and resource.");

            await CodeAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback)), RewstCallback); // the user consents to User.Read
            string graphToken = (string)Tokens(await Door.PostFormAsync(TokenUrl(), Obo(userToken)))["access_token"]!;
            var claims = IdentityKit.Claims(graphToken);
            Assert.Equal("https://graph.microsoft.com", (string?)claims["aud"]);
            Assert.Equal(appId, (string?)claims["appid"]);
            Assert.Contains("User.Read", IdentityKit.Scopes(graphToken));

            TokenError(await Door.PostFormAsync(TokenUrl(), Obo(graphToken)), 400, "invalid_grant", 500131,
                $"Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was 'https://graph.microsoft.com' and the expected audience is '{appId}' or one of the Application Uris of this application with App ID '{appId}'({name}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.");
            TokenError(await Door.PostFormAsync(TokenUrl(), Obo(userToken.Substring(0, userToken.Length - 4) + "AAAA")), 400, "invalid_grant", 50013, "Assertion failed signature validation.");

            Door.Clock.Advance(TimeSpan.FromHours(2));
            var expired = await Door.PostFormAsync(TokenUrl(), Obo(userToken));
            Assert.Equal(400, expired.Status);
            Assert.StartsWith("AADSTS500133: Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ",
                (string?)expired.Json["error_description"]);
        }

        // v2-oauth2-auth-code-flow "prompt": admin_consent "an administrator should be prompted to consent on behalf of all
        // users in their organization": an AllPrincipals grant.
        [Fact]
        public async Task Prompt_admin_consent_grants_for_the_whole_organization()
        {
            var (appId, _, _) = await WebAppAsync();
            var consent = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "adm", ("prompt", "admin_consent"))));
            Assert.Contains("on behalf of your organization", consent.Text);
            Assert.Equal("adm", Returned(await AcceptAsync(consent), RewstCallback, '?')["state"]);
            string spId = (string)Items(Ok(await Door.GetAsync($"/servicePrincipals?$filter=appId eq '{appId}'")))[0]["id"]!;
            var grant = Assert.Single(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=clientId eq '{spId}'"))));
            Assert.Equal("AllPrincipals", (string?)grant["consentType"]);
            Assert.Null((string?)grant["principalId"]);
            Assert.Equal("User.Read", (string?)grant["scope"]);
        }

        // The implicit grant: access tokens from the authorization endpoint only when enableAccessTokenIssuance is on
        // (AADSTS700051, as in FalconForce's reply-url-brute write-up: "#error=unsupported_response_type&error_description=AADSTS700051…").
        [Fact]
        public async Task An_access_token_in_the_fragment_needs_implicit_access_tokens_on()
        {
            var (appId, id, _) = await WebAppAsync();
            var request = new[] { ("client_id", appId), ("response_type", "token"), ("redirect_uri", RewstCallback), ("scope", "User.Read"), ("state", "imp") };
            RedirectError(Returned(await Door.GetAsync(AuthorizeUrl(request)), RewstCallback, '#'), "unsupported_response_type", 700051,
                "response_type 'token' is not enabled for the application.", "imp");
            NoContent(await Door.PatchAsync($"/applications/{id}", new JsonObject { ["web"] = new JsonObject { ["implicitGrantSettings"] = new JsonObject { ["enableAccessTokenIssuance"] = true } } }));
            var answer = await SignInAsync(AuthorizeUrl(request));
            var returned = Returned(await AcceptAsync(answer), RewstCallback, '#');
            Assert.Equal("Bearer", returned["token_type"]);
            Assert.Contains("User.Read", IdentityKit.Scopes(returned["access_token"]));
            Assert.Equal("imp", returned["state"]);
            Assert.False(returned.ContainsKey("code"));
        }

        // OpenID Connect's hybrid flow (response_type=code id_token, fragment by default): the ID token carries the nonce and
        // c_hash, "the base64url encoding of the left-most half of the hash of the octets of the ASCII representation of the code"
        // (OpenID Connect Core 1.0, section 3.3.2.11).
        [Fact]
        public async Task Code_and_id_token_come_together_in_the_fragment()
        {
            var (appId, _, secret) = await WebAppAsync();
            var request = CodeRequest(appId, RewstCallback, "hy", ("nonce", "n-7")).Select(p => p.Item1 == "response_type" ? ("response_type", "code id_token") : p);
            var returned = Returned(await AcceptAsync(await SignInAsync(AuthorizeUrl(request))), RewstCallback, '#');
            var claims = IdentityKit.Claims(returned["id_token"]);
            Assert.Equal("n-7", (string?)claims["nonce"]);
            byte[] hash;
            using (var sha = SHA256.Create()) hash = sha.ComputeHash(Encoding.ASCII.GetBytes(returned["code"]));
            Assert.Equal(Convert.ToBase64String(hash, 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_'), (string?)claims["c_hash"]);
            var tokens = Tokens(await RedeemAsync(appId, returned["code"], RewstCallback, secret));
            Assert.Equal("n-7", (string?)IdentityKit.Claims((string)tokens["id_token"]!)["nonce"]);
        }

        // Microsoft's own public clients (az) are registered in Microsoft's tenant: a loopback redirect on any port, no secret.
        [Fact]
        public async Task A_first_party_client_signs_in_to_a_loopback_listener()
        {
            const string az = "04b07795-8ddb-461a-bbee-02f9e1bf7b46", listener = "http://localhost:8400/";
            var (code, _) = await CodeAsync(AuthorizeUrl(CodeRequest(az, listener)), listener);
            var tokens = Tokens(await RedeemAsync(az, code, listener, null));
            Assert.Equal(az, (string?)IdentityKit.Claims((string)tokens["access_token"]!)["appid"]);
            Assert.Equal("0", (string?)IdentityKit.Claims((string)tokens["access_token"]!)["appidacr"]);
            PageError(await Door.GetAsync(AuthorizeUrl(CodeRequest(az, "https://evil.test/cb"))), 50011,
                $"The redirect URI 'https://evil.test/cb' specified in the request does not match the redirect URIs configured for the application '{az}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");
        }

        // The {tenant} segment: the tenant's id, a verified domain, organizations or common; the aliases only for multi-tenant
        // apps (AADSTS50194) and another tenant not at all (AADSTS90002), both on the page (the token endpoint's texts).
        [Fact]
        public async Task The_tenant_segment_is_an_id_a_domain_or_an_alias_for_multi_tenant_apps()
        {
            var (multi, _, _) = await WebAppAsync(extra: new JsonObject { ["signInAudience"] = "AzureADMultipleOrgs" });
            foreach (var segment in new[] { FrontDoor.CustomDomain, Tenant.InitialDomain, "organizations", "common" })
            {
                var page = await Door.GetAsync(AuthorizeUrl(CodeRequest(multi, RewstCallback), segment));
                Assert.True(page.Status == 200 && page.Text.Contains("name=\"passwd\""), $"{segment}: {page}");
            }
            var (single, id, _) = await WebAppAsync();
            string name = (string)Ok(await Door.GetAsync($"/applications/{id}"))["displayName"]!;
            PageError(await Door.GetAsync(AuthorizeUrl(CodeRequest(single, RewstCallback), "common")), 50194,
                $"Application '{single}'({name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.");
            PageError(await Door.GetAsync(AuthorizeUrl(CodeRequest(multi, RewstCallback), "nowhere.example")), 90002,
                "Tenant 'nowhere.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");
        }

        // A sign-in with OpenID Connect scopes only (v2-protocols-oidc): an ID token, and an access token for Microsoft Graph's
        // UserInfo endpoint carrying openid, profile and email (learn.microsoft.com/entra/identity-platform/userinfo).
        [Fact]
        public async Task A_sign_in_with_only_openid_scopes_gets_an_id_token_and_a_userinfo_token()
        {
            var (appId, _, secret) = await WebAppAsync();
            var request = new[] { ("client_id", appId), ("response_type", "code"), ("redirect_uri", RewstCallback), ("scope", "openid profile email"), ("state", "oidc") };
            var consent = await SignInAsync(AuthorizeUrl(request));
            Assert.Contains("<li>openid</li>", consent.Text);
            var code = Returned(await AcceptAsync(consent), RewstCallback, '?')["code"];
            var tokens = Tokens(await RedeemAsync(appId, code, RewstCallback, secret));
            Assert.Equal("openid profile email", (string?)tokens["scope"]);
            Assert.Equal(new[] { "email", "openid", "profile" }, IdentityKit.Scopes((string)tokens["access_token"]!).OrderBy(x => x));
            Assert.Equal("https://graph.microsoft.com", (string?)IdentityKit.Claims((string)tokens["access_token"]!)["aud"]);
            Assert.Equal(appId, (string?)IdentityKit.Claims((string)tokens["id_token"]!)["aud"]);
            Assert.Null(tokens["refresh_token"]);
        }

        // ----- Issue 13, section 3: the tenant's settings, enforced at sign-in and on Graph -----

        private const string AuthorizationPolicy = "/policies/authorizationPolicy";
        private const string RequestPolicy = "/policies/adminConsentRequestPolicy";

        /// <summary>The authorization policy's user consent setting (configure-user-consent, "Microsoft Graph" pivot).</summary>
        private async Task UserConsentAsync(params string[] assigned) =>
            NoContent(await Door.PatchAsync(AuthorizationPolicy, new JsonObject
            {
                ["defaultUserRolePermissions"] = new JsonObject { ["permissionGrantPoliciesAssigned"] = new JsonArray(assigned.Select(a => (JsonNode?)a).ToArray()) },
            }));

        /// <summary>A new tenant's settings again: users register apps, consent as the legacy policy allows, no workflow.</summary>
        private async Task DefaultSettingsAsync()
        {
            await UserConsentAsync("ManagePermissionGrantsForSelf.microsoft-user-default-legacy");
            NoContent(await Door.PatchAsync(AuthorizationPolicy, new { defaultUserRolePermissions = new { allowedToCreateApps = true } }));
            NoContent(await Door.SendAsync("PUT", RequestPolicy, new { isEnabled = false, notifyReviewers = false, remindersEnabled = false, requestDurationInDays = 0, reviewers = Array.Empty<object>() }));
        }

        private async Task<(string Upn, string Id)> PlainUserAsync(string alias)
        {
            var user = Ok(await Door.PostAsync("/users", UsersTests.NewUser(Unique(alias))), 201);
            return ((string)user["userPrincipalName"]!, (string)user["id"]!);
        }

        private static (string, string)[] WithScope(string appId, string state, string scope) =>
            CodeRequest(appId, RewstCallback, state).Select(p => p.Item1 == "scope" ? ("scope", scope) : p).ToArray();

        // authorizationpolicy-update, example 3 ("Disable default user role's permission to create applications"): a member who
        // signed in through the authorize pages, with Application.ReadWrite.All consented by the administrator for everyone,
        // registers an app until the setting is off, then gets Graph's 403 Authorization_RequestDenied "Insufficient
        // privileges to complete the operation." (the error az and the Graph SDKs report for it, msgraph-sdk-powershell#779).
        [Fact]
        public async Task With_app_registration_off_a_signed_in_member_gets_Graphs_403_for_POST_applications()
        {
            try
            {
                var (upn, _) = await PlainUserAsync("dev");
                var (appId, _, secret) = await WebAppAsync();
                var sp = Ok(await Door.PostAsync("/servicePrincipals", new { appId }), 201);
                string graphId = (string)Items(Ok(await Door.GetAsync($"/servicePrincipals?$filter=appId eq '{FrontDoor.MicrosoftGraphAppId}'&$select=id")))[0]!["id"]!;
                Ok(await Door.PostAsync("/oauth2PermissionGrants", new { clientId = (string)sp["id"]!, consentType = "AllPrincipals", resourceId = graphId, scope = "User.Read Application.ReadWrite.All" }), 201);
                var answer = await SignInAsync(AuthorizeUrl(WithScope(appId, "st-reg", "openid https://graph.microsoft.com/Application.ReadWrite.All")), password: "Str0ng-Passw0rd", login: upn);
                string code = Returned(answer, RewstCallback, '?')["code"];
                string token = (string)Tokens(await RedeemAsync(appId, code, RewstCallback, secret))["access_token"]!;
                Ok(await IdentityKit.Bearer(Door, "POST", "/applications", token, new { displayName = Unique("mine") }), 201);
                NoContent(await Door.PatchAsync(AuthorizationPolicy, new { defaultUserRolePermissions = new { allowedToCreateApps = false } }));
                Rejected(await IdentityKit.Bearer(Door, "POST", "/applications", token, new { displayName = Unique("refused") }), 403, "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation.");
            }
            finally { await DefaultSettingsAsync(); }
        }

        // configure-user-consent: "Do not allow user consent" is an empty permissionGrantPoliciesAssigned (no
        // "ManagePermissionGrantsForSelf.*" entry). A member then consents to nothing, not even User.Read: Entra's "Need admin
        // approval" page, AADSTS90094 back at the app. An administrator still consents (DirectoryRoles.MayConsentForOrganization).
        [Fact]
        public async Task With_user_consent_off_a_member_needs_admin_approval_even_for_User_Read()
        {
            try
            {
                // Another entry (a group owners' consent policy) is not a user consent policy: it allows nothing here.
                await UserConsentAsync("ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team");
                var (upn, userId) = await PlainUserAsync("noconsent");
                var (appId, _, _) = await WebAppAsync();
                var refused = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "st-none")), password: "Str0ng-Passw0rd", login: upn);
                Assert.Contains("Need admin approval", PageText(refused));
                Assert.Contains("<li>User.Read</li>", refused.Text);
                Assert.DoesNotContain("request-approval", refused.Text);
                RedirectError(Returned(await AcceptAsync(refused), RewstCallback, '?'), "access_denied", 90094, "The grant requires admin permission.", "st-none");
                Assert.Empty(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=principalId eq '{userId}'"))));

                // With the admin consent workflow on (adminconsentrequestpolicy-update), the page says a request can be sent
                // (configure-admin-consent-workflow); the app still hears AADSTS90094.
                string adminId = (string)Ok(await Door.GetAsync($"/users/{Admin}"))["id"]!;
                NoContent(await Door.SendAsync("PUT", RequestPolicy, new
                {
                    isEnabled = true, notifyReviewers = true, remindersEnabled = true, requestDurationInDays = 30,
                    reviewers = new[] { new { query = "/users/" + adminId, queryType = "MicrosoftGraph" } },
                }));
                var requestable = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "st-wf")), password: "Str0ng-Passw0rd", login: upn);
                Assert.Contains("Need admin approval", PageText(requestable));
                Assert.Contains("request-approval", requestable.Text);
                RedirectError(Returned(await AcceptAsync(requestable), RewstCallback, '?'), "access_denied", 90094, "The grant requires admin permission.", "st-wf");

                // The administrator is unaffected: the consent page, and a code.
                var consent = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "st-adm")));
                Assert.Contains("acceptConsent", consent.Text);
                Assert.DoesNotContain("Need admin approval", PageText(consent));
                Assert.True(Returned(await AcceptAsync(consent), RewstCallback, '?').ContainsKey("code"));
            }
            finally { await DefaultSettingsAsync(); }
        }

        // configure-user-consent: "Allow user consent for apps from verified publishers, for selected permissions" is
        // ManagePermissionGrantsForSelf.microsoft-user-default-low; its condition sets (permissiongrantpolicy-get) admit
        // delegated permissions classified low for apps of this tenant. The local tenant classifies what
        // configure-permission-classifications names (openid, profile, email, offline_access, User.Read): a member consents to
        // User.Read, not to Mail.Read (type "User", so the legacy policy allows it).
        [Fact]
        public async Task With_low_impact_user_consent_a_member_consents_to_User_Read_but_not_Mail_Read()
        {
            try
            {
                await UserConsentAsync("ManagePermissionGrantsForSelf.microsoft-user-default-low");
                var (upn, userId) = await PlainUserAsync("lowimpact");
                var (appId, _, secret) = await WebAppAsync();
                var consent = await SignInAsync(AuthorizeUrl(CodeRequest(appId, RewstCallback, "st-low")), password: "Str0ng-Passw0rd", login: upn);
                Assert.DoesNotContain("Need admin approval", PageText(consent));
                string code = Returned(await AcceptAsync(consent), RewstCallback, '?')["code"];
                Assert.Contains("User.Read", IdentityKit.Scopes((string)Tokens(await RedeemAsync(appId, code, RewstCallback, secret))["access_token"]!));

                var mail = await SignInAsync(AuthorizeUrl(WithScope(appId, "st-mail", "openid Mail.Read")), password: "Str0ng-Passw0rd", login: upn);
                Assert.Contains("Need admin approval", PageText(mail));
                Assert.Contains("<li>Mail.Read</li>", mail.Text);
                RedirectError(Returned(await AcceptAsync(mail), RewstCallback, '?'), "access_denied", 90094, "The grant requires admin permission.", "st-mail");
                var grant = Assert.Single(Items(Ok(await Door.GetAsync($"/oauth2PermissionGrants?$filter=principalId eq '{userId}'"))));
                Assert.DoesNotContain("Mail.Read", ((string)grant["scope"]!).Split(' '));

                // The legacy policy ("Allow user consent for apps") lets the same member consent to Mail.Read.
                await UserConsentAsync("ManagePermissionGrantsForSelf.microsoft-user-default-legacy");
                var allowed = await SignInAsync(AuthorizeUrl(WithScope(appId, "st-mail2", "openid Mail.Read")), password: "Str0ng-Passw0rd", login: upn);
                Assert.DoesNotContain("Need admin approval", PageText(allowed));
                Assert.True(Returned(await AcceptAsync(allowed), RewstCallback, '?').ContainsKey("code"));
            }
            finally { await DefaultSettingsAsync(); }
        }
    }
}
