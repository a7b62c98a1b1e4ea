using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace EntraAppKit.Tests.Architecture
{
    /// <summary>A type another type uses, and the assembly it lives in ("" for the assembly read).</summary>
    public readonly struct TypeUse
    {
        public TypeUse(string assembly, string type) { Assembly = assembly; Type = type; }

        public string Assembly { get; }

        /// <summary>Namespace-qualified; nested types as Outer+Inner.</summary>
        public string Type { get; }

        public override string ToString() => Assembly.Length == 0 ? Type : $"[{Assembly}]{Type}";
    }

    /// <summary>
    /// What each type of a compiled assembly uses, read from its metadata and IL: base types, interfaces, generic constraints,
    /// field, method and local signatures, attributes, and every type, member and signature token in its method bodies.
    /// Nested types (lambdas, iterators, async state machines) count for their outermost type.
    /// </summary>
    public sealed class AssemblyReferences : IDisposable
    {
        private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes).GetFields()
            .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => unchecked((ushort)o.Value), o => o.OperandType);

        private readonly PEReader _pe;
        private readonly MetadataReader _md;
        private readonly Dictionary<string, HashSet<TypeUse>> _types = new Dictionary<string, HashSet<TypeUse>>(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<(TypeUse Parent, string Member)>> _members = new Dictionary<string, HashSet<(TypeUse, string)>>(StringComparer.Ordinal);

        public AssemblyReferences(string path)
        {
            _pe = new PEReader(System.IO.File.OpenRead(path));
            _md = _pe.GetMetadataReader();
            foreach (var handle in _md.TypeDefinitions) Read(handle);
        }

        public void Dispose() => _pe.Dispose();

        /// <summary>The assemblies this one references, by name.</summary>
        public IReadOnlyList<string> ReferencedAssemblies => _md.AssemblyReferences.Select(h => _md.GetString(_md.GetAssemblyReference(h).Name)).ToList();

        /// <summary>The top-level types of the assembly.</summary>
        public IReadOnlyCollection<string> Types => _types.Keys;

        /// <summary>The top-level types that use any type of <paramref name="assembly"/>.</summary>
        public IReadOnlyCollection<string> TypesUsing(string assembly) =>
            new SortedSet<string>(_types.Where(kv => kv.Value.Any(u => u.Assembly == assembly)).Select(kv => kv.Key), StringComparer.Ordinal);

        /// <summary>The types <paramref name="type"/> uses.</summary>
        public IReadOnlyCollection<TypeUse> Uses(string type) => _types[type];

        /// <summary>The members <paramref name="type"/> calls or reads on other assemblies' types.</summary>
        public IReadOnlyCollection<(TypeUse Parent, string Member)> MembersUsedBy(string type) => _members[type];

        /// <summary>The assembly's own top-level types reachable from <paramref name="start"/> through uses, <paramref name="start"/> included.</summary>
        public IReadOnlyCollection<string> Reachable(string start)
        {
            var seen = new SortedSet<string>(StringComparer.Ordinal) { start };
            var work = new Stack<string>(seen);
            while (work.Count > 0)
                foreach (var use in _types[work.Pop()].Where(u => u.Assembly.Length == 0))
                {
                    string top = use.Type.Split('+')[0];
                    if (_types.ContainsKey(top) && seen.Add(top)) work.Push(top);
                }
            return seen;
        }

        private void Read(TypeDefinitionHandle handle)
        {
            string owner = TopLevelName(handle);
            if (!_types.TryGetValue(owner, out var uses)) _types[owner] = uses = new HashSet<TypeUse>();
            if (!_members.TryGetValue(owner, out var members)) _members[owner] = members = new HashSet<(TypeUse, string)>();
            var c = new Collector(this, uses, members);
            var type = _md.GetTypeDefinition(handle);
            if (!type.BaseType.IsNil) c.Entity(type.BaseType);
            foreach (var i in type.GetInterfaceImplementations()) c.Entity(_md.GetInterfaceImplementation(i).Interface);
            c.Attributes(type.GetCustomAttributes());
            c.Constraints(type.GetGenericParameters());
            foreach (var f in type.GetFields())
            {
                var field = _md.GetFieldDefinition(f);
                field.DecodeSignature(c, null);
                c.Attributes(field.GetCustomAttributes());
            }
            foreach (var m in type.GetMethods())
            {
                var method = _md.GetMethodDefinition(m);
                method.DecodeSignature(c, null);
                c.Attributes(method.GetCustomAttributes());
                c.Constraints(method.GetGenericParameters());
                if (method.RelativeVirtualAddress == 0) continue;
                var body = _pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil) c.Entity(body.LocalSignature);
                foreach (var token in Tokens(body.GetILBytes()!)) c.Entity(MetadataTokens.EntityHandle(token));
            }
        }

        /// <summary>The metadata tokens a method body's IL names.</summary>
        private static IEnumerable<int> Tokens(byte[] il)
        {
            for (int i = 0; i < il.Length;)
            {
                ushort code = il[i] == 0xFE ? (ushort)(0xFE00 | il[i + 1]) : il[i];
                i += code > 0xFF ? 2 : 1;
                switch (OperandTypes[code])
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                    case OperandType.InlineSig:
                        yield return BitConverter.ToInt32(il, i); i += 4; break;
                    case OperandType.InlineNone: break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar: i += 1; break;
                    case OperandType.InlineVar: i += 2; break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR: i += 8; break;
                    case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                    default: i += 4; break; // InlineBrTarget, InlineI, InlineString, ShortInlineR
                }
            }
        }

        private string TopLevelName(TypeDefinitionHandle handle)
        {
            var type = _md.GetTypeDefinition(handle);
            while (type.IsNested) type = _md.GetTypeDefinition(type.GetDeclaringType());
            string ns = _md.GetString(type.Namespace);
            return (ns.Length == 0 ? "" : ns + ".") + _md.GetString(type.Name);
        }

        private string DefinitionName(TypeDefinitionHandle handle)
        {
            var type = _md.GetTypeDefinition(handle);
            string name = _md.GetString(type.Name);
            if (type.IsNested) return DefinitionName(type.GetDeclaringType()) + "+" + name;
            string ns = _md.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        private TypeUse ReferenceUse(TypeReferenceHandle handle)
        {
            var reference = _md.GetTypeReference(handle);
            string name = _md.GetString(reference.Name);
            var scope = reference.ResolutionScope;
            if (scope.Kind == HandleKind.TypeReference)
            {
                var outer = ReferenceUse((TypeReferenceHandle)scope);
                return new TypeUse(outer.Assembly, outer.Type + "+" + name);
            }
            string ns = _md.GetString(reference.Namespace);
            string assembly = scope.Kind == HandleKind.AssemblyReference ? _md.GetString(_md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) : "";
            return new TypeUse(assembly, ns.Length == 0 ? name : ns + "." + name);
        }

        /// <summary>Collects every type a handle or signature names (the provider's result type is unused).</summary>
        private sealed class Collector : ISignatureTypeProvider<int, object?>
        {
            private readonly AssemblyReferences _owner;
            private readonly HashSet<TypeUse> _uses;
            private readonly HashSet<(TypeUse, string)> _members;

            public Collector(AssemblyReferences owner, HashSet<TypeUse> uses, HashSet<(TypeUse, string)> members) { _owner = owner; _uses = uses; _members = members; }

            private MetadataReader Md => _owner._md;

            public void Attributes(CustomAttributeHandleCollection attributes)
            {
                foreach (var a in attributes) Entity(Md.GetCustomAttribute(a).Constructor);
            }

            public void Constraints(GenericParameterHandleCollection parameters)
            {
                foreach (var g in parameters)
                    foreach (var c in Md.GetGenericParameter(g).GetConstraints()) Entity(Md.GetGenericParameterConstraint(c).Type);
            }

            public void Entity(EntityHandle handle)
            {
                switch (handle.Kind)
                {
                    case HandleKind.TypeReference: _uses.Add(_owner.ReferenceUse((TypeReferenceHandle)handle)); break;
                    case HandleKind.TypeDefinition: _uses.Add(new TypeUse("", _owner.DefinitionName((TypeDefinitionHandle)handle))); break;
                    case HandleKind.TypeSpecification: Md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null); break;
                    case HandleKind.MemberReference:
                        var member = Md.GetMemberReference((MemberReferenceHandle)handle);
                        if (member.Parent.Kind == HandleKind.TypeReference) _members.Add((_owner.ReferenceUse((TypeReferenceHandle)member.Parent), Md.GetString(member.Name)));
                        if (member.Parent.Kind == HandleKind.TypeSpecification)
                        {
                            var generic = GenericDefinition((TypeSpecificationHandle)member.Parent);
                            if (generic != null) _members.Add((generic.Value, Md.GetString(member.Name)));
                        }
                        if (member.Parent.Kind == HandleKind.TypeReference || member.Parent.Kind == HandleKind.TypeSpecification || member.Parent.Kind == HandleKind.TypeDefinition) Entity(member.Parent);
                        if (member.GetKind() == MemberReferenceKind.Field) member.DecodeFieldSignature(this, null);
                        else member.DecodeMethodSignature(this, null);
                        break;
                    case HandleKind.MethodDefinition:
                        Entity(Md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                        break;
                    case HandleKind.FieldDefinition:
                        Entity(Md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                        break;
                    case HandleKind.MethodSpecification:
                        var spec = Md.GetMethodSpecification((MethodSpecificationHandle)handle);
                        Entity(spec.Method);
                        spec.DecodeSignature(this, null);
                        break;
                    case HandleKind.StandaloneSignature:
                        var standalone = Md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                        if (standalone.GetKind() == StandaloneSignatureKind.LocalVariables) standalone.DecodeLocalSignature(this, null);
                        else standalone.DecodeMethodSignature(this, null);
                        break;
                }
            }

            /// <summary>The generic type a member's parent instantiates, e.g. List`1 for List&lt;string&gt;.Add.</summary>
            private TypeUse? GenericDefinition(TypeSpecificationHandle handle)
            {
                var reader = Md.GetBlobReader(Md.GetTypeSpecification(handle).Signature);
                if (reader.ReadSignatureHeader().RawValue != (byte)SignatureTypeCode.GenericTypeInstance) return null;
                reader.ReadCompressedInteger(); // class or value type
                var generic = reader.ReadTypeHandle();
                return generic.Kind == HandleKind.TypeReference ? _owner.ReferenceUse((TypeReferenceHandle)generic)
                    : generic.Kind == HandleKind.TypeDefinition ? new TypeUse("", _owner.DefinitionName((TypeDefinitionHandle)generic)) : (TypeUse?)null;
            }

            public int GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) { Entity(handle); return 0; }
            public int GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) { Entity(handle); return 0; }
            public int GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) { Entity(handle); return 0; }
            public int GetPrimitiveType(PrimitiveTypeCode typeCode) => 0;
            public int GetSZArrayType(int elementType) => 0;
            public int GetArrayType(int elementType, ArrayShape shape) => 0;
            public int GetByReferenceType(int elementType) => 0;
            public int GetPointerType(int elementType) => 0;
            public int GetPinnedType(int elementType) => 0;
            public int GetGenericInstantiation(int genericType, ImmutableArray<int> typeArguments) => 0;
            public int GetGenericMethodParameter(object? context, int index) => 0;
            public int GetGenericTypeParameter(object? context, int index) => 0;
            public int GetModifiedType(int modifier, int unmodifiedType, bool isRequired) => 0;
            public int GetFunctionPointerType(MethodSignature<int> signature) => 0;
        }
    }
}
