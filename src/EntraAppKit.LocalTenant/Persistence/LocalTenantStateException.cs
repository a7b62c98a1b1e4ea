using System;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>The local tenant's state file could not be used.</summary>
    public sealed class LocalTenantStateException : Exception
    {
        public LocalTenantStateException(string message) : base(message) { }
    }
}
