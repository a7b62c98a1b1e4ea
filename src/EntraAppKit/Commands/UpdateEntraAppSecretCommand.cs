using System.Management.Automation;
using EntraAppKit.Model.Operations;

namespace EntraAppKit.Commands
{
    /// <summary>
    /// <para type="synopsis">Rotates an app's client secret without an outage: adds a new one, proves it signs in, and keeps the old ones.</para>
    /// <para type="description">The old secrets stay valid until you remove them with Remove-EntraAppCredential (their key ids are in
    /// PreviousKeyIds), once everything that used them has the new secret.</para>
    /// </summary>
    [Cmdlet(VerbsData.Update, "EntraAppSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Months")]
    [OutputType(typeof(EntraAppSecret))]
    public sealed class UpdateEntraAppSecretCommand : AppSecretCmdlet
    {
        protected override bool Rotation => true;
    }
}
