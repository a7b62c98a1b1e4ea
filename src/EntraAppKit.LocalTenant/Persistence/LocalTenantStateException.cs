using System;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>The local tenant's state file could not be used.</summary>
    public sealed class LocalTenantStateException : Exception
    {
        public LocalTenantStateException(string message, bool unusablePath = false) : base(message) { UnusablePath = unusablePath; }

        /// <summary>
        /// The path itself cannot name a state file (a folder, an empty name, a NUL): the caller's mistake, not a file that
        /// is damaged, locked or unreadable.
        /// </summary>
        public bool UnusablePath { get; }
    }
}
