using System;
using System.Collections.Generic;
using EntraAppKit.LocalTenant.Authorization;

namespace EntraAppKit.LocalTenant.Routing
{
    /// <summary>
    /// A Graph entity set as the router sees it: the permission every request to it needs first (its gate), the methods it
    /// answers at all when it is read-only, and how its <c>{key}</c> resolves (alternate keys, Graph's 404).
    /// </summary>
    internal sealed class EntitySet
    {
        private readonly PermissionRequirement _gate;
        private readonly PermissionRequirement _writeGate;

        public EntitySet(string name, PermissionRequirement gate, Func<string, string, object> resolveKey,
            PermissionRequirement? writeGate = null, IReadOnlyList<string>? methods = null)
        {
            Name = name; _gate = gate; ResolveKey = resolveKey; _writeGate = writeGate ?? gate; Methods = methods;
        }

        public string Name { get; }

        /// <summary>(key name, key value) to the item; throws the alternate-key 400 or Graph's 404.</summary>
        public Func<string, string, object> ResolveKey { get; }

        /// <summary>Methods refused with 405 before anything else, for read-only sets; null when the routes decide.</summary>
        public IReadOnlyList<string>? Methods { get; }

        /// <summary>The gate for a request with <paramref name="method"/>: GETs may need less than writes.</summary>
        public PermissionRequirement GateFor(string method) => method == "GET" ? _gate : _writeGate;
    }
}
