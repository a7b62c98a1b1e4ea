using System;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace EntraAppKit.Validation
{
    /// <summary>An application (client) id: a GUID in its usual 8-4-4-4-12 form. Written once for every client id parameter.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ValidateClientIdAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private static readonly Regex Guid = new Regex("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant);

        protected override void ValidateElement(object element)
        {
            if (element is PSObject wrapped) element = wrapped.BaseObject;
            if (!(element is string text) || !Guid.IsMatch(text))
                throw new ValidationMetadataException($"The argument \"{element}\" is not an application (client) id: a GUID such as 00000000-0000-0000-0000-000000000000.");
        }
    }
}
