using System;
using System.Management.Automation;
using EntraAppKit.Core.Operations;
using EntraAppKit.Model;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>New-EntraAppSecret and Update-EntraAppSecret: a client secret added to an existing app, its parameters declared once.</summary>
    public abstract class AppSecretCmdlet : EntraAppKitCmdlet
    {
        private const string MonthsSet = "Months";
        private const string EndDateSet = "EndDate";

        /// <summary>The app's client id; bound from recipe outputs and Get-EntraAppRegistration.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>The secret's description; by default "EntraAppKit by {account} {yyyy-MM-dd}", numbered when the app has one by that name.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string? DisplayName { get; set; }

        /// <summary>The secret's lifetime in months (1–24, 12 by default, as the recipes' -SecretLifetimeMonths).</summary>
        [Parameter(ParameterSetName = MonthsSet)]
        [ValidateRange(ClientSecretLifetime.MinMonths, ClientSecretLifetime.MaxMonths)]
        [Alias("SecretLifetimeMonths")]
        public int Months { get; set; } = ClientSecretLifetime.DefaultMonths;

        /// <summary>When the secret expires, instead of -Months (in the future, at most 24 months away).</summary>
        [Parameter(Mandatory = true, ParameterSetName = EndDateSet)]
        public DateTime EndDate { get; set; }

        /// <summary>Return the client secret as plain text instead of a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override object? ErrorTarget => ClientId;

        /// <summary>Update-EntraAppSecret: a rotation, proved by a sign-in and listing the secrets it overlaps.</summary>
        protected abstract bool Rotation { get; }

        protected override void ExecuteCmdlet()
        {
            var connection = RequireConnection();
            var operations = new AppSecretOperations(connection.Session);
            bool byEndDate = ParameterSetName == EndDateSet;
            DateTimeOffset? end = byEndDate ? new DateTimeOffset(EndDate.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(EndDate, DateTimeKind.Local) : EndDate) : (DateTimeOffset?)null;
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                async ct =>
                {
                    string? account = null;
                    if (DisplayName == null)
                    {
                        var claims = await connection.GetTokenClaimsAsync(ct).ConfigureAwait(false);
                        account = claims?.UserPrincipalName ?? claims?.AppId;
                    }
                    return await operations.PlanAddAsync(ClientId, DisplayName, byEndDate ? (int?)null : Months, end, account, Rotation, ct).ConfigureAwait(false);
                },
                plan => plan.Changes,
                (plan, ct) => operations.ApplyAddAsync(plan, AsPlainText, Rotation ? connection.Target : null, ct),
                Write);
        }

        private void Write(EntraAppSecret secret)
        {
            WriteObject(secret);
            if (secret.SignInVerified == false)
                WriteWarning($"A sign-in with the new client secret '{secret.DisplayName}' of {secret.ClientId} did not succeed yet (Entra can take a minute to accept a new secret); " +
                    "the previous secrets stay valid. Check it with Test-EntraAppCredential before you remove them.");
            if (MyInvocation.PipelinePosition < MyInvocation.PipelineLength)
                WriteWarning($"The new client secret of '{secret.AppDisplayName}' is in this command's output, which goes to the next command in the pipeline: " +
                    "keep the pipeline's result in a variable, or run this command on its own.");
        }
    }
}
