namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>A part of the store that can record one write's changes and undo them.</summary>
    internal interface IRecordsChanges
    {
        /// <summary>Starts a write that records (<paramref name="record"/> true) or a read; an earlier recording is forgotten.</summary>
        void BeginChanges(bool record);

        /// <summary>Puts back what the recorded write changed.</summary>
        void Rollback();
    }
}
