using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Operations;
using Microsoft.Graph.Models;

namespace EntraAppKit.Core.Recipes.Vendors
{
    /// <summary>Fills the public output types (EntraAppKit.Model) from what the engine produced.</summary>
    internal static class OutputMapping
    {
        public static T CopyCommon<T>(this T o, AppRegistrationResult result) where T : AppRegistrationOutput
        {
            o.DisplayName = result.DisplayName;
            o.ClientId = result.ClientId;
            o.ObjectId = result.ObjectId;
            o.ServicePrincipalId = result.ServicePrincipalId;
            o.TenantId = result.TenantId;
            o.TenantName = result.TenantName;
            o.UniqueName = result.UniqueName;
            o.SecretExpires = result.SecretExpires;
            o.Changes = result.Changes.ToArray();
            o.Warnings = result.Warnings.ToArray();
            return o;
        }

        public static EntraAppRegistration ToRegistration(Application app, TenantFacts tenant, string[]? changes = null)
        {
            var now = DateTimeOffset.UtcNow;
            var secrets = app.PasswordCredentials ?? new System.Collections.Generic.List<PasswordCredential>();
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
            };
        }
    }
}
