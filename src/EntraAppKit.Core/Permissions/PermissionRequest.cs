using System;

namespace EntraAppKit.Core.Permissions
{
    /// <summary>A permission the application requires, by friendly name, e.g. Microsoft Graph / User.Read / Delegated.</summary>
    public sealed class PermissionRequest
    {
        public PermissionRequest(string name, PermissionType type, string resource = MicrosoftGraph.AppId)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Type = type;
            Resource = resource ?? throw new ArgumentNullException(nameof(resource));
        }

        /// <summary>Parses "Resource/Permission" (resource by display name or appId) or a bare Microsoft Graph permission name.</summary>
        public static PermissionRequest Parse(string text, PermissionType type)
        {
            // A user's list can hold $null or blanks (the cmdlets refuse them at binding; C# callers reach here): say so, by type.
            if (string.IsNullOrWhiteSpace(text)) throw EntraAppKitException.InvalidInput($"A {type.ToString().ToLowerInvariant()} permission name is empty.");
            int slash = text.LastIndexOf('/');
            if (slash < 0) return new PermissionRequest(text.Trim(), type);
            string resource = text.Substring(0, slash).Trim(), name = text.Substring(slash + 1).Trim();
            if (resource.Length == 0 || name.Length == 0)
                throw EntraAppKitException.InvalidInput($"'{text}' is not 'Resource/Permission' or a Microsoft Graph permission name.");
            return new PermissionRequest(name, type, string.Equals(resource, "Microsoft Graph", StringComparison.OrdinalIgnoreCase) ? MicrosoftGraph.AppId : resource);
        }

        /// <summary>The permission's value, e.g. <c>User.Read</c>.</summary>
        public string Name { get; }

        public PermissionType Type { get; }

        /// <summary>The API that defines the permission: its appId, or its service principal's display name.</summary>
        public string Resource { get; }

        public override string ToString() => $"{Name} ({Type})";
    }
}
