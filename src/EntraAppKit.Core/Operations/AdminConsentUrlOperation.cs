using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Tenants;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Get-EntraAdminConsentUrl: reads the app (by client id, through the tenant reader) for its redirect URI and audience, and
    /// builds its admin consent URL with <see cref="AdminConsentUrl"/> at the connection's login authority. It writes nothing.
    /// </summary>
    public sealed class AdminConsentUrlOperation
    {
        private readonly GraphSession _session;
        private readonly TenantReader _reader;

        public AdminConsentUrlOperation(GraphSession session, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _reader = new TenantReader(session, retry ?? new LagRetryPolicy());
        }

        /// <summary>
        /// The admin consent URL of the app <paramref name="clientId"/> for <paramref name="tenant"/>, and what the user should
        /// know (a single-tenant app, a redirect URI the app does not have). The input is checked before Graph is read; the
        /// redirect URI, when not given, is the app's first web redirect URI, and an app with none fails with NoRedirectUri.
        /// </summary>
        /// <param name="clientId">The app's client id, in the connected tenant.</param>
        /// <param name="tenant">The customer's tenant: a GUID, a verified domain, or organizations (<see cref="AdminConsentUrl.CheckTenant"/>).</param>
        /// <param name="redirectUri">Where the answer goes; the app's first web redirect URI when null.</param>
        /// <param name="scope">Space-separated scopes; the cloud's Microsoft Graph <c>/.default</c> when null.</param>
        /// <param name="state">A value the endpoint hands back; left out when null.</param>
        /// <param name="cancellationToken">Cancels the read.</param>
        public async Task<(string Url, IReadOnlyList<string> Warnings)> GetAsync(string clientId, string tenant = AdminConsentUrl.DefaultTenant,
            string? redirectUri = null, string? scope = null, string? state = null, CancellationToken cancellationToken = default)
        {
            AdminConsentUrl.CheckTenant(tenant);
            if (redirectUri != null) AdminConsentUrl.CheckRedirectUri(redirectUri);
            if (scope != null) AdminConsentUrl.CheckScope(scope);
            var app = await GraphErrors.Guard("Reading the app registration", async () =>
            {
                var facts = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                return await _reader.RequireApplicationAsync(clientId, facts, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);

            var web = app.Web?.RedirectUris ?? new List<string>();
            string redirect = redirectUri?.Trim() ?? web.FirstOrDefault(u => !string.IsNullOrWhiteSpace(u))
                ?? throw new EntraAppKitException(ErrorIds.NoRedirectUri, EntraErrorCategory.InvalidArgument,
                    $"'{app.DisplayName}' (client id {app.AppId}) has no web redirect URI, and the admin consent endpoint sends its answer to one " +
                    "(learn.microsoft.com/entra/identity-platform/v2-admin-consent). Give -RedirectUri, or add one to the app first (Add-WriteBackRedirectUri adds web redirect URIs).");

            var warnings = new List<string>();
            if (string.Equals(app.SignInAudience, "AzureADMyOrg", StringComparison.Ordinal))
                warnings.Add($"'{app.DisplayName}' is single tenant (signInAudience AzureADMyOrg): an administrator of another tenant cannot consent to it " +
                    "(sign-in fails with AADSTS50020 or AADSTS700016). Make it multitenant first (the recipe's -MultiTenant) if customers are to consent.");
            var registered = web.Concat(app.Spa?.RedirectUris ?? new List<string>()).Concat(app.PublicClient?.RedirectUris ?? new List<string>());
            if (redirectUri != null && !registered.Contains(redirect, StringComparer.Ordinal))
                warnings.Add($"'{redirect}' is not a redirect URI of '{app.DisplayName}': the admin consent endpoint only answers to one the app has registered (AADSTS50011 otherwise).");
            return (AdminConsentUrl.Build(_session.Cloud, app.AppId ?? clientId, redirect, tenant, scope, state), warnings);
        }
    }
}
