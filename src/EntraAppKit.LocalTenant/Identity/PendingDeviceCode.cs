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

        public PendingDeviceCode(string clientId, ScopeRequest scopes, DateTimeOffset issued, int interval)
        {
            ClientId = clientId; Scopes = scopes; Issued = issued; Interval = interval;
        }

        public string ClientId { get; }
        public ScopeRequest Scopes { get; }
        public DateTimeOffset Issued { get; }
        public int Interval { get; }
        public DateTimeOffset Expires => Issued + Lifetime;

        /// <summary>
        /// When the simulated administrator has signed in: one interval after the code was issued, so the poll a client makes
        /// after waiting the interval succeeds. Its timer may end a little before the tenant's clock agrees, hence the slack.
        /// </summary>
        public DateTimeOffset SignedIn => Issued + TimeSpan.FromSeconds(Interval) - PollTimerSlack;
    }
}
