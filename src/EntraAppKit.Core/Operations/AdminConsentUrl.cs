using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using EntraAppKit.Core.Connections;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// The admin consent URL an MSP sends to a customer's administrator: Microsoft identity platform's v2 admin consent endpoint,
    /// <c>{authority}/{tenant}/v2.0/adminconsent?client_id=…&amp;scope=…&amp;redirect_uri=…&amp;state=…</c>
    /// ("Admin consent on the Microsoft identity platform", learn.microsoft.com/entra/identity-platform/v2-admin-consent).
    /// The one place it is made: Get-EntraAdminConsentUrl (<see cref="AdminConsentUrlOperation"/>) and the AdminConsentUrl of
    /// multitenant recipes' outputs both build it here.
    /// </summary>
    public static class AdminConsentUrl
    {
        /// <summary>Any organization's administrator: the one who signs in says which tenant consents.</summary>
        public const string DefaultTenant = "organizations";

        /// <summary>The static scope: everything the app's registration requires (as the v1 admin consent endpoint does).</summary>
        public const string DefaultScopeSuffix = "/.default";

        /// <summary>The default scope in <paramref name="cloud"/>: its Microsoft Graph's <c>/.default</c> (https://graph.microsoft.com/.default globally).</summary>
        public static string DefaultScope(CloudEnvironment cloud) =>
            (cloud ?? throw new ArgumentNullException(nameof(cloud))).GraphResource.TrimEnd('/') + DefaultScopeSuffix;

        // A DNS name of two labels or more (a verified domain: contoso.com, contoso.onmicrosoft.com), the last not all digits.
        private static readonly Regex DomainName = new Regex(@"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?=[a-z0-9-]*[a-z])[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// The tenant as the URL carries it: a GUID (lower case), a verified domain, or <c>organizations</c>. <c>common</c> is
        /// refused (CommonTenantNotAllowed): Microsoft's page says not to use it, as personal accounts cannot give admin consent
        /// except in a tenant's context; <c>consumers</c> and anything else (InvalidTenant) too.
        /// </summary>
        public static string CheckTenant(string? tenant)
        {
            string value = (tenant ?? "").Trim();
            if (value.Length == 0) throw new EntraAppKitException(ErrorIds.InvalidTenant, EntraErrorCategory.InvalidArgument,
                "A tenant is required: the customer's tenant id (a GUID), one of its verified domains, or 'organizations'.");
            if (string.Equals(value, "common", StringComparison.OrdinalIgnoreCase))
                throw new EntraAppKitException(ErrorIds.CommonTenantNotAllowed, EntraErrorCategory.InvalidArgument,
                    "The admin consent endpoint is not to be given the tenant 'common' (learn.microsoft.com/entra/identity-platform/v2-admin-consent): " +
                    "give the customer's tenant id or verified domain, or 'organizations' for whichever organization's administrator signs in.");
            if (string.Equals(value, "consumers", StringComparison.OrdinalIgnoreCase))
                throw new EntraAppKitException(ErrorIds.InvalidTenant, EntraErrorCategory.InvalidArgument,
                    "'consumers' is for personal Microsoft accounts, which cannot give admin consent for an organization: give the customer's tenant id or verified domain, or 'organizations'.");
            if (string.Equals(value, DefaultTenant, StringComparison.OrdinalIgnoreCase)) return DefaultTenant;
            if (Guid.TryParseExact(value, "D", out var id)) return id.ToString("D");
            if (DomainName.IsMatch(value)) return value;
            throw new EntraAppKitException(ErrorIds.InvalidTenant, EntraErrorCategory.InvalidArgument,
                $"'{value}' is not a tenant: give the customer's tenant id (a GUID), one of its verified domains (contoso.com), or 'organizations'.");
        }

        /// <summary>
        /// A redirect URI the response goes to: absolute, without a fragment (OAuth 2.0, RFC 6749 §3.1.2). It must also be one
        /// of the app's registered redirect URIs, which only Entra checks when the administrator signs in (AADSTS50011).
        /// </summary>
        public static string CheckRedirectUri(string? redirectUri)
        {
            string value = (redirectUri ?? "").Trim();
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || value.StartsWith("/", StringComparison.Ordinal))
                throw EntraAppKitException.InvalidInput($"The redirect URI '{redirectUri}' is not an absolute URI (such as https://app.contoso.com/consent).");
            if (uri.Fragment.Length > 0 || value.IndexOf('#') >= 0)
                throw EntraAppKitException.InvalidInput($"The redirect URI '{redirectUri}' has a fragment (#…), which a redirect URI may not have.");
            return value;
        }

        /// <summary>Space-separated scopes; blank is refused.</summary>
        public static string CheckScope(string? scope)
        {
            var scopes = (scope ?? "").Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            if (scopes.Length == 0) throw EntraAppKitException.InvalidInput("A scope is required, such as https://graph.microsoft.com/.default.");
            return string.Join(" ", scopes);
        }

        /// <summary>
        /// The v2 admin consent URL at <paramref name="cloud"/>'s login authority host (login.microsoftonline.com globally, a
        /// national cloud's, or the -AuthorityHost of the connection), every value URL-encoded. <paramref name="scope"/> defaults to
        /// <see cref="DefaultScope"/>; <paramref name="state"/> is left out when null or empty.
        /// </summary>
        public static string Build(CloudEnvironment cloud, string clientId, string redirectUri, string tenant = DefaultTenant, string? scope = null, string? state = null)
        {
            if (cloud == null) throw new ArgumentNullException(nameof(cloud));
            if (!Guid.TryParseExact((clientId ?? "").Trim(), "D", out var client))
                throw EntraAppKitException.InvalidInput($"'{clientId}' is not an application (client) id: a GUID such as 00001111-aaaa-2222-bbbb-3333cccc4444.");
            string checkedTenant = CheckTenant(tenant);
            string checkedRedirect = CheckRedirectUri(redirectUri);
            string checkedScope = CheckScope(scope ?? DefaultScope(cloud));
            string authority = cloud.AuthorityHost.AbsoluteUri;
            if (!authority.EndsWith("/", StringComparison.Ordinal)) authority += "/";
            var url = new StringBuilder(authority).Append(checkedTenant).Append("/v2.0/adminconsent")
                .Append("?client_id=").Append(client.ToString("D"))
                .Append("&scope=").Append(Uri.EscapeDataString(checkedScope))
                .Append("&redirect_uri=").Append(Uri.EscapeDataString(checkedRedirect));
            if (!string.IsNullOrEmpty(state)) url.Append("&state=").Append(Uri.EscapeDataString(state));
            return url.ToString();
        }
    }
}
