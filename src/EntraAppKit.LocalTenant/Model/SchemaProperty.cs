namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>One structural property of a <see cref="SchemaType"/>: its Edm or schema type, and whether it is a collection or nullable.</summary>
    public sealed class SchemaProperty
    {
        public SchemaProperty(string name, string type, bool collection, bool nullable)
        {
            Name = name; Type = type; Collection = collection; Nullable = nullable;
        }

        public string Name { get; }
        public string Type { get; }
        public bool Collection { get; }
        public bool Nullable { get; }
    }
}
