using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EntraAppKit.LocalTenant.Model;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>
    /// One directory collection, in creation order, with the instant each object becomes visible (replication lag) and the
    /// secondary indexes the store looks it up by. While it records changes (a write to a tenant with a state file), it keeps
    /// the state before the write of every entity it adds, removes or hands out by a lookup: enough to save only what changed
    /// and to undo a write that failed, without reading the file again.
    /// </summary>
    internal sealed class EntityTable<TEntity> : IRecordsChanges where TEntity : Entity
    {
        private readonly List<TEntity> _items = new List<TEntity>();
        private readonly Dictionary<string, TEntity> _byId = new Dictionary<string, TEntity>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _visibleAt = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        private readonly List<EntityIndex<TEntity>> _indexes = new List<EntityIndex<TEntity>>();
        private readonly Func<TEntity, bool> _recordedElsewhere;
        private Dictionary<string, Before>? _changes; // null: not recording
        private long _nextSequence;

        /// <param name="recordedElsewhere">Entities whose changes the store records its own way (the built-in principal, too big to copy per write).</param>
        public EntityTable(Func<TEntity, bool>? recordedElsewhere = null) { _recordedElsewhere = recordedElsewhere ?? (_ => false); }

        /// <summary>Every entity in creation order. Not a lookup: handlers change only what they looked up (<see cref="Find"/>, Touch).</summary>
        public IEnumerable<TEntity> All => _items;

        public int Count => _items.Count;

        /// <summary>Declares an index on a string key of the entity; the table keeps it current on add, remove and <see cref="Reindex"/>.</summary>
        public EntityIndex<TEntity> AddIndex(Func<TEntity, string?> key) =>
            AddIndex(item => key(item) is string k ? new[] { k } : Array.Empty<string>());

        /// <summary>Declares an index on several keys of the entity (each of its identifierUris…).</summary>
        public EntityIndex<TEntity> AddIndex(Func<TEntity, IEnumerable<string>> keys)
        {
            var index = new EntityIndex<TEntity>(keys);
            foreach (var item in _items) index.Add(item);
            _indexes.Add(index);
            return index;
        }

        public void Add(TEntity item, DateTimeOffset visibleAt)
        {
            if (_changes != null && !_changes.ContainsKey(item.Id)) _changes[item.Id] = Before.Absent;
            Insert(item, _nextSequence++, visibleAt);
        }

        public TEntity? Find(string id) => Touch(_byId.TryGetValue(id, out var o) ? o : null);

        /// <summary>Hands out an entity found by an index: while recording, it may change, so its state before the write is kept.</summary>
        public TEntity? Touch(TEntity? item)
        {
            if (item != null && _changes != null && !_changes.ContainsKey(item.Id) && !_recordedElsewhere(item))
                _changes[item.Id] = new Before(item, (JsonObject)item.Json.DeepClone(), _visibleAt[item.Id]);
            return item;
        }

        public IReadOnlyList<TEntity> Touch(IReadOnlyList<TEntity> items)
        {
            if (_changes != null) foreach (var item in items) Touch(item);
            return items;
        }

        public bool IsVisible(string id, DateTimeOffset now) => _visibleAt.TryGetValue(id, out var at) && at <= now;

        public IEnumerable<TEntity> Visible(DateTimeOffset now) => _items.Where(i => IsVisible(i.Id, now));

        public bool Remove(string id)
        {
            if (!_byId.TryGetValue(id, out var o)) return false;
            Touch(o);
            _items.RemoveAt(PositionOf(o.Sequence));
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
            _items.Clear();
            _byId.Clear();
            _visibleAt.Clear();
            foreach (var index in _indexes) index.Clear();
            _changes = null;
            foreach (var item in items) Insert(item, _nextSequence++, previous.TryGetValue(item.Id, out var at) ? at : visibleAtIfNew(item.Id));
        }

        /// <summary>Re-reads the indexed keys of an entity whose JSON changed in place.</summary>
        public void Reindex(TEntity item)
        {
            foreach (var index in _indexes) index.Refresh(item);
        }

        /// <summary>
        /// Takes the saved state of an entity another process wrote (the state file's journal): its JSON replaces the one held
        /// in place, keeping its position and lag; a new one is visible at once.
        /// </summary>
        public void Upsert(TEntity saved)
        {
            if (_byId.TryGetValue(saved.Id, out var held))
            {
                CopyInto(held.Json, saved.Json);
                Reindex(held);
            }
            else Insert(saved, _nextSequence++, DateTimeOffset.MinValue);
        }

        // ----- Recording a write -----

        /// <summary>Starts a write (<paramref name="record"/> true) or a read; what an earlier one recorded is forgotten.</summary>
        public void BeginChanges(bool record) =>
            _changes = record ? new Dictionary<string, Before>(StringComparer.OrdinalIgnoreCase) : null;

        /// <summary>
        /// What the write changed, in creation order: the entity as it is now, or null (the id, removed). An entity looked up
        /// and left as it was is not listed.
        /// </summary>
        public IEnumerable<KeyValuePair<string, TEntity?>> Changed()
        {
            if (_changes == null) yield break;
            var changed = new List<KeyValuePair<string, TEntity?>>();
            foreach (var kv in _changes)
            {
                var now = _byId.TryGetValue(kv.Key, out var o) ? o : null;
                var before = kv.Value;
                if (now == null) { if (before.Entity != null) changed.Add(new KeyValuePair<string, TEntity?>(kv.Key, null)); }
                else if (before.Entity == null || !ReferenceEquals(now, before.Entity) || !JsonNode.DeepEquals(now.Json, before.Json))
                    changed.Add(new KeyValuePair<string, TEntity?>(kv.Key, now));
            }
            foreach (var kv in changed.OrderBy(kv => kv.Value?.Sequence ?? -1)) yield return kv;
        }

        /// <summary>Puts every entity the write recorded back as it was before it, in its place and with its lag.</summary>
        public void Rollback()
        {
            if (_changes == null) return;
            var changes = _changes;
            _changes = null;
            foreach (var kv in changes)
            {
                var now = _byId.TryGetValue(kv.Key, out var o) ? o : null;
                var before = kv.Value;
                if (now != null && !ReferenceEquals(now, before.Entity)) Remove(kv.Key);
                if (before.Entity == null) continue;
                CopyInto(before.Entity.Json, before.Json!);
                if (_byId.ContainsKey(kv.Key)) Reindex(before.Entity);
                else Insert(before.Entity, before.Entity.Sequence, before.VisibleAt);
            }
        }

        private void Insert(TEntity item, long sequence, DateTimeOffset visibleAt)
        {
            item.Sequence = sequence;
            if (sequence >= _nextSequence) _nextSequence = sequence + 1;
            int at = _items.Count > 0 && _items[_items.Count - 1].Sequence > sequence ? ~PositionOf(sequence) : _items.Count;
            _items.Insert(at, item);
            _byId[item.Id] = item;
            _visibleAt[item.Id] = visibleAt;
            foreach (var index in _indexes) index.Add(item);
        }

        /// <summary>The position of <paramref name="sequence"/> in creation order (its complement where it would go, as BinarySearch).</summary>
        private int PositionOf(long sequence)
        {
            int lo = 0, hi = _items.Count - 1;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                long s = _items[mid].Sequence;
                if (s == sequence) return mid;
                if (s < sequence) lo = mid + 1; else hi = mid - 1;
            }
            return ~lo;
        }

        private static void CopyInto(JsonObject target, JsonObject source)
        {
            target.Clear();
            foreach (var kv in source.ToList()) target[kv.Key] = kv.Value?.DeepClone();
        }

        /// <summary>An entity's state before the write: null <see cref="Entity"/> when the write added it.</summary>
        private sealed class Before
        {
            public static readonly Before Absent = new Before(null, null, DateTimeOffset.MinValue);

            public Before(TEntity? entity, JsonObject? json, DateTimeOffset visibleAt) { Entity = entity; Json = json; VisibleAt = visibleAt; }

            public TEntity? Entity { get; }
            public JsonObject? Json { get; }
            public DateTimeOffset VisibleAt { get; }
        }
    }
}
