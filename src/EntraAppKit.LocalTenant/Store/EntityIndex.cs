using System;
using System.Collections.Generic;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>
    /// Entities by one string key (appId, uniqueName, clientId…), compared without regard to case like directory keys. Each
    /// key's entities stay in creation order, so the first one is the one a scan of the table would have found.
    /// </summary>
    internal sealed class EntityIndex<TEntity> where TEntity : Entity
    {
        private static readonly IReadOnlyList<TEntity> None = new TEntity[0];

        private readonly Func<TEntity, string?> _key;
        private readonly Dictionary<string, List<TEntity>> _byKey = new Dictionary<string, List<TEntity>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<TEntity, string> _keyOf = new Dictionary<TEntity, string>();

        public EntityIndex(Func<TEntity, string?> key) { _key = key; }

        /// <summary>The first entity (in creation order) with this key, or null.</summary>
        public TEntity? First(string key) => _byKey.TryGetValue(key, out var list) ? list[0] : null;

        /// <summary>Every entity with this key, in creation order.</summary>
        public IReadOnlyList<TEntity> All(string key) => _byKey.TryGetValue(key, out var list) ? list : None;

        internal void Add(TEntity item)
        {
            string? key = _key(item);
            if (key == null) return;
            if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = new List<TEntity>();
            int at = list.Count;
            while (at > 0 && list[at - 1].Sequence > item.Sequence) at--;
            list.Insert(at, item);
            _keyOf[item] = key;
        }

        internal void Remove(TEntity item)
        {
            if (!_keyOf.TryGetValue(item, out var key)) return;
            var list = _byKey[key];
            list.Remove(item);
            if (list.Count == 0) _byKey.Remove(key);
            _keyOf.Remove(item);
        }

        internal void Refresh(TEntity item)
        {
            Remove(item);
            Add(item);
        }
    }
}
