using EntraAppKit.LocalTenant.Store;

namespace EntraAppKit.LocalTenant.Persistence
{
    /// <summary>Where the store is saved, if anywhere: the engine saves after each successful write, and a few writes save themselves.</summary>
    internal sealed class TenantPersistence
    {
        private readonly ITenantStore _store;

        public TenantPersistence(ITenantStore store, string? path) { _store = store; Path = path; }

        /// <summary>The state file, or null for a tenant in memory only.</summary>
        public string? Path { get; }

        public void Save()
        {
            if (Path != null) StateFile.Save(Path, _store);
        }
    }
}
