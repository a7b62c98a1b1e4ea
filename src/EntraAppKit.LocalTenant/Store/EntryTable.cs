using System;
using System.Collections.Generic;
using System.Linq;

namespace EntraAppKit.LocalTenant.Store
{
    /// <summary>
    /// Values by a directory key (secret hashes by keyId, owners by object id, password hashes by user id). Values are never
    /// changed in place (a changed owners list is a new list), so a write's changes are the keys whose value is another object
    /// than before it. While recording, the value before the write is kept for every key set or removed.
    /// </summary>
    internal sealed class EntryTable<TValue> : IRecordsChanges where TValue : class
    {
        private readonly Dictionary<string, TValue> _entries = new Dictionary<string, TValue>(StringComparer.OrdinalIgnoreCase);
        private Dictionary<string, TValue?>? _before; // null: not recording

        public IEnumerable<KeyValuePair<string, TValue>> All => _entries;

        public IEnumerable<TValue> Values => _entries.Values;

        public TValue? Find(string key) => _entries.TryGetValue(key, out var value) ? value : null;

        public void Set(string key, TValue value)
        {
            Record(key);
            _entries[key] = value;
        }

        public bool Remove(string key)
        {
            if (!_entries.ContainsKey(key)) return false;
            Record(key);
            return _entries.Remove(key);
        }

        public void RemoveWhere(Func<KeyValuePair<string, TValue>, bool> predicate)
        {
            foreach (var key in _entries.Where(predicate).Select(kv => kv.Key).ToList()) Remove(key);
        }

        public void ReplaceAll(IEnumerable<KeyValuePair<string, TValue>> entries)
        {
            _entries.Clear();
            _before = null;
            foreach (var kv in entries) _entries[kv.Key] = kv.Value;
        }

        public void BeginChanges(bool record) =>
            _before = record ? new Dictionary<string, TValue?>(StringComparer.OrdinalIgnoreCase) : null;

        /// <summary>The keys the write changed, with their value now (null: removed).</summary>
        public IEnumerable<KeyValuePair<string, TValue?>> Changed()
        {
            if (_before == null) yield break;
            foreach (var kv in _before)
            {
                var now = Find(kv.Key);
                if (!ReferenceEquals(now, kv.Value)) yield return new KeyValuePair<string, TValue?>(kv.Key, now);
            }
        }

        public void Rollback()
        {
            if (_before == null) return;
            foreach (var kv in _before)
            {
                if (kv.Value == null) _entries.Remove(kv.Key);
                else _entries[kv.Key] = kv.Value;
            }
            _before = null;
        }

        private void Record(string key)
        {
            if (_before != null && !_before.ContainsKey(key)) _before[key] = Find(key);
        }
    }
}
