using System.Management.Automation;
using EntraAppKit.Model.Operations;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Adds a client secret to an existing app registration, keeping the secrets it has.</para>
    /// <para type="description">The secret's description says who added it and when. The secret is returned once, as a SecureString
    /// unless -AsPlainText.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "EntraAppSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Months")]
    [OutputType(typeof(EntraAppSecret))]
    public sealed class NewEntraAppSecretCommand : AppSecretCmdlet
    {
        protected override bool Rotation => false;
    }
}
