using System;
using System.Management.Automation;
using EntraAppKit.Model.Operations;
using EntraAppKit.Validation;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Adds the return URLs WriteBackExtreme's console shows to the app's Web platform.</para>
    /// <para type="description">Keeps every existing redirect URI; https is required (localhost excepted); URIs already present change nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "WriteBackRedirectUri", SupportsShouldProcess = true)]
    [OutputType(typeof(EntraAppRegistration))]
    public sealed class AddWriteBackRedirectUriCommand : AppOperationCmdlet
    {
        /// <summary>The app's client id; bound from New-WriteBackAppRegistration or Get-EntraAppRegistration output.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateClientId]
        [ArgumentCompleter(typeof(Completion.ClientIdCompleter))]
        public string ClientId { get; set; } = "";

        /// <summary>One or more return URLs, as the WriteBackExtreme Management Console shows them.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotBlank]
        public string[] Uri { get; set; } = Array.Empty<string>();

        /// <summary>The new client secret of the recipe output piped in, passed on in the output so it is not lost down the pipeline.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [AllowNull]
        public object? ClientSecret { get; set; }

        protected override object? ErrorTarget => ClientId;

        protected override void ExecuteCmdlet()
        {
            var operations = Operations();
            Execute($"{MyInvocation.MyCommand.Name}: {ClientId}",
                ct => operations.PlanAddWebRedirectUrisAsync(ClientId, Uri, ct),
                plan => plan.Changes,
                operations.ApplyAddWebRedirectUrisAsync,
                registration =>
                {
                    registration.ClientSecret = ClientSecret;
                    WriteObject(registration);
                },
                unchanged: plan => $"'{plan.DisplayName}' already has every one of these redirect URIs.");
        }
    }
}
