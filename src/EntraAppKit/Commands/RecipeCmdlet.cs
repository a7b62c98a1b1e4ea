using System.Management.Automation;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Model.Recipes;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// A vendor recipe's cmdlet: it turns its own parameters into the vendor's recipe and calls <see cref="Run"/>; the common
    /// parameters become a <see cref="RecipeInput"/>. The engine plans, each change is confirmed, the engine applies, and the
    /// vendor shapes the output, whose warnings are also written to the warning stream.
    /// </summary>
    /// <remarks>
    /// PowerShell lists a module's cmdlet types before the module's load context can serve EntraAppKit.Core, so the base types
    /// and the virtual members of a cmdlet may name Model and PowerShell types only; Core types appear in method bodies and
    /// non-virtual signatures (a test loads the cmdlet assembly without the engine).
    /// </remarks>
    public abstract class RecipeCmdlet<TOutput> : EntraAppKitCmdlet where TOutput : AppRegistrationOutput
    {
        /// <summary>The immutable key the app is found by on re-runs; derived from the recipe and -Name by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UniqueName { get; set; }

        /// <summary>Adopt an existing app registration by its client id (its uniqueName is set if it has none).</summary>
        [Parameter]
        [ValidateClientId]
        public string? ClientId { get; set; }

        /// <summary>The app's display name, from the cmdlet's -Name.</summary>
        protected abstract string AppName { get; }

        /// <summary>The client secret's lifetime in months; null: the recipe adds no secret.</summary>
        protected virtual int? SecretLifetime => null;

        /// <summary>-NewSecret: add a secret even when the app has one.</summary>
        protected virtual bool AddNewSecret => false;

        /// <summary>-AsPlainText: return the secret as a string.</summary>
        protected virtual bool SecretAsPlainText => false;

        /// <summary>Plans, confirms and applies <paramref name="recipe"/> with the common inputs, and writes the vendor's output.</summary>
        protected void Run(IVendorRecipe<TOutput> recipe)
        {
            var input = new RecipeInput
            {
                Name = AppName, UniqueName = UniqueName, AdoptClientId = ClientId,
                SecretLifetimeMonths = SecretLifetime, NewSecret = AddNewSecret, AsPlainText = SecretAsPlainText,
            };
            var engine = new RecipeEngine(RequireConnection().Session);
            Execute($"{MyInvocation.MyCommand.Name}: {AppName}",
                ct => engine.PlanAsync(recipe.Build(input), ct),
                plan => plan.Changes,
                async (plan, ct) => recipe.Shape(await engine.ApplyAsync(plan, ct).ConfigureAwait(false), input),
                output =>
                {
                    foreach (var warning in output.Warnings) WriteWarning(warning);
                    WriteObject(output);
                });
        }
    }
}
