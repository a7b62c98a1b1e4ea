using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>
    /// Entities by a string key (appId, uniqueName, clientId, each of an application's identifierUris…), compared without
    /// regard to case like directory keys. Each key's entities stay in creation order, so the first one is the one a scan of
    /// the table would have found.
    /// </summary>
    internal sealed class EntityIndex<TEntity> where TEntity : Entity
    {
        private static readonly IReadOnlyList<TEntity> None = new TEntity[0];

        private readonly Func<TEntity, IEnumerable<string>> _keys;
        private readonly Dictionary<string, List<TEntity>> _byKey = new Dictionary<string, List<TEntity>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<TEntity, string[]> _keysOf = new Dictionary<TEntity, string[]>();

        /// <param name="keys">The entity's keys; an entity is listed once under each distinct one.</param>
        public EntityIndex(Func<TEntity, IEnumerable<string>> keys) { _keys = keys; }

        /// <summary>The first entity (in creation order) with this key, or null.</summary>
        public TEntity? First(string key) => _byKey.TryGetValue(key, out var list) ? list[0] : null;

        /// <summary>Every entity with this key, in creation order.</summary>
        public IReadOnlyList<TEntity> All(string key) => _byKey.TryGetValue(key, out var list) ? list : None;

        internal void Add(TEntity item)
        {
            var keys = _keys(item).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (keys.Length == 0) return;
            foreach (var key in keys)
            {
                if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = new List<TEntity>();
                int at = list.Count;
                while (at > 0 && list[at - 1].Sequence > item.Sequence) at--;
                list.Insert(at, item);
            }
            _keysOf[item] = keys;
        }

        internal void Remove(TEntity item)
        {
            if (!_keysOf.TryGetValue(item, out var keys)) return;
            foreach (var key in keys)
            {
                var list = _byKey[key];
                list.Remove(item);
                if (list.Count == 0) _byKey.Remove(key);
            }
            _keysOf.Remove(item);
        }

        internal void Clear()
        {
            _byKey.Clear();
            _keysOf.Clear();
        }

        internal void Refresh(TEntity item)
        {
            Remove(item);
            Add(item);
        }
    }
}
