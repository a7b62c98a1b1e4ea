using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Model
{
    /// <summary>One entity or complex type of the schema subset, with its declared properties.</summary>
    public sealed class SchemaType
    {
        public SchemaType(string name, string kind, string? baseType, IReadOnlyList<SchemaProperty> properties, IReadOnlyList<string> navigationProperties)
        {
            Name = name; Kind = kind; BaseType = baseType; Properties = properties; NavigationProperties = navigationProperties;
        }

        public string Name { get; }
        public string Kind { get; }
        public string? BaseType { get; }
        public IReadOnlyList<SchemaProperty> Properties { get; }
        public IReadOnlyList<string> NavigationProperties { get; }
    }
}
