using System;

namespace EntraAppKit.LocalTenant.Identity
{
    /// <summary>A device authorization waiting to be redeemed.</summary>
    internal sealed class PendingDeviceCode
    {
        /// <summary>Entra's device codes live 15 minutes (expires_in 900).</summary>
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

        /// <summary>How much earlier than the interval a poll may come and still count as after it (timer and clock granularity).</summary>
        private static readonly TimeSpan PollTimerSlack = TimeSpan.FromMilliseconds(100);

        public PendingDeviceCode(string clientId, string userCode, ScopeRequest scopes, DateTimeOffset issued, int interval, bool requiresApproval)
        {
            ClientId = clientId; UserCode = userCode; Scopes = scopes; Issued = issued; Interval = interval; RequiresApproval = requiresApproval;
        }

        public string ClientId { get; }

        /// <summary>What the user would enter at the verification page; the administrator approves the code by it.</summary>
        public string UserCode { get; }

        /// <summary>
        /// Whether the administrator must approve the code (a tenant that requires authentication): otherwise anyone on the
        /// machine could obtain a Global Administrator token with no credential at all.
        /// </summary>
        public bool RequiresApproval { get; }

        /// <summary>When the administrator approved it, or null.</summary>
        public DateTimeOffset? Approved { get; set; }

        public ScopeRequest Scopes { get; }
        public DateTimeOffset Issued { get; }
        public int Interval { get; }
        public DateTimeOffset Expires => Issued + Lifetime;

        /// <summary>
        /// When the administrator has signed in. Without approval: one interval after the code was issued, so the poll a client
        /// makes after waiting the interval succeeds (its timer may end a little before the tenant's clock agrees, hence the
        /// slack). With approval: when it was approved, and never before.
        /// </summary>
        public DateTimeOffset SignedIn => RequiresApproval
            ? Approved ?? DateTimeOffset.MaxValue
            : Issued + TimeSpan.FromSeconds(Interval) - PollTimerSlack;
    }
}
