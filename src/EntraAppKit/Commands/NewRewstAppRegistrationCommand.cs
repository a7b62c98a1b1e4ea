using System.Linq;
using System.Management.Automation;
using EntraAppKit.Core;
using EntraAppKit.Core.Recipes;
using EntraAppKit.Core.Recipes.Vendors;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates (or brings up to date) the app registration Rewst's Microsoft cloud integration uses.</para>
    /// <para type="description">Web redirect URI https://engine.rewst.io/integrations/bundles/microsoft_cloud/callback, ID token issuance on,
    /// Microsoft Graph User.Read (delegated), a client secret, and the service principal. Safe to re-run: keyed by uniqueName.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "RewstAppRegistration", SupportsShouldProcess = true)]
    [OutputType(typeof(RewstAppRegistration))]
    public sealed class NewRewstAppRegistrationCommand : RecipeCmdlet
    {
        /// <summary>The app registration's display name.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ValidateLength(1, 120)]
        public string Name { get; set; } = "Rewst Integration";

        /// <summary>The immutable key the app is found by on re-runs; derived from -Name by default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? UniqueName { get; set; }

        /// <summary>Accounts in any organizational directory; Rewst's Auth Subject becomes 'common'.</summary>
        [Parameter]
        public SwitchParameter MultiTenant { get; set; }

        /// <summary>Extra Microsoft Graph delegated permissions Rewst's actions need (User.Read is always included).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? DelegatedPermission { get; set; }

        /// <summary>Grant tenant-wide admin consent now instead of at Rewst's Authorize step.</summary>
        [Parameter]
        public SwitchParameter PreConsent { get; set; }

        /// <summary>Client secret lifetime in months (1–24).</summary>
        [Parameter]
        [ValidateRange(1, 24)]
        public int SecretLifetimeMonths { get; set; } = 12;

        /// <summary>Add a new client secret even if the app already has one.</summary>
        [Parameter]
        public SwitchParameter NewSecret { get; set; }

        /// <summary>Return the client secret as plain text instead of a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void ProcessRecord()
        {
            var options = new RewstOptions
            {
                Name = Name, UniqueName = UniqueName, MultiTenant = MultiTenant, PreConsent = PreConsent,
                SecretLifetimeMonths = SecretLifetimeMonths, NewSecret = NewSecret,
            };
            foreach (var p in DelegatedPermission ?? new string[0]) options.DelegatedPermissions.Add(p);
            var result = RunRecipe(() => RewstRecipe.Build(options));
            if (result != null) WriteObject(RewstRecipe.ToOutput(result, AsPlainText));
        }
    }

    /// <summary>Shared flow of recipe cmdlets: plan, confirm each change (-WhatIf/-Confirm), apply.</summary>
    public abstract class RecipeCmdlet : EntraAppKitCmdlet
    {
        protected AppRegistrationResult? RunRecipe(System.Func<AppRecipe> build)
        {
            try
            {
                var connection = EntraAppKitConnection.Require();
                var recipe = build();
                var engine = new RecipeEngine(connection.Session);
                WriteProgress(new ProgressRecord(1, $"{recipe.RecipeName}: {recipe.DisplayName}", "Reading the tenant"));
                var plan = RunCore(ct => engine.PlanAsync(recipe, ct));
                bool approved = plan.Changes.Aggregate(true, (ok, change) =>
                    ShouldProcess(change.Description, change.Description + "?", change.Action) && ok);
                if (!approved) return null;
                WriteProgress(new ProgressRecord(1, $"{recipe.RecipeName}: {recipe.DisplayName}", $"Applying {plan.Changes.Count} change(s)"));
                var result = RunCore(ct => engine.ApplyAsync(plan, ct));
                WriteProgress(new ProgressRecord(1, $"{recipe.RecipeName}: {recipe.DisplayName}", "Done") { RecordType = ProgressRecordType.Completed });
                foreach (var warning in result.Warnings) WriteWarning(warning);
                return result;
            }
            catch (System.Exception e)
            {
                WriteCoreError(e, null);
                return null;
            }
        }
    }
}
