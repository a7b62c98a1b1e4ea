using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>One directory collection, in creation order, with the instant each object becomes visible (replication lag).</summary>
    internal sealed class EntityTable
    {
        private readonly List<JsonObject> _items = new List<JsonObject>();
        private readonly Dictionary<string, JsonObject> _byId = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _visibleAt = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);

        public IEnumerable<JsonObject> All => _items;

        public int Count => _items.Count;

        public void Add(JsonObject item, DateTimeOffset visibleAt)
        {
            var id = (string)item["id"]!;
            _items.Add(item);
            _byId[id] = item;
            _visibleAt[id] = visibleAt;
        }

        public JsonObject? Find(string id) => _byId.TryGetValue(id, out var o) ? o : null;

        public bool IsVisible(string id, DateTimeOffset now) => _visibleAt.TryGetValue(id, out var at) && at <= now;

        public IEnumerable<JsonObject> Visible(DateTimeOffset now) => _items.Where(i => IsVisible((string)i["id"]!, now));

        public bool Remove(string id)
        {
            if (!_byId.TryGetValue(id, out var o)) return false;
            _items.Remove(o);
            _byId.Remove(id);
            _visibleAt.Remove(id);
            return true;
        }

        public int RemoveWhere(Func<JsonObject, bool> predicate)
        {
            var doomed = _items.Where(predicate).Select(i => (string)i["id"]!).ToList();
            foreach (var id in doomed) Remove(id);
            return doomed.Count;
        }
    }
}
