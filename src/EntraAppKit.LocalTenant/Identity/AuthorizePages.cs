using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using EntraAppKit.LocalTenant.Http;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>
    /// The authorization endpoint's HTML: minimal pages a script can drive as a browser would. Every value that came from a
    /// request or the directory is HTML-encoded. The sign-in form posts <c>login</c> and <c>passwd</c> (Entra's own field
    /// names) with <c>ctx</c>, the pending request's id; the consent form posts <c>ctx</c> and <c>acceptConsent</c> ("true"
    /// or "false", as Entra's Consent/Set does). Both post back to the authorize URL they came from.
    /// </summary>
    internal static class AuthorizePages
    {
        public static GraphResponse SignIn(string action, string ctx, string? loginHint, string clientName, string? error)
        {
            var body = new StringBuilder();
            body.Append("<h1>Sign in</h1>");
            body.Append("<p>to continue to ").Append(E(clientName)).Append("</p>");
            if (error != null) body.Append("<p id=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
            body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">");
            body.Append("<input type=\"hidden\" name=\"ctx\" value=\"").Append(E(ctx)).Append("\">");
            body.Append("<label>Email or phone <input type=\"email\" name=\"login\" value=\"").Append(E(loginHint ?? "")).Append("\" autocomplete=\"username\"></label>");
            body.Append("<label>Password <input type=\"password\" name=\"passwd\" autocomplete=\"current-password\"></label>");
            body.Append("<button type=\"submit\">Sign in</button></form>");
            return Page(200, "Sign in to your account", body.ToString());
        }

        public static GraphResponse Consent(string action, string ctx, UserClient client, string userPrincipalName, IEnumerable<string> permissions, bool forOrganization)
        {
            var body = new StringBuilder();
            body.Append("<h1>Permissions requested</h1>");
            body.Append("<p>").Append(E(client.DisplayName)).Append(" (").Append(E(client.AppId)).Append(") would like to, for ").Append(E(userPrincipalName)).Append(":</p><ul id=\"permissions\">");
            foreach (var p in permissions) body.Append("<li>").Append(E(p)).Append("</li>");
            body.Append("</ul>");
            if (forOrganization) body.Append("<p>Accepting consents on behalf of your organization.</p>");
            body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">");
            body.Append("<input type=\"hidden\" name=\"ctx\" value=\"").Append(E(ctx)).Append("\">");
            body.Append("<button type=\"submit\" name=\"acceptConsent\" value=\"true\">Accept</button>");
            body.Append("<button type=\"submit\" name=\"acceptConsent\" value=\"false\">Cancel</button></form>");
            return Page(200, "Permissions requested", body.ToString());
        }

        /// <summary>
        /// Entra's "Need admin approval" page, shown instead of the consent form when a user who may not consent for the
        /// organization is asked for a permission only an administrator may grant (learn.microsoft.com/entra/identity/enterprise-apps/configure-admin-consent-workflow,
        /// with the workflow off). Its one button returns to the application without consent (AADSTS90094 at the redirect URI).
        /// With the admin consent workflow on (<paramref name="requestable"/>), the page also says that the user can request
        /// the app's approval from the reviewers, with a justification ("Approval required", "Request approval",
        /// configure-admin-consent-workflow); the local tenant keeps no request (Graph's appConsentRequests are not modelled),
        /// so the page's answer is the same AADSTS90094.
        /// </summary>
        public static GraphResponse AdminApproval(string action, string ctx, UserClient client, IEnumerable<string> permissions, bool requestable = false)
        {
            var body = new StringBuilder();
            body.Append("<h1>Need admin approval</h1>");
            if (requestable)
                body.Append("<p id=\"request-approval\">Approval required: ").Append(E(client.DisplayName))
                    .Append(" requires your admin's approval. You can request approval: enter a justification for requesting this app, ")
                    .Append("and the reviewers your organization chose are asked to approve it.</p>");
            body.Append("<p>").Append(E(client.DisplayName)).Append(" needs permission to access resources in your organization that only an admin can grant. ")
                .Append("Please ask an admin to grant permission to this app before you can use it.</p><ul id=\"permissions\">");
            foreach (var p in permissions) body.Append("<li>").Append(E(p)).Append("</li>");
            body.Append("</ul><p>Have an admin account? Sign in with that account.</p>");
            body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">");
            body.Append("<input type=\"hidden\" name=\"ctx\" value=\"").Append(E(ctx)).Append("\">");
            body.Append("<button type=\"submit\" name=\"acceptConsent\" value=\"false\">Return to the application without granting consent</button></form>");
            return Page(200, "Need admin approval", body.ToString());
        }

        /// <summary>An error shown on the page, as Entra does when the redirect URI cannot be trusted with it.</summary>
        public static GraphResponse Error(AadstsException error, DateTimeOffset now, string traceId, string correlationId)
        {
            var body = new StringBuilder();
            body.Append("<h1>Sorry, but we’re having trouble signing you in.</h1>");
            body.Append("<p id=\"error\" data-error=\"").Append(E(error.Error)).Append("\" data-error-code=\"AADSTS").Append(error.Code).Append("\">")
                .Append(E(error.Description(now, traceId, correlationId))).Append("</p>");
            return Page(error.Status, "Sign in to your account", body.ToString());
        }

        /// <summary>response_mode=form_post: a form that posts the answer to the redirect URI, and submits itself (v2-oauth2-auth-code-flow).</summary>
        public static GraphResponse FormPost(string redirectUri, IEnumerable<KeyValuePair<string, string>> fields)
        {
            var body = new StringBuilder();
            body.Append("<form method=\"post\" action=\"").Append(E(redirectUri)).Append("\">");
            foreach (var f in fields) body.Append("<input type=\"hidden\" name=\"").Append(E(f.Key)).Append("\" value=\"").Append(E(f.Value)).Append("\">");
            body.Append("<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\"></noscript></form>");
            body.Append("<script>document.forms[0].submit();</script>");
            return Page(200, "Working...", body.ToString());
        }

        private static GraphResponse Page(int status, string title, string body)
        {
            string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + E(title) + "</title></head><body>" + body + "</body></html>";
            var response = new GraphResponse(status, html, "text/html; charset=utf-8");
            response.Headers["Cache-Control"] = "no-store, no-cache";
            response.Headers["Pragma"] = "no-cache";
            // The pages hold a password field and a consent button: never inside another site's frame.
            response.Headers["X-Frame-Options"] = "DENY";
            return response;
        }

        private static string E(string value) => WebUtility.HtmlEncode(value);
    }
}
