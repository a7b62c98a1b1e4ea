using System;
using EntraAppKit.LocalTenant.Faults;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>The tenant's clock, and when an object created now becomes visible to later requests (replication lag).</summary>
    internal sealed class TenantClock
    {
        private readonly Func<DateTimeOffset> _now;
        private readonly FaultInjection _faults;

        public TenantClock(Func<DateTimeOffset> now, FaultInjection faults) { _now = now; _faults = faults; }

        public DateTimeOffset Now => _now();

        public DateTimeOffset VisibleAt => _now() + _faults.ReplicationLag;
    }
}
