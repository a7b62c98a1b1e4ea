using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Graph;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Tenants;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace EntraAppKit.Core.Operations
{
    /// <summary>
    /// Get-EntraTenantAppPolicy and Set-EntraTenantAppPolicy: the tenant's app registration and consent settings, read from
    /// Microsoft Graph's authorizationPolicy (learn.microsoft.com/graph/api/authorizationpolicy-get) and adminConsentRequestPolicy
    /// (adminconsentrequestpolicy-get), and changed by a plan of only what differs: PATCH /policies/authorizationPolicy with the
    /// changed defaultUserRolePermissions members (authorizationpolicy-update), PUT /policies/adminConsentRequestPolicy
    /// (adminconsentrequestpolicy-update). The user consent setting is defaultUserRolePermissions.permissionGrantPoliciesAssigned
    /// in v1.0 (the beta's permissionGrantPolicyIdsAssignedToDefaultUserRole is not in the v1.0 schema); only its
    /// "ManagePermissionGrantsForSelf." entries are user consent, the others (group owners' consent) are kept as they are
    /// (learn.microsoft.com/entra/identity/enterprise-apps/configure-user-consent, Microsoft Graph pivot).
    /// </summary>
    public sealed class TenantAppPolicyOperation
    {
        public const string DoNotAllow = "DoNotAllow";
        public const string LowImpact = "LowImpact";
        public const string AllowAll = "AllowAll";
        public const string Custom = "Custom";

        private const string ForSelf = "ManagePermissionGrantsForSelf.";

        /// <summary>The friendly user consent values and the policy each assigns (none for DoNotAllow).</summary>
        private static readonly Dictionary<string, string?> ConsentPolicies = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [DoNotAllow] = null,
            [LowImpact] = ForSelf + "microsoft-user-default-low",
            [AllowAll] = ForSelf + "microsoft-user-default-legacy",
        };

        /// <summary>The portal's default and bounds of "Consent request expires after (days)" (configure-admin-consent-workflow).</summary>
        public const int DefaultRequestDurationDays = 30;

        private readonly GraphSession _session;
        private readonly TenantReader _reader;

        public TenantAppPolicyOperation(GraphSession session, LagRetryPolicy? retry = null)
        {
            _session = session ?? throw new ArgumentNullException(nameof(session));
            _reader = new TenantReader(session, retry ?? new LagRetryPolicy());
        }

        /// <summary>The tenant's settings now.</summary>
        public Task<TenantAppPolicy> GetAsync(CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Reading the tenant's app policy", async () => (await ReadAsync(cancellationToken).ConfigureAwait(false)).Shape());

        /// <summary>What the settings change: nothing is written; a value the tenant already has is no change.</summary>
        public Task<TenantAppPolicyPlan> PlanAsync(TenantAppPolicySettings settings, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Planning the tenant's app policy", async () =>
            {
                if (settings == null) throw new ArgumentNullException(nameof(settings));
                if (settings.UserConsent != null && !ConsentPolicies.ContainsKey(settings.UserConsent))
                    throw new EntraAppKitException(ErrorIds.InvalidTenantAppPolicy, EntraErrorCategory.InvalidArgument,
                        $"UserConsent '{settings.UserConsent}' is not one of {string.Join(", ", ConsentPolicies.Keys)}.");
                if (settings.AdminConsentRequestDurationDays is int d && (d < 1 || d > 30))
                    throw new EntraAppKitException(ErrorIds.InvalidTenantAppPolicy, EntraErrorCategory.InvalidArgument,
                        $"AdminConsentRequestDurationDays must be 1 to 30 (the portal's 'Consent request expires after (days)'), not {d}.");
                var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
                var now = current.Shape();
                var changes = new List<PlannedChange>();
                string tenant = current.Tenant.InitialDomain.Length > 0 ? current.Tenant.InitialDomain : current.Tenant.TenantId;
                void Change(string policy, string name, object? from, object? to) =>
                    changes.Add(new PlannedChange($"the {policy} of tenant {tenant}", "Change " + name, $"Change {name} of tenant {tenant} from {Text(from)} to {Text(to)}"));

                // The authorization policy: only the members that differ.
                var permissions = new DefaultUserRolePermissions();
                bool patch = false;
                if (settings.UsersCanRegisterApps is bool apps && apps != now.UsersCanRegisterApps)
                { Change("authorization policy", "UsersCanRegisterApps", now.UsersCanRegisterApps, apps); permissions.AllowedToCreateApps = apps; patch = true; }
                if (settings.UserConsent != null)
                {
                    string wanted = ConsentPolicies.Keys.First(k => string.Equals(k, settings.UserConsent, StringComparison.OrdinalIgnoreCase));
                    var assigned = ConsentPolicies[wanted];
                    var next = current.Assigned.Where(a => !a.StartsWith(ForSelf, StringComparison.OrdinalIgnoreCase)).ToList();
                    if (assigned != null) next.Add(assigned);
                    var nowForSelf = current.Assigned.Where(a => a.StartsWith(ForSelf, StringComparison.OrdinalIgnoreCase)).ToList();
                    bool same = nowForSelf.Count == (assigned == null ? 0 : 1) && (assigned == null || string.Equals(nowForSelf[0], assigned, StringComparison.OrdinalIgnoreCase));
                    if (!same)
                    {
                        Change("authorization policy", "UserConsent", now.UserConsent == Custom ? $"Custom ({string.Join(", ", now.UserConsentPolicies)})" : now.UserConsent, wanted);
                        permissions.PermissionGrantPoliciesAssigned = next;
                        patch = true;
                    }
                }
                if (settings.UsersCanCreateTenants is bool tenants && tenants != now.UsersCanCreateTenants)
                { Change("authorization policy", "UsersCanCreateTenants", now.UsersCanCreateTenants, tenants); permissions.AllowedToCreateTenants = tenants; patch = true; }
                if (settings.UsersCanCreateSecurityGroups is bool groups && groups != now.UsersCanCreateSecurityGroups)
                { Change("authorization policy", "UsersCanCreateSecurityGroups", now.UsersCanCreateSecurityGroups, groups); permissions.AllowedToCreateSecurityGroups = groups; patch = true; }

                // The admin consent request policy: the whole object, when anything in it differs.
                bool enabled = settings.AdminConsentWorkflow ?? now.AdminConsentWorkflow;
                var reviewers = current.Reviewers;
                if (settings.AdminConsentReviewers != null)
                {
                    reviewers = new List<Reviewer>();
                    foreach (var name in settings.AdminConsentReviewers.Distinct(StringComparer.OrdinalIgnoreCase))
                    {
                        var user = await FindUserAsync(name, cancellationToken).ConfigureAwait(false)
                            ?? throw new EntraAppKitException(ErrorIds.ReviewerNotFound, EntraErrorCategory.ObjectNotFound,
                                $"Nothing was changed: reviewer '{name}' is not a user of tenant {tenant}. Name reviewers by user principal name or object id.");
                        if (!reviewers.Any(r => r.UserId == user.Id)) reviewers.Add(new Reviewer("/users/" + user.Id, user.Id, user.UserPrincipalName ?? user.Id!));
                    }
                }
                if (enabled && reviewers.Count == 0)
                    throw new EntraAppKitException(ErrorIds.InvalidTenantAppPolicy, EntraErrorCategory.InvalidArgument,
                        $"Nothing was changed: the admin consent workflow of tenant {tenant} needs at least one reviewer (configure-admin-consent-workflow). Give -AdminConsentReviewer.");
                int days = settings.AdminConsentRequestDurationDays ?? (enabled && now.AdminConsentRequestDurationDays == 0 ? DefaultRequestDurationDays : now.AdminConsentRequestDurationDays);
                bool notify = settings.AdminConsentNotifyReviewers ?? now.AdminConsentNotifyReviewers;
                bool remind = settings.AdminConsentReminders ?? now.AdminConsentReminders;
                bool put = false;
                if (enabled != now.AdminConsentWorkflow) { Change("admin consent request policy", "AdminConsentWorkflow", now.AdminConsentWorkflow, enabled); put = true; }
                var before = current.Reviewers.Select(r => r.Query).OrderBy(q => q, StringComparer.OrdinalIgnoreCase);
                if (!before.SequenceEqual(reviewers.Select(r => r.Query).OrderBy(q => q, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
                { Change("admin consent request policy", "AdminConsentReviewers", now.AdminConsentReviewers, reviewers.Select(r => r.Name).ToArray()); put = true; }
                if (notify != now.AdminConsentNotifyReviewers) { Change("admin consent request policy", "AdminConsentNotifyReviewers", now.AdminConsentNotifyReviewers, notify); put = true; }
                if (remind != now.AdminConsentReminders) { Change("admin consent request policy", "AdminConsentReminders", now.AdminConsentReminders, remind); put = true; }
                if (days != now.AdminConsentRequestDurationDays) { Change("admin consent request policy", "AdminConsentRequestDurationDays", now.AdminConsentRequestDurationDays, days); put = true; }

                var requestPolicy = put ? new AdminConsentRequestPolicy
                {
                    IsEnabled = enabled,
                    NotifyReviewers = notify,
                    RemindersEnabled = remind,
                    RequestDurationInDays = days,
                    Reviewers = reviewers.Select(r => new AccessReviewReviewerScope { Query = r.Query, QueryType = "MicrosoftGraph" }).ToList(),
                } : null;
                var caller = changes.Count > 0 ? await _reader.ReadCallerAsync(cancellationToken).ConfigureAwait(false) : null;
                return new TenantAppPolicyPlan(current.Tenant.TenantId, changes, patch ? new AuthorizationPolicy { DefaultUserRolePermissions = permissions } : null, requestPolicy, caller);
            });

        /// <summary>
        /// Checks the caller's token (least privilege: Policy.ReadWrite.Authorization for the authorization policy, with the
        /// Privileged Role Administrator role as a user; Policy.ReadWrite.ConsentRequest for the admin consent request policy,
        /// with Application or Cloud Application Administrator as a user) before any write, makes the planned writes, and
        /// reads the settings back.
        /// </summary>
        public Task<TenantAppPolicy> ApplyAsync(TenantAppPolicyPlan plan, CancellationToken cancellationToken = default) =>
            GraphErrors.Guard("Changing the tenant's app policy", async () =>
            {
                if (plan == null) throw new ArgumentNullException(nameof(plan));
                if (plan.Caller != null) PermissionPreflight.Check(plan.Caller, Needs(plan));
                if (plan.AuthorizationPatch != null)
                    await _session.Client.Policies.AuthorizationPolicy.PatchAsync(plan.AuthorizationPatch, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (plan.RequestPolicy != null)
                {
                    // adminconsentrequestpolicy-update is a PUT; the SDK's request builder offers PATCH, so its request is sent as PUT.
                    var request = _session.Client.Policies.AdminConsentRequestPolicy.ToPatchRequestInformation(plan.RequestPolicy);
                    request.HttpMethod = Method.PUT;
                    var errors = new Dictionary<string, ParsableFactory<IParsable>> { ["XXX"] = ODataError.CreateFromDiscriminatorValue };
                    await _session.Client.RequestAdapter.SendNoContentAsync(request, errors, cancellationToken).ConfigureAwait(false);
                }
                return (await ReadAsync(cancellationToken).ConfigureAwait(false)).Shape();
            });

        /// <summary>What the plan's writes need (the "Permissions" tables of authorizationpolicy-update and adminconsentrequestpolicy-update).</summary>
        internal static IEnumerable<(string Purpose, string[] AnyOf, string[] Roles)> Needs(TenantAppPolicyPlan plan)
        {
            if (plan.AuthorizationPatch != null)
                yield return ("to change the authorization policy", new[] { "Policy.ReadWrite.Authorization" },
                    new[] { DirectoryRoleNames.PrivilegedRoleAdministrator, DirectoryRoleNames.GlobalAdministrator });
            if (plan.RequestPolicy != null)
                yield return ("to change the admin consent workflow (adminConsentRequestPolicy)", new[] { "Policy.ReadWrite.ConsentRequest", "Directory.ReadWrite.All" },
                    new[] { DirectoryRoleNames.CloudApplicationAdministrator, DirectoryRoleNames.ApplicationAdministrator, DirectoryRoleNames.GlobalAdministrator });
        }

        private static string Text(object? value) => value switch
        {
            null => "(not set)",
            bool b => b ? "True" : "False",
            string[] list => list.Length == 0 ? "(none)" : string.Join(", ", list),
            _ => value.ToString() ?? "",
        };

        private Task<User?> FindUserAsync(string idOrUpn, CancellationToken cancellationToken) =>
            GraphErrors.NullWhenNotFound(() => _session.Client.Users[idOrUpn].GetAsync(c => c.QueryParameters.Select = new[] { "id", "userPrincipalName" }, cancellationToken));

        private async Task<Current> ReadAsync(CancellationToken cancellationToken)
        {
            var tenant = await _reader.ReadTenantAsync(cancellationToken).ConfigureAwait(false);
            var authorization = await _session.Client.Policies.AuthorizationPolicy.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new EntraAppKitException(ErrorIds.GraphRequestFailed, EntraErrorCategory.ObjectNotFound, "Graph returned no authorization policy.");
            var request = await _session.Client.Policies.AdminConsentRequestPolicy.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? new AdminConsentRequestPolicy { IsEnabled = false, NotifyReviewers = false, RemindersEnabled = false, RequestDurationInDays = 0, Reviewers = new List<AccessReviewReviewerScope>() };
            var reviewers = new List<Reviewer>();
            foreach (var scope in request.Reviewers ?? new List<AccessReviewReviewerScope>())
            {
                string query = scope.Query ?? "";
                string? id = query.StartsWith("/users/", StringComparison.OrdinalIgnoreCase) ? query.Substring("/users/".Length) : null;
                var user = id == null ? null : await FindUserAsync(id, cancellationToken).ConfigureAwait(false);
                reviewers.Add(new Reviewer(query, id, user?.UserPrincipalName ?? query));
            }
            return new Current(tenant, authorization, request, reviewers);
        }

        private sealed class Reviewer
        {
            public Reviewer(string query, string? userId, string name) { Query = query; UserId = userId; Name = name; }
            public string Query { get; }
            public string? UserId { get; }
            public string Name { get; }
        }

        private sealed class Current
        {
            public Current(TenantFacts tenant, AuthorizationPolicy authorization, AdminConsentRequestPolicy request, List<Reviewer> reviewers)
            {
                Tenant = tenant; Authorization = authorization; Request = request; Reviewers = reviewers;
                Assigned = authorization.DefaultUserRolePermissions?.PermissionGrantPoliciesAssigned ?? new List<string>();
            }

            public TenantFacts Tenant { get; }
            public AuthorizationPolicy Authorization { get; }
            public AdminConsentRequestPolicy Request { get; }
            public List<Reviewer> Reviewers { get; }
            public List<string> Assigned { get; }

            public TenantAppPolicy Shape()
            {
                var defaults = Authorization.DefaultUserRolePermissions;
                var forSelf = Assigned.Where(a => a.StartsWith(ForSelf, StringComparison.OrdinalIgnoreCase)).ToArray();
                string consent = forSelf.Length == 0 ? DoNotAllow
                    : forSelf.Length == 1 ? ConsentPolicies.FirstOrDefault(kv => kv.Value != null && string.Equals(kv.Value, forSelf[0], StringComparison.OrdinalIgnoreCase)).Key ?? Custom
                    : Custom;
                return new TenantAppPolicy
                {
                    TenantId = Tenant.TenantId,
                    UsersCanRegisterApps = defaults?.AllowedToCreateApps ?? true,
                    UserConsent = consent,
                    UserConsentPolicies = forSelf,
                    UsersCanCreateTenants = defaults?.AllowedToCreateTenants,
                    UsersCanCreateSecurityGroups = defaults?.AllowedToCreateSecurityGroups ?? true,
                    AdminConsentWorkflow = Request.IsEnabled ?? false,
                    AdminConsentReviewers = Reviewers.Select(r => r.Name).ToArray(),
                    AdminConsentNotifyReviewers = Request.NotifyReviewers ?? false,
                    AdminConsentReminders = Request.RemindersEnabled ?? false,
                    AdminConsentRequestDurationDays = Request.RequestDurationInDays ?? 0,
                };
            }
        }
    }
}
