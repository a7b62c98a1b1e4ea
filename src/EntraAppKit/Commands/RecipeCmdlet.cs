using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
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
        [ValidateNotBlank]
        public string? UniqueName { get; set; }

        /// <summary>Adopt an existing app registration by its client id (its uniqueName is set if it has none).</summary>
        [Parameter]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string? ClientId { get; set; }

        /// <summary>
        /// Make the app exactly what the recipe sets: remove permissions, redirect URIs and Application ID URIs it does not set (an
        /// administrator's additions) and revoke their consent. Without it a re-run keeps them and says which.
        /// </summary>
        [Parameter]
        public SwitchParameter Exclusive { get; set; }

        /// <summary>The app's display name, from the cmdlet's -Name.</summary>
        protected abstract string AppName { get; }

        /// <summary>An error names the app the recipe was for.</summary>
        protected override object? ErrorTarget => AppName;

        /// <summary>The client secret's lifetime in months; null: the recipe adds no secret.</summary>
        protected virtual int? SecretLifetime => null;

        /// <summary>-NewSecret: add a secret even when the app has one.</summary>
        protected virtual bool AddNewSecret => false;

        /// <summary>-AsPlainText: return the secret as a string.</summary>
        protected virtual bool SecretAsPlainText => false;

        /// <summary>A certificate the app gets instead of a secret (a recipe whose vendor accepts one); null: none.</summary>
        protected virtual X509Certificate2? RecipeCertificate => null;

        /// <summary>
        /// Plans, confirms and applies <paramref name="recipe"/> with the common inputs, and writes the vendor's output, then its
        /// warnings: the object that may carry a new secret goes out before anything that could prompt or stop the command.
        /// </summary>
        protected void Run(IVendorRecipe<TOutput> recipe)
        {
            var input = new RecipeInput
            {
                Name = AppName, UniqueName = UniqueName, AdoptClientId = ClientId,
                SecretLifetimeMonths = SecretLifetime, NewSecret = AddNewSecret, AsPlainText = SecretAsPlainText, Exclusive = Exclusive,
                Certificate = RecipeCertificate,
            };
            var engine = new RecipeEngine(RequireConnection().Session);
            string activity = $"{MyInvocation.MyCommand.Name}: {AppName}";
            var progress = ProgressOf(activity);
            var said = new List<string>();
            Execute(activity,
                ct => engine.PlanAsync(recipe.Build(input), ct),
                plan => plan.Changes,
                async (plan, ct) =>
                {
                    var result = await engine.ApplyAsync(plan, ct, progress).ConfigureAwait(false);
                    return (Output: RecipeOutputs.Shape(recipe, result, input), NewSecret: result.ClientSecret != null);
                },
                done =>
                {
                    var output = done.Output;
                    WriteObject(output);
                    // The plan's warnings were said before confirming; the output keeps them all, and adds its own.
                    foreach (var warning in output.Warnings.Except(said)) WriteWarning(warning);
                    if (done.NewSecret && MyInvocation.PipelinePosition < MyInvocation.PipelineLength)
                        WriteWarning($"The new client secret of '{output.DisplayName}' is in this command's output, which goes to the next command in the pipeline: " +
                            "keep the pipeline's result in a variable (each EntraAppKit output keeps what was piped into it), or run this command on its own.");
                },
                warningsOf: plan =>
                {
                    said.AddRange(plan.Warnings);
                    return plan.Warnings;
                });
        }
    }
}
