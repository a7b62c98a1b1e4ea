using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Xunit;

namespace EntraAppKit.Tests.Module
{
    /// <summary>
    /// The packaged module ships Microsoft.Graph.dll trimmed to what the engine uses (tools/PackageTrimmer, the SDK's IL
    /// trimmer with EntraAppKit.Core as its root). These read the packaged files' metadata: every Graph type and member the
    /// engine's IL names is still there, every subtype a kept discriminator factory can create is still there, and the trimmed
    /// assembly needs nothing the untrimmed one did not (Windows PowerShell 5.1 loads it from the same Dependencies/).
    /// </summary>
    public class TrimmedGraphTests
    {
        private static readonly string Root = typeof(TrimmedGraphTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        private static readonly string Dependencies = Path.Combine(Root, "out", "EntraAppKit", typeof(TrimmedGraphTests).Assembly.GetName().Version!.ToString(3), "Dependencies");
        private static string PackagedGraph => Path.Combine(Dependencies, "Microsoft.Graph.dll");
        private static string PackagedCore => Path.Combine(Dependencies, "EntraAppKit.Core.dll");
        // The trimmer's input: the netstandard2.0 Microsoft.Graph.dll src/EntraAppKit's build copied (this test's own is net5.0).
        private static string UntrimmedGraph => Path.Combine(Root, "src", "EntraAppKit", "bin",
            typeof(TrimmedGraphTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "netstandard2.0", "Microsoft.Graph.dll");

        [Fact]
        public void The_packaged_Graph_is_trimmed()
        {
            Assert.True(File.Exists(PackagedGraph), "building src/EntraAppKit assembles out/EntraAppKit/<version>/Dependencies/Microsoft.Graph.dll");
            long trimmed = new FileInfo(PackagedGraph).Length, whole = new FileInfo(UntrimmedGraph).Length;
            Assert.True(trimmed * 4 < whole, $"Microsoft.Graph.dll is {trimmed} bytes in the package, {whole} untrimmed");
            using var graph = new Metadata(PackagedGraph);
            Assert.Equal("Microsoft.Graph", graph.Reader.GetString(graph.Reader.GetAssemblyDefinition().Name));
            Assert.Equal(typeof(Microsoft.Graph.GraphServiceClient).Assembly.GetName().Version, graph.Reader.GetAssemblyDefinition().Version);
        }

        [Fact]
        public void Every_Graph_type_and_member_the_engine_references_is_in_the_packaged_Graph()
        {
            using var core = new Metadata(PackagedCore);
            using var graph = new Metadata(PackagedGraph);
            var reader = core.Reader;
            var graphReference = reader.AssemblyReferences.Single(h => reader.GetString(reader.GetAssemblyReference(h).Name) == "Microsoft.Graph");

            var types = reader.TypeReferences.Where(h => ScopeOf(reader, h) == graphReference).ToList();
            var missingTypes = types.Select(h => Names.Of(reader, h)).Where(n => !graph.Types.ContainsKey(n)).ToList();
            Assert.True(missingTypes.Count == 0, "trimmed away but used by the engine: " + string.Join(", ", missingTypes));
            // The engine uses Graph widely: request builders, models, enums, collection responses.
            Assert.True(types.Count > 50, $"only {types.Count} Graph types referenced: is this the engine?");
            Assert.Contains("Microsoft.Graph.Models.Application", types.Select(h => Names.Of(reader, h)));

            int members = 0;
            var missingMembers = new List<string>();
            foreach (var handle in reader.MemberReferences)
            {
                var member = reader.GetMemberReference(handle);
                var parent = GraphTypeOf(reader, member.Parent, graphReference);
                if (parent == null) continue;
                members++;
                string name = reader.GetString(member.Name);
                string signature = member.GetKind() == MemberReferenceKind.Method
                    ? Names.Method(member.DecodeMethodSignature(Names.Provider, null))
                    : member.DecodeFieldSignature(Names.Provider, null);
                if (!graph.HasMember(parent, name, signature)) missingMembers.Add($"{parent}::{name} {signature}");
            }
            Assert.True(missingMembers.Count == 0, "trimmed away but called by the engine: " + string.Join(", ", missingMembers));
            Assert.True(members > 200, $"only {members} Graph members referenced");
        }

        [Fact]
        public void Every_subtype_a_kept_discriminator_factory_names_is_kept()
        {
            // Kiota's CreateFromDiscriminatorValue picks the derived type from @odata.type (directoryObject → application,
            // servicePrincipal, user, group… in owners/memberOf answers); a kept factory must find every one of them.
            using var whole = new Metadata(UntrimmedGraph);
            using var graph = new Metadata(PackagedGraph);
            var factories = graph.Types.Keys.Where(t => graph.HasMethodNamed(t, "CreateFromDiscriminatorValue")).ToHashSet();
            Assert.Contains("Microsoft.Graph.Models.DirectoryObject", factories);
            Assert.Contains("Microsoft.Graph.Models.Application", factories);
            var missing = new List<string>();
            foreach (var type in whole.Types.Keys)
            {
                if (graph.Types.ContainsKey(type) || !whole.HasMethodNamed(type, "CreateFromDiscriminatorValue")) continue;
                // A kept base whose factory (in the untrimmed Graph's IL) creates this type.
                var creator = whole.BaseTypesOf(type).Where(factories.Contains).FirstOrDefault(b => whole.FactoryCreates(b).Contains(type));
                if (creator != null) missing.Add($"{type} (created by {creator}.CreateFromDiscriminatorValue)");
            }
            Assert.True(missing.Count == 0, "a kept factory can answer with a type trimmed away: " + string.Join(", ", missing));
            Assert.Contains("Microsoft.Graph.Models.ServicePrincipal", graph.Types.Keys);
            Assert.Contains("Microsoft.Graph.Models.User", graph.Types.Keys);
        }

        [Fact]
        public void Kept_query_parameter_classes_keep_every_property_Kiota_reads_by_reflection()
        {
            // RequestInformation.AddQueryParameters reads each public property's getter and [QueryParameter] name by
            // reflection; the engine only sets them ($select, $filter, $top), so the trimmer alone would drop the getters.
            using var whole = new Metadata(UntrimmedGraph);
            using var graph = new Metadata(PackagedGraph);
            var kept = graph.Types.Keys.Where(t => t.EndsWith("QueryParameters", StringComparison.Ordinal)).ToList();
            Assert.Contains("Microsoft.Graph.Applications.ApplicationsRequestBuilder+ApplicationsRequestBuilderGetQueryParameters", kept);
            var different = kept.Where(t => !whole.Properties(t).SetEquals(graph.Properties(t)))
                .Select(t => $"{t}: {string.Join(" ", whole.Properties(t).Except(graph.Properties(t)))}").ToList();
            Assert.True(different.Count == 0, "query parameters lost a property or its getter: " + string.Join(", ", different));
        }

        [Fact]
        public void The_packaged_Graph_needs_no_assembly_the_untrimmed_one_did_not_and_each_ships()
        {
            using var whole = new Metadata(UntrimmedGraph);
            using var graph = new Metadata(PackagedGraph);
            var before = whole.References.ToHashSet(StringComparer.Ordinal);
            var after = graph.References.ToList();
            Assert.Contains("netstandard", after); // still the netstandard2.0 build that .NET Framework 4.7.2+ (5.1) runs
            Assert.All(after, name => Assert.Contains(name, before));
            Assert.All(after.Where(n => n != "netstandard"), name => Assert.True(File.Exists(Path.Combine(Dependencies, name + ".dll")), $"{name}.dll is not in Dependencies/"));
            string framework = graph.TargetFramework();
            Assert.Equal(whole.TargetFramework(), framework);
            Assert.Equal(".NETStandard,Version=v2.0", framework);
        }

        [Fact]
        public void Every_shipped_dependency_is_referenced_by_a_shipped_assembly()
        {
            // Nothing ships that nothing can load; the engine is the bridge the cmdlet assembly references.
            var moduleRoot = Path.GetDirectoryName(Dependencies)!;
            var shipped = Directory.GetFiles(Dependencies, "*.dll").Concat(Directory.GetFiles(moduleRoot, "*.dll")).ToList();
            var referenced = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in shipped)
            {
                using var metadata = new Metadata(file);
                referenced.UnionWith(metadata.References);
            }
            var unreferenced = Directory.GetFiles(Dependencies, "*.dll").Select(Path.GetFileNameWithoutExtension).Where(n => !referenced.Contains(n!)).ToList();
            Assert.True(unreferenced.Count == 0, "shipped but referenced by nothing shipped: " + string.Join(", ", unreferenced));
        }

        private static EntityHandle? ScopeOf(MetadataReader reader, TypeReferenceHandle handle)
        {
            var scope = reader.GetTypeReference(handle).ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference) scope = reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            return scope.Kind == HandleKind.AssemblyReference ? scope : null;
        }

        private static string? GraphTypeOf(MetadataReader reader, EntityHandle parent, AssemblyReferenceHandle graph)
        {
            if (parent.Kind == HandleKind.TypeReference)
                return ScopeOf(reader, (TypeReferenceHandle)parent) == (EntityHandle)graph ? Names.Of(reader, (TypeReferenceHandle)parent) : null;
            if (parent.Kind != HandleKind.TypeSpecification) return null;
            // A member of a generic instantiation: GENERICINST (CLASS|VALUETYPE) TypeDefOrRef ...
            var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
            blob.ReadByte();
            var generic = blob.ReadTypeHandle();
            return generic.Kind == HandleKind.TypeReference ? GraphTypeOf(reader, generic, graph) : null;
        }

        /// <summary>One assembly's metadata: its types by full name (nested as Outer+Inner) and their members.</summary>
        private sealed class Metadata : IDisposable
        {
            private readonly PEReader _pe;
            public MetadataReader Reader { get; }
            public Dictionary<string, TypeDefinitionHandle> Types { get; } = new Dictionary<string, TypeDefinitionHandle>(StringComparer.Ordinal);

            public Metadata(string path)
            {
                _pe = new PEReader(File.OpenRead(path));
                Reader = _pe.GetMetadataReader();
                foreach (var handle in Reader.TypeDefinitions) Types[Names.Of(Reader, handle)] = handle;
            }

            public IEnumerable<string> References => Reader.AssemblyReferences.Select(h => Reader.GetString(Reader.GetAssemblyReference(h).Name));

            public string TargetFramework()
            {
                foreach (var handle in Reader.GetAssemblyDefinition().GetCustomAttributes())
                {
                    var attribute = Reader.GetCustomAttribute(handle);
                    if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
                    var ctor = Reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
                    if (ctor.Parent.Kind != HandleKind.TypeReference || Names.Of(Reader, (TypeReferenceHandle)ctor.Parent) != "System.Runtime.Versioning.TargetFrameworkAttribute") continue;
                    var value = Reader.GetBlobReader(attribute.Value);
                    value.ReadUInt16(); // prolog
                    return value.ReadSerializedString() ?? "";
                }
                return "";
            }

            /// <summary>type's properties as "name get set [attributes]", for comparing two builds of it.</summary>
            public HashSet<string> Properties(string type) => Reader.GetTypeDefinition(Types[type]).GetProperties().Select(Reader.GetPropertyDefinition)
                .Select(p => $"{Reader.GetString(p.Name)}{(p.GetAccessors().Getter.IsNil ? "" : " get")}{(p.GetAccessors().Setter.IsNil ? "" : " set")} [{p.GetCustomAttributes().Count}]")
                .ToHashSet(StringComparer.Ordinal);

            public bool HasMethodNamed(string type, string name) =>
                Reader.GetTypeDefinition(Types[type]).GetMethods().Any(m => Reader.GetString(Reader.GetMethodDefinition(m).Name) == name);

            public bool HasMember(string type, string name, string signature)
            {
                // The runtime resolves a member reference on the named type or its base types.
                foreach (var candidate in new[] { type }.Concat(BaseTypesOf(type)))
                {
                    if (!Types.TryGetValue(candidate, out var handle)) return false;
                    var definition = Reader.GetTypeDefinition(handle);
                    if (definition.GetMethods().Select(Reader.GetMethodDefinition).Any(m => Reader.GetString(m.Name) == name && Names.Method(m.DecodeSignature(Names.Provider, null)) == signature))
                        return true;
                    if (definition.GetFields().Select(Reader.GetFieldDefinition).Any(f => Reader.GetString(f.Name) == name && f.DecodeSignature(Names.Provider, null) == signature))
                        return true;
                }
                return false;
            }

            /// <summary>The base types of type defined in this assembly, nearest first.</summary>
            public IEnumerable<string> BaseTypesOf(string type)
            {
                var current = Reader.GetTypeDefinition(Types[type]).BaseType;
                while (!current.IsNil)
                {
                    string name = current.Kind switch
                    {
                        HandleKind.TypeDefinition => Names.Of(Reader, (TypeDefinitionHandle)current),
                        HandleKind.TypeReference => Names.Of(Reader, (TypeReferenceHandle)current),
                        _ => "",
                    };
                    if (!Types.TryGetValue(name, out var handle)) yield break;
                    yield return name;
                    current = Reader.GetTypeDefinition(handle).BaseType;
                }
            }

            /// <summary>The types whose constructors type's CreateFromDiscriminatorValue calls (newobj), from its IL.</summary>
            public HashSet<string> FactoryCreates(string type)
            {
                if (_factories.TryGetValue(type, out var known)) return known;
                var created = new HashSet<string>(StringComparer.Ordinal);
                var method = Reader.GetTypeDefinition(Types[type]).GetMethods().Select(Reader.GetMethodDefinition)
                    .First(m => Reader.GetString(m.Name) == "CreateFromDiscriminatorValue");
                var il = _pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                while (il.RemainingBytes > 0)
                {
                    int opcode = il.ReadByte();
                    if (opcode == 0xFE) { opcode = 0x100 | il.ReadByte(); }
                    if (opcode == 0x73) // newobj <token>
                    {
                        var ctor = MetadataTokens.EntityHandle(il.ReadInt32());
                        if (ctor.Kind == HandleKind.MethodDefinition)
                            created.Add(Names.Of(Reader, Reader.GetMethodDefinition((MethodDefinitionHandle)ctor).GetDeclaringType()));
                        continue;
                    }
                    il.Offset += OperandSize(opcode, ref il);
                }
                return _factories[type] = created;
            }

            private readonly Dictionary<string, HashSet<string>> _factories = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

            // Operand sizes of the CIL opcodes (ECMA-335 III), for walking a method body.
            private static int OperandSize(int opcode, ref BlobReader il)
            {
                switch (opcode)
                {
                    case 0x0E: case 0x0F: case 0x10: case 0x11: case 0x12: case 0x13: case 0x1F: case 0xDE: // ldarg.s … ldc.i4.s, leave.s
                    case 0x2B: case 0x2C: case 0x2D: case 0x2E: case 0x2F: case 0x30: case 0x31: case 0x32: case 0x33:
                    case 0x34: case 0x35: case 0x36: case 0x37: // br.s … blt.un.s
                    case 0x112: case 0x119: // unaligned., no.
                        return 1;
                    case 0x109: case 0x10A: case 0x10B: case 0x10C: case 0x10D: case 0x10E: // ldarg … stloc (2-byte index)
                        return 2;
                    case 0x20: case 0x22: case 0x28: case 0x29: case 0x27: case 0x38: case 0x39: case 0x3A: case 0x3B: case 0x3C:
                    case 0x3D: case 0x3E: case 0x3F: case 0x40: case 0x41: case 0x42: case 0x43: case 0x44:
                    case 0x6F: case 0x70: case 0x71: case 0x72: case 0x74: case 0x75: case 0x79: case 0x7B: case 0x7C: case 0x7D:
                    case 0x7E: case 0x7F: case 0x80: case 0x81: case 0x8C: case 0x8D: case 0x8F: case 0xA3: case 0xA4: case 0xA5:
                    case 0xC2: case 0xC6: case 0xD0: case 0xDD:
                    case 0x106: case 0x107: case 0x115: case 0x116: case 0x11C: // ldftn, ldvirtftn, initobj, constrained., sizeof
                        return 4;
                    case 0x21: case 0x23: // ldc.i8, ldc.r8
                        return 8;
                    case 0x45: // switch
                        int count = il.ReadInt32();
                        return count * 4;
                    default:
                        return 0;
                }
            }

            public void Dispose() => _pe.Dispose();
        }

        /// <summary>Names of types and signatures that compare across assemblies: by namespace and name, never by scope.</summary>
        private static class Names
        {
            public static readonly SignatureNames Provider = new SignatureNames();

            public static string Of(MetadataReader reader, TypeReferenceHandle handle)
            {
                var type = reader.GetTypeReference(handle);
                string name = reader.GetString(type.Name);
                if (type.ResolutionScope.Kind == HandleKind.TypeReference) return Of(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
                string ns = reader.GetString(type.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            public static string Of(MetadataReader reader, TypeDefinitionHandle handle)
            {
                var type = reader.GetTypeDefinition(handle);
                string name = reader.GetString(type.Name);
                var declaring = type.GetDeclaringType();
                if (!declaring.IsNil) return Of(reader, declaring) + "+" + name;
                string ns = reader.GetString(type.Namespace);
                return ns.Length == 0 ? name : ns + "." + name;
            }

            public static string Method(MethodSignature<string> signature) =>
                $"{(signature.Header.IsInstance ? "instance " : "")}{signature.ReturnType} <{signature.GenericParameterCount}>({string.Join(",", signature.ParameterTypes)})";
        }

        private sealed class SignatureNames : ISignatureTypeProvider<string, object?>
        {
            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
            public string GetByReferenceType(string elementType) => elementType + "&";
            public string GetFunctionPointerType(MethodSignature<string> signature) => "method " + Names.Method(signature);
            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
            public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
            public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => isRequired ? unmodifiedType + " modreq(" + modifier + ")" : unmodifiedType;
            public string GetPinnedType(string elementType) => elementType + " pinned";
            public string GetPointerType(string elementType) => elementType + "*";
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Names.Of(reader, handle);
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Names.Of(reader, handle);
            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }
    }
}
