using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>
    /// One directory collection, in creation order, with the instant each object becomes visible (replication lag) and the
    /// secondary indexes the store looks it up by.
    /// </summary>
    internal sealed class EntityTable<TEntity> where TEntity : Entity
    {
        private readonly List<TEntity> _items = new List<TEntity>();
        private readonly Dictionary<string, TEntity> _byId = new Dictionary<string, TEntity>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _visibleAt = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        private readonly List<EntityIndex<TEntity>> _indexes = new List<EntityIndex<TEntity>>();
        private long _nextSequence;

        public IEnumerable<TEntity> All => _items;

        /// <summary>Declares an index on a string key of the entity; the table keeps it current on add, remove and <see cref="Reindex"/>.</summary>
        public EntityIndex<TEntity> AddIndex(Func<TEntity, string?> key)
        {
            var index = new EntityIndex<TEntity>(key);
            foreach (var item in _items) index.Add(item);
            _indexes.Add(index);
            return index;
        }

        public void Add(TEntity item, DateTimeOffset visibleAt)
        {
            item.Sequence = _nextSequence++;
            _items.Add(item);
            _byId[item.Id] = item;
            _visibleAt[item.Id] = visibleAt;
            foreach (var index in _indexes) index.Add(item);
        }

        public TEntity? Find(string id) => _byId.TryGetValue(id, out var o) ? o : null;

        public bool IsVisible(string id, DateTimeOffset now) => _visibleAt.TryGetValue(id, out var at) && at <= now;

        public IEnumerable<TEntity> Visible(DateTimeOffset now) => _items.Where(i => IsVisible(i.Id, now));

        public bool Remove(string id)
        {
            if (!_byId.TryGetValue(id, out var o)) return false;
            _items.Remove(o);
            _byId.Remove(id);
            _visibleAt.Remove(id);
            foreach (var index in _indexes) index.Remove(o);
            return true;
        }

        public void RemoveWhere(Func<TEntity, bool> predicate)
        {
            foreach (var id in _items.Where(predicate).Select(i => i.Id).ToList()) Remove(id);
        }

        /// <summary>
        /// Replaces every entity with <paramref name="items"/> (in their order), keeping the visibility instant of each id the
        /// table already had: replication lag a client is waiting out survives a reload of the state file.
        /// </summary>
        public void ReplaceAll(IEnumerable<TEntity> items, Func<string, DateTimeOffset> visibleAtIfNew)
        {
            var previous = new Dictionary<string, DateTimeOffset>(_visibleAt, StringComparer.OrdinalIgnoreCase);
            foreach (var id in _items.Select(i => i.Id).ToList()) Remove(id);
            foreach (var item in items) Add(item, previous.TryGetValue(item.Id, out var at) ? at : visibleAtIfNew(item.Id));
        }

        /// <summary>Re-reads the indexed keys of an entity whose JSON changed in place.</summary>
        public void Reindex(TEntity item)
        {
            foreach (var index in _indexes) index.Refresh(item);
        }
    }
}
