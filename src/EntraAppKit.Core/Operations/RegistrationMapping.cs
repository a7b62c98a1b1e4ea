using System;
using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Tenants;
using EntraAppKit.Model.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Operations
{
    /// <summary>An application as Get-EntraAppRegistration shows it.</summary>
    internal static class RegistrationMapping
    {
        public static EntraAppRegistration ToRegistration(Application app, TenantFacts tenant, string[]? changes = null, ServicePrincipal? servicePrincipal = null)
        {
            var now = DateTimeOffset.UtcNow;
            var secrets = app.PasswordCredentials ?? new List<PasswordCredential>();
            return new EntraAppRegistration
            {
                DisplayName = app.DisplayName ?? "",
                ClientId = app.AppId ?? "",
                ObjectId = app.Id ?? "",
                UniqueName = app.UniqueName,
                SignInAudience = app.SignInAudience ?? "",
                TenantId = tenant.TenantId,
                TenantName = tenant.InitialDomain,
                WebRedirectUris = app.Web?.RedirectUris?.ToArray() ?? Array.Empty<string>(),
                SpaRedirectUris = app.Spa?.RedirectUris?.ToArray() ?? Array.Empty<string>(),
                PublicClientRedirectUris = app.PublicClient?.RedirectUris?.ToArray() ?? Array.Empty<string>(),
                IdentifierUris = app.IdentifierUris?.ToArray() ?? Array.Empty<string>(),
                SecretCount = secrets.Count,
                NextSecretExpiry = secrets.Where(p => p.EndDateTime > now).Select(p => p.EndDateTime).OrderBy(d => d).FirstOrDefault(),
                CreatedDateTime = app.CreatedDateTime,
                Changes = changes ?? Array.Empty<string>(),
                ServicePrincipalId = servicePrincipal?.Id,
                ServicePrincipalEnabled = servicePrincipal == null ? (bool?)null : servicePrincipal.AccountEnabled ?? true,
            };
        }
    }
}
