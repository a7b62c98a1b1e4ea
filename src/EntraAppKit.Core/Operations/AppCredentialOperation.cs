using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Get-EntraAppCredential: every secret (passwordCredentials) and certificate (keyCredentials) of an app's application and
    /// service principal, or of every application and service principal of the tenant, with its days left and status. It reads
    /// and never writes. The tenant is read a page at a time (<c>$top</c> <see cref="PageSize"/>, <c>$select</c> of the five
    /// properties shown, following @odata.nextLink: learn.microsoft.com/graph/paging), and each page's rows are handed on before
    /// the next page is read, so no more than one page is held.
    /// </summary>
    public sealed class AppCredentialOperation
    {
        /// <summary>Days before its end a credential counts as ExpiringSoon when no other window is given.</summary>
        public const int DefaultExpiringSoonDays = 30;

        /// <summary>What the rows show (learn.microsoft.com/graph/api/resources/application, resources/serviceprincipal).</summary>
        internal static readonly string[] Properties = { "id", "appId", "displayName", "passwordCredentials", "keyCredentials" };

        private readonly GraphSession _session;
        private readonly TenantFacts? _tenant;
        private readonly Func<DateTimeOffset> _clock;

        /// <param name="session">The connection's Graph session.</param>
        /// <param name="tenant">The connected tenant as read at sign-in; read again (GET /organization) when null.</param>
        /// <param name="clock">Now, for days left and status; the system clock when null.</param>
        public AppCredentialOperation(GraphSession session, TenantFacts? tenant = null, Func<DateTimeOffset>? clock = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _tenant = tenant;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>Objects per page of a tenant-wide read: Graph's most for applications and service principals (application-list, serviceprincipal-list).</summary>
        public int PageSize { get; set; } = 999;

        /// <summary>
        /// Hands <paramref name="onRows"/> the credential rows of the app with <paramref name="clientId"/> (its application and its
        /// service principal, two reads), or of every application and then every service principal of the tenant, a page at a time.
        /// <paramref name="expiringWithinDays"/> keeps the credentials not yet expired that end within that many days (and sets the
        /// ExpiringSoon window); <paramref name="expired"/> keeps the expired ones; both keep either. A client id neither an
        /// application nor a service principal has is ApplicationNotFound.
        /// </summary>
        public Task ListAsync(string? clientId, int? expiringWithinDays, bool expired, Func<IReadOnlyList<EntraAppCredential>, Task> onRows,
            CancellationToken cancellationToken = default)
        {
            if (onRows == null) throw new ArgumentNullException(nameof(onRows));
            if (expiringWithinDays < 0) throw EntraAppKitException.InvalidInput("-ExpiringWithinDays must be 0 or more.");
            return GraphErrors.Guard<object?>("Reading credentials", async () =>
            {
                var tenant = _tenant ?? await new TenantReader(_session, new LagRetryPolicy()).ReadTenantAsync(cancellationToken).ConfigureAwait(false);
                var rows = new CredentialRows(tenant.TenantId, _clock(), expiringWithinDays, expired);
                if (clientId != null) await OneAppAsync(clientId, tenant, rows, onRows, cancellationToken).ConfigureAwait(false);
                else
                {
                    var client = _session.Client;
                    await GraphPages.EachAsync(await client.Applications.GetAsync(c =>
                        {
                            c.QueryParameters.Top = PageSize;
                            c.QueryParameters.Select = Properties;
                        }, cancellationToken).ConfigureAwait(false),
                        p => p.Value, p => p.OdataNextLink, next => client.Applications.WithUrl(next).GetAsync(cancellationToken: cancellationToken),
                        page => Hand(rows.Of(page), onRows)).ConfigureAwait(false);
                    await GraphPages.EachAsync(await client.ServicePrincipals.GetAsync(c =>
                        {
                            c.QueryParameters.Top = PageSize;
                            c.QueryParameters.Select = Properties;
                        }, cancellationToken).ConfigureAwait(false),
                        p => p.Value, p => p.OdataNextLink, next => client.ServicePrincipals.WithUrl(next).GetAsync(cancellationToken: cancellationToken),
                        page => Hand(rows.Of(page), onRows)).ConfigureAwait(false);
                }
                return null;
            });
        }

        /// <summary>The rows as one list (a test's, or a caller's that wants them all).</summary>
        public async Task<IReadOnlyList<EntraAppCredential>> ReadAllAsync(string? clientId, int? expiringWithinDays = null, bool expired = false,
            CancellationToken cancellationToken = default)
        {
            var all = new List<EntraAppCredential>();
            await ListAsync(clientId, expiringWithinDays, expired, rows => { all.AddRange(rows); return Task.CompletedTask; }, cancellationToken).ConfigureAwait(false);
            return all;
        }

        private static Task Hand(IReadOnlyList<EntraAppCredential> rows, Func<IReadOnlyList<EntraAppCredential>, Task> onRows) =>
            rows.Count == 0 ? Task.CompletedTask : onRows(rows);

        /// <summary>GET /applications(appId='…') and GET /servicePrincipals?$filter=appId eq '…', both with $select.</summary>
        private async Task OneAppAsync(string clientId, TenantFacts tenant, CredentialRows rows, Func<IReadOnlyList<EntraAppCredential>, Task> onRows,
            CancellationToken cancellationToken)
        {
            var app = await GraphErrors.NullWhenNotFound(() => _session.Client.ApplicationsWithAppId(clientId)
                .GetAsync(c => c.QueryParameters.Select = Properties, cancellationToken)).ConfigureAwait(false);
            string escaped = clientId.Replace("'", "''");
            var sps = (await _session.Client.ServicePrincipals.GetAsync(c =>
            {
                c.QueryParameters.Filter = $"appId eq '{escaped}'";
                c.QueryParameters.Select = Properties;
            }, cancellationToken).ConfigureAwait(false))?.Value ?? new List<ServicePrincipal>();
            if (app == null && sps.Count == 0)
                throw new EntraAppKitException(ErrorIds.ApplicationNotFound, EntraErrorCategory.ObjectNotFound,
                    $"No application or service principal with client id {clientId} exists in tenant {tenant.InitialDomain}.");
            if (app != null) await Hand(rows.Of(new List<Application> { app }), onRows).ConfigureAwait(false);
            await Hand(rows.Of(sps), onRows).ConfigureAwait(false);
        }

        /// <summary>Turns credentials into rows as of one instant, keeping those the filters ask for.</summary>
        private sealed class CredentialRows
        {
            private readonly string _tenantId;
            private readonly DateTimeOffset _now;
            private readonly int? _within;
            private readonly bool _expired;
            private readonly int _soonDays;

            public CredentialRows(string tenantId, DateTimeOffset now, int? within, bool expired)
            {
                _tenantId = tenantId;
                _now = now;
                _within = within;
                _expired = expired;
                _soonDays = within ?? DefaultExpiringSoonDays;
            }

            public IReadOnlyList<EntraAppCredential> Of(IEnumerable<Application>? apps) =>
                (apps ?? Enumerable.Empty<Application>()).SelectMany(a => Rows(a.DisplayName, a.AppId, "Application", a.Id, a.PasswordCredentials, a.KeyCredentials)).ToList();

            public IReadOnlyList<EntraAppCredential> Of(IEnumerable<ServicePrincipal>? sps) =>
                (sps ?? Enumerable.Empty<ServicePrincipal>()).SelectMany(s => Rows(s.DisplayName, s.AppId, "ServicePrincipal", s.Id, s.PasswordCredentials, s.KeyCredentials)).ToList();

            private IEnumerable<EntraAppCredential> Rows(string? name, string? appId, string objectType, string? id,
                List<PasswordCredential>? secrets, List<KeyCredential>? certificates)
            {
                var rows = (secrets ?? new List<PasswordCredential>()).Select(p => Row(name, appId, objectType, id, "Secret", p.KeyId, p.DisplayName, p.StartDateTime, p.EndDateTime, r => r.Hint = p.Hint))
                    .Concat((certificates ?? new List<KeyCredential>()).Select(k => Row(name, appId, objectType, id, "Certificate", k.KeyId, k.DisplayName, k.StartDateTime, k.EndDateTime, r =>
                    {
                        r.Thumbprint = k.CustomKeyIdentifier is { Length: > 0 } thumb ? BitConverter.ToString(thumb).Replace("-", "") : null;
                        r.Subject = k.DisplayName != null && k.DisplayName.Contains('=') ? k.DisplayName : null;
                    })));
                return rows.Where(Wanted).OrderBy(r => r.EndDateTime ?? DateTimeOffset.MaxValue);
            }

            private EntraAppCredential Row(string? name, string? appId, string objectType, string? id, string kind, Guid? keyId, string? displayName,
                DateTimeOffset? start, DateTimeOffset? end, Action<EntraAppCredential> more)
            {
                var row = new EntraAppCredential
                {
                    AppName = name ?? "",
                    ClientId = appId ?? "",
                    ObjectType = objectType,
                    ObjectId = id ?? "",
                    Kind = kind,
                    KeyId = keyId,
                    DisplayName = displayName,
                    StartDateTime = start,
                    EndDateTime = end,
                    DaysLeft = end == null ? (int?)null : DaysLeft(end.Value, _now),
                    Status = StatusOf(end, _now, _soonDays),
                    TenantId = _tenantId,
                };
                more(row);
                return row;
            }

            /// <summary>-ExpiringWithinDays: not expired, ends within the window; -Expired: expired; both: either; neither: all.</summary>
            private bool Wanted(EntraAppCredential row)
            {
                if (_within == null && !_expired) return true;
                bool isExpired = row.Status == "Expired";
                return (_expired && isExpired) || (_within != null && !isExpired && row.EndDateTime <= _now.AddDays(_within.Value));
            }
        }

        /// <summary>Whole days from <paramref name="now"/> to <paramref name="end"/>, rounded down: 29.9 days is 29, a minute past the end is -1.</summary>
        public static int DaysLeft(DateTimeOffset end, DateTimeOffset now) => (int)Math.Floor((end - now).TotalDays);

        /// <summary>Expired at or after its end; ExpiringSoon when it ends within <paramref name="soonDays"/> days (inclusive); else Valid.</summary>
        public static string StatusOf(DateTimeOffset? end, DateTimeOffset now, int soonDays) =>
            end == null ? "Valid" : end.Value <= now ? "Expired" : end.Value <= now.AddDays(soonDays) ? "ExpiringSoon" : "Valid";
    }
}
