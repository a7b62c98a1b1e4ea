using System;
using System.Text.Json.Nodes;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>
    /// A directory object as the store holds it. Its JSON is the wire truth: Graph answers are projections of it; the typed
    /// views only name the keys every handler used to read by string.
    /// </summary>
    internal abstract class Entity
    {
        protected Entity(JsonObject json)
        {
            Json = json;
            Id = (string)json["id"]!;
        }

        public JsonObject Json { get; }

        /// <summary>Read once: an id never changes, and reading it from the JSON each time costs a string per lookup.</summary>
        public string Id { get; }

        /// <summary>The order the store added it in; indexes keep their entries in this order, as lists are.</summary>
        internal long Sequence { get; set; }

        /// <summary>A string property, or null when it is missing, null or not a string.</summary>
        protected string? Text(string name) => TextOf(Json[name]);

        /// <summary>A JSON string's value, or null for anything else.</summary>
        public static string? TextOf(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

        /// <summary>Directory keys (ids, appIds, uniqueNames) compare without regard to case.</summary>
        public static bool SameKey(string? a, string? b) => a != null && b != null && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
