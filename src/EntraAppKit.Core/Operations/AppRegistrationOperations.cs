using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Applications;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>Operations on existing app registrations: find, add redirect URIs, remove. (Admin consent is <see cref="AdminConsentOperation"/>.)</summary>
    public sealed class AppRegistrationOperations
    {
        private readonly GraphSession _session;
        private readonly TenantReader _reader;

        public AppRegistrationOperations(GraphSession session, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            retry ??= new LagRetryPolicy();
            _reader = new TenantReader(session, retry);
        }

        /// <summary>
        /// Finds apps by client id, uniqueName, or display name (wildcards * and ?); all apps when none is given; only those of
        /// <paramref name="signInAudience"/> when given. Each shows its service principal's id and accountEnabled, read in one more
        /// round trip (one GET filtered by appId for up to 15 apps, else one per page of the tenant's own apps' service principals).
        /// </summary>
        public async Task<IReadOnlyList<EntraAppRegistration>> FindAsync(string? clientId = null, string? uniqueName = null, string? displayName = null,
            string? signInAudience = null, CancellationToken cancellationToken = default)
        {
            var all = new List<EntraAppRegistration>();
            await FindAsync(clientId, uniqueName, displayName, signInAudience, rows => { all.AddRange(rows); return Task.CompletedTask; }, cancellationToken).ConfigureAwait(false);
            return all;
        }

        /// <summary>
        /// As <see cref="FindAsync(string?, string?, string?, string?, CancellationToken)"/>, handing <paramref name="onRows"/> the
        /// apps a page at a time. A listing that fits one page reads as before (the page, then its apps' service principals). One of
        /// several pages reads the tenant's own apps' service principals first (three properties each, one GET per page of them),
        /// then hands on each page of apps before it reads the next, so it never holds more than one page of applications.
        /// </summary>
        public Task FindAsync(string? clientId, string? uniqueName, string? displayName, string? signInAudience,
            Func<IReadOnlyList<EntraAppRegistration>, Task> onRows, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard<object?>("Reading app registrations", async () =>
            {
                var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                var lookup = new ServicePrincipalLookup(_session);
                bool InAudience(Application a) => signInAudience == null || string.Equals(a.SignInAudience, signInAudience, StringComparison.OrdinalIgnoreCase);
                async Task HandAsync(IReadOnlyList<Application> found, IReadOnlyDictionary<string, ServicePrincipal>? sps)
                {
                    sps ??= await lookup.ByAppIdsAsync(found.Select(a => a.AppId ?? "").ToList(), tenant, cancellationToken, SpProperties).ConfigureAwait(false);
                    if (found.Count > 0)
                        await onRows(found.Select(a => RegistrationMapping.ToRegistration(a, tenant, null, sps.TryGetValue(a.AppId ?? "", out var sp) ? sp : null)).ToList()).ConfigureAwait(false);
                }
                if (clientId != null || uniqueName != null)
                {
                    var app = clientId != null
                        ? await _reader.FindApplicationByClientIdAsync(clientId, cancellationToken).ConfigureAwait(false)
                        : await _reader.FindApplicationByUniqueNameAsync(uniqueName!, cancellationToken).ConfigureAwait(false);
                    await HandAsync(Single(app).Where(InAudience).ToList(), null).ConfigureAwait(false);
                    return null;
                }
                var (filter, matches) = ListQuery(displayName, signInAudience);
                List<Application> Matched(ApplicationCollectionResponse page) => (page.Value ?? new List<Application>()).Where(a => matches(a) && InAudience(a)).ToList();
                var first = await _session.Client.Applications.GetAsync(c =>
                {
                    c.QueryParameters.Top = PageSize;
                    if (filter != null) c.QueryParameters.Filter = filter;
                }, cancellationToken).ConfigureAwait(false);
                if (first == null) return null;
                if (first.OdataNextLink == null)
                {
                    await HandAsync(Matched(first), null).ConfigureAwait(false);
                    return null;
                }
                var own = new Dictionary<string, ServicePrincipal>(StringComparer.OrdinalIgnoreCase);
                foreach (var sp in await lookup.ListAsync($"appOwnerOrganizationId eq {tenant.TenantId}", cancellationToken, SpProperties).ConfigureAwait(false))
                    if (sp.AppId != null) own[sp.AppId] = sp;
                for (var page = first; page != null;)
                {
                    await HandAsync(Matched(page), own).ConfigureAwait(false);
                    if (page.OdataNextLink == null) break;
                    page = await _session.Client.Applications.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                return null;
            });

        private static readonly string[] SpProperties = { "id", "appId", "accountEnabled" };

        /// <summary>Applications per page of a listing: Graph's most (learn.microsoft.com/graph/api/application-list); smaller in tests.</summary>
        internal int PageSize { get; set; } = 999;

        /// <summary>
        /// Apps for tab completion, at most <paramref name="max"/>: by display name prefix when <paramref name="byName"/>, else by
        /// client id prefix when the word could start one (hex digits and dashes), else by display name prefix.
        /// </summary>
        public Task<IReadOnlyList<(string ClientId, string DisplayName)>> SuggestAsync(string word, int max, bool byName = false, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Listing app registrations", async () =>
            {
                bool byClientId = !byName && (word.Length == 0 || word.All(c => Uri.IsHexDigit(c) || c == '-'));
                string escaped = word.Replace("'", "''");
                var page = await _session.Client.Applications.GetAsync(c =>
                {
                    c.QueryParameters.Select = new[] { "appId", "displayName" };
                    c.QueryParameters.Top = 999;
                    if (!byClientId) c.QueryParameters.Filter = $"startswith(displayName,'{escaped}')";
                }, cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<(string, string)>)(page?.Value ?? new List<Application>())
                    .Where(a => !byClientId || (a.AppId ?? "").StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).Take(max)
                    .Select(a => (a.AppId ?? "", a.DisplayName ?? "")).ToList();
            });

        private static IEnumerable<Application> Single(Application? app) => app == null ? Enumerable.Empty<Application>() : new[] { app };

        /// <summary>
        /// The server-side filter for a listing, narrowed where the pattern allows (eq, or startswith for a trailing *), and the
        /// display name match the pattern's wildcards need on each page.
        /// </summary>
        private static (string? Filter, Func<Application, bool> Matches) ListQuery(string? pattern, string? signInAudience)
        {
            string? filter = null;
            if (pattern != null && pattern.IndexOfAny(new[] { '*', '?' }) < 0) filter = $"displayName eq '{pattern.Replace("'", "''")}'";
            else if (pattern != null && pattern.EndsWith("*", StringComparison.Ordinal) && pattern.TrimEnd('*').IndexOfAny(new[] { '*', '?' }) < 0 && pattern.TrimEnd('*').Length > 0)
                filter = $"startswith(displayName,'{pattern.TrimEnd('*').Replace("'", "''")}')";
            // signInAudience takes eq in a plain query (learn.microsoft.com/graph/api/resources/application).
            if (signInAudience != null)
                filter = (filter == null ? "" : filter + " and ") + $"signInAudience eq '{signInAudience.Replace("'", "''")}'";
            if (pattern == null) return (filter, _ => true);
            var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            return (filter, a => regex.IsMatch(a.DisplayName ?? ""));
        }

        private async Task<(Application App, TenantFacts Tenant)> RequireAppAsync(string clientId, CancellationToken cancellationToken)
        {
            var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
            return (await _reader.RequireApplicationAsync(clientId, tenant, cancellationToken).ConfigureAwait(false), tenant);
        }

        // ----- Web redirect URIs (WriteBackExtreme return URLs) -----

        /// <summary>
        /// Plans adding web redirect URIs without removing any. https is required except for localhost
        /// (learn.microsoft.com/entra/identity-platform/reply-url); URIs already present are no-ops. Invalid input fails before any write.
        /// </summary>
        public async Task<AppOperationPlan> PlanAddWebRedirectUrisAsync(string clientId, IEnumerable<string> uris, CancellationToken cancellationToken = default)
        {
            if (uris == null) throw new ArgumentNullException(nameof(uris));
            var given = uris.ToList();
            foreach (var uri in given) ApplicationRules.CheckRedirectUri(uri, uri?.Trim(), "web", personal: false);
            var list = given.Select(u => u!.Trim()).Distinct(StringComparer.Ordinal).ToList();
            return await GraphErrors.Guard("Reading the app registration", async () =>
            {
                var (app, tenant) = await RequireAppAsync(clientId, cancellationToken).ConfigureAwait(false);
                bool personal = ApplicationRules.IsPersonalAudience(app.SignInAudience ?? "");
                if (personal) foreach (var uri in list) ApplicationRules.CheckRedirectUri(uri, uri, "web", personal);
                var existing = app.Web?.RedirectUris ?? new List<string>();
                var missing = list.Where(u => !existing.Contains(u, StringComparer.Ordinal)).ToList();
                int total = existing.Count + missing.Count + (app.Spa?.RedirectUris?.Count ?? 0) + (app.PublicClient?.RedirectUris?.Count ?? 0);
                if (total > (personal ? 100 : 256))
                    throw EntraAppKitException.InvalidInput($"'{app.DisplayName}' would have {total} redirect URIs; Entra allows {(personal ? 100 : 256)} for its audience.");
                var plan = new AppOperationPlan(app, tenant, missing.Select(u => new PlannedChange($"application '{app.DisplayName}'", "Add redirect URI",
                    $"Add web redirect URI {u} to '{app.DisplayName}'")).ToList());
                plan.NewWebRedirectUris.AddRange(missing);
                return plan;
            }).ConfigureAwait(false);
        }

        /// <summary>
        /// Adds the planned URIs on top of the app as it is now (the plan's read may be minutes old, a -Confirm prompt), verified
        /// against concurrent writers (<see cref="ConvergingWrite"/>): URIs another writer dropped are written again, and ones that
        /// still do not stay fail with ConcurrentUpdate naming them. URIs others added are kept: every write starts from a fresh read.
        /// </summary>
        public async Task<EntraAppRegistration> ApplyAddWebRedirectUrisAsync(AppOperationPlan plan, CancellationToken cancellationToken = default)
        {
            var app = plan.Application;
            if (plan.NewWebRedirectUris.Count == 0) return RegistrationMapping.ToRegistration(app, plan.Tenant);
            return await GraphErrors.Guard("Adding redirect URIs", async () =>
            {
                string id = app.Id!;
                List<string> Missing(Application a) => plan.NewWebRedirectUris.Where(u => !(a.Web?.RedirectUris ?? new List<string>()).Contains(u, StringComparer.Ordinal)).ToList();
                var done = await ConvergingWrite.RunAsync(await ReadAsync(id, plan.DisplayName, cancellationToken).ConfigureAwait(false),
                    a => Missing(a).Count == 0,
                    a =>
                    {
                        var web = a.Web;
                        // A PATCH replaces the redirectUris collection it carries (OData 4.01 Part 1 §11.4.3; web's other members
                        // merge): the whole list goes, read fresh, with the rest of web as it was.
                        return _session.Client.Applications[id].PatchAsync(new Application
                        {
                            Web = new WebApplication
                            {
                                RedirectUris = (web?.RedirectUris ?? new List<string>()).Concat(Missing(a)).ToList(),
                                HomePageUrl = web?.HomePageUrl,
                                LogoutUrl = web?.LogoutUrl,
                                ImplicitGrantSettings = new ImplicitGrantSettings
                                {
                                    EnableIdTokenIssuance = web?.ImplicitGrantSettings?.EnableIdTokenIssuance ?? false,
                                    EnableAccessTokenIssuance = web?.ImplicitGrantSettings?.EnableAccessTokenIssuance ?? false,
                                },
                            },
                        }, cancellationToken: cancellationToken);
                    },
                    () => ReadAsync(id, plan.DisplayName, cancellationToken),
                    a => $"Another writer kept replacing the redirect URIs of '{plan.DisplayName}': after {ConvergingWrite.MaxWrites} writes, {string.Join(", ", Missing(a))} did not stay. " +
                        "Run the command again when the other change is done; URIs already present are not added twice.",
                    cancellationToken).ConfigureAwait(false);
                return RegistrationMapping.ToRegistration(done, plan.Tenant, plan.Changes.Select(c => c.Description).ToArray());
            }).ConfigureAwait(false);
        }

        private async Task<Application> ReadAsync(string id, string displayName, CancellationToken cancellationToken) =>
            await _session.Client.Applications[id].GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound, $"'{displayName}' was removed while its redirect URIs were added.");

        // ----- Removal -----

        public Task<AppOperationPlan> PlanRemoveAsync(string clientId, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading the app registration", async () =>
            {
                var (app, tenant) = await RequireAppAsync(clientId, cancellationToken).ConfigureAwait(false);
                return new AppOperationPlan(app, tenant, new[]
                {
                    new PlannedChange($"application '{app.DisplayName}'", "Remove",
                        $"Remove application '{app.DisplayName}' (client id {app.AppId}) and its service principal, grants and assignments from {tenant.InitialDomain}"),
                });
            });

        public Task ApplyRemoveAsync(AppOperationPlan plan, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard<object?>("Removing the app registration", async () =>
            {
                await _session.Client.Applications[plan.Application.Id].DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _session.NoteRemoved(plan.Application.AppId!);
                return null;
            });
    }
}
