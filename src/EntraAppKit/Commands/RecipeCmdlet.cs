using System;
using System.Linq;
using System.Management.Automation;
using EntraAppKit.Core;
using EntraAppKit.Core.Recipes;

namespace EntraAppKit.Commands
{
    /// <summary>Shared flow of recipe cmdlets: plan, confirm each change (-WhatIf/-Confirm), apply.</summary>
    public abstract class RecipeCmdlet : EntraAppKitCmdlet
    {
        /// <summary>The immutable key the app is found by on re-runs; derived from the recipe and -Name by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UniqueName { get; set; }

        /// <summary>Adopt an existing app registration by its client id (its uniqueName is set if it has none).</summary>
        [Parameter]
        [ValidatePattern(@"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
        public string? ClientId { get; set; }

        /// <summary>Plans the recipe, asks ShouldProcess for each change, applies. Null when declined, -WhatIf, or failed (error written).</summary>
        protected AppRegistrationResult? RunRecipe(Func<AppRecipe> build)
        {
            try
            {
                var connection = RequireConnection();
                var recipe = build();
                var engine = new RecipeEngine(connection.Session);
                string activity = $"{recipe.RecipeName}: {recipe.DisplayName}";
                WriteProgress(new ProgressRecord(1, activity, "Reading the tenant"));
                var plan = RunCore(ct => engine.PlanAsync(recipe, ct));
                // Ask for every change (so -WhatIf lists them all), then apply all or nothing.
                bool approved = plan.Changes.Aggregate(true, (ok, change) =>
                    ShouldProcess(change.Description, change.Description + "?", change.Action) && ok);
                if (!approved) return null;
                WriteProgress(new ProgressRecord(1, activity, $"Applying {plan.Changes.Count} change(s)"));
                var result = RunCore(ct => engine.ApplyAsync(plan, ct));
                WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
                foreach (var warning in result.Warnings) WriteWarning(warning);
                return result;
            }
            catch (Exception e)
            {
                WriteCoreError(e, null);
                return null;
            }
        }
    }

    /// <summary>Recipe cmdlets whose app gets a client secret.</summary>
    public abstract class SecretRecipeCmdlet : RecipeCmdlet
    {
        /// <summary>Client secret lifetime in months (1–24; Microsoft recommends less than 12).</summary>
        [Parameter]
        [ValidateRange(1, 24)]
        public int SecretLifetimeMonths { get; set; } = 12;

        /// <summary>Add a new client secret even if the app already has one (existing secrets are kept).</summary>
        [Parameter]
        public SwitchParameter NewSecret { get; set; }

        /// <summary>Return the client secret as plain text instead of a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }
    }
}
