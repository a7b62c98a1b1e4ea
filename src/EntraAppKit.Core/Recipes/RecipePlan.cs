using System.Collections.Generic;
using System.Linq;
using EntraAppKit.Core.Applications;
using EntraAppKit.Core.Authentication;
using EntraAppKit.Core.Consent;
using EntraAppKit.Core.Planning;
using EntraAppKit.Core.Tenants;

namespace EntraAppKit.Core.Recipes
{
    /// <summary>The difference between a recipe and the tenant: every write a run will make, in order. Made by <see cref="RecipeEngine.PlanAsync"/>.</summary>
    public sealed class RecipePlan : IChangePlan
    {
        internal RecipePlan(AppRecipe recipe, TenantFacts tenant, ApplicationPlan application, ConsentPlan consent, TokenClaims? caller, IEnumerable<string> warnings)
        {
            Recipe = recipe; Tenant = tenant; Application = application; Consent = consent; Caller = caller;
            // The order the engine writes in: the application, its service principal, consent, and the secret last, so that no
            // later failure can leave a secret behind whose value nobody received.
            Changes = application.Changes
                .Concat(consent.ServicePrincipalChange == null ? Enumerable.Empty<PlannedChange>() : new[] { consent.ServicePrincipalChange })
                .Concat(consent.ConsentChanges)
                .Concat(application.CertificateChange == null ? Enumerable.Empty<PlannedChange>() : new[] { application.CertificateChange })
                .Concat(application.SecretChange == null ? Enumerable.Empty<PlannedChange>() : new[] { application.SecretChange })
                .ToList();
            Warnings = warnings.Concat(application.Warnings).ToList();
        }

        public AppRecipe Recipe { get; }

        public TenantFacts Tenant { get; }

        /// <summary>The key the application is (or will be) found by: the recipe's, or an adopted app's own.</summary>
        public string UniqueName => Application.UniqueName;

        /// <summary>Every write, in the order it will be made. Empty when the tenant already matches the recipe.</summary>
        public IReadOnlyList<PlannedChange> Changes { get; }

        public IReadOnlyList<string> Warnings { get; }

        internal ApplicationPlan Application { get; }
        internal ConsentPlan Consent { get; }

        /// <summary>The caller's token claims when known (null for a credential holding every permission).</summary>
        internal TokenClaims? Caller { get; }
    }
}
