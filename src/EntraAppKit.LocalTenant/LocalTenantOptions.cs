using System;
using System.Collections.Generic;

namespace EntraAppKit.LocalTenant
{
    /// <summary>
    /// How a new local tenant is set up; ignored for a tenant loaded from an existing state file, except the runtime settings
    /// (<see cref="RequireAuthentication"/>, <see cref="DeviceCodeIntervalSeconds"/>, <see cref="AdministratorPassword"/>, <see cref="Clock"/>,
    /// <see cref="RequestLogCapacity"/>).
    /// </summary>
    public sealed class LocalTenantOptions
    {
        /// <summary>The tenant id; a new GUID when null.</summary>
        public Guid? TenantId { get; set; }

        /// <summary>The prefix of the initial domain: <c>{Name}.onmicrosoft.com</c>.</summary>
        public string Name { get; set; } = "contoso";

        public string DisplayName { get; set; } = "Contoso (local tenant)";

        /// <summary>A further tenant of a local cloud: NAME.onmicrosoft.com, shown as "Name (local tenant)".</summary>
        public static LocalTenantOptions Named(string name) =>
            new LocalTenantOptions { Name = name, DisplayName = char.ToUpperInvariant(name[0]) + name.Substring(1) + " (local tenant)" };

        /// <summary>Custom domains that are verified in the tenant, besides the initial one.</summary>
        public IList<string> VerifiedDomains { get; } = new List<string>();

        /// <summary>
        /// The default identifier-URI policy Microsoft enabled in 2025 (learn.microsoft.com/entra/identity-platform/identifier-uri-restrictions):
        /// new URIs on v1 apps must contain a verified domain, the tenant id or the app id. On by default, as in most tenants today.
        /// </summary>
        public bool EnforceIdentifierUriPolicy { get; set; } = true;

        /// <summary>
        /// Whether users without an admin role may register applications: the authorization policy's
        /// defaultUserRolePermissions.allowedToCreateApps (learn.microsoft.com/graph/api/resources/defaultuserrolepermissions).
        /// True by default, as in a new Entra tenant.
        /// </summary>
        public bool UsersCanRegisterApplications { get; set; } = true;

        /// <summary>
        /// Users the tenant starts with besides its built-in administrator. Applied when the tenant is created, and to a tenant
        /// loaded from a state file for each user it does not have yet.
        /// </summary>
        public IList<LocalTenantUser> Users { get; } = new List<LocalTenantUser>();

        /// <summary>
        /// The state file's size from which a write appends what it changed to the file's journal ("{file}.journal") instead
        /// of writing the file whole (256 KiB, about 70 applications). The journal is folded into the file once it is as
        /// long as the file.
        /// </summary>
        internal long JournalAfterBytes { get; set; } = 256 * 1024;

        /// <summary>
        /// Whether a Graph request without a bearer token gets Graph's 401 (as the server does unless --no-auth). When false
        /// (the in-process default) such a request acts as the built-in administrator. A runtime setting: applies to loaded tenants too.
        /// </summary>
        public bool RequireAuthentication { get; set; }

        /// <summary>The device code flow's polling interval in seconds (Entra answers 5). A runtime setting.</summary>
        public int DeviceCodeIntervalSeconds { get; set; } = 5;

        /// <summary>
        /// The built-in administrator's password at the authorization endpoint's sign-in page (/{tenant}/oauth2/v2.0/authorize).
        /// Null, the default: the administrator cannot sign in with a password (device code and admin tokens still work). A
        /// runtime setting, never saved with the tenant.
        /// </summary>
        public string? AdministratorPassword { get; set; }

        /// <summary>
        /// How many of the newest requests the tenant's <see cref="Diagnostics.RequestLog"/> keeps (10,000 by default, about
        /// 3 MB); its counters count every request whatever the bound. A runtime setting.
        /// </summary>
        public int RequestLogCapacity { get; set; } = Diagnostics.RequestLog.DefaultCapacity;

        /// <summary>The clock; tests move it to check expiry and lag.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;
    }
}
