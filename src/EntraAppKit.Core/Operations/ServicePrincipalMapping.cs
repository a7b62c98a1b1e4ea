using System;
using System.Linq;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>A service principal as Get-EntraServicePrincipal shows it (learn.microsoft.com/graph/api/resources/serviceprincipal).</summary>
    internal static class ServicePrincipalMapping
    {
        /// <summary>Hides the app from users' My Apps and the Microsoft 365 launcher (resources/serviceprincipal, tags).</summary>
        public const string HideAppTag = "HideApp";

        /// <summary>The tag Entra's portal gives the apps it registers (resources/serviceprincipal, tags).</summary>
        public const string IntegratedAppTag = "WindowsAzureActiveDirectoryIntegratedApp";

        /// <summary>Whether the service principal's application is registered in the connected tenant (appOwnerOrganizationId).</summary>
        public static bool IsHome(ServicePrincipal sp, TenantFacts tenant) =>
            sp.AppOwnerOrganizationId is Guid owner && Guid.TryParse(tenant.TenantId, out var id) && owner == id;

        public static bool HasTag(ServicePrincipal sp, string tag) => (sp.Tags ?? new System.Collections.Generic.List<string>()).Contains(tag, StringComparer.OrdinalIgnoreCase);

        public static string TenantLabel(TenantFacts tenant) => tenant.InitialDomain.Length > 0 ? tenant.InitialDomain : tenant.TenantId;

        public static EntraServicePrincipal ToModel(ServicePrincipal sp, TenantFacts tenant, bool hasAppRegistration, string[]? changes = null) => new EntraServicePrincipal
        {
            DisplayName = sp.DisplayName ?? "",
            ClientId = sp.AppId ?? "",
            ObjectId = sp.Id ?? "",
            AccountEnabled = sp.AccountEnabled ?? true,
            AppRoleAssignmentRequired = sp.AppRoleAssignmentRequired ?? false,
            Tags = sp.Tags?.ToArray() ?? Array.Empty<string>(),
            HiddenFromMyApps = HasTag(sp, HideAppTag),
            IsIntegratedApp = HasTag(sp, IntegratedAppTag),
            HomeTenantId = sp.AppOwnerOrganizationId?.ToString(),
            IsForeign = !IsHome(sp, tenant),
            HasAppRegistration = hasAppRegistration,
            ServicePrincipalType = sp.ServicePrincipalType,
            SignInAudience = sp.SignInAudience,
            TenantId = tenant.TenantId,
            TenantName = tenant.InitialDomain,
            Changes = changes ?? Array.Empty<string>(),
        };
    }
}
