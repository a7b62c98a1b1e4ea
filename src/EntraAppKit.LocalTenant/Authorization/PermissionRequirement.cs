using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant.Authorization
{
    /// <summary>
    /// What a route demands of the caller's token, as <see cref="GraphAuthorizer"/> checks it: any one of <see cref="AnyOf"/>
    /// (roles for app-only tokens, scp for delegated ones), or for a delegated token any one of <see cref="DelegatedAnyOf"/>.
    /// Rules that depend on the object (owned applications, the built-in service principal) are the handler's to ask for.
    /// </summary>
    internal sealed class PermissionRequirement
    {
        private PermissionRequirement(IReadOnlyList<string> anyOf, IReadOnlyList<string> delegatedAnyOf, bool afterPayload, bool eachBatchItem,
            string? appOnlyRefusal = null, bool orItself = false)
        {
            AnyOf = anyOf; DelegatedAnyOf = delegatedAnyOf; ChecksPayloadFirst = afterPayload; IsEachBatchItem = eachBatchItem;
            AppOnlyRefusal = appOnlyRefusal; IsMetByItself = orItself;
        }

        /// <summary>
        /// Whether an app-only caller acting on itself (<see cref="GraphAuthorizer.IsItself"/>) needs no permission at all, not
        /// even the entity set's gate: addKey and removeKey, which "an application does not need any specific permission" for.
        /// </summary>
        public bool IsMetByItself { get; }

        /// <summary>The same requirement, also met by an app-only caller acting on itself.</summary>
        public PermissionRequirement OrItself() => new PermissionRequirement(AnyOf, DelegatedAnyOf, ChecksPayloadFirst, IsEachBatchItem, AppOnlyRefusal, true);

        /// <summary>
        /// For a route only a signed-in user may call (/me): the message of Graph's 400 to any app-only token, whatever its
        /// roles. Null for every other route.
        /// </summary>
        public string? AppOnlyRefusal { get; }

        /// <summary>A requirement met only by a delegated token holding one of <paramref name="permissions"/>; app-only tokens get a 400 with <paramref name="appOnlyRefusal"/>.</summary>
        public static PermissionRequirement DelegatedOnly(string appOnlyRefusal, params string[] permissions)
        {
            if (permissions.Length == 0) throw new ArgumentException("A requirement names at least one permission.", nameof(permissions));
            return new PermissionRequirement(permissions, Array.Empty<string>(), false, false, appOnlyRefusal);
        }

        public IReadOnlyList<string> AnyOf { get; }

        /// <summary>Permissions that suffice in a delegated (user) token only.</summary>
        public IReadOnlyList<string> DelegatedAnyOf { get; }

        /// <summary>
        /// Whether the request body is read (and its 400s answered) before the permission is checked. The local tenant has
        /// always answered POST /servicePrincipals that way; kept so no answer changes.
        /// </summary>
        public bool ChecksPayloadFirst { get; }

        /// <summary>$batch: the batch itself needs nothing; each item is authorised on its own with the batch's token.</summary>
        public bool IsEachBatchItem { get; }

        public static PermissionRequirement Any(params string[] permissions)
        {
            if (permissions.Length == 0) throw new ArgumentException("A requirement names at least one permission.", nameof(permissions));
            return new PermissionRequirement(permissions, Array.Empty<string>(), false, false);
        }

        public static PermissionRequirement EachBatchItem { get; } = new PermissionRequirement(Array.Empty<string>(), Array.Empty<string>(), false, true);

        /// <summary>The same requirement, also met by a delegated token holding one of <paramref name="permissions"/>.</summary>
        public PermissionRequirement OrDelegated(params string[] permissions) => new PermissionRequirement(AnyOf, permissions, ChecksPayloadFirst, false);

        /// <summary>The same requirement, checked after the body has been read.</summary>
        public PermissionRequirement AfterPayload() => new PermissionRequirement(AnyOf, DelegatedAnyOf, true, false);

        public override string ToString() =>
            IsEachBatchItem ? "(each batch item)" : (AppOnlyRefusal != null ? "delegated " : "") + string.Join(" | ", AnyOf) + (DelegatedAnyOf.Count > 0 ? " | delegated " + string.Join(" | ", DelegatedAnyOf) : "") + (IsMetByItself ? " | itself" : "");
    }
}
